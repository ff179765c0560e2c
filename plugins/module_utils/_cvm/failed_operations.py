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

A failure of an operation this run sent itself (``expect``) is never history, whenever it is first seen.
"""

from typing import Callable, Dict, Iterable, List, NamedTuple, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import MOVING_STATES

FAILED = 'FAILED'


class FailedOperation(NamedTuple):
    """An operation that failed during the wait, and the instance it failed on."""

    instance_id: str
    operation: Operation

    def __str__(self) -> str:
        operation = self.operation
        return '%s (%s, RequestId %s: %s)' % (self.instance_id, operation.name or 'operation', operation.request_id,
                                              operation.error or 'no message')


class FailedOperationWatch:
    """Called with ``(ID, state)`` of the instances lagging at each poll; a ``FailedOperation`` for each failed since.

    Where the credentials may read states but not ``DescribeInstances``, it warns once and stops watching, rather than
    failing a gate that worked before: the wait goes on as a wait on states alone.
    """

    def __init__(self, latest_operations: Callable[[List[str]], Dict[str, Operation]], warnings: List[str]):
        self._latest_operations = latest_operations
        self._warnings = warnings
        self._failed_at_first_look = {}
        self._expected = set()
        self._watching = True

    def expect(self, request_ids: Iterable[str]) -> None:
        """Operations this run sent: their failure counts even when the first look finds it already there."""
        self._expected.update(request_ids)

    def __call__(self, lagging: List[Tuple[str, str]]) -> List[FailedOperation]:
        for i, state in lagging:
            if state in MOVING_STATES:
                # Seen moving: nothing it failed before counts; setdefault keeps what an earlier look learnt.
                self._failed_at_first_look.setdefault(i, None)
        looked_at = [i for i, state in lagging if state not in MOVING_STATES]
        if not looked_at or not self._watching:
            return []
        try:
            operations = self._latest_operations(looked_at)
        except TencentCloudError as error:
            if 'UnauthorizedOperation' not in error.code:
                raise
            self._watching = False
            self._warnings.append('a failed start or stop is not noticed during this wait: these credentials may not '
                                  'call DescribeInstances (%s); allow it, or set fail_on_failed_operation to false'
                                  % error.code)
            return []
        return [FailedOperation(i, operation) for i, operation in sorted(operations.items())
                if self._failed_since(i, operation)]

    def _failed_since(self, instance_id, operation):
        failed_request = operation.request_id if operation.state == FAILED else None
        if failed_request in self._expected:
            return True
        if instance_id not in self._failed_at_first_look:
            self._failed_at_first_look[instance_id] = failed_request
            return False
        return failed_request is not None and failed_request != self._failed_at_first_look[instance_id]
