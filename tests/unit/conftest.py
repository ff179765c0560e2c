# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every unit test has a time limit, so a wait that should fail fast but does not is a failure, not a hang; and starts
from a process that remembers nothing of the tests before it.

ansible-test passes no environment or options of ours to pytest, so the limit is set here, as a marker on each test
that has none of its own (pytest-timeout, pinned in tools/requirements-test-common.txt).
"""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import rate_limiter

UNIT_TEST_TIMEOUT_SECONDS = 60


def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin('timeout'):
        return
    for item in items:
        if item.get_closest_marker('timeout') is None:
            # func_only: the limit is armed around the test itself, which ansible-test runs in a forked child.
            item.add_marker(pytest.mark.timeout(UNIT_TEST_TIMEOUT_SECONDS, func_only=True))


@pytest.fixture(autouse=True)
def fresh_process_state(monkeypatch):
    """What a process remembers - the request schedule it keeps when no shared one can be used, the warnings it gave
    once - starts empty for every test: a schedule learnt by one test must never make another wait (in random order,
    a slowed-down schedule left behind stalled a later test for a minute)."""
    monkeypatch.setattr(rate_limiter, '_LOCAL_SCHEDULE', {})
    monkeypatch.setattr(rate_limiter, '_WARNED', set())
