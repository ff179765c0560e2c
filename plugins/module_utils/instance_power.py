# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the power module: check options, read states, start, stop or reboot where needed, wait."""

import concurrent.futures
import dataclasses
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import (
    InstanceReader, Operation, operation_of,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    Snapshot, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FailedOperationWatch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_actions import PowerActions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_change import (
    PowerFailed, PowerRecord, PowerSettings, Watchers, change_power,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import STATE_ALIASES, TARGETS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import RebootConfirmation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalReader, described_in_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import normalize_instance_ids
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import (
    cvm_access, regional_clients, resolved_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    Options, checked_filters, settings_and_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import (
    Asked, SearchedRegions, not_listed_message, on_missing_applied, on_missing_rule, selected_instances, states_of,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import (
    QueryFailed, StatusResult, failed_call_message,
)

# Which stop options apply to which target (the option as given -> the targets it may be given with).
STOP_OPTION_TARGETS = {'stop_type': ('stopped', 'restarted', 'rebooted'), 'stopped_mode': ('stopped', 'restarted')}


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


def set_power_state(options: Options, instance_ids: Optional[List[Any]], *,
                    environ: Optional[Mapping[str, str]] = None, clock: Clock = SYSTEM_CLOCK,
                    check_mode: bool = False) -> PowerResult:
    """Bring ``instance_ids`` (``None``: the instances the ``filters`` option selects when the task starts) to the
    ``state`` option's target, acting only where needed, and wait if asked.

    In ``check_mode`` the states are read once and nothing is sent: the result says what would be. Raises
    ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the change fails.
    """
    environ = os.environ if environ is None else environ
    filters = checked_filters(options.values, instance_ids)
    ids = None if filters is not None else _named(instance_ids)
    power, stop_options = power_settings(options.values)
    settings, regions = settings_and_regions(options.values, environ, acting=True)
    clients = Clients(settings, environ, clock)
    try:
        access = cvm_access(clients, options)
        if filters is None and regions == [settings.region]:
            return _change(clients, access, access.client, options, ids, power, stop_options, check_mode)
        return _change_in_regions(clients, access, regions, options, Asked(ids, filters), power, stop_options,
                                  check_mode)
    finally:
        clients.close()


def _named(instance_ids: Optional[List[Any]]) -> List[str]:
    if instance_ids is None:
        raise OptionError('one of instance_ids or filters is required: the instances to start, stop, restart or reboot')
    ids = normalize_instance_ids(instance_ids)
    if not ids:
        raise OptionError('instance_ids is empty: name at least one instance to start, stop, restart or reboot')
    return ids


def _either(words):
    return words[0] if len(words) == 1 else '%s or %s' % (', '.join(words[:-1]), words[-1])


def power_settings(values: Mapping[str, Any]) -> Tuple[PowerSettings, Tuple[Optional[str], Optional[str]]]:
    """The change's settings and the stop options as the API spells them (``None``: the API's default)."""
    state = str(values.get('state'))
    state = STATE_ALIASES.get(state, state)
    if state not in TARGETS:
        raise OptionError('state must be one of %s, not %.40r' % (', '.join(TARGETS), state))
    for option, targets in STOP_OPTION_TARGETS.items():
        if values.get(option) and state not in targets:
            raise OptionError('%s applies to state %s, not %s' % (option, _either(targets), state))
    power = PowerSettings(TARGETS[state], values['wait'], values['wait_timeout'], values['wait_interval'])
    stop_type, stopped_mode = (values[option].upper() if values.get(option) else None for option in STOP_OPTION_TARGETS)
    return power, (stop_type, stopped_mode)


def _change_in_regions(clients, access, regions, options, asked, power, stop_options, check_mode):
    """The change over several regions, or of the instances filters select: each instance located first (one read,
    or one listing, in every region at once), then each region's instances changed as in one region, the regions
    concurrently; one result of them all."""
    result = PowerResult.of(access.client, access.credential_source)
    searched = SearchedRegions(regions, clients.settings, asked.filters)
    try:
        if regions is None:
            searched.regions = regions = resolved_regions(access, regions)
        region_clients = regional_clients(clients, access, regions)
        locator = RegionalReader({region: StatusReader(client, shared_reads=access.shared_reads)
                                  for region, client in region_clients.items()})
        # The instances as DescribeInstances described them where they were looked for: the first read of the change.
        listed = _located({region: InstanceReader(client) for region, client in region_clients.items()}, asked,
                          locator)
        located = locator.read(asked.ids) if listed is None else states_of(listed, asked.ids)
    except TencentCloudError as error:
        result.error = error.as_dict()
        raise QueryFailed(str(error), result)
    result.found(located, locator)
    if located.missing:
        raise QueryFailed(searched.not_listed(located.missing), result)
    if not located.states:
        result.previous_states = {}
        return on_missing_applied(result, on_missing_rule(options.values), searched.nothing_selected())
    ids = list(located.states)
    by_region: Dict[str, List[str]] = {}
    for instance_id in ids:
        by_region.setdefault(locator.region_of[instance_id], []).append(instance_id)

    def change_region(region):
        try:
            return _change(clients, access, region_clients[region], options, by_region[region], power,
                           stop_options, check_mode, listed), None
        except QueryFailed as failure:
            return failure.result, failure.message
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(by_region)) as pool:
        outcomes = dict(zip(by_region, pool.map(change_region, by_region)))
    return _merged(result, ids, outcomes)


def _located(readers: Mapping[str, InstanceReader], asked: Asked,
             locator: RegionalReader) -> Optional[Dict[str, Dict[str, Any]]]:
    """``{ID: instance as DescribeInstances describes it}`` of the instances ``asked`` names or selects, each looked
    for in every region of ``readers`` at once, and now known to ``locator`` by its region; ``None`` when the
    credentials may not call ``DescribeInstances`` for IDs (the states alone then locate them)."""
    if asked.filters is not None:
        return selected_instances(readers, asked.filters, locator)
    try:
        found = described_in_regions(readers, asked.ids or [])
    except TencentCloudError as error:
        if not error.denied:
            raise
        return None
    locator.region_of.update((instance_id, region) for instance_id, (region, _item) in found.items())
    return {instance_id: item for instance_id, (_region, item) in found.items()}


def _merged(result: 'PowerResult', ids: List[str], outcomes: Mapping[str, Tuple['PowerResult', Optional[str]]]):
    """One result of each region's (``{region: (result, failure message or None)}``), in the order of ``ids``;
    ``QueryFailed`` naming each region that failed."""
    states: Dict[str, str] = {}
    previous: Dict[str, str] = {}
    expected: Dict[str, str] = {}
    request_ids = list(result.request_ids)
    for region, (part, _message) in outcomes.items():
        states.update(part.instance_states or {})
        previous.update(part.previous_states or {})
        expected.update(part.expected_states or {})
        result.regions.update(dict.fromkeys(part.instance_states or {}, region))
        result.actions.extend(part.actions)
        result.failed_instances.extend(part.failed_instances)
        result.changed = result.changed or part.changed
        request_ids.extend(i for i in part.request_ids if i not in request_ids)
        for name in ('elapsed', 'polls'):
            if getattr(part, name) is not None:
                setattr(result, name, max(getattr(result, name) or 0, getattr(part, name)))
        result.error = result.error or part.error
    result.instance_states = {i: states[i] for i in ids if i in states}
    result.previous_states = {i: previous[i] for i in ids if i in previous}
    result.expected_states = {i: expected[i] for i in ids if i in expected} or None
    result.missing = []
    result.request_ids = request_ids
    failures = ['%s: %s' % (region, message) for region, (_part, message) in outcomes.items() if message]
    if failures:
        raise QueryFailed('; '.join(failures), result)
    return result


def _change(clients, access, client, options, ids, power, stop_options, check_mode, listed=None):
    """The change of ``ids``, all in the region of ``client``; from the instances ``listed`` (as ``DescribeInstances``
    lists them) when a listing has just read them, else from a first read."""
    settings = clients.settings
    shared_reads, credential_source = access.shared_reads, access.credential_source
    reader = StatusReader(client, shared_reads=shared_reads)
    result = PowerResult.of(client, credential_source)
    # A read begun at the deadline may still take one request_timeout; nothing starts after that.
    deadline = Deadline(clients.clock.monotonic() + power.timeout + settings.request_timeout,
                        'the task\'s deadline (wait_timeout %gs + request_timeout %gs)'
                        % (power.timeout, settings.request_timeout))
    actions = PowerActions(client, *stop_options)
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
    watchers = _watchers(options.values['fail_on_failed_operation'], described, shared_reads, result.warnings,
                         power.target.state)
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


def _watchers(fail_on_failed_operation, described, shared_reads, warnings, target):
    """What the change looks at besides the states: each reads the latest operations through ``described``."""
    latest_operations = described.latest_operations
    watch = FailedOperationWatch(latest_operations, warnings, (target,)) if fail_on_failed_operation else None
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
