# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps every process and thread of one user on one host under an action's request rate, and adapts that rate.

Ansible runs one process per host and fork, and one poll runs its batches on threads, so an in-memory limiter would
see only a fraction of the traffic. The next free sending time lives in a small file in a directory private to the
user, updated under an exclusive lock.

The documented rate is the account's whole budget for the action, which other tools of the account (Terraform,
monitoring, other pipelines, other controllers of an AWX cluster) spend too. So the rate in that file adapts, for
every process at once, as TCP finds a path's capacity: it starts at half the documented rate and grows fast until
the service first says ``RequestLimitExceeded`` (slow start). Where refusals are more than a fifth of the answers of
the last second, the rate goes down to a half to seven tenths of what the service accepted in that second, once per
burst (refusals of requests sent just after a decrease say nothing new); a stray refusal among many answers lowers
nothing. Successes raise the rate again by half a request a second per second, never above the documented rate; a
minute after the last decrease it is learnt again. Slots are reserved at most a second ahead, and a slot reserved at a rate given up since is taken again
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
from typing import Dict, List, Optional, Set

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import NotPrivate

# A reservation further ahead than this can only come from another clock (a schedule written by an older version,
# or before the host booted again): start afresh.
_MAX_BACKLOG_SECONDS = 60.0
# How far ahead a slot is reserved at the most.
_HORIZON_SECONDS = 1.0
# During slow start only a moment ahead: the rate grows with every answer, and slots reserved a second ahead would
# keep the rate it started at (half a second lost on a fresh controller's first large read).
_SLOW_START_HORIZON_SECONDS = 0.1
# The lock is held for a read and a write of a few bytes; this many tries, this far apart (a second in all), is ample
# even for forty processes at once (a tenth of a second was not: some then spaced their own requests, and said so).
_LOCK_TRIES = 200
_LOCK_RETRY_SECONDS = 0.005
# Slow start, then additive increase and multiplicative decrease, as TCP finds a path's capacity. A schedule with
# nothing learnt starts at this share of the documented rate (20 of 40 requests a second) and grows by this much per
# success (e^6 a second at full use: a tenth of a second to the documented rate), so that controllers that know
# nothing of each other do not all open at the full rate. Both are a trade measured in docs/performance.md: a fresh
# controller's first large read against three controllers' throttled share.
_INITIAL_SHARE = 0.5
_SLOW_START_GAIN = 6.0
# Once refused: back off from what was accepted by a factor drawn from this range (controllers backing off alike
# would come back alike), and creep back by this many requests a second per second of successes, so that the rate
# hovers under what is really left rather than oscillating around it. Measured in docs/performance.md.
_DECREASE_FACTORS = (0.5, 0.7)
_INCREASE_PER_SECOND = 0.5
# What the service accepted and refused lately is counted as rates averaged over about this long. A refusal lowers
# the rate only when refusals are more than this share of the answers: the service also refuses, now and then, when
# the account's budget is spent elsewhere for a moment, and backing off for each such refusal would halve and halve
# again a rate that the budget does hold. And it lowers it from what the service accepted, not from the rate sent at:
# the first refusal comes back when slow start has already grown the rate well past the budget.
_COUNTED_SECONDS = 1.0
_CONGESTED_SHARE = 0.2
# Fewer answers than this a second say nothing of the budget (a refusal after a quiet while): the rate sent at is
# lowered, as without counts.
_FEW_ANSWERS = 2.0
# Refusals of requests sent this soon after a decrease are of the same burst: the service counted them with the ones
# before, and the answers that lowered the rate had not all come back yet.
_BURST_SECONDS = 0.3
# Below this the wait between two requests of one fork would outlast a typical poll interval.
MIN_RATE = 1.0
# A rate lowered this long ago is forgotten: it was learnt in another run, and the budget may be back.
FORGET_SECONDS = 60.0
_FILE_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK

# The schedule of this process, for keys whose shared file is not usable: key -> Schedule.
_LOCAL_SCHEDULE: Dict[str, 'Schedule'] = {}
_LOCAL_LOCK = threading.Lock()
# Every warning is given once per process: a lookup in a loop would otherwise repeat it for every item.
_WARNED: Set[str] = set()


class Schedule(collections.namedtuple('Schedule', ['next_free', 'rate', 'decreased_at', 'accepted', 'refused',
                                                   'counted_at'], defaults=(0.0, 0.0, 0.0))):
    """The shared state of a key: the next free sending time, the current rate, when it was last lowered; the answers
    accepted and refused for their rate lately, as sums decaying over ``_COUNTED_SECONDS``, and when they were last
    added to."""

    def encode(self):
        return ' '.join(repr(float(value)) for value in self).encode('ascii')

    def counted(self, now, accepted=0.0, refused=0.0):
        """This schedule with one answer more counted."""
        decay = self._decay(now)
        return self._replace(accepted=self.accepted * decay + accepted, refused=self.refused * decay + refused,
                             counted_at=now)

    def per_second(self, now):
        """``(accepted, refused)`` answers a second lately. Less than that in the first second of a schedule: a
        decrease that ends slow start then lowers the rate below what the budget may hold rather than above it."""
        decay = self._decay(now) / _COUNTED_SECONDS
        return self.accepted * decay, self.refused * decay

    def _decay(self, now):
        return math.exp(-max(0.0, now - self.counted_at) / _COUNTED_SECONDS)


class RequestSpacer:
    """Spaces requests sharing ``key`` at least ``1 / rate`` seconds apart, ``rate`` adapting up to ``max_rate``.

    ``directory`` (a ``private_directory.PrivateDirectory``) is where the shared schedule lives (``None``: this process
    only); ``warnings`` collects what the user should hear about it.
    """

    def __init__(self, max_rate, key, directory, warnings: List[str], clock: Clock = SYSTEM_CLOCK,
                 rng=random.random):
        self._max_rate = float(max_rate)
        self._key = hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]
        self._directory = directory
        self._name = 'ratelimit-%s' % self._key
        self._warnings = warnings
        # The host's monotonic clock, the same in every process and never stepped: a wall clock set back would stall
        # every caller of the schedule, one set forward would let them all through.
        self._clock = clock.monotonic
        self._sleep = clock.sleep
        self._rng = rng

    def acquire(self, max_wait: Optional[float] = None) -> float:
        """Wait until this caller may send one request, but never longer than ``max_wait`` seconds.

        Returns the moment the request may go out, for ``throttled``. Slots are reserved at most ``_HORIZON_SECONDS`` ahead:
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
                return now
            delay = max(0.0, slot - now)
            if max_wait is not None and waited + delay >= max_wait:
                self._sleep(max(0.0, max_wait - waited))
                return self._clock()
            self._sleep(delay)
            waited += delay

    def throttled(self, sent_at: float) -> None:
        """The service refused a request sent at ``sent_at`` (as ``acquire`` said) for its rate: lower the shared rate
        where refusals are more than a few of the answers lately.

        The rate goes down to a share of what the service accepted lately, once per burst: requests sent within
        ``_BURST_SECONDS`` of the last decrease were counted by the service with those before it. The slots reserved
        at the old rate are given up: their holders take new ones.
        """
        factor = _DECREASE_FACTORS[0] + (_DECREASE_FACTORS[1] - _DECREASE_FACTORS[0]) * self._rng()

        def lowered(schedule, now):
            schedule = schedule.counted(now, refused=1.0)
            accepted, refused = schedule.per_second(now)
            if sent_at <= schedule.decreased_at + _BURST_SECONDS:
                return schedule, None
            base = schedule.rate
            if accepted + refused >= _FEW_ANSWERS:
                if refused <= _CONGESTED_SHARE * (accepted + refused):
                    return schedule, None
                base = min(base, accepted)
            rate = max(MIN_RATE, base * factor)
            return schedule._replace(next_free=now + 1.0 / rate, rate=rate, decreased_at=now), None
        self._update(lowered)

    def succeeded(self) -> None:
        """The service answered within its rate: raise the shared rate.

        Until the first refusal (slow start), by ``_SLOW_START_GAIN`` for each success, which multiplies the rate by
        e^gain a second; after, by one request a second for every second of successes.
        """
        def raised(schedule, now):
            gain = _SLOW_START_GAIN if schedule.decreased_at == 0 else _INCREASE_PER_SECOND / schedule.rate
            return schedule.counted(now, accepted=1.0)._replace(rate=min(self._max_rate, schedule.rate + gain)), None
        self._update(raised)

    @property
    def rate(self) -> float:
        """The rate requests are spaced at now, shared with every process of the user."""
        return self._update(lambda schedule, now: (schedule, schedule.rate))

    def _slot(self, schedule, now, reserved_at):
        """``(now, slot)`` reserved; ``(None, when to look again)`` where none is free within the horizon; ``None``
        where the slot reserved at ``reserved_at`` still holds (the rate was not lowered since).

        Without a slot, a caller looks again at a moment drawn in the horizon before the next free one: forks looking
        at once would take turns on the lock for nothing."""
        if reserved_at is not None and reserved_at > schedule.decreased_at:
            return schedule, None
        slot = max(now, schedule.next_free)
        horizon = _horizon(schedule)
        if slot - now > horizon:
            return schedule, (None, slot - horizon * self._rng())
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
        fields = (raw or b'').split()[:len(Schedule._fields)]
        values = [_number(field) for field in fields] + [None] * (len(Schedule._fields) - len(fields))
        next_free, rate, decreased_at, accepted, refused, counted_at = values
        if next_free is None or not next_free - now <= _MAX_BACKLOG_SECONDS:
            next_free = now
        if decreased_at is None or not decreased_at <= now:
            decreased_at = 0.0
        initial = self._max_rate * _INITIAL_SHARE
        if rate is None or not MIN_RATE <= rate <= self._max_rate:
            rate, decreased_at = initial, 0.0
        elif decreased_at and now - decreased_at > FORGET_SECONDS:
            rate, decreased_at = max(rate, initial), 0.0
        counts = (accepted, refused, counted_at)
        if None in counts or not (0 <= accepted <= 2 * self._max_rate and 0 <= refused <= 2 * self._max_rate
                                  and counted_at <= now):
            counts = (0.0, 0.0, 0.0)
        return Schedule(next_free, rate, decreased_at, *counts)

    def _warn_once(self, message):
        with _LOCAL_LOCK:
            if message in _WARNED:
                return
            _WARNED.add(message)
        self._warnings.append(message)


def _horizon(schedule):
    return _SLOW_START_HORIZON_SECONDS if schedule.decreased_at == 0 else _HORIZON_SECONDS


def _number(raw):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
