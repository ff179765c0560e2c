# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Terminating instances: each at most once, never sent again blind, then waited for until it is gone.

An instance at rest is terminated; one moving (``PENDING``, ``STOPPING``...) is read again every interval until it
comes to rest; one ``TERMINATING``, in the recycle bin (``SHUTDOWN``: prepaid instances go there) or no longer listed
needs nothing. A call refused for an instance's state is decided again from a new read (a bounded number of times);
one refused for termination protection (``UnsupportedOperation.InstancesProtected``), or for anything else, ends the
run with the service's message.

A call whose answer was lost may have been carried out. Its instances are read, and each is decided by itself: no
longer listed, ``TERMINATING``, ``SHUTDOWN``, or showing a ``TerminateInstances`` newer than the first read: carried
out. Another operation newer than the first read, whoever sent it: never sent again, and the run fails with the
outcome unknown. Nothing newer and still at rest: sent once more (the service refuses a termination of an instance
already terminating); a second lost answer ends the run.
"""

import dataclasses
from typing import Callable, Dict, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation, operation_of
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import (
    UNKNOWN, Batch, refused_for_state, refused_while_busy,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import MOVING_STATES

TERMINATE = 'TerminateInstances'
# The service's refusal of an instance with termination protection (DisableApiTermination).
PROTECTED = 'UnsupportedOperation.InstancesProtected'
# States in which an instance needs nothing more: on its way out, or in the recycle bin.
ENDING_STATES = frozenset(['TERMINATING', 'SHUTDOWN'])
# What an instance no longer listed is reported as.
GONE = 'TERMINATED'
MAX_STATE_REFUSALS = 5
MAX_LOST_CALLS = 2


@dataclasses.dataclass(frozen=True)
class TerminationSettings:
    """With ``wait``, wait until every instance is gone or ``SHUTDOWN``; all within ``timeout`` seconds, reading every
    ``interval`` seconds."""

    wait: bool
    timeout: float
    interval: float


@dataclasses.dataclass
class TerminationRecord:
    """What a termination did: the ``previous`` states, every call sent (``batches``), the last ``states`` read
    (``GONE`` for an instance no longer listed), and the instances terminated (``terminated``: those a call reached,
    or whose reads show it did)."""

    previous: Dict[str, str]
    states: Dict[str, str]
    batches: List[Batch] = dataclasses.field(default_factory=list)
    terminated: List[str] = dataclasses.field(default_factory=list)
    polls: int = 0

    @property
    def changed(self) -> bool:
        return any(batch.may_have_acted for batch in self.batches)


class TerminationFailed(Exception):
    """The termination did not succeed; ``record`` holds what it did, ``batch`` the call that failed, if one did."""

    def __init__(self, message: str, record: TerminationRecord, batch: Optional[Batch] = None):
        super().__init__(message)
        self.message = message
        self.record = record
        self.batch = batch


def terminate(instance_ids: List[str], described: Callable[[List[str]], Mapping[str, Mapping[str, object]]],
              send: Callable[[str, List[str]], List[Batch]], settings: TerminationSettings, clock: Clock,
              first: Optional[Mapping[str, Mapping[str, object]]] = None) -> TerminationRecord:
    """Terminate ``instance_ids``: ``described(IDs)`` reads them as ``DescribeInstances`` does (``first``: a read just
    made), ``send(action, IDs)`` sends. Raises ``TerminationFailed``."""
    items = described(instance_ids) if first is None else first
    states = _states(instance_ids, items)
    record = TerminationRecord(dict(states), dict(states))
    return _Terminating(instance_ids, record, described, send, settings, clock, items).run()


def _states(instance_ids, items):
    return {i: str(items[i]['InstanceState']) if i in items else GONE for i in instance_ids}


def planned(states: Mapping[str, str]) -> List[str]:
    """The instances a termination would send ``TerminateInstances`` for (those moving, once at rest)."""
    return [i for i, state in states.items() if state != GONE and state not in ENDING_STATES]


class _Terminating:
    def __init__(self, ids, record, described, send, settings, clock, items):
        self._ids = ids
        self.record = record
        self._described = described
        self._send = send
        self._settings = settings
        self._clock = clock
        self._before: Dict[str, Optional[Operation]] = {i: operation_of(item) for i, item in items.items()}
        # Each instance's latest operation, as the last read showed it.
        self._latest: Dict[str, Operation] = {}
        self._acted: set = set()
        self._lost: Dict[str, Batch] = {}
        self._lost_calls: Dict[str, int] = {}
        self._refusals = 0

    def run(self) -> TerminationRecord:
        deadline = self._clock.monotonic() + self._settings.timeout
        while True:
            settling = self._act()
            if not settling and not self._lost:
                break
            self._next_read(deadline, settling)
            self._decide_lost()
        if self._settings.wait:
            while self._not_yet_ended():
                self._next_read(deadline, self._not_yet_ended())
        return self.record

    def _act(self) -> List[str]:
        """Send what the states ask for; the instances still moving."""
        states = self.record.states
        open_ids = [i for i in self._ids if i not in self._acted and i not in self._lost]
        ready = [i for i in open_ids if states[i] != GONE and states[i] not in ENDING_STATES]
        settling = [i for i in ready if states[i] in MOVING_STATES]
        to_send = [i for i in ready if i not in settling]
        if to_send:
            settling += self._sent(to_send)
        return settling

    def _sent(self, ids):
        """Send the termination of ``ids``; the instances of calls refused for their state, to decide again."""
        again = []
        for batch in self._send(TERMINATE, ids):
            self.record.batches.append(batch)
            if batch.retried:
                continue
            if batch.applied is True:
                self._reached(batch.instance_ids)
            elif batch.applied == UNKNOWN:
                self._lost.update((i, batch) for i in batch.instance_ids)
            elif batch.error is not None and batch.error.code == PROTECTED:
                raise TerminationFailed('TerminateInstances was refused for %s: termination protection is on (%s)'
                                        % (listed(batch.instance_ids), batch.error), self.record, batch)
            elif self._decided_again(batch):
                again.extend(batch.instance_ids)
            else:
                raise TerminationFailed('TerminateInstances failed for %s: %s' % (listed(batch.instance_ids),
                                                                                  batch.error), self.record, batch)
        return again

    def _decided_again(self, batch):
        if refused_while_busy(batch.error):
            return True
        if refused_for_state(batch.error):
            self._refusals += 1
            return self._refusals <= MAX_STATE_REFUSALS
        return False

    def _reached(self, ids):
        self._acted.update(ids)
        self.record.terminated.extend(i for i in ids if i not in self.record.terminated)

    def _next_read(self, deadline, waiting_for):
        now = self._clock.monotonic()
        if now >= deadline:
            self._fail_at_deadline(waiting_for)
        self._clock.sleep(min(self._settings.interval, deadline - now))
        items = self._described(self._ids)
        self.record.states = _states(self._ids, items)
        self.record.polls += 1
        self._latest = {i: operation_of(item) for i, item in items.items()}

    def _decide_lost(self):
        for i, batch in list(self._lost.items()):
            state = self.record.states[i]
            operation = self._latest.get(i)
            before = self._before.get(i)
            newer = operation if operation is not None and operation.request_id is not None and (
                before is None or operation.request_id != before.request_id) else None
            del self._lost[i]
            if state == GONE or state in ENDING_STATES or (newer is not None and newer.name == TERMINATE):
                batch.applied_instance_ids.append(i)
                if set(batch.applied_instance_ids) == set(batch.instance_ids):
                    batch.applied = True
                self._reached([i])
            elif newer is not None:
                raise TerminationFailed('the answer to TerminateInstances for %s was lost (%s), and %s (RequestId %s) '
                                        'came after it: whether it was carried out is unknown (applied: unknown), and '
                                        'it is not sent again over another operation'
                                        % (i, batch.error, newer.name or 'another operation', newer.request_id),
                                        self.record, batch)
            else:
                self._lost_calls[i] = self._lost_calls.get(i, 0) + 1
                if self._lost_calls[i] >= MAX_LOST_CALLS:
                    raise TerminationFailed('TerminateInstances for %s: %d calls in a row had their answers lost (the '
                                            'last: %s), and the instance shows none of them (applied: unknown): not '
                                            'sent again' % (i, MAX_LOST_CALLS, batch.error), self.record, batch)

    def _not_yet_ended(self):
        return [i for i, state in self.record.states.items() if state not in (GONE, 'SHUTDOWN')]

    def _fail_at_deadline(self, waiting_for):
        states = self.record.states
        if self._lost:
            raise TerminationFailed('the answer to TerminateInstances for %s was lost, and no read until the deadline '
                                    '(%gs) showed whether it was carried out (applied: unknown): not sent again; read '
                                    'the instances before acting on them again'
                                    % (listed(list(self._lost)), self._settings.timeout), self.record)
        raise TerminationFailed('timed out after %gs waiting for %s to be terminated: %s'
                                % (self._settings.timeout, listed(waiting_for),
                                   listed(['%s (%s)' % (i, states.get(i)) for i in waiting_for])), self.record)
