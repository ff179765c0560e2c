# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source as ansible-rulebook runs it (loaded from its path, then ``main(queue, args)``): events in order,
warnings logged, a watch that cannot go on ends the source, cancellation ends it cleanly; the watch is closed every
time."""

import asyncio
import importlib.util
import logging
import os
import subprocess
import sys

import pytest
import yaml
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import state_watch
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.state_watch import Poll, WatchFailed

SOURCE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', '..', 'extensions', 'eda', 'plugins',
                      'event_source', 'cvm_instance_state.py')


def loaded_source():
    """The source file's names. ansible-rulebook runs it with ``runpy.run_path``, which Ansible's collection loader
    (active under ansible-test) would intercept; loading it from its path runs the same code."""
    spec = importlib.util.spec_from_file_location('cvm_instance_state', SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


class ScriptedWatch:
    """A ``StateWatch`` stand-in answering each ``poll`` with the next of ``polls`` (an exception is raised)."""

    def __init__(self, *polls):
        self.polls = list(polls)
        self.closed = False
        self.settings = state_watch.WatchSettings(['ap-guangzhou'], None, [], 30.0, False)

    def poll(self):
        poll = self.polls.pop(0)
        if isinstance(poll, Exception):
            raise poll
        return poll

    def close(self):
        self.closed = True


@pytest.fixture
def source(monkeypatch):
    """``(main, opened)``: the source's ``main``, loaded as ansible-rulebook loads it, and the arguments each
    ``open_watch`` got; ``source.watch`` is what it opens."""
    opened = []

    def open_watch(args, environ):
        opened.append((args, environ))
        return source.watch
    monkeypatch.setattr(state_watch, 'open_watch', open_watch)
    source.opened = opened
    source.main = loaded_source()['main']
    return source


def event(n):
    return {'tencentcloud': {'event': 'state_changed', 'n': n}}


def test_events_reach_the_queue_in_order_until_the_watch_fails(source, caplog):
    source.watch = ScriptedWatch(Poll([event(1), event(2)], 0.0, []), Poll([], 0.0, ['slow down']),
                                 Poll([event(3)], 0.0, []), WatchFailed('cvm_instance_state: cannot read: AuthFailure'))
    queue = asyncio.Queue()
    caplog.set_level(logging.INFO, logger='tencentcloud.cloud.cvm_instance_state')
    with pytest.raises(WatchFailed, match='^cvm_instance_state: cannot read: AuthFailure$'):
        asyncio.run(source.main(queue, {'region': 'ap-guangzhou'}))
    assert [queue.get_nowait()['tencentcloud']['n'] for _event in range(queue.qsize())] == [1, 2, 3]
    assert source.watch.closed
    assert source.opened == [({'region': 'ap-guangzhou'}, os.environ)]
    assert [record.getMessage() for record in caplog.records] == [
        'cvm_instance_state: watching every instance of ap-guangzhou, read every 30 s',
        'cvm_instance_state: slow down']
    assert caplog.records[1].levelname == 'WARNING'


def test_cancellation_ends_the_source_cleanly_and_closes_the_watch(source):
    source.watch = ScriptedWatch(Poll([event(1)], 3600.0, []))
    queue = asyncio.Queue()

    async def run_then_cancel():
        task = asyncio.ensure_future(source.main(queue, {}))
        await queue.get()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    asyncio.run(run_then_cancel())
    assert source.watch.closed


def test_bad_arguments_end_the_source_before_a_watch_is_opened(monkeypatch):
    main = loaded_source()['main']
    with pytest.raises(WatchFailed, match='^cvm_instance_state: interval must be a number of seconds from 1 '):
        asyncio.run(main(asyncio.Queue(), {'region': 'ap-guangzhou', 'interval': 0}))


def test_the_documentation_lists_every_argument_as_it_is_checked():
    documented = yaml.safe_load(loaded_source()['DOCUMENTATION'])['options']
    checked = dict(COMMON_ARGUMENT_SPEC, **state_watch.WATCH_ARGUMENT_SPEC)
    assert sorted(documented) == sorted(checked)
    for name, option in documented.items():
        spec = checked[name]
        assert (name, option['type'], option.get('elements'), option.get('default'), option.get('choices')) == (
            name, spec['type'], spec.get('elements'), spec.get('default'), spec.get('choices'))


def test_the_collection_is_imported_from_where_the_source_is_installed_and_nothing_else_of_that_path(tmp_path):
    # An ansible and a requests package beside ansible_collections: were the collections path put on sys.path, they
    # would stand in for the real ones. The source runs as ansible-rulebook runs it: by its path, in a Python of its own.
    collection = os.path.abspath(os.path.join(os.path.dirname(SOURCE), '..', '..', '..', '..'))
    root = tmp_path / 'collections'
    (root / 'ansible_collections' / 'tencentcloud').mkdir(parents=True)
    (root / 'ansible_collections' / 'tencentcloud' / 'cloud').symlink_to(collection)
    for package in ('ansible', 'requests'):
        (root / package).mkdir()
        (root / package / '__init__.py').write_text('raise ImportError("the collections path shadowed %s")' % package)
    installed = root / 'ansible_collections' / 'tencentcloud' / 'cloud' / 'extensions' / 'eda' / 'plugins' / \
        'event_source' / 'cvm_instance_state.py'
    script = ('import runpy, sys\n'
              'state_watch = runpy.run_path(sys.argv[1])["shared_code"]()\n'
              'import ansible, requests\n'
              'print(state_watch.__file__, ansible.__file__, requests.__file__, sys.argv[2] in sys.path)\n')
    found = subprocess.run([sys.executable, '-c', script, str(installed), str(root)], capture_output=True, text=True,
                           cwd=str(tmp_path), env={'PATH': os.environ.get('PATH', '')}, check=False)
    assert found.returncode == 0, found.stderr
    watch_file, ansible_file, requests_file, root_on_path = found.stdout.split()
    assert watch_file.startswith(str(root)) and root_on_path == 'False'
    assert not ansible_file.startswith(str(root)) and not requests_file.startswith(str(root))
