# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing instances to a power state: act only where needed, never twice blind, then wait for the target.

The states are read first, and an instance is acted on only when its state asks for it (``power_plan``): a second
run finds nothing to do and sends nothing. Instances are acted on at once where they can be; those moving elsewhere
(``STOPPING`` when ``RUNNING`` is asked for) are read again every interval and acted on together once at rest. A
call refused for an instance's state (someone else acted between the read and the call) is read again and decided
anew, a bounded number of times; one refused because an instance is busy with another operation is sent again every
interval until the deadline.

An action is not a read: a call whose answer was lost, or is an error that does not refuse it (``Batch.applied``
``UNKNOWN``), may have been carried out, for all of its instances or some. Each of its instances is read (its state
and, with ``operations``, its latest operation, against the one it had before the call) and decided by itself before
anything else is done for it: the call, or a newer one of its action, shows: it took effect there. Any other operation
newer than the first read, whoever sent it, means the call is never sent again: one leading elsewhere is a reversal
and fails the run as it does when the answer arrives. A start or stop that shows nothing is decided again from the
instance's state, and sent once more where the state still asks for it (the service refuses one that lands on an
instance already moving, so it is never carried out twice); a second lost answer ends the run. A reboot is never sent
twice: one that shows nothing is looked for until the deadline, then reported as unknown.

Then, with a wait, it polls until every instance is in the target state, failing at once when one enters a state that
cannot reach it, an operation fails, or another caller's operation leads away from the target (the ``watch``; one
this run sent always counts, and never as another's). An instance this run rebooted is not taken as restarted until
its reboot shows (``reboot_confirmation``).
"""

import dataclasses
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import (
    FailedOperation, FailedOperationWatch,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import PAGE_SIZE
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import (
    UNKNOWN, Batch, refused_for_state, refused_while_busy,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import (
    ACTIONS, DONE, IMPOSSIBLE, MOVING_STATE_OF, REBOOT, SETTLE, PowerTarget, decide,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import (
    RebootConfirmation, RebootFailed,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import ACTION_ENDS, DEFAULT_FAIL_STATES
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.waiting import (
    WaitFailed, WaitSettings, failures_message, wait_for_states,
)

# Calls refused for a state that changed under them, before the run gives up: someone else keeps acting on them.
MAX_STATE_REFUSALS = 5
# Calls of a start or stop to one instance whose answers were lost, before the run stops sending it.
MAX_LOST_CALLS = 2


@dataclasses.dataclass(frozen=True)
class PowerSettings:
    """Bring every instance to each of ``targets`` in turn (a stop, then a start: ``power_plan.TARGETS``); with
    ``wait``, wait for the last (each one before it is always waited for); all within ``timeout`` seconds, reading
    the states every ``interval`` seconds."""

    targets: Tuple[PowerTarget, ...]
    wait: bool
    timeout: float
    interval: float

    @property
    def target(self) -> PowerTarget:
        """Where the change ends."""
        return self.targets[-1]


@dataclasses.dataclass
class PowerRecord:
    """What a change did: the ``previous`` states, every call sent with its outcome (``batches``; in check mode, those
    that would be, without a request ID), the last ``snapshot`` read and, with a wait, its ``elapsed`` seconds and
    ``polls``."""

    previous: Snapshot
    snapshot: Snapshot
    batches: List[Batch] = dataclasses.field(default_factory=list)
    elapsed: Optional[float] = None
    polls: Optional[int] = None

    @property
    def changed(self) -> bool:
        """Whether any call may have taken effect (in check mode: would be sent)."""
        return any(batch.may_have_acted for batch in self.batches)


class PowerFailed(Exception):
    """The change did not succeed; ``record`` holds what it did. ``error`` is the call that failed, if one did;
    ``failed_operations`` the operations that failed (or led away) during the wait; ``stuck`` the instances in a
    state that cannot reach the target."""

    def __init__(self, message: str, record: PowerRecord, error: Optional[TencentCloudError] = None,
                 failed_operations: Sequence[FailedOperation] = (), stuck: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.record = record
        self.error = error
        self.failed_operations = list(failed_operations)
        self.stuck = list(stuck)


@dataclasses.dataclass(frozen=True)
class Watchers:
    """What a change looks at besides the states: each instance's latest operations (``operations``, ``None`` where
    they cannot be read), failed and reversed operations (``watch``), whether this run's reboots have begun
    (``reboots``), and whether to poll in step with other processes (``aligned``); each optional."""

    operations: Optional[Callable[[List[str]], Optional[Dict[str, Operation]]]] = None
    watch: Optional[FailedOperationWatch] = None
    reboots: Optional[RebootConfirmation] = None
    aligned: Optional[Callable[[], bool]] = None


def change_power(first: Snapshot, read: Callable[[], Snapshot], send: Callable[[str, List[str]], List[Batch]],
                 settings: PowerSettings, clock: Clock, *, check_mode: bool = False,
                 watchers: Watchers = Watchers(), before: Optional[Dict[str, Operation]] = None) -> PowerRecord:
    """From the ``first`` snapshot, ``send(action, IDs)`` what is needed and ``read()`` until done; ``before`` is each
    instance's latest operation when ``first`` was read (``None``: not known), what tells an operation of this run's.

    In ``check_mode`` nothing is sent: the record lists what would be. Raises ``PowerFailed``.
    """
    start = clock.monotonic()
    record = PowerRecord(first, first)
    if check_mode:
        record.batches = _planned(record, settings.targets)
        return record
    try:
        for stage, target in enumerate(settings.targets):
            last = stage == len(settings.targets) - 1
            if stage:
                # What tells the next stage's own operations from the past is what the last stage left.
                before = watchers.operations(list(record.snapshot.states)) if watchers.operations else None
            if watchers.watch is not None:
                watchers.watch.aim((target.state,))
            _act_and_wait(record, read, send, dataclasses.replace(settings, targets=(target,), wait=settings.wait or
                                                                  not last), clock, start, watchers, before)
        return record
    except TencentCloudError as error:
        # Reported with what was sent before it: an action that went through is never left out.
        raise PowerFailed(str(error), record, error=error)
    except RebootFailed as failure:
        raise PowerFailed(failure.message, record, failed_operations=failure.failures)


def _act_and_wait(record, read, send, settings, clock, start, watchers, before):
    _Acting(record, read, send, settings, clock, watchers, before).act(start + settings.timeout)
    if not settings.wait:
        if record.batches:
            record.snapshot = read()
        return record
    if all(decide(settings.target, state, False) == DONE for state in record.snapshot.states.values()) \
            and not record.snapshot.missing:
        return record
    wait = WaitSettings((settings.target.state,), DEFAULT_FAIL_STATES,
                        max(0.0, start + settings.timeout - clock.monotonic()), settings.interval)
    reboots = watchers.reboots
    try:
        outcome = wait_for_states(read if reboots is None else (lambda: reboots(read())), wait, clock,
                                  failed_operations=watchers.watch, aligned=watchers.aligned)
    except WaitFailed as failure:
        record.snapshot, record.elapsed = failure.snapshot, clock.monotonic() - start
        record.polls = (record.polls or 0) + failure.polls
        stuck = [i for i, state in failure.snapshot.states.items() if state in DEFAULT_FAIL_STATES]
        raise PowerFailed(failure.message, record, failed_operations=failure.failed_operations, stuck=stuck)
    record.snapshot, record.elapsed = outcome.snapshot, clock.monotonic() - start
    record.polls = (record.polls or 0) + outcome.polls
    return record


@dataclasses.dataclass
class _Lost:
    """A call whose outcome is not known (its answer was lost), for one of its instances: what that instance's latest
    operation was ``before`` it."""

    batch: Batch
    before: Optional[Operation]


class _Acting:
    """The acting part of a change: what is sent, what is known of it, what is left to do."""

    def __init__(self, record, read, send, settings, clock, watchers, before):
        self.record = record
        # Each instance's latest operation before this run acted: what tells the run's own from the past.
        self._before = before or {}
        self._read = read
        self._send = send
        self._settings = settings
        self._clock = clock
        self._watchers = watchers
        # Instances a call reached, or may have: from now on they are only waited for.
        self._acted = set()
        # Instance -> the call whose outcome is not known yet.
        self._lost: Dict[str, _Lost] = {}
        # Instance -> how many of its start or stop calls had their answer lost.
        self._lost_calls: Dict[str, int] = {}
        self._refusals = 0

    def act(self, deadline: float) -> None:
        while True:
            plan, settling = _plan(self.record, self._settings.target, self._acted | set(self._lost))
            refused = self._sent(plan)
            self._refusals += sum(1 for batch in refused if refused_for_state(batch.error))
            _fail_on_refusals_not_to_retry(refused, self._refusals, self.record)
            if not settling and not refused and not self._lost:
                return
            now = self._clock.monotonic()
            if now >= deadline:
                self._fail_on_lost_calls()
                waiting_for = settling + [i for batch in refused for i in batch.instance_ids]
                raise PowerFailed('timed out after %gs before %s could be acted on: %s'
                                  % (self._settings.timeout, listed(waiting_for),
                                     _states(self.record.snapshot, waiting_for)), self.record)
            self._clock.sleep(min(self._settings.interval, deadline - now))
            self.record.snapshot = self._read()
            if self._lost:
                self._decide_lost()

    def _sent(self, plan):
        """Send ``plan`` (each action once its instances' latest operations are known), record every request and what
        is known of it; the calls refused for the instances' state or an operation under way."""
        refused = []
        for action, ids in plan.items():
            before = {i: self._before[i] for i in ids if i in self._before}
            for batch in self._send(action, ids):
                self.record.batches.append(batch)
                if batch.retried:
                    continue  # the client sent it again: the request after it is the one to decide on
                if batch.applied is True:
                    self._took_effect(batch, batch.instance_ids, batch.request_id, before)
                elif batch.applied == UNKNOWN:
                    self._lost.update((i, _Lost(batch, before.get(i))) for i in batch.instance_ids)
                else:
                    refused.append(batch)
        return refused

    def _took_effect(self, batch, ids, request_id, before, seen_rebooting=False):
        self._acted.update(ids)
        watchers = self._watchers
        if watchers.watch is not None:
            watchers.watch.seen_before({i: op for i, op in before.items() if i in ids})
            if request_id is not None:
                watchers.watch.expect([request_id])
        if watchers.reboots is not None and batch.action == REBOOT:
            watchers.reboots.rebooted(ids, request_id, before, seen_rebooting)

    def _operations(self, ids):
        return None if self._watchers.operations is None else self._watchers.operations(ids)

    def _decide_lost(self):
        """Read what the calls whose answers were lost did, and decide again for each of their instances by itself:
        a batch may have been carried out for some of its instances only."""
        operations = self._operations(list(self._lost))
        for i, lost in list(self._lost.items()):
            if operations is None:
                self._decide_from_state(i, lost)
                continue
            operation = _newer(operations.get(i), lost)
            if operation is None:
                self._decide_unseen(i, lost)
            elif operation.request_id == lost.batch.request_id or operation.name == lost.batch.action:
                self._shown(i, lost, operation)
            else:
                self._decide_after_another(i, lost, operation)

    def _shown(self, instance_id, lost, operation):
        """The call (or one of its action, newer than the first read) shows on the instance: it took effect."""
        batch = lost.batch
        del self._lost[instance_id]
        batch.applied_instance_ids.append(instance_id)
        if set(batch.applied_instance_ids) == set(batch.instance_ids):
            batch.applied = True
        self._took_effect(batch, [instance_id], operation.request_id, {instance_id: lost.before})

    def _decide_unseen(self, instance_id, lost):
        """Nothing newer than the first read shows: a start or stop is decided from the state; a reboot is never sent
        again, and is looked for until the deadline unless the instance is seen rebooting."""
        if lost.batch.action != REBOOT:
            self._decide_from_state(instance_id, lost)
        elif self.record.snapshot.states.get(instance_id) == MOVING_STATE_OF[REBOOT]:
            # Rebooting, by this call or another: its outcome is then told by the reboot confirmation.
            del self._lost[instance_id]
            self._took_effect(lost.batch, [instance_id], None, {instance_id: lost.before}, seen_rebooting=True)

    def _decide_after_another(self, instance_id, lost, operation):
        """Another operation, newer than the first read, whoever sent it: the call is never sent again. One that leads
        elsewhere than the call would is a reversal, and fails the run as it does when the answer arrives; after any
        other, the instance's state says whether it is where the call would take it."""
        batch = lost.batch
        del self._lost[instance_id]
        end = ACTION_ENDS.get(operation.name)
        if end is not None and end != ACTION_ENDS[batch.action]:
            raise PowerFailed(failures_message([FailedOperation(instance_id, operation, reversal=True)],
                                               (self._settings.target.state,)),
                              self.record, error=batch.error,
                              failed_operations=[FailedOperation(instance_id, operation, reversal=True)])
        if self.record.snapshot.states.get(instance_id) in (MOVING_STATE_OF[batch.action], ACTION_ENDS[batch.action]):
            self._acted.add(instance_id)
            return
        raise PowerFailed('the answer to %s for %s was lost (%s), and %s (RequestId %s) came after it: whether it was '
                          'carried out is unknown (applied: unknown), and it is not sent again over another operation'
                          % (batch.action, instance_id, batch.error, operation.name or 'another operation',
                             operation.request_id), self.record, error=batch.error)

    def _decide_from_state(self, instance_id, lost):
        """A call that shows nothing (or whose operations cannot be read): an instance already moving as it would
        have is only waited for; a start or stop still asked for by the state may be sent once more (the service
        refuses one that lands on an instance already moving, so it is never carried out twice; a lost answer again
        ends the run). A reboot whose operations cannot be read is only waited for: the state is all there is."""
        batch = lost.batch
        del self._lost[instance_id]
        state = self.record.snapshot.states.get(instance_id)
        if batch.action == REBOOT or state in (MOVING_STATE_OF[batch.action], ACTION_ENDS[batch.action]):
            self._acted.add(instance_id)
            return
        self._lost_calls[instance_id] = self._lost_calls.get(instance_id, 0) + 1
        if self._lost_calls[instance_id] >= MAX_LOST_CALLS:
            raise PowerFailed('%s for %s: %d calls in a row had their answers lost (the last: %s), and the instance '
                              'shows none of them (applied: unknown): not sent again'
                              % (batch.action, instance_id, MAX_LOST_CALLS, batch.error), self.record,
                              error=batch.error)

    def _fail_on_lost_calls(self):
        """At the deadline, calls whose answers were lost and that no read has shown: their outcome stays unknown,
        and nothing is advised that could act twice."""
        if not self._lost:
            return
        lost = list(self._lost.values())
        actions = sorted({entry.batch.action for entry in lost})
        raise PowerFailed('the answer to %s for %s was lost (%s), and no read until the deadline (%gs) showed whether '
                          'it was carried out (applied: unknown): not sent again; read the instances (their latest '
                          'operation) before acting on them again'
                          % (' and '.join(actions), listed(list(self._lost)), lost[0].batch.error,
                             self._settings.timeout), self.record, error=lost[0].batch.error)


def _newer(operation: Optional[Operation], lost: _Lost) -> Optional[Operation]:
    """The instance's latest ``operation`` when it is the lost call, or newer than the one it had before the call;
    else ``None``. With nothing known of before the call, only an operation of the call's action counts: another
    may be history."""
    if operation is None or operation.request_id is None:
        return None
    if operation.request_id == lost.batch.request_id:
        return operation
    if lost.before is None:
        return operation if operation.name == lost.batch.action else None
    return None if operation.request_id == lost.before.request_id else operation


def _fail_on_refusals_not_to_retry(refused, refusals, record):
    """A refusal for state is decided again (``MAX_STATE_REFUSALS`` in a run), one for a busy instance until the
    deadline; any other failure ends the run."""
    for batch in refused:
        decided_again = refused_for_state(batch.error) and refusals <= MAX_STATE_REFUSALS
        if not (decided_again or refused_while_busy(batch.error)):
            raise PowerFailed('%s failed for %s: %s' % (batch.action, listed(batch.instance_ids), batch.error),
                              record, error=batch.error)


def _plan(record, target, acted):
    """``{action: IDs}`` to send now, and the IDs to decide on once at rest."""
    states = record.snapshot.states
    steps = {i: decide(target, state, i in acted) for i, state in states.items()}
    impossible = [i for i, step in steps.items() if step == IMPOSSIBLE]
    if impossible:
        raise PowerFailed('instances are in a state from which they cannot be brought to %s: %s'
                          % (target.state, _states(record.snapshot, impossible)), record, stuck=impossible)
    plan = {action: [i for i, step in steps.items() if step == action] for action in ACTIONS}
    return {action: ids for action, ids in plan.items() if ids}, [i for i, step in steps.items() if step == SETTLE]


def _planned(record, targets):
    """The batches a run would send from the snapshot read, counting the actions moving instances will need; each
    target after the first from where the one before leaves the instances."""
    batches = []
    snapshot = record.snapshot
    for target in targets:
        batches.extend(_planned_for(PowerRecord(snapshot, snapshot), target))
        snapshot = Snapshot(dict.fromkeys(snapshot.states, target.state), snapshot.missing)
    return batches


def _planned_for(record, target):
    plan, settling = _plan(record, target, set())
    for i in settling:
        action = target.after.get(record.snapshot.states[i])
        if action:
            plan[action] = plan.get(action, []) + [i]
    return [Batch(action, ids[start:start + PAGE_SIZE], None, applied=False)
            for action in ACTIONS if action in plan
            for ids in [plan[action]] for start in range(0, len(ids), PAGE_SIZE)]


def _states(snapshot, ids):
    return listed(['%s (%s)' % (i, snapshot.states.get(i)) for i in ids])
