# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps every process and thread of one user on one host under an action's request rate, and adapts that rate.

Ansible runs one process per host and fork, and one poll runs its batches on threads, so an in-memory limiter would
see only a fraction of the traffic. The next free sending time lives in a small file in a directory private to the
user, updated under an exclusive lock.

The documented rate is the account's whole budget for the action, which other tools of the account (Terraform,
monitoring, other pipelines, other controllers of an AWX cluster) spend too. So the rate in that file adapts, for
every process at once, as TCP finds a path's capacity: it starts at three eighths of the documented rate and grows
fast until the service first says ``RequestLimitExceeded`` (slow start); a refusal lowers it to a fifth to two fifths
(once per burst: refusals of requests reserved before the last decrease say nothing new), and successes raise it again
by half a request a second per second, never above the documented rate; a minute after the last decrease it is
learnt again. Slots are reserved at most a second ahead, and a slot reserved at a rate given up since is taken again
at the new one, so that a change of rate takes effect at once. The decrease is jittered, so that controllers sharing
nothing but the account, each learning from its own refusals, do not back off and come back in step.

A controller can be shared with other users, so nothing about that file is trusted: the directory must be the user's
own and closed to others, the file a regular one of the user's with one link, opened without following links and
without blocking; a lock that stays taken, or a reservation far ahead, never holds a caller long. Whatever goes wrong,
requests are still spaced, within this process, and a task never fails because of the limiter.
"""

import collections
import errno
import fcntl
import hashlib
import math
import os
import random
import threading
from typing import Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import NotPrivate

# A reservation further ahead than this can only come from a clock that jumped back: start afresh.
_MAX_BACKLOG_SECONDS = 60.0
# How far ahead a slot is reserved at the most.
_HORIZON_SECONDS = 1.0
# The lock is held for a read and a write of a few bytes; this many tries, this far apart, is ample for honest users.
_LOCK_TRIES = 20
_LOCK_RETRY_SECONDS = 0.005
# Slow start, then additive increase and multiplicative decrease, as TCP finds a path's capacity. A schedule with
# nothing learnt starts at this share of the documented rate (15 of 40 requests a second) and grows by this much per
# success (e^4, about 55 times, a second at full use: a quarter of a second to the documented rate), so that
# controllers that know nothing of each other do not all open at the full rate. Both are a trade measured in
# docs/performance.md: a fresh controller's first large read against three controllers' throttled share.
_INITIAL_SHARE = 0.375
_SLOW_START_GAIN = 4.0
# Once refused: back off hard, by a factor drawn from this range (controllers backing off alike would come back
# alike), and creep back by this many requests a second per second of successes, so that the rate hovers under what
# is really left rather than oscillating around it. Measured in docs/performance.md (three controllers, one budget).
_DECREASE_FACTORS = (0.2, 0.4)
_INCREASE_PER_SECOND = 0.5
# Below this the wait between two requests of one fork would outlast a typical poll interval.
MIN_RATE = 1.0
# A rate lowered this long ago is forgotten: it was learnt in another run, and the budget may be back.
FORGET_SECONDS = 60.0
_FILE_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK

# The schedule of this process, for keys whose shared file is not usable: key -> Schedule.
_LOCAL_SCHEDULE = {}
_LOCAL_LOCK = threading.Lock()
# Every warning is given once per process: a lookup in a loop would otherwise repeat it for every item.
_WARNED = set()


class Schedule(collections.namedtuple('Schedule', ['next_free', 'rate', 'decreased_at'])):
    """The shared state of a key: the next free sending time, the current rate, when it was last lowered."""

    def encode(self):
        return ' '.join(repr(float(value)) for value in self).encode('ascii')


class RequestSpacer:
    """Spaces requests sharing ``key`` at least ``1 / rate`` seconds apart, ``rate`` adapting up to ``max_rate``.

    ``directory`` (a ``private_directory.PrivateDirectory``) is where the shared schedule lives (``None``: this process
    only); ``warnings`` collects what the user should hear about it.
    """

    def __init__(self, max_rate, key, directory, warnings=None, clock: Clock = SYSTEM_CLOCK,
                 rng=random.random):
        self._max_rate = float(max_rate)
        self._key = hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]
        self._directory = directory
        self._name = 'ratelimit-%s' % self._key
        self._warnings = warnings if warnings is not None else []
        self._clock = clock.wall
        self._sleep = clock.sleep
        self._rng = rng
        if directory is None:
            self._warn_once('no private directory for the shared request schedule (XDG_RUNTIME_DIR or '
                            '~/.ansible/tmp): this process spaces its own requests, other forks are not counted')

    def acquire(self, max_wait: Optional[float] = None) -> float:
        """Wait until this caller may send one request, but never longer than ``max_wait`` seconds.

        Returns when the slot was reserved, for ``throttled``. Slots are reserved at most ``_HORIZON_SECONDS`` ahead:
        a caller further back looks again later, rather than queue behind slots spaced at a rate that may have risen
        by then (fifty forks queued at 5 requests a second would hold the rate at 5 for ten seconds). A slot
        reserved at a rate lowered since is given up for one at the new rate.
        """
        reserved_at = None
        waited = 0.0
        while True:
            found = self._update(lambda schedule, now: self._slot(schedule, now, reserved_at))
            if found is not None:
                reserved_at, slot = found
            now = self._clock()
            if reserved_at is not None and slot <= now:
                return reserved_at
            # Without a slot, look again at a moment drawn in the horizon before the next free one: forks looking
            # at once would take turns on the lock for nothing.
            delay = max(0.0, slot - now - (_HORIZON_SECONDS * self._rng() if reserved_at is None else 0.0))
            if max_wait is not None and waited + delay >= max_wait:
                self._sleep(max(0.0, max_wait - waited))
                return self._clock() if reserved_at is None else reserved_at
            self._sleep(delay)
            waited += delay

    def throttled(self, reserved_at: float) -> None:
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

    def succeeded(self) -> None:
        """The service answered within its rate: raise the shared rate.

        Until the first refusal (slow start), by ``_SLOW_START_GAIN`` for each success, which multiplies the rate by
        e^gain a second; after, by one request a second for every second of successes.
        """
        def raised(schedule, now):
            gain = _SLOW_START_GAIN if schedule.decreased_at == 0 else _INCREASE_PER_SECOND / schedule.rate
            return schedule._replace(rate=min(self._max_rate, schedule.rate + gain)), None
        self._update(raised)

    @property
    def rate(self) -> float:
        """The rate requests are spaced at now, shared with every process of the user."""
        return self._update(lambda schedule, now: (schedule, schedule.rate))

    @staticmethod
    def _slot(schedule, now, reserved_at):
        """``(now, slot)`` reserved; ``(None, next free slot)`` where none is free within the horizon; ``None`` where
        the slot reserved at ``reserved_at`` still holds (the rate was not lowered since)."""
        if reserved_at is not None and reserved_at > schedule.decreased_at:
            return schedule, None
        slot = max(now, schedule.next_free)
        if slot - now > _HORIZON_SECONDS:
            return schedule, (None, slot)
        return schedule._replace(next_free=slot + 1.0 / schedule.rate), (now, slot)

    def _update(self, change):
        """Apply ``change(schedule, now) -> (new schedule, result)`` under the lock; return the result."""
        if self._directory is not None:
            path = os.path.join(self._directory.path, self._name)
            try:
                return self._update_shared(change)
            except NotPrivate:
                self._warn_once('%s is not a regular file of this user\'s: not used; this process spaces its own '
                                'requests' % path)
            except OSError as error:
                self._warn_once('the shared request schedule %s cannot be used (%s): this process spaces its own '
                                'requests' % (path, error.strerror or type(error).__name__))
        return self._update_local(change)

    def _update_shared(self, change):
        descriptor = self._directory.open_file(self._name, _FILE_FLAGS)
        try:
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
        initial = self._max_rate * _INITIAL_SHARE
        if rate is None or not MIN_RATE <= rate <= self._max_rate:
            rate, decreased_at = initial, 0.0
        elif decreased_at and now - decreased_at > FORGET_SECONDS:
            rate, decreased_at = max(rate, initial), 0.0
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
