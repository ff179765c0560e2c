# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the status module and the lookup: check options, read states, wait if asked."""

import dataclasses
import os
from typing import Any, Callable, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    Snapshot, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FailedOperationWatch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalOperations, RegionalReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import (
    normalize_instance_ids, normalize_states,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.waiting import (
    WaitFailed, WaitSettings, wait_for_states,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import (
    cvm_access, regional_clients, resolved_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    Options, checked_filters, settings_and_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import (
    NOTHING_TO_WAIT_FOR, Asked, SearchedRegions, on_missing_applied, on_missing_rule, selected_instances, states_of,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import (
    QueryFailed, StatusResult, failed_call_message,
)

# How long a wait gives an ID to be listed: the API may not list an instance for a few seconds after RunInstances
# returned its ID. After that, the wait fails on it (or, with on_missing ignore, stops waiting for it).
MISSING_GRACE_SECONDS = 20.0


@dataclasses.dataclass(frozen=True)
class StatusRequest:
    """What a status query asks, read once from the options at the use case's door: the instances (``asked``), the
    wait (``None``: a plain read), the rule for what is missing, and whether a failed operation ends the wait."""

    asked: Asked
    wait: Optional[WaitSettings]
    on_missing: str
    fail_on_failed_operation: bool


def status_request(values: Mapping[str, Any], instance_ids: Optional[List[Any]]) -> StatusRequest:
    """The request of option ``values``; ``OptionError`` naming the first thing wrong, before any call."""
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    ids = None if instance_ids is None else normalize_instance_ids(instance_ids)
    filters = checked_filters(values, instance_ids)
    return StatusRequest(Asked(ids, filters), _wait_settings(values), on_missing_rule(values),
                         bool(values['fail_on_failed_operation']))


def query_instance_status(options: Options, instance_ids: Optional[List[Any]], *,
                          environ: Optional[Mapping[str, str]] = None, clock: Clock = SYSTEM_CLOCK,
                          check_mode: bool = False) -> StatusResult:
    """Read (and with ``wait_for``, wait for) instance states.

    ``instance_ids`` is a list, or ``None`` for every instance in the region, or for the instances the ``filters``
    option selects when the query starts; with ``regions`` among the options, the IDs are looked for (the filters
    applied) in each of those regions (``[]``: every region the account can use). ``clock`` sleeps between
    polls (the module's stops when Ansible has given up on the task). In ``check_mode`` the states are read once and
    never waited for: the tasks that would have started or stopped the instances did not run, so a wait could only
    run out its time.
    Raises ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the query itself fails.
    """
    environ = os.environ if environ is None else environ
    request = status_request(options.values, instance_ids)
    settings, regions = settings_and_regions(options.values, environ)
    clients = Clients(settings, environ, clock)
    try:
        return _query(clients, cvm_access(clients, options), request, check_mode, regions)
    finally:
        clients.close()


def _query(clients, access, request, check_mode, regions):
    settings = clients.settings
    asked, wait = request.asked, request.wait
    ids = asked.ids
    result = StatusResult.of(access.client, access.credential_source)
    if wait is not None and check_mode:
        result.warnings.append('check mode: read the states once and did not wait for %s, since the tasks that '
                               'would have changed them did not run' % ' or '.join(wait.targets))
        wait = None
    on_missing = request.on_missing
    searched = SearchedRegions(regions, settings, asked.filters)
    opened = []
    try:
        if ids == []:
            # A list templated empty reads nothing; a gate on it would pass on nothing.
            return on_missing_applied(result.found(Snapshot({}, [])), on_missing,
                                      None if wait is None else NOTHING_TO_WAIT_FOR)
        if regions is None:
            searched.regions = regions = resolved_regions(access, regions)
        region_clients = regional_clients(clients, access, regions)
        opened = [client for client in region_clients.values() if client is not access.client]
        reader = RegionalReader({region: StatusReader(client, shared_reads=access.shared_reads)
                                 for region, client in region_clients.items()})
        described = {region: InstanceReader(client, access.shared_reads) for region, client in region_clients.items()}
        operations = RegionalOperations(described, reader)
        selected = None
        if asked.filters is not None:
            selected = states_of(selected_instances(described, asked.filters, reader, result.warnings))
            ids = list(selected.states)
            if not ids or wait is None:
                return on_missing_applied(result.found(selected, reader), on_missing,
                                          None if ids else searched.nothing_selected())
        elif ids is None and wait is not None:
            # Every instance of the regions: a region that lists none would let a wait pass on nothing.
            selected = reader.read(None)
            if not selected.states:
                return on_missing_applied(result.found(selected, reader), on_missing, searched.nothing_listed())
        if wait is None:
            result.found(reader.read(ids), reader)
            return on_missing_applied(result, on_missing,
                                      searched.not_listed(result.missing) if result.missing else None)
        # A poll begun at the wait's deadline may still take one request_timeout; nothing starts after that.
        deadline = Deadline(clients.clock.monotonic() + wait.timeout + settings.request_timeout,
                            'the wait\'s deadline (wait_timeout %gs + request_timeout %gs)'
                            % (wait.timeout, settings.request_timeout))
        watch = None
        if request.fail_on_failed_operation:
            watch = FailedOperationWatch(lambda lagging: operations.latest_operations(lagging, deadline),
                                         result.warnings)
        shared_reads = access.shared_reads
        aligned = None if shared_reads is None else (lambda: shared_reads.in_company)
        outcome = wait_for_states(_polls(selected, lambda: reader.read(ids, deadline)), wait, clients.clock,
                                  failed_operations=watch, aligned=aligned)
    except TencentCloudError as error:
        result.error = error.as_dict()
        raise QueryFailed(failed_call_message(error, settings), result)
    except WaitFailed as failure:
        result.found(failure.snapshot, reader)
        result.elapsed, result.polls = round(failure.elapsed, 3), failure.polls
        message = failure.message
        if failure.not_listed:
            message = searched.not_listed(failure.not_listed, 'after %gs of waiting' % wait.missing_grace)
        raise QueryFailed(message, result)
    finally:
        for client in opened:
            result.request_ids.extend(client.request_ids)
    result.elapsed, result.polls = round(outcome.elapsed, 3), outcome.polls
    return result.found(outcome.snapshot, reader)


def _polls(first: Optional[Snapshot], read: Callable[[], Snapshot]) -> Callable[[], Snapshot]:
    """``read``, but for a first poll that is ``first``: the states a listing by filters has just read."""
    pending = [] if first is None else [first]
    return lambda: pending.pop() if pending else read()


def _wait_settings(values):
    if not values.get('wait_for'):
        return None
    return WaitSettings(
        targets=tuple(normalize_states('wait_for', values['wait_for'])),
        fail_states=tuple(normalize_states('fail_states', values['fail_states'] or [])),
        timeout=values['wait_timeout'],
        interval=values['wait_interval'],
        missing_grace=MISSING_GRACE_SECONDS,
        ignore_missing=on_missing_rule(values) == 'ignore',
    )
