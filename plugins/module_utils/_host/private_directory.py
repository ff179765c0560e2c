# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A directory only this user can use, where the processes of one user on one host share a request rate and reads.

A controller can be shared with other users. A directory checked by its path can be swapped for another after the
check, where a parent is writable by others (``XDG_RUNTIME_DIR`` without the sticky bit); so the directory is opened
once, without following a link, checked on its descriptor (a directory, the user's own, closed to others), and every
file in it is reached through that descriptor, never through the path again. Files are regular files of the user's
with one link, created 0600 and never opened through a link.
"""

import errno
import os
import stat
import threading
from typing import List, Mapping, Optional

DIRECTORY_NAME = 'tencentcloud.cloud'
_CLOEXEC = getattr(os, 'O_CLOEXEC', 0)
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_FILE_FLAGS = os.O_NOFOLLOW | _CLOEXEC
# What find() could not use is said once per process: a lookup in a loop would otherwise say it for every item.
_WARNED = set()
_WARNED_LOCK = threading.Lock()


class NotPrivate(OSError):
    """A file that is not a regular file of this user's with a single link."""


def find(environ: Mapping[str, str], warnings: Optional[List[str]] = None) -> Optional['PrivateDirectory']:
    """The user's ``PrivateDirectory`` (made 0700 where absent) that a file can be written to: in
    ``XDG_RUNTIME_DIR``, else under ``~/.ansible/tmp``; ``None`` when neither is to be had, which ``warnings`` hears
    (once a process), with each place tried and why it could not be used."""
    candidates = []
    if environ.get('XDG_RUNTIME_DIR'):
        candidates.append(os.path.join(environ['XDG_RUNTIME_DIR'], DIRECTORY_NAME))
    candidates.append(os.path.join(os.path.expanduser('~'), '.ansible', 'tmp', DIRECTORY_NAME))
    refused = []
    for path in candidates:
        try:
            os.makedirs(path, mode=0o700)
        except OSError as error:
            if error.errno != errno.EEXIST:
                refused.append('%s: %s' % (path, error.strerror or error))
                continue
        found = PrivateDirectory.open(path)
        if found is None:
            refused.append('%s: not a directory of this user\'s closed to others' % path)
            continue
        problem = found.write_problem()
        if problem is None:
            if refused:
                _warn_once(warnings, 'a private directory could not be written (%s): %s is used instead; processes '
                                     'of the user that use the other one do not share its request budget and reads'
                           % ('; '.join(refused), path))
            return found
        found.close()
        refused.append('%s: %s' % (path, problem))
    _warn_once(warnings, 'no private directory can be written (%s): the request budget and reads of this process are '
                         'not shared with the other processes of the user, which may then be throttled'
               % '; '.join(refused))
    return None


def _warn_once(warnings, message):
    with _WARNED_LOCK:
        if message in _WARNED:
            return
        _WARNED.add(message)
    if warnings is not None:
        warnings.append(message)


class PrivateDirectory:
    """An open directory of this user's, closed to others; ``path`` only names it in messages."""

    def __init__(self, descriptor, path, parent=None):
        self._descriptor = descriptor
        self.path = path
        self._parent = parent
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str, parent: Optional['PrivateDirectory'] = None) -> Optional['PrivateDirectory']:
        """The directory ``path`` (a name in ``parent``, when given), or ``None`` unless it is private."""
        try:
            descriptor = os.open(path, _DIRECTORY_FLAGS, dir_fd=None if parent is None else parent._descriptor)
        except OSError:
            return None
        info = os.fstat(descriptor)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            os.close(descriptor)
            return None
        return cls(descriptor, path if parent is None else os.path.join(parent.path, path), parent)

    def subdirectory(self, name: str, create: bool = True) -> Optional['PrivateDirectory']:
        """The private directory ``name`` in this one (made 0700 where absent and ``create``), or ``None``."""
        if create:
            try:
                os.mkdir(name, 0o700, dir_fd=self._descriptor)
            except OSError as error:
                if error.errno != errno.EEXIST:
                    return None
        return PrivateDirectory.open(name, parent=self)

    def open_file(self, name: str, flags: int) -> int:
        """A descriptor of the file ``name``; ``NotPrivate`` unless it is a regular file of this user's with one
        link. Without ``os.O_NONBLOCK`` in ``flags``, a FIFO planted there would block the open."""
        descriptor = os.open(name, flags | _FILE_FLAGS, 0o600, dir_fd=self._descriptor)
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink != 1:
            os.close(descriptor)
            raise NotPrivate(errno.EPERM, 'not a private regular file', os.path.join(self.path, name))
        return descriptor

    def write_problem(self) -> Optional[str]:
        """Why a file cannot be written here (a full disk, a read-only file system, an immutable directory), or
        ``None``: a byte is written to a file of its own and the file removed."""
        probe = '.probe-%d' % os.getpid()
        try:
            descriptor = self.open_file(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            try:
                os.write(descriptor, b'x')
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as error:
            return error.strerror or str(error)
        finally:
            self.remove(probe)
        return None

    def reopen_if_replaced(self) -> bool:
        """Whether the directory at ``path`` is no longer the one held open (removed, or made anew since, as a
        long-running process may see); if so, and the one there now is private, it is held instead. Other processes
        reach only the one at ``path``: one held after it is gone shares with nobody."""
        if self._parent is not None:
            return False
        try:
            there = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return False
        held = os.fstat(self._descriptor)
        if (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino):
            return False
        now = PrivateDirectory.open(self.path)
        if now is None:
            return False
        with self._lock:
            old, self._descriptor = self._descriptor, now._descriptor
        os.close(old)
        return True

    def names(self) -> List[str]:
        return os.listdir(self._descriptor)

    def exists(self, name: str) -> bool:
        try:
            self.status(name)
        except OSError:
            return False
        return True

    def status(self, name: str) -> os.stat_result:
        """``os.lstat`` of ``name``: a link is described, never followed."""
        return os.stat(name, dir_fd=self._descriptor, follow_symlinks=False)

    def rename(self, source: str, destination: str) -> None:
        os.rename(source, destination, src_dir_fd=self._descriptor, dst_dir_fd=self._descriptor)

    def touch(self, name: str) -> None:
        """Set the times of ``name`` to now (a link's own, were it one)."""
        os.utime(name, None, dir_fd=self._descriptor, follow_symlinks=False)

    def remove(self, name: str) -> None:
        """Remove the file ``name``, if it is there to remove."""
        try:
            os.unlink(name, dir_fd=self._descriptor)
        except OSError:
            pass

    def remove_directory(self, name: str) -> None:
        os.rmdir(name, dir_fd=self._descriptor)

    def close(self) -> None:
        os.close(self._descriptor)
