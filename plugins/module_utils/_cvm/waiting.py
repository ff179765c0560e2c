# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling until every instance is in a target state, and failing early when one never will be."""

import collections
import dataclasses
from typing import Callable, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock

NOT_FOUND = 'not found'


@dataclasses.dataclass(frozen=True)
class WaitSettings:
    """Wait until every instance is in one of ``targets``; fail as soon as one is in ``fail_states`` (those also in
    ``targets`` excepted) or after ``timeout`` seconds; poll every ``interval`` seconds."""

    targets: Tuple[str, ...]
    fail_states: Tuple[str, ...]
    timeout: float
    interval: float
    # Seconds an ID the API does not list may stay unlisted (a new instance takes a moment to be listed) before the
    # wait fails on it, or with ``ignore_missing`` stops waiting for it; ``None``: waited for like any other.
    missing_grace: Optional[float] = None
    ignore_missing: bool = False


WaitOutcome = collections.namedtuple('WaitOutcome', ['snapshot', 'elapsed', 'polls'])


class WaitFailed(Exception):
    """Waiting ended without success; carries the last poll so callers can still report every state, and the
    failed operations that ended it, if any."""

    def __init__(self, message, snapshot, elapsed, polls, failed_operations=(), not_listed=()):
        super().__init__(message)
        self.message = message
        self.snapshot = snapshot
        self.elapsed = elapsed
        self.polls = polls
        self.failed_operations = list(failed_operations)
        # The IDs still not listed once the grace was over, when that ended the wait.
        self.not_listed = list(not_listed)


def wait_for_states(read: Callable, settings: WaitSettings, clock: Clock, failed_operations: Optional[Callable] = None,
                    aligned: Optional[Callable[[], bool]] = None) -> 'WaitOutcome':
    """Poll ``read()`` (which returns a ``Snapshot``) until every instance is in ``settings.targets``.

    Raises ``WaitFailed`` as soon as an instance enters one of the fail states,
    as soon as ``failed_operations([(lagging ID, state)])`` describes an operation that failed or leads away from the
    targets (``FailedOperation``s, when given), or once
    ``timeout`` seconds have passed. A missing instance is not yet in a target state: a new one can take a
    moment to appear; after ``missing_grace`` seconds it fails the wait (or is no longer waited for, with
    ``ignore_missing``). The last poll happens at the deadline, never after it.

    While ``aligned()`` says so, polls fall on the multiples of ``interval`` on the host's monotonic clock (the same
    in every process): waits with the same interval in other processes then poll at the same moments, and shared
    reads answer them with one call. Polls are never further apart than ``interval``.
    """
    targets, timeout, interval = settings.targets, settings.timeout, settings.interval
    fatal = set(settings.fail_states) - set(targets)
    start = clock.monotonic()
    deadline = start + timeout
    polls = 0
    while True:
        snapshot = read()
        polls += 1
        failed = [(i, s) for i, s in snapshot.states.items() if s in fatal]
        if failed:
            raise WaitFailed('instances entered a state that cannot reach %s: %s' % (_or(targets), _describe(failed)),
                             snapshot, clock.monotonic() - start, polls)
        overdue = _overdue(snapshot, settings, clock.monotonic() - start)
        if overdue and not settings.ignore_missing:
            raise WaitFailed('not listed after %gs: %s' % (settings.missing_grace or 0, ', '.join(overdue)), snapshot,
                             clock.monotonic() - start, polls, not_listed=overdue)
        laggards = _laggards(snapshot, targets, set(overdue))
        lagging = [(i, s) for i, s in laggards if s != NOT_FOUND]
        failures = failed_operations(lagging) if failed_operations and lagging else []
        if failures:
            raise WaitFailed(failures_message(failures, targets), snapshot, clock.monotonic() - start, polls,
                             failures)
        now = clock.monotonic()
        if not laggards:
            return WaitOutcome(snapshot, now - start, polls)
        if now >= deadline:
            raise WaitFailed('timed out after %gs waiting for %s: %s' % (timeout, _or(targets), _describe(laggards)),
                             snapshot, now - start, polls)
        clock.sleep(min(_until_next_poll(now, interval, aligned is not None and aligned()), deadline - now))


def failures_message(failures, targets):
    """What operations ended the wait: another caller's that lead away from the targets, else those that failed."""
    reversals = [failure for failure in failures if failure.reversal]
    if reversals:
        return ('another caller\'s operation leads away from %s, so it will not come: %s'
                % (_or(targets), '; '.join(map(str, reversals))))
    return 'the latest operation failed during the wait, so %s will not come: %s' % (
        _or(targets), '; '.join(map(str, failures)))


def _until_next_poll(now, interval, aligned):
    return interval - now % interval if aligned else interval


def _overdue(snapshot, settings, elapsed):
    """The IDs still not listed once the grace is over."""
    if settings.missing_grace is None or elapsed < settings.missing_grace:
        return []
    return list(snapshot.missing)


def _laggards(snapshot, targets, given_up):
    lagging = [(i, s) for i, s in snapshot.states.items() if s not in targets]
    return lagging + [(i, NOT_FOUND) for i in snapshot.missing if i not in given_up]


def _describe(pairs):
    return ', '.join('%s (%s)' % pair for pair in pairs)


def _or(states):
    return ' or '.join(states)
