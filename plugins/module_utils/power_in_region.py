# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""One region's instances brought to a power state as a task asks, and what the change did (``PowerResult``): shared by
the power module's use case and the lifecycle module's, which starts, stops and waits for what it keeps."""

import dataclasses
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import (
    InstanceReader, Operation, operation_of,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    Snapshot, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FailedOperationWatch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import InstanceActions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_change import (
    PowerFailed, PowerRecord, PowerSettings, Watchers, change_power,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import RebootConfirmation
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import CvmAccess
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import not_listed_message
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import (
    QueryFailed, StatusResult, failed_call_message,
)


@dataclasses.dataclass
class PowerResult(StatusResult):
    """A status result, with what the change did."""

    changed: bool = False
    previous_states: Optional[Dict[str, str]] = None
    # The calls sent (in check mode, those that would be, with request_id None).
    actions: List[Dict[str, Any]] = dataclasses.field(default_factory=list)
    failed_instances: List[Dict[str, Any]] = dataclasses.field(default_factory=list)
    # In check mode, the states the run would end in.
    expected_states: Optional[Dict[str, str]] = None

    def module_result(self) -> Dict[str, Any]:
        result = super().module_result()
        result.update(changed=self.changed, actions=[dict(action) for action in self.actions])
        if self.previous_states is not None:
            result['previous_states'] = dict(self.previous_states)
        if self.failed_instances:
            result['failed_instances'] = [dict(failed) for failed in self.failed_instances]
        return result

    def diff(self) -> Optional[Dict[str, Any]]:
        after = self.expected_states if self.expected_states is not None else self.instance_states
        return {'before': {'instance_states': dict(self.previous_states or {})},
                'after': {'instance_states': dict(after or {})}}

    def recorded(self, record: PowerRecord, check_mode: bool = False) -> 'PowerResult':
        self.found(record.snapshot)
        self.previous_states = dict(record.previous.states)
        self.actions = [batch.reported() for batch in record.batches]
        # In check mode, whether any call would be sent; else whether any sent may have taken effect.
        self.changed = bool(record.batches) if check_mode else record.changed
        if record.elapsed is not None:
            self.elapsed, self.polls = round(record.elapsed, 3), record.polls
        return self


def change_in_region(clients: Clients, access: CvmAccess, client, ids: List[str], power: PowerSettings,
                     stop_options: Tuple[Optional[str], Optional[str]], check_mode: bool,
                     fail_on_failed_operation: bool, listed: Optional[Mapping[str, Mapping[str, Any]]] = None,
                     ) -> 'PowerResult':
    """The change of ``ids``, all in the region of ``client``; from the instances ``listed`` (as ``DescribeInstances``
    lists them) when a listing has just read them, else from a first read. Raises ``QueryFailed``."""
    settings = clients.settings
    shared_reads, credential_source = access.shared_reads, access.credential_source
    reader = StatusReader(client, shared_reads=shared_reads)
    result = PowerResult.of(client, credential_source)
    # A read begun at the deadline may still take one request_timeout; nothing starts after that.
    deadline = Deadline(clients.clock.monotonic() + power.timeout + settings.request_timeout,
                        'the task\'s deadline (wait_timeout %gs + request_timeout %gs)'
                        % (power.timeout, settings.request_timeout))
    actions = InstanceActions(client, *stop_options)
    described = _Described(InstanceReader(client, shared_reads), deadline, result.warnings)
    try:
        first, before = (_first_read_of(ids, listed) if listed is not None
                         else described.first_read(ids) or (reader.read(ids, deadline), None))
    except TencentCloudError as error:
        result.error = error.as_dict()
        raise QueryFailed(failed_call_message(error, settings), result)
    result.found(first)
    result.regions = dict.fromkeys(first.states, client.region)
    if first.missing:
        raise QueryFailed(not_listed_message(first.missing, settings), result)
    watchers = _watchers(fail_on_failed_operation, described, shared_reads, result.warnings)
    try:
        record = change_power(first, lambda: reader.read(ids, deadline),
                              lambda action, batch: actions.send(action, batch, deadline), power, clients.clock,
                              check_mode=check_mode, watchers=watchers, before=before)
    except PowerFailed as failure:
        result.recorded(failure.record).failed_instances = _failed_instances(failure)
        if failure.error is not None:
            result.error = failure.error.as_dict()
        raise QueryFailed(failure.message, result)
    if check_mode:
        result.expected_states = dict.fromkeys(first.states, power.target.state)
    return result.recorded(record, check_mode)


def _watchers(fail_on_failed_operation, described, shared_reads, warnings):
    """What the change looks at besides the states: each reads the latest operations through ``described``. The
    watch is aimed at each stage's target by the change itself."""
    latest_operations = described.latest_operations
    watch = FailedOperationWatch(latest_operations, warnings) if fail_on_failed_operation else None
    return Watchers(operations=described.operations_if_allowed, watch=watch,
                    reboots=RebootConfirmation(latest_operations, warnings),
                    aligned=None if shared_reads is None else (lambda: shared_reads.in_company))


class _Described:
    """The instances as ``DescribeInstances`` describes them: states with each one's latest operation, which tell
    what an action did (or, its answer lost, whether it was done). Once the credentials turn out not to allow the
    action (said once), nothing: the change then decides from the states alone."""

    def __init__(self, reader: InstanceReader, deadline: Deadline, warnings: List[str]):
        self._reader = reader
        self._deadline = deadline
        self._warnings = warnings
        self._allowed = True

    def latest_operations(self, instance_ids: List[str]) -> Dict[str, Operation]:
        return self._reader.latest_operations(instance_ids, self._deadline)

    def first_read(self, instance_ids: List[str]) -> Optional[Tuple[Snapshot, Dict[str, Operation]]]:
        """``(Snapshot, {ID: Operation})``: the states the change starts from and the operations before it."""
        described = self._allowed_or_none(lambda: self._reader.described(instance_ids, self._deadline))
        return None if described is None else _first_read_of(instance_ids, described)

    def operations_if_allowed(self, instance_ids: List[str]) -> Optional[Dict[str, Operation]]:
        return self._allowed_or_none(lambda: self.latest_operations(instance_ids))

    def _allowed_or_none(self, read):
        if not self._allowed:
            return None
        try:
            return read()
        except TencentCloudError as error:
            if not error.denied:
                raise
            self._allowed = False
            self._warnings.append('what an action did, or whether one whose answer was lost was done, is told by the '
                                  'instances\' states alone: these credentials may not call DescribeInstances (%s)'
                                  % error.code)
            return None


def _first_read_of(instance_ids: List[str],
                   described: Mapping[str, Mapping[str, Any]]) -> Tuple[Snapshot, Dict[str, Operation]]:
    """``(Snapshot, {ID: Operation})`` of ``instance_ids`` from the instances as ``DescribeInstances`` described them:
    the states a change starts from, and the operations before it."""
    states = {i: described[i]['InstanceState'] for i in instance_ids if i in described}
    return (Snapshot(states, [i for i in instance_ids if i not in described]),
            {i: operation_of(item) for i, item in described.items() if i in states})


def _failed_instances(failure: PowerFailed) -> List[Dict[str, Any]]:
    states = failure.record.snapshot.states
    failed = [{'instance_id': i, 'instance_state': states.get(i)} for i in failure.stuck]
    for failed_operation in failure.failed_operations:
        operation = failed_operation.operation
        failed.append({'instance_id': failed_operation.instance_id,
                       'instance_state': states.get(failed_operation.instance_id), 'operation': operation.name,
                       'request_id': operation.request_id, 'error': operation.error,
                       'by_another_caller': failed_operation.reversal})
    return failed
