# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Telling a rebooted instance from one whose reboot has not begun: both read ``RUNNING``.

``RebootInstances`` answers before the instance shows ``REBOOTING``, so a wait for ``RUNNING`` that reads at once could
end before the reboot begins; and a reboot that fails leaves the instance ``RUNNING`` too, whether or not a poll saw it
``REBOOTING``. An instance this run rebooted counts as ``RUNNING`` once its reboot shows done:

- its latest operation (``DescribeInstances``) is that reboot, succeeded (``FAILED`` fails the wait, naming it); or
- its latest operation is a later one that replaced the reboot before any read saw it (another restart, an
  attribute change): the service runs one operation at a time on an instance, so the reboot had ended before that one
  began. It counts as rebooted, with a warning naming the later operation, since its own outcome was not seen.

Until then it reads as ``REBOOTING`` (an operation that shows late is waited for, never guessed). An instance for which
the service reports no operation at all gives nothing to wait for, and counts once it has been seen in another state
(or at once, with nothing before the reboot to tell it by). Only the instances read ``RUNNING`` and not yet confirmed
are looked up, 100 a call. Where the credentials may not call ``DescribeInstances``, the state is all there is:
``RUNNING`` is taken at its word, with a warning. (A reboot whose answer was lost is known by its
operation before it comes here: ``power_change``.)
"""

from typing import Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Set

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FAILED, FailedOperation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import REBOOT

RUNNING = 'RUNNING'
REBOOTING = 'REBOOTING'
SUCCESS = 'SUCCESS'


class RebootFailed(Exception):
    """A reboot this run sent failed; ``failures`` says where and why."""

    def __init__(self, failures: List[FailedOperation]):
        super().__init__('the reboot failed, so a restart will not come: %s' % '; '.join(map(str, failures)))
        self.message = str(self)
        self.failures = failures


class _Reboot(NamedTuple):
    """A reboot of this run: its RequestId (``None``: its answer was lost); whether the instance's latest operation before it is known
    (``before_known``), and its RequestId (``before``, ``None`` for none)."""

    request_id: Optional[str]
    before_known: bool
    before: Optional[str]


class RebootConfirmation:
    """Called with each snapshot of a wait; returns it with the unconfirmed reboots of this run read ``REBOOTING``.

    Where the credentials may not call ``DescribeInstances``, it warns once and takes ``RUNNING`` at its word.
    """

    def __init__(self, latest_operations: Callable[[List[str]], Dict[str, Operation]], warnings: List[str]):
        self._latest_operations = latest_operations
        self._warnings = warnings
        # Instance ID -> this run's reboot of it, until the reboot shows.
        self._unconfirmed: Dict[str, _Reboot] = {}
        # The unconfirmed instances read in another state than RUNNING since their reboot.
        self._seen_moving: Set[str] = set()

    def rebooted(self, instance_ids: Iterable[str], request_id: Optional[str],
                 before: Optional[Mapping[str, Optional[Operation]]] = None, seen_rebooting: bool = False) -> None:
        """A reboot of ``instance_ids`` took effect as operation ``request_id``; ``before`` is each instance's latest
        operation before it (unknown: a later operation is not told from one that came before); ``seen_rebooting``:
        a read has already shown them ``REBOOTING``."""
        before = before or {}
        if seen_rebooting:
            self._seen_moving.update(instance_ids)
        for i in instance_ids:
            operation = before.get(i)
            self._unconfirmed[i] = _Reboot(request_id, operation is not None,
                                           operation.request_id if operation else None)

    def __call__(self, snapshot: Snapshot) -> Snapshot:
        for i, state in snapshot.states.items():
            if state != RUNNING and i in self._unconfirmed:
                self._seen_moving.add(i)
        looked_up = [i for i in self._unconfirmed if snapshot.states.get(i) == RUNNING]
        if looked_up:
            self._confirm(looked_up)
        return Snapshot({i: REBOOTING if i in self._unconfirmed and state == RUNNING else state
                         for i, state in snapshot.states.items()}, snapshot.missing)

    def _confirm(self, instance_ids):
        operations = self._operations(instance_ids)
        if operations is None:
            self._unconfirmed.clear()
            return
        failures = []
        for i in instance_ids:
            outcome = self._outcome(i, operations.get(i))
            if outcome == FAILED:
                failures.append(FailedOperation(i, operations[i]))
            elif outcome is not None:
                del self._unconfirmed[i]
        if failures:
            raise RebootFailed(failures)

    def _operations(self, instance_ids):
        try:
            return self._latest_operations(instance_ids)
        except TencentCloudError as error:
            if not error.denied:
                raise
            self._warnings.append('a reboot is taken as done when the instance reads RUNNING: these credentials may '
                                  'not call DescribeInstances (%s) to tell it from one not yet rebooting, or failed'
                                  % error.code)
            return None

    def _outcome(self, instance_id, operation):
        """``SUCCESS`` (confirmed), ``FAILED``, or ``None`` (not yet)."""
        reboot = self._unconfirmed[instance_id]
        if operation is None or operation.request_id is None:
            # The service reports no operation: the state is all there is.
            nothing_before = reboot.before_known and reboot.before is None
            return SUCCESS if nothing_before or instance_id in self._seen_moving else None
        newer = reboot.before_known and operation.request_id != reboot.before
        if operation.request_id == reboot.request_id or (
                reboot.request_id is None and newer and operation.name == REBOOT):
            # This run's reboot (its answer lost: the first reboot newer than before it).
            return operation.state if operation.state in (SUCCESS, FAILED) else None
        if not newer:
            # Nothing newer than before the reboot (or nothing known of before it): it has not shown yet, unless the
            # state, all there is then, has shown it.
            return SUCCESS if not reboot.before_known and instance_id in self._seen_moving else None
        self._warnings.append('%s: %s (RequestId %s) replaced the reboot before a read saw it: taken as rebooted, since '
                              'the service runs one operation at a time on an instance, though the reboot\'s own '
                              'outcome was not seen' % (instance_id, operation.name or 'an operation',
                                                        operation.request_id))
        return SUCCESS
