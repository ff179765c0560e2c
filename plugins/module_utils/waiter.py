# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling until every instance is in a target state, and failing early when one never will be."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import time

from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

INSTANCE_STATES = (
    'PENDING', 'LAUNCH_FAILED', 'RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING',
    'ENTER_RESCUE_MODE', 'RESCUE_MODE', 'EXIT_RESCUE_MODE',
    'ENTER_SERVICE_LIVE_MIGRATE', 'SERVICE_LIVE_MIGRATE', 'EXIT_SERVICE_LIVE_MIGRATE',
)
DEFAULT_FAIL_STATES = ('LAUNCH_FAILED', 'SHUTDOWN', 'TERMINATING')
NOT_FOUND = 'not found'

WaitOutcome = collections.namedtuple('WaitOutcome', ['snapshot', 'elapsed', 'polls'])


class WaitFailed(Exception):
    """Waiting ended without success; carries the last poll so callers can still report every state."""

    def __init__(self, message, snapshot, elapsed, polls):
        super(WaitFailed, self).__init__(message)
        self.message = message
        self.snapshot = snapshot
        self.elapsed = elapsed
        self.polls = polls


def normalize_states(option, states):
    """Upper-cased states without duplicates; unknown names are an error naming the option."""
    normalized = list(collections.OrderedDict.fromkeys(str(state).strip().upper() for state in states))
    unknown = [state for state in normalized if state not in INSTANCE_STATES]
    if unknown:
        raise OptionError('%s: unknown instance state %s; known states: %s'
                          % (option, ', '.join(unknown), ', '.join(INSTANCE_STATES)))
    return normalized


def wait_for_states(read, targets, fail_states, timeout, interval, clock=None, sleep=None, failed_operations=None,
                    aligned=None):
    """Poll ``read()`` (which returns a ``Snapshot``) until every instance is in ``targets``.

    Raises ``WaitFailed`` as soon as an instance enters one of ``fail_states`` (those also in ``targets`` excepted),
    as soon as ``failed_operations([(lagging ID, state)])`` describes an operation that failed (when given), or once
    ``timeout`` seconds have passed. A missing instance is not yet in a target state: a new one can take a
    moment to appear. The last poll happens at the deadline, never after it.

    While ``aligned()`` says so, polls fall on the multiples of ``interval`` on the host's monotonic clock (the same
    in every process): waits with the same interval in other processes then poll at the same moments, and shared
    reads answer them with one call. Polls are never further apart than ``interval``.
    """
    # Looked up at call time, not bound as defaults, so that tests can replace time.sleep for a whole module run.
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    fatal = set(fail_states) - set(targets)
    start = clock()
    deadline = start + timeout
    polls = 0
    while True:
        snapshot = read()
        polls += 1
        failed = [(i, s) for i, s in snapshot.states.items() if s in fatal]
        if failed:
            raise WaitFailed('instances entered a state that cannot reach %s: %s' % (_or(targets), _describe(failed)),
                             snapshot, clock() - start, polls)
        laggards = _laggards(snapshot, targets)
        lagging = [(i, s) for i, s in laggards if s != NOT_FOUND]
        failures = failed_operations(lagging) if failed_operations and lagging else []
        if failures:
            raise WaitFailed('the latest operation failed during the wait, so %s will not come: %s'
                             % (_or(targets), '; '.join(failures)), snapshot, clock() - start, polls)
        now = clock()
        if not laggards:
            return WaitOutcome(snapshot, now - start, polls)
        if now >= deadline:
            raise WaitFailed('timed out after %gs waiting for %s: %s' % (timeout, _or(targets), _describe(laggards)),
                             snapshot, now - start, polls)
        sleep(min(_until_next_poll(now, interval, aligned is not None and aligned()), deadline - now))


def _until_next_poll(now, interval, aligned):
    return interval - now % interval if aligned else interval


def _laggards(snapshot, targets):
    lagging = [(i, s) for i, s in snapshot.states.items() if s not in targets]
    return lagging + [(i, NOT_FOUND) for i in snapshot.missing]


def _describe(pairs):
    return ', '.join('%s (%s)' % pair for pair in pairs)


def _or(states):
    return ' or '.join(states)
