# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps every process and thread of one user on one host under an action's request rate, and adapts that rate.

Ansible runs one process per host and fork, and one poll runs its batches on threads, so an in-memory limiter would
see only a fraction of the traffic. The next free sending time lives in a small file in a directory private to the
user, updated under an exclusive lock.

The documented rate is the account's whole budget for the action, which other tools of the account (Terraform,
monitoring, other pipelines, other controllers of an AWX cluster) spend too. So the rate in that file adapts, for
every process at once, as TCP's congestion window does: about halved when the service says ``RequestLimitExceeded``
(once per burst: refusals of requests reserved before the last decrease say nothing new), raised by one request per
second for every second of successes, never above the documented rate, and back at it a minute after the last
decrease. Requests still waiting for a slot reserved at a rate given up since take a new slot at the new rate. The
decrease is jittered, so that controllers sharing nothing but the account, each learning from its own refusals, do
not back off and come back in step: they converge on shares of the budget.

A controller can be shared with other users, so nothing about that file is trusted: the directory must be the user's
own and closed to others, the file a regular one of the user's with one link, opened without following links and
without blocking; a lock that stays taken, or a reservation far ahead, never holds a caller long. Whatever goes wrong,
requests are still spaced, within this process, and a task never fails because of the limiter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import errno
import fcntl
import hashlib
import math
import os
import random
import stat
import threading
import time

# A reservation further ahead than this can only come from a clock that jumped back: start afresh.
_MAX_BACKLOG_SECONDS = 60.0
# The lock is held for a read and a write of a few bytes; this many tries, this far apart, is ample for honest users.
_LOCK_TRIES = 20
_LOCK_RETRY_SECONDS = 0.005
_DIRECTORY_NAME = 'tencentcloud.cloud'
# Additive increase, multiplicative decrease: back off fast when the budget is spent elsewhere, creep back slowly so
# that the rate hovers under what is really left rather than oscillating around it. The factor is drawn from this
# range at each decrease.
_DECREASE_FACTORS = (0.4, 0.6)
# Requests per second gained per second of successes at the current rate (each success adds this over the rate).
_INCREASE_PER_SECOND = 1.0
# Below this the wait between two requests of one fork would outlast a typical poll interval.
MIN_RATE = 1.0
# A rate lowered this long ago is forgotten: it was learnt in another run, and the budget may be back.
FORGET_SECONDS = 60.0
_FILE_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0)

# The schedule of this process, for keys whose shared file is not usable: key -> Schedule.
_LOCAL_SCHEDULE = {}
_LOCAL_LOCK = threading.Lock()
# Every warning is given once per process: a lookup in a loop would otherwise repeat it for every item.
_WARNED = set()


class UnsafeFile(OSError):
    """The schedule file is not a regular file of this user's with a single link."""


def private_directory(environ):
    """A directory only this user can use (created 0700 if absent), or ``None`` when there is none to be had."""
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


class Schedule(collections.namedtuple('Schedule', ['next_free', 'rate', 'decreased_at'])):
    """The shared state of a key: the next free sending time, the current rate, when it was last lowered."""

    def encode(self):
        return ' '.join(repr(float(value)) for value in self).encode('ascii')


class RequestSpacer:
    """Spaces requests sharing ``key`` at least ``1 / rate`` seconds apart, ``rate`` adapting up to ``max_rate``.

    ``directory`` is where the shared schedule lives (``None``: this process only); ``warnings`` collects what the
    user should hear about it.
    """

    def __init__(self, max_rate, key, directory, warnings=None, clock=time.time, sleep=time.sleep, rng=random.random):
        self._max_rate = float(max_rate)
        self._key = hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]
        self._path = os.path.join(directory, 'ratelimit-%s' % self._key) if directory else None
        self._warnings = warnings if warnings is not None else []
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        if directory is None:
            self._warn_once('no private directory for the shared request schedule (XDG_RUNTIME_DIR or '
                            '~/.ansible/tmp): this process spaces its own requests, other forks are not counted')

    def acquire(self, max_wait=None):
        """Wait until this caller may send one request, but never longer than ``max_wait`` seconds.

        Returns when the slot was reserved, for ``throttled``.
        """
        reserved_at, slot = self._update(self._reserved)
        waited = 0.0
        while True:
            delay = slot - self._clock()
            if max_wait is not None:
                delay = min(delay, max_wait - waited)
            if delay <= 0:
                return reserved_at
            self._sleep(delay)
            waited += delay
            renewed = self._update(lambda schedule, now: self._renewed(schedule, now, reserved_at))
            if renewed is None:
                return reserved_at
            reserved_at, slot = renewed

    def throttled(self, reserved_at):
        """The service refused a request reserved at ``reserved_at`` for its rate: lower the shared rate.

        Requests reserved before the last decrease were sent at a rate already given up; their refusals say nothing
        new. The slots reserved at the old rate are given up too: their holders take new ones.
        """
        factor = _DECREASE_FACTORS[0] + (_DECREASE_FACTORS[1] - _DECREASE_FACTORS[0]) * self._rng()

        def lowered(schedule, now):
            if reserved_at <= schedule.decreased_at:
                return schedule, None
            rate = max(MIN_RATE, schedule.rate * factor)
            return Schedule(next_free=now + 1.0 / rate, rate=rate, decreased_at=now), None
        self._update(lowered)

    def succeeded(self):
        """The service answered within its rate: raise the shared rate, by one request a second per second."""
        def raised(schedule, now):
            rate = min(self._max_rate, schedule.rate + _INCREASE_PER_SECOND / schedule.rate)
            return schedule._replace(rate=rate), None
        self._update(raised)

    @property
    def rate(self):
        """The rate requests are spaced at now, shared with every process of the user."""
        return self._update(lambda schedule, now: (schedule, schedule.rate))

    @staticmethod
    def _reserved(schedule, now):
        slot = max(now, schedule.next_free)
        return schedule._replace(next_free=slot + 1.0 / schedule.rate), (now, slot)

    def _renewed(self, schedule, now, reserved_at):
        """A new slot where the rate was lowered since ``reserved_at``; ``None`` where the old one still holds."""
        if reserved_at > schedule.decreased_at:
            return schedule, None
        return self._reserved(schedule, now)

    def _update(self, change):
        """Apply ``change(schedule, now) -> (new schedule, result)`` under the lock; return the result."""
        if self._path is not None:
            try:
                return self._update_shared(change)
            except UnsafeFile:
                self._warn_once('%s is not a regular file of this user\'s: not used; this process spaces its own '
                                'requests' % self._path)
            except OSError as error:
                self._warn_once('the shared request schedule %s cannot be used (%s): this process spaces its own '
                                'requests' % (self._path, error.strerror or type(error).__name__))
        return self._update_local(change)

    def _update_shared(self, change):
        descriptor = os.open(self._path, _FILE_FLAGS, 0o600)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink != 1:
                raise UnsafeFile(errno.EPERM, 'not a private regular file')
            self._lock(descriptor)
            now = self._clock()
            schedule, result = change(self._parse(os.read(descriptor, 128), now), now)
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.ftruncate(descriptor, 0)
            os.write(descriptor, schedule.encode())
            return result
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

    def _update_local(self, change):
        with _LOCAL_LOCK:
            now = self._clock()
            schedule, result = change(_LOCAL_SCHEDULE.get(self._key) or self._parse(None, now), now)
            _LOCAL_SCHEDULE[self._key] = schedule
            return result

    def _parse(self, raw, now):
        """The schedule a file holds; whatever part of it is unreadable or out of bounds starts afresh."""
        fields = (raw or b'').split()
        values = [_number(field) for field in fields[:3]] + [None] * (3 - len(fields[:3]))
        next_free, rate, decreased_at = values
        if next_free is None or not next_free - now <= _MAX_BACKLOG_SECONDS:
            next_free = now
        if decreased_at is None or not decreased_at <= now:
            decreased_at = 0.0
        if rate is None or not MIN_RATE <= rate <= self._max_rate or now - decreased_at > FORGET_SECONDS:
            rate = self._max_rate
        return Schedule(next_free, rate, decreased_at)

    def _warn_once(self, message):
        with _LOCAL_LOCK:
            if message in _WARNED:
                return
            _WARNED.add(message)
        self._warnings.append(message)


def _number(raw):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
