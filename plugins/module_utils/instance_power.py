# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the power module: check options, read states, start, stop or reboot where needed, wait."""

import concurrent.futures
import dataclasses
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import StatusReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_change import PowerSettings
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import STATE_ALIASES, TARGETS
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
from ansible_collections.tencentcloud.cloud.plugins.module_utils.power_in_region import PowerResult, change_in_region
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import (
    Asked, SearchedRegions, on_missing_applied, on_missing_rule, selected_instances, states_of,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed

# Which stop options apply to which target (the option as given -> the targets it may be given with).
STOP_OPTION_TARGETS = {'stop_type': ('stopped', 'restarted', 'rebooted'), 'stopped_mode': ('stopped', 'restarted')}


@dataclasses.dataclass(frozen=True)
class PowerRequest:
    """What a power change asks, read once from the options at the use case's door: the instances (``asked``), the
    change (``power``), the stop options as the API spells them (``None``: its default), the rule for filters that
    select nothing, and whether a failed operation ends the wait."""

    asked: Asked
    power: PowerSettings
    stop_options: Tuple[Optional[str], Optional[str]]
    on_missing: str
    fail_on_failed_operation: bool


def power_request(values: Mapping[str, Any], instance_ids: Optional[List[Any]]) -> PowerRequest:
    """The request of option ``values``; ``OptionError`` naming the first thing wrong, before any call."""
    filters = checked_filters(values, instance_ids)
    ids = None if filters is not None else _named(instance_ids)
    power, stop_options = power_settings(values)
    return PowerRequest(Asked(ids, filters), power, stop_options, on_missing_rule(values),
                        bool(values['fail_on_failed_operation']))


def set_power_state(options: Options, instance_ids: Optional[List[Any]], *,
                    environ: Optional[Mapping[str, str]] = None, clock: Clock = SYSTEM_CLOCK,
                    check_mode: bool = False) -> PowerResult:
    """Bring ``instance_ids`` (``None``: the instances the ``filters`` option selects when the task starts) to the
    ``state`` option's target, acting only where needed, and wait if asked.

    In ``check_mode`` the states are read once and nothing is sent: the result says what would be. Raises
    ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the change fails.
    """
    environ = os.environ if environ is None else environ
    request = power_request(options.values, instance_ids)
    settings, regions = settings_and_regions(options.values, environ, acting=True)
    clients = Clients(settings, environ, clock)
    try:
        access = cvm_access(clients, options)
        ids = request.asked.ids
        if ids is not None and regions == [settings.region]:
            return change_in_region(clients, access, access.client, ids, request.power, request.stop_options,
                                    check_mode, request.fail_on_failed_operation)
        return _change_in_regions(clients, access, regions, request, check_mode)
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


def _change_in_regions(clients, access, regions, request, check_mode):
    """The change over several regions, or of the instances filters select: each instance located first (one read,
    or one listing, in every region at once), then each region's instances changed as in one region, the regions
    concurrently; one result of them all."""
    asked = request.asked
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
                          locator, result.warnings)
        located = locator.read(asked.ids) if listed is None else states_of(listed, asked.ids)
    except TencentCloudError as error:
        result.error = error.as_dict()
        raise QueryFailed(str(error), result)
    result.found(located, locator)
    if located.missing:
        raise QueryFailed(searched.not_listed(located.missing), result)
    if not located.states:
        result.previous_states = {}
        return on_missing_applied(result, request.on_missing, searched.nothing_selected())
    ids = list(located.states)
    by_region: Dict[str, List[str]] = {}
    for instance_id in ids:
        by_region.setdefault(locator.region_of[instance_id], []).append(instance_id)

    def change_region(region):
        try:
            return change_in_region(clients, access, region_clients[region], by_region[region], request.power,
                                    request.stop_options, check_mode, request.fail_on_failed_operation,
                                    listed), None
        except QueryFailed as failure:
            return failure.result, failure.message
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(by_region)) as pool:
        outcomes = dict(zip(by_region, pool.map(change_region, by_region)))
    return _merged(result, ids, outcomes)


def _located(readers: Mapping[str, InstanceReader], asked: Asked, locator: RegionalReader,
             warnings: List[str]) -> Optional[Dict[str, Dict[str, Any]]]:
    """``{ID: instance as DescribeInstances describes it}`` of the instances ``asked`` names or selects, each looked
    for in every region of ``readers`` at once, and now known to ``locator`` by its region; ``None`` when the
    credentials may not call ``DescribeInstances`` for IDs (the states alone then locate them)."""
    if asked.filters is not None:
        return selected_instances(readers, asked.filters, locator, warnings)
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
    for part, _message in outcomes.values():
        states.update(part.instance_states or {})
        previous.update(part.previous_states or {})
        expected.update(part.expected_states or {})
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
