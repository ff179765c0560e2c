# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Telling a rebooted instance from one whose reboot has not begun: both read ``RUNNING``.

``RebootInstances`` answers before the instance shows ``REBOOTING``, so a wait for ``RUNNING`` that reads at once could
end before the reboot begins. An instance this run rebooted counts as ``RUNNING`` once it has been read in another
state since (``REBOOTING``), or once its latest operation (``DescribeInstances``) is that reboot, succeeded; until
then it reads as ``REBOOTING``. An instance for which the service reports no operation at all gives nothing to wait
for, and counts at once. Only the instances read ``RUNNING`` and not yet confirmed are looked up, 100 a call: a
service that shows ``REBOOTING`` at once costs no call at all.
"""

from typing import Callable, Dict, Iterable, List

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FAILED, FailedOperation

RUNNING = 'RUNNING'
REBOOTING = 'REBOOTING'
SUCCESS = 'SUCCESS'


class RebootFailed(Exception):
    """A reboot this run sent failed; ``failures`` says where and why."""

    def __init__(self, failures: List[FailedOperation]):
        super().__init__('the reboot failed, so a restart will not come: %s' % '; '.join(map(str, failures)))
        self.message = str(self)
        self.failures = failures


class RebootConfirmation:
    """Called with each snapshot of a wait; returns it with the unconfirmed reboots of this run read ``REBOOTING``.

    Where the credentials may not call ``DescribeInstances``, it warns once and takes ``RUNNING`` at its word.
    """

    def __init__(self, latest_operations: Callable[[List[str]], Dict[str, Operation]], warnings: List[str]):
        self._latest_operations = latest_operations
        self._warnings = warnings
        # Instance ID -> the RequestId of this run's reboot of it, until the reboot shows.
        self._unconfirmed: Dict[str, str] = {}

    def rebooted(self, instance_ids: Iterable[str], request_id: str) -> None:
        self._unconfirmed.update(dict.fromkeys(instance_ids, request_id))

    def __call__(self, snapshot: Snapshot) -> Snapshot:
        for i, state in snapshot.states.items():
            if state != RUNNING:
                # Seen rebooting (or anywhere else): from now on its state says where it is.
                self._unconfirmed.pop(i, None)
        looked_up = [i for i in self._unconfirmed if snapshot.states.get(i) == RUNNING]
        if looked_up:
            self._confirm(looked_up)
        return Snapshot({i: REBOOTING if i in self._unconfirmed else state for i, state in snapshot.states.items()},
                        snapshot.missing)

    def _confirm(self, instance_ids):
        try:
            operations = self._latest_operations(instance_ids)
        except TencentCloudError as error:
            if 'UnauthorizedOperation' not in error.code:
                raise
            self._warnings.append('a reboot is taken as done when the instance reads RUNNING: these credentials may '
                                  'not call DescribeInstances (%s) to tell it from one not yet rebooting' % error.code)
            self._unconfirmed.clear()
            return
        failures = []
        for i in instance_ids:
            operation = operations.get(i)
            if operation is None or operation.request_id is None:
                del self._unconfirmed[i]
            elif operation.request_id == self._unconfirmed[i] and operation.state == SUCCESS:
                del self._unconfirmed[i]
            elif operation.request_id == self._unconfirmed[i] and operation.state == FAILED:
                failures.append(FailedOperation(i, operation))
        if failures:
            raise RebootFailed(failures)
