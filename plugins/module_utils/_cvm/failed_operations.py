# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Noticing, during a wait, that a start or stop failed: the state alone never says so.

A failed ``StartInstances`` leaves the instance ``STOPPED``, and a wait for ``RUNNING`` would run out its whole
timeout. ``DescribeInstances`` reports the latest operation of each instance; a failure counts when it happened during
the wait.

An instance at rest short of the target when first seen (``STOPPED`` while waiting for ``RUNNING``) is looked at
then, to learn what is history: a failure already there (same request ID) may just have been retried, and the retry
may not show yet. One first seen moving (``PENDING``, ``STARTING``...) has no history to learn: an operation is
moving it, and whatever failure is found once it stops happened during the wait.

After that only the instances at rest short of the target are looked at: one still moving has nothing to report yet,
and an operation that fails puts it back at rest, where the next poll looks. A wait on instances that move, the common
case, costs no read at all.

A failure of an operation this run sent itself (``expect``) is never history, whenever it is first seen; nor, for a
run that acted, is anything newer than the operation each instance had before (``seen_before``).

Given the wait's targets (``targets``: the power module's), the watch also tells a reversal: another caller's
operation, begun during the wait, that leads away from the targets (a ``StartInstances`` while waiting for
``STOPPED``). Instances moving away (``STARTING`` then) are looked at too, so that it shows within two polls.
"""

from typing import Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Set, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import (
    ACTION_ENDS, MOVING_ENDS, MOVING_STATES,
)

FAILED = 'FAILED'
# An operation under way or done: one that failed took the instance nowhere.
_TAKING_EFFECT = ('OPERATING', 'SUCCESS')


class FailedOperation(NamedTuple):
    """An operation that failed during the wait (or, ``reversal``, another caller's that leads away from its
    targets), and the instance it concerns."""

    instance_id: str
    operation: Operation
    reversal: bool = False

    def __str__(self) -> str:
        operation = self.operation
        if self.reversal:
            return '%s (%s by another caller, RequestId %s, %s)' % (
                self.instance_id, operation.name, operation.request_id, (operation.state or 'state unknown').lower())
        return '%s (%s, RequestId %s: %s)' % (self.instance_id, operation.name or 'operation', operation.request_id,
                                              operation.error or 'no message')


class FailedOperationWatch:
    """Called with ``(ID, state)`` of the instances lagging at each poll; a ``FailedOperation`` for each failed (or,
    with ``targets``, reversed) since.

    Where the credentials may read states but not ``DescribeInstances``, it warns once and stops watching, rather than
    failing a gate that worked before: the wait goes on as a wait on states alone.
    """

    def __init__(self, latest_operations: Callable[[List[str]], Dict[str, Operation]], warnings: List[str],
                 targets: Iterable[str] = ()):
        self._latest_operations = latest_operations
        self._warnings = warnings
        self._targets = frozenset(targets)
        # Instance ID -> its latest operation at the first look (None: first seen moving towards the targets, when
        # whatever is found later happened during the wait).
        self._first_look: Dict[str, Optional[Operation]] = {}
        self._expected: Set[str] = set()
        self._watching = True

    def aim(self, targets: Iterable[str]) -> None:
        """The wait's targets from now on: a change that stops, then starts, waits for each in turn."""
        self._targets = frozenset(targets)

    def expect(self, request_ids: Iterable[str]) -> None:
        """Operations this run sent: their failure counts even when the first look finds it already there."""
        self._expected.update(request_ids)

    def seen_before(self, operations: Mapping[str, Operation]) -> None:
        """The latest operation of each instance before this run acted on it: what the first look would learn."""
        self._first_look.update(operations)

    def __call__(self, lagging: List[Tuple[str, str]]) -> List[FailedOperation]:
        for i, state in lagging:
            if state in MOVING_STATES and not self._moving_away(state):
                # Seen moving: nothing it did before counts; setdefault keeps what an earlier look learnt.
                self._first_look.setdefault(i, None)
        looked_at = [i for i, state in lagging if state not in MOVING_STATES or self._moving_away(state)]
        if not looked_at or not self._watching:
            return []
        try:
            operations = self._latest_operations(looked_at)
        except TencentCloudError as error:
            if not error.denied:
                raise
            self._watching = False
            self._warnings.append('a failed start or stop is not noticed during this wait: these credentials may not '
                                  'call DescribeInstances (%s); allow it, or set fail_on_failed_operation to false'
                                  % error.code)
            return []
        found = []
        for i, operation in sorted(operations.items()):
            first_look = i not in self._first_look
            if first_look:
                self._first_look[i] = operation
            if self._failed_since(i, operation, first_look):
                found.append(FailedOperation(i, operation))
            elif not first_look and self._reversed_since(i, operation):
                found.append(FailedOperation(i, operation, reversal=True))
        return found

    def _moving_away(self, state):
        end = MOVING_ENDS.get(state)
        return bool(self._targets) and end is not None and end not in self._targets

    def _failed_since(self, instance_id, operation, first_look):
        if operation.state != FAILED:
            return False
        if operation.request_id in self._expected:
            return True
        first = self._first_look[instance_id]
        return not first_look and (first is None or first.state != FAILED or operation.request_id != first.request_id)

    def _reversed_since(self, instance_id, operation):
        if not self._targets or operation.request_id is None or operation.request_id in self._expected:
            return False
        end = ACTION_ENDS.get(operation.name)
        if end is None or end in self._targets or operation.state not in _TAKING_EFFECT:
            return False
        first = self._first_look[instance_id]
        return first is None or operation.request_id != first.request_id
