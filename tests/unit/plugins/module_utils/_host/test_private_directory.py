# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user's private directory: found once, checked on its descriptor, and every file reached through it."""

import errno
import os
import stat

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import private_directory
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import (
    NotPrivate, PrivateDirectory,
)

# The real one: every test of the plugins has find() give it a directory of its own (conftest.py).
find = private_directory.find


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / 'home'
    path.mkdir()
    monkeypatch.setenv('HOME', str(path))
    return path


def test_it_is_made_0700_under_xdg_runtime_dir(tmp_path, home):
    runtime = tmp_path / 'run'
    runtime.mkdir()
    found = find({'XDG_RUNTIME_DIR': str(runtime)})
    assert found.path == str(runtime / 'tencentcloud.cloud')
    assert stat.S_IMODE(os.stat(found.path).st_mode) == 0o700
    found.close()
    # Made before: used again.
    assert find({'XDG_RUNTIME_DIR': str(runtime)}).path == found.path


@pytest.mark.parametrize('spoil', ['open to others', 'a symlink', 'a file', 'owned by someone else'])
def test_a_directory_others_can_touch_is_passed_over(tmp_path, home, monkeypatch, spoil):
    runtime = tmp_path / 'run'
    runtime.mkdir()
    candidate = runtime / 'tencentcloud.cloud'
    if spoil == 'open to others':
        candidate.mkdir()
        candidate.chmod(0o777)
    elif spoil == 'a symlink':
        (tmp_path / 'elsewhere').mkdir(mode=0o700)
        os.symlink(str(tmp_path / 'elsewhere'), str(candidate))
    elif spoil == 'a file':
        candidate.write_text('')
    else:
        candidate.mkdir(mode=0o700)
        real_fstat = os.fstat
        inode = os.stat(str(candidate)).st_ino
        monkeypatch.setattr(os, 'fstat', lambda d: _foreign(real_fstat(d)) if real_fstat(d).st_ino == inode
                            else real_fstat(d))
    found = find({'XDG_RUNTIME_DIR': str(runtime)})
    assert found.path == str(home / '.ansible' / 'tmp' / 'tencentcloud.cloud')


def _foreign(info):
    return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid + 1) + tuple(info)[5:])


def test_a_read_only_home_gives_no_directory_and_no_error(home, monkeypatch):
    real_makedirs = os.makedirs

    def read_only(path, mode=0o777, exist_ok=False):
        if str(path).startswith(str(home)):
            raise OSError(30, 'Read-only file system')
        return real_makedirs(path, mode, exist_ok)
    monkeypatch.setattr(os, 'makedirs', read_only)
    assert find({}) is None


def test_a_directory_swapped_after_the_check_is_never_written_into(tmp_path):
    # Another user renames the checked directory away and puts one of theirs (here: any other) in its place: the
    # files still go where the descriptor points, into the directory that was checked.
    mine = tmp_path / 'tencentcloud.cloud'
    mine.mkdir(mode=0o700)
    opened = PrivateDirectory.open(str(mine))
    os.rename(str(mine), str(tmp_path / 'moved-away'))
    (tmp_path / 'tencentcloud.cloud').mkdir(mode=0o777)
    os.close(opened.open_file('ratelimit-x', os.O_RDWR | os.O_CREAT))
    assert os.listdir(str(tmp_path / 'moved-away')) == ['ratelimit-x']
    assert os.listdir(str(tmp_path / 'tencentcloud.cloud')) == []


@pytest.mark.parametrize('make', ['symlink', 'hard link', 'fifo', 'directory'])
def test_only_a_private_regular_file_with_one_link_is_opened(tmp_path, make):
    directory = tmp_path / 'private'
    directory.mkdir(mode=0o700)
    target = directory / 'target'
    if make == 'symlink':
        (tmp_path / 'victim').write_text('precious')
        os.symlink(str(tmp_path / 'victim'), str(target))
    elif make == 'hard link':
        (directory / 'original').write_text('{}')
        os.link(str(directory / 'original'), str(target))
    elif make == 'fifo':
        os.mkfifo(str(target), 0o600)
    else:
        target.mkdir()
    opened = PrivateDirectory.open(str(directory))
    with pytest.raises(OSError) as caught:
        # Read and write, without blocking: a FIFO opened so does not wait for a writer.
        opened.open_file('target', os.O_RDONLY if make == 'directory' else os.O_RDWR | os.O_NONBLOCK)
    assert isinstance(caught.value, NotPrivate) or caught.value.errno in (errno.ELOOP, errno.EISDIR)


def test_a_subdirectory_is_made_private_and_one_others_can_enter_is_refused(tmp_path):
    directory = tmp_path / 'private'
    directory.mkdir(mode=0o700)
    opened = PrivateDirectory.open(str(directory))
    scope = opened.subdirectory('reads-a')
    assert stat.S_IMODE(os.stat(str(directory / 'reads-a')).st_mode) == 0o700 and scope.path.endswith('/reads-a')
    (directory / 'reads-b').mkdir(mode=0o755)
    assert opened.subdirectory('reads-b') is None
    assert opened.subdirectory('reads-c', create=False) is None


def test_a_file_refused_is_named_by_its_path_and_reason(tmp_path):
    directory = tmp_path / 'private'
    directory.mkdir(mode=0o700)
    (directory / 'original').write_text('{}')
    os.link(str(directory / 'original'), str(directory / 'linked'))
    with pytest.raises(NotPrivate) as caught:
        PrivateDirectory.open(str(directory)).open_file('linked', os.O_RDONLY)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        errno.EPERM, 'not a private regular file', str(directory / 'linked'))


@pytest.fixture
def link_to_an_old_file(tmp_path):
    """A private directory holding ``link``, a symbolic link to a file outside it last changed long ago."""
    directory = tmp_path / 'private'
    directory.mkdir(mode=0o700)
    target = tmp_path / 'target'
    target.write_text('x' * 100)
    os.utime(str(target), (1000000000, 1000000000))
    os.symlink(str(target), str(directory / 'link'))
    return PrivateDirectory.open(str(directory)), target


def test_status_describes_a_link_never_what_it_points_to(link_to_an_old_file):
    opened, _target = link_to_an_old_file
    assert stat.S_ISLNK(opened.status('link').st_mode)


def test_touch_changes_a_links_own_times_never_its_targets(link_to_an_old_file):
    opened, target = link_to_an_old_file
    opened.touch('link')
    assert os.stat(str(target)).st_mtime == 1000000000


def test_a_place_that_cannot_be_made_is_passed_over_for_the_next(tmp_path, home, monkeypatch):
    monkeypatch.setattr(private_directory, '_WARNED', set())
    runtime = tmp_path / 'run'
    runtime.write_text('a file where a directory was expected')
    warnings = []
    found = find({'XDG_RUNTIME_DIR': str(runtime)}, warnings)
    assert found.path == str(home / '.ansible' / 'tmp' / 'tencentcloud.cloud')
    assert warnings == ['a private directory could not be written (%s/tencentcloud.cloud: Not a directory): %s is used '
                        'instead; processes of the user that use the other one do not share its request budget and '
                        'reads' % (runtime, found.path)]


def test_a_place_others_can_enter_is_named_as_such(tmp_path, home, monkeypatch):
    monkeypatch.setattr(private_directory, '_WARNED', set())
    runtime = tmp_path / 'run'
    (runtime / 'tencentcloud.cloud').mkdir(parents=True)
    (runtime / 'tencentcloud.cloud').chmod(0o777)
    warnings = []
    find({'XDG_RUNTIME_DIR': str(runtime)}, warnings)
    assert warnings[0].startswith("a private directory could not be written (%s/tencentcloud.cloud: not a directory of "
                                  "this user's closed to others): " % runtime)


def test_a_subdirectory_is_never_reopened_and_a_directory_made_anew_open_to_others_never_held(tmp_path):
    path = tmp_path / 'private'
    path.mkdir(mode=0o700)
    opened = PrivateDirectory.open(str(path))
    scope = opened.subdirectory('scope', create=True)
    # Made anew, private: still never reopened (a subdirectory's holder is the parent's).
    (path / 'scope').rmdir()
    (path / 'scope').mkdir(mode=0o700)
    assert not scope.reopen_if_replaced()
    (path / 'scope').rmdir()
    path.rmdir()
    path.mkdir()
    path.chmod(0o777)
    assert not opened.reopen_if_replaced()


@pytest.fixture
def unwritable(monkeypatch):
    """Writes into the places named fail as on a full disk, whoever runs the test (root writes anywhere)."""
    places = []
    real_write = os.write

    def write(descriptor, data):
        if any(os.path.realpath('/proc/self/fd/%d' % descriptor).startswith(place) for place in places):
            raise OSError(errno.ENOSPC, 'No space left on device')
        return real_write(descriptor, data)
    monkeypatch.setattr(os, 'write', write)
    monkeypatch.setattr(private_directory, '_WARNED', set())
    return places


def test_a_directory_that_cannot_be_written_is_passed_over_for_the_next(tmp_path, home, unwritable):
    runtime = tmp_path / 'run'
    runtime.mkdir()
    unwritable.append(str(runtime))
    warnings = []
    found = find({'XDG_RUNTIME_DIR': str(runtime)}, warnings)
    find({'XDG_RUNTIME_DIR': str(runtime)}, warnings)
    assert found.path == str(home / '.ansible' / 'tmp' / 'tencentcloud.cloud')
    assert os.listdir(str(runtime / 'tencentcloud.cloud')) == []
    # Said once: processes of the user that can write the first place share nothing with this one.
    assert warnings == ['a private directory could not be written (%s/tencentcloud.cloud: No space left on device): '
                        '%s/.ansible/tmp/tencentcloud.cloud is used instead; processes of the user that use the other '
                        'one do not share its request budget and reads' % (runtime, home)]


def test_when_no_directory_can_be_written_it_is_said_once_naming_each_place(tmp_path, home, unwritable):
    runtime = tmp_path / 'run'
    runtime.mkdir()
    unwritable.extend([str(runtime), str(home)])
    warnings = []
    assert find({'XDG_RUNTIME_DIR': str(runtime)}, warnings) is None
    assert find({'XDG_RUNTIME_DIR': str(runtime)}, warnings) is None
    assert warnings == ['no private directory can be written (%s/tencentcloud.cloud: No space left on device; '
                        '%s/.ansible/tmp/tencentcloud.cloud: No space left on device): the request budget and reads '
                        'of this process are not shared with the other processes of the user, which may then be '
                        'throttled' % (runtime, home)]


def test_a_directory_made_anew_is_held_instead_of_the_one_removed(tmp_path):
    path = tmp_path / 'private'
    path.mkdir(mode=0o700)
    opened = PrivateDirectory.open(str(path))
    assert not opened.reopen_if_replaced()
    path.rmdir()
    assert not opened.reopen_if_replaced()
    path.mkdir(mode=0o700)
    assert opened.reopen_if_replaced()
    descriptor = opened.open_file('shared', os.O_WRONLY | os.O_CREAT)
    os.close(descriptor)
    assert os.listdir(str(path)) == ['shared']
