# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing instances to a power state: act only where needed, then wait for the target.

The states are read first, and an instance is acted on only when its state asks for it (``power_plan``): a second
run finds nothing to do and sends nothing. Instances are acted on at once where they can be; those moving elsewhere
(``STOPPING`` when ``RUNNING`` is asked for) are read again every interval and acted on together once at rest. A
call refused for an instance's state (someone else acted between the read and the call) is read again and decided
anew, a bounded number of times; one refused because an instance is busy with another operation is sent again every
interval until the deadline. Then, with a wait, it polls until every instance is in the target state, failing at once
when one enters a state that cannot reach it or an operation fails (the ``watch``; one this run sent always counts).
An instance this run rebooted is not taken as restarted until its reboot shows (``reboot_confirmation``).
"""

import dataclasses
from typing import Callable, List, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import (
    FailedOperation, FailedOperationWatch,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import PAGE_SIZE
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_actions import (
    Batch, refused_for_state, refused_while_busy,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import (
    ACTIONS, DONE, IMPOSSIBLE, REBOOT, SETTLE, PowerTarget, decide,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import (
    RebootConfirmation, RebootFailed,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import DEFAULT_FAIL_STATES
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.waiting import (
    WaitFailed, WaitSettings, wait_for_states,
)

# Calls refused for a state that changed under them, before the run gives up: someone else keeps acting on them.
MAX_STATE_REFUSALS = 5


@dataclasses.dataclass(frozen=True)
class PowerSettings:
    """Bring every instance to ``target``; with ``wait``, wait for it; all within ``timeout`` seconds, reading the
    states every ``interval`` seconds."""

    target: PowerTarget
    wait: bool
    timeout: float
    interval: float


@dataclasses.dataclass
class PowerRecord:
    """What a change did: the ``previous`` states, the ``batches`` sent (in check mode, those that would be, without
    a request ID), the last ``snapshot`` read and, with a wait, its ``elapsed`` seconds and ``polls``."""

    previous: Snapshot
    snapshot: Snapshot
    batches: List[Batch] = dataclasses.field(default_factory=list)
    elapsed: Optional[float] = None
    polls: Optional[int] = None


class PowerFailed(Exception):
    """The change did not succeed; ``record`` holds what it did. ``error`` is the call that failed, if one did;
    ``failed_operations`` the operations that failed during the wait; ``stuck`` the instances in a state that cannot
    reach the target."""

    def __init__(self, message: str, record: PowerRecord, error: Optional[TencentCloudError] = None,
                 failed_operations: List[FailedOperation] = (), stuck: List[str] = ()):
        super().__init__(message)
        self.message = message
        self.record = record
        self.error = error
        self.failed_operations = list(failed_operations)
        self.stuck = list(stuck)


@dataclasses.dataclass(frozen=True)
class Watchers:
    """What a wait looks at besides the states: failed operations (``watch``), whether this run's reboots have
    begun (``reboots``), and whether to poll in step with other processes (``aligned``); each optional."""

    watch: Optional[FailedOperationWatch] = None
    reboots: Optional[RebootConfirmation] = None
    aligned: Optional[Callable[[], bool]] = None


def change_power(first: Snapshot, read: Callable[[], Snapshot], send: Callable[[str, List[str]], List[Batch]],
                 settings: PowerSettings, clock: Clock, *, check_mode: bool = False,
                 watchers: Watchers = Watchers()) -> PowerRecord:
    """From the ``first`` snapshot, ``send(action, IDs)`` what is needed and ``read()`` until done.

    In ``check_mode`` nothing is sent: the record lists what would be. Raises ``PowerFailed``.
    """
    start = clock.monotonic()
    record = PowerRecord(first, first)
    if check_mode:
        record.batches = _planned(record, settings.target)
        return record
    try:
        return _act_and_wait(record, read, send, settings, clock, start, watchers)
    except TencentCloudError as error:
        # Reported with what was sent before it: an action that went through is never left out.
        raise PowerFailed(str(error), record, error=error)
    except RebootFailed as failure:
        raise PowerFailed(failure.message, record, failed_operations=failure.failures)


def _act_and_wait(record, read, send, settings, clock, start, watchers):
    _act(record, read, send, settings, clock, start + settings.timeout, watchers)
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
        record.snapshot, record.elapsed, record.polls = failure.snapshot, clock.monotonic() - start, failure.polls
        stuck = [i for i, state in failure.snapshot.states.items() if state in DEFAULT_FAIL_STATES]
        raise PowerFailed(failure.message, record, failed_operations=failure.failed_operations, stuck=stuck)
    record.snapshot, record.elapsed, record.polls = outcome.snapshot, clock.monotonic() - start, outcome.polls
    return record


def _act(record, read, send, settings, clock, deadline, watchers):
    acted = set()
    refusals = 0
    while True:
        plan, settling = _plan(record, settings.target, acted)
        refused = _send(plan, send, record, acted, watchers)
        refusals += sum(1 for batch in refused if refused_for_state(batch.error))
        _fail_on_refusals_not_to_retry(refused, refusals, record)
        if not settling and not refused:
            return
        now = clock.monotonic()
        if now >= deadline:
            waiting_for = settling + [i for batch in refused for i in batch.instance_ids]
            raise PowerFailed('timed out after %gs before %s could be acted on: %s'
                              % (settings.timeout, listed(waiting_for), _states(record.snapshot, waiting_for)),
                              record)
        clock.sleep(min(settings.interval, deadline - now))
        record.snapshot = read()


def _send(plan, send, record, acted, watchers):
    """Send ``plan``, record what went through (and tell the watchers); the batches refused."""
    sent, refused = [], []
    for action, ids in plan.items():
        for batch in send(action, ids):
            (sent if batch.error is None else refused).append(batch)
    record.batches.extend(sent)
    acted.update(i for batch in sent for i in batch.instance_ids)
    if watchers.watch is not None:
        watchers.watch.expect(batch.request_id for batch in sent)
    if watchers.reboots is not None:
        for batch in sent:
            if batch.action == REBOOT:
                watchers.reboots.rebooted(batch.instance_ids, batch.request_id)
    return refused


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


def _planned(record, target):
    """The batches a run would send from the snapshot read, counting the actions moving instances will need."""
    plan, settling = _plan(record, target, set())
    for i in settling:
        action = target.after.get(record.snapshot.states[i])
        if action:
            plan[action] = plan.get(action, []) + [i]
    return [Batch(action, ids[start:start + PAGE_SIZE], None, None)
            for action in ACTIONS if action in plan
            for ids in [plan[action]] for start in range(0, len(ids), PAGE_SIZE)]


def _states(snapshot, ids):
    return listed(['%s (%s)' % (i, snapshot.states[i]) for i in ids])
