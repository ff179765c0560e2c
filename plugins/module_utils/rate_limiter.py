# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps every process and thread of one user on one host under an action's request rate.

Ansible runs one process per host and fork, and one poll runs its batches on threads, so an in-memory limiter would
see only a fraction of the traffic. The next free sending time lives in a small file in a directory private to the
user, updated under an exclusive lock.

A controller can be shared with other users, so nothing about that file is trusted: the directory must be the user's
own and closed to others, the file a regular one of the user's with one link, opened without following links and
without blocking; a lock that stays taken, or a reservation far ahead, never holds a caller long. Whatever goes wrong,
requests are still spaced, within this process, and a task never fails because of the limiter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import hashlib
import os
import stat
import threading
import time

# A reservation further ahead than this can only come from a clock that jumped back: start afresh.
_MAX_BACKLOG_SECONDS = 60.0
# The lock is held for a read and a write of a few bytes; this many tries, this far apart, is ample for honest users.
_LOCK_TRIES = 20
_LOCK_RETRY_SECONDS = 0.005
_DIRECTORY_NAME = 'tencentcloud.cloud'
_FILE_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0)

# The schedule of this process, for keys whose shared file is not usable: key -> next free sending time.
_LOCAL_SCHEDULE = {}
_LOCAL_LOCK = threading.Lock()
# Every warning is given once per process: a lookup in a loop would otherwise repeat it for every item.
_WARNED = set()


class UnsafeFile(OSError):
    """The schedule file is not a regular file of this user's with a single link."""


def private_directory(environ=None):
    """A directory only this user can use (created 0700 if absent), or ``None`` when there is none to be had."""
    environ = os.environ if environ is None else environ
    candidates = []
    if environ.get('XDG_RUNTIME_DIR'):
        candidates.append(os.path.join(environ['XDG_RUNTIME_DIR'], _DIRECTORY_NAME))
    candidates.append(os.path.join(os.path.expanduser('~'), '.ansible', 'tmp', _DIRECTORY_NAME))
    for path in candidates:
        if _is_private(path):
            return path
    return None


def _is_private(path):
    try:
        os.makedirs(path, mode=0o700)
    except OSError as error:
        if error.errno != errno.EEXIST:
            return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077


class RequestSpacer:
    """Spaces requests sharing ``key`` at least ``1 / rate`` seconds apart.

    ``directory`` is where the shared schedule lives (``None``: this process only); ``warnings`` collects what the
    user should hear about it.
    """

    def __init__(self, rate, key, directory, warnings=None, clock=time.time, sleep=time.sleep):
        self._interval = 1.0 / rate
        self._key = hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]
        self._path = os.path.join(directory, 'ratelimit-%s' % self._key) if directory else None
        self._warnings = warnings if warnings is not None else []
        self._clock = clock
        self._sleep = sleep
        if directory is None:
            self._warn_once('no private directory for the shared request schedule (XDG_RUNTIME_DIR or '
                            '~/.ansible/tmp): this process spaces its own requests, other forks are not counted')

    def acquire(self, max_wait=None):
        """Wait until this caller may send one request, but never longer than ``max_wait`` seconds."""
        delay = self._reserve() - self._clock()
        if max_wait is not None:
            delay = min(delay, max_wait)
        if delay > 0:
            self._sleep(delay)

    def _reserve(self):
        if self._path is not None:
            try:
                return self._reserve_shared()
            except UnsafeFile:
                self._warn_once('%s is not a regular file of this user\'s: not used; this process spaces its own '
                                'requests' % self._path)
            except OSError as error:
                self._warn_once('the shared request schedule %s cannot be used (%s): this process spaces its own '
                                'requests' % (self._path, error.strerror or type(error).__name__))
        return self._reserve_local()

    def _reserve_shared(self):
        descriptor = os.open(self._path, _FILE_FLAGS, 0o600)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink != 1:
                raise UnsafeFile(errno.EPERM, 'not a private regular file')
            self._lock(descriptor)
            now = self._clock()
            slot = max(now, _parse_time(os.read(descriptor, 64), now))
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.ftruncate(descriptor, 0)
            os.write(descriptor, repr(slot + self._interval).encode('ascii'))
            return slot
        finally:
            os.close(descriptor)

    def _lock(self, descriptor):
        for _try in range(_LOCK_TRIES):
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                self._sleep(_LOCK_RETRY_SECONDS)
        raise OSError(errno.EWOULDBLOCK, 'its lock stayed taken')

    def _reserve_local(self):
        with _LOCAL_LOCK:
            now = self._clock()
            slot = max(now, _parse_time(_LOCAL_SCHEDULE.get(self._key), now))
            _LOCAL_SCHEDULE[self._key] = slot + self._interval
            return slot

    def _warn_once(self, message):
        with _LOCAL_LOCK:
            if message in _WARNED:
                return
            _WARNED.add(message)
        self._warnings.append(message)


def _parse_time(raw, now):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return now
    return now if not value - now <= _MAX_BACKLOG_SECONDS else value
