# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the module and the lookup: check options, read states, wait if asked; and its result."""

import dataclasses
import os
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Type, TypeVar

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_regions import available_regions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    MAX_CONCURRENT_CALLS, Snapshot, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FailedOperationWatch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalOperations, RegionalReader, listed_in_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import (
    CVM, normalize_instance_ids, normalize_states,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.waiting import (
    WaitFailed, WaitSettings, wait_for_states,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.shared_reads import SharedReads
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    Options, checked_filters, settings_and_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings

# How long a wait gives an ID to be listed: the API may not list an instance for a few seconds after RunInstances
# returned its ID. After that, the wait fails on it (or, with on_missing ignore, stops waiting for it).
MISSING_GRACE_SECONDS = 20.0
# What the service answers for a region it does not serve (a region that does not exist is InvalidParameterValue).
REGION_REFUSALS = ('UnsupportedRegion',)
# A wait on an empty list of IDs: it would pass at once, having gated nothing.
NOTHING_TO_WAIT_FOR = ('the list of instance IDs is empty, so there is nothing to wait for: a gate on it would pass '
                       'without gating anything (on_missing warn, ignore or skip lets it pass)')
# The RequestIds a result reports, the newest: enough for a support ticket; a long wait makes hundreds.
REPORTED_REQUEST_IDS = 10


_Result = TypeVar('_Result', bound='StatusResult')


@dataclasses.dataclass
class StatusResult:
    """What a query found, and what it met on the way: the one place the module and the lookup take output from."""

    credential_source: Optional[str] = None
    request_ids: List[str] = dataclasses.field(default_factory=list)
    warnings: List[str] = dataclasses.field(default_factory=list)
    # Instance ID -> state, in the order asked (every instance of the region when none were named); None until read.
    instance_states: Optional[Dict[str, str]] = None
    missing: Optional[List[str]] = None
    # Instance ID -> the region that lists it, for the instances found.
    regions: Dict[str, str] = dataclasses.field(default_factory=dict)
    # Set when the query waited.
    elapsed: Optional[float] = None
    polls: Optional[int] = None
    # Set when a call failed: its code, message and request ID.
    error: Optional[Dict[str, Any]] = None

    @classmethod
    def of(cls: Type[_Result], client: ApiClient, credential_source: str) -> _Result:
        """An empty result that collects the request IDs and warnings of ``client`` as it goes."""
        return cls(credential_source=credential_source, request_ids=client.request_ids, warnings=client.warnings)

    def module_result(self) -> Dict[str, Any]:
        """The keys the module returns (its RETURN documentation), warnings apart: they go to Ansible's own list."""
        result: Dict[str, Any] = {'changed': False, 'credential_source': self.credential_source,
                                  'request_ids': self.request_ids[-REPORTED_REQUEST_IDS:]}
        if self.instance_states is not None:
            result.update(instances=self.instances(), instance_states=dict(self.instance_states),
                          missing=list(self.missing or []))
        for name in ('elapsed', 'polls', 'error'):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        return result

    def instances(self) -> List[Dict[str, Any]]:
        """Each instance found: its ID, state and region, in the order asked (or listed)."""
        return [{'instance_id': i, 'instance_state': s, 'region': self.regions.get(i)}
                for i, s in (self.instance_states or {}).items()]

    def diff(self) -> Optional[Dict[str, Any]]:
        """What changed, for diff mode: a read changes nothing."""
        return None

    def facts(self) -> Optional[Dict[str, Any]]:
        """The ``ansible_facts`` a module sets on success (``None``: none)."""
        return {'tencentcloud_cvm_instance_states': self.instance_states,
                'tencentcloud_cvm_instance_regions': self.regions}

    def found(self: _Result, snapshot: Snapshot, reader: Optional[RegionalReader] = None) -> _Result:
        self.instance_states = dict(snapshot.states)
        self.missing = list(snapshot.missing)
        if reader is not None:
            self.regions = {i: reader.region_of[i] for i in snapshot.states if i in reader.region_of}
        return self


class QueryFailed(Exception):
    """The query did not succeed; ``result`` holds what is known (last states, error, request IDs, warnings)."""

    def __init__(self, message: str, result: StatusResult):
        super().__init__(message)
        self.message = message
        self.result = result

    @property
    def warnings(self) -> List[str]:
        return self.result.warnings


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
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    ids = None if instance_ids is None else normalize_instance_ids(instance_ids)
    filters = checked_filters(options.values, instance_ids)
    wait = _wait_settings(options.values)
    settings, regions = settings_and_regions(options.values, environ)
    clients = Clients(settings, environ, clock)
    try:
        return _query(clients, options, Asked(ids, filters), wait, check_mode, regions)
    finally:
        clients.close()


class Asked(NamedTuple):
    """The instances a query is about: ``ids`` (``None``: every instance of each region), or those ``filters`` (as
    the API takes them) select when it starts."""

    ids: Optional[List[str]]
    filters: Optional[List[Dict[str, Any]]] = None


class CvmAccess(NamedTuple):
    """How a run reaches CVM: its ``client`` (of the settings' region), the reads it shares (``None``: alone), where
    its credentials came from, and the credentials, for clients of other regions."""

    client: ApiClient
    shared_reads: Optional[SharedReads]
    credential_source: str
    credentials: Any


def cvm_access(clients: Clients, options: Options) -> CvmAccess:
    """The run's CVM client, with the credentials the chain finds for ``options``."""
    settings = clients.settings
    found = chain.resolve(settings.credentials, options.credential_sources, clients.environ, clients)
    client = clients.client(CVM, settings.endpoint, found, pool_size=MAX_CONCURRENT_CALLS)
    return CvmAccess(client, clients.shared_reads(), found.source, found)


def _query(clients, options, asked, wait, check_mode, regions):
    settings = clients.settings
    ids = asked.ids
    access = cvm_access(clients, options)
    result = StatusResult.of(access.client, access.credential_source)
    if wait is not None and check_mode:
        result.warnings.append('check mode: read the states once and did not wait for %s, since the tasks that '
                               'would have changed them did not run' % ' or '.join(wait.targets))
        wait = None
    on_missing = on_missing_rule(options.values)
    searched = SearchedRegions(regions, settings, asked.filters)
    opened = []
    try:
        if ids == []:
            # A list templated empty reads nothing; a gate on it would pass on nothing.
            return on_missing_applied(result.found(Snapshot({}, [])), on_missing,
                                      None if wait is None else NOTHING_TO_WAIT_FOR)
        if regions is None:
            searched.regions = regions = available_regions(access.client)
        region_clients = regional_clients(clients, access, regions)
        opened = [client for client in region_clients.values() if client is not access.client]
        reader = RegionalReader({region: StatusReader(client, shared_reads=access.shared_reads)
                                 for region, client in region_clients.items()})
        described = {region: InstanceReader(client, access.shared_reads) for region, client in region_clients.items()}
        operations = RegionalOperations(described, reader)
        selected = None
        if asked.filters is not None:
            selected = states_of(selected_instances(described, asked.filters, reader))
            ids = list(selected.states)
            if not ids or wait is None:
                return on_missing_applied(result.found(selected, reader), on_missing,
                                          None if ids else searched.nothing_selected())
        if wait is None:
            result.found(reader.read(ids), reader)
            return on_missing_applied(result, on_missing,
                                      searched.not_listed(result.missing) if result.missing else None)
        # A poll begun at the wait's deadline may still take one request_timeout; nothing starts after that.
        deadline = Deadline(clients.clock.monotonic() + wait.timeout + settings.request_timeout,
                            'the wait\'s deadline (wait_timeout %gs + request_timeout %gs)'
                            % (wait.timeout, settings.request_timeout))
        watch = None
        if options.values['fail_on_failed_operation']:
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


def regional_clients(clients: Clients, access: CvmAccess, regions: List[str]) -> Dict[str, ApiClient]:
    """A CVM client for each of ``regions``: the run's own for its region, a new one (same credentials, shared
    budget) for each other."""
    return {region: access.client if region == clients.settings.region else clients.client(
        CVM, clients.settings.endpoint, access.credentials, pool_size=MAX_CONCURRENT_CALLS, region=region)
        for region in regions}


def on_missing_rule(values: Mapping[str, Any]) -> str:
    """The rule for IDs no region lists and filters that select nothing; the lookup's word V(skip) is the module's
    V(ignore). Unset, a wait fails on them (a gate that passed on nothing would let a deployment through) and a plain
    read warns."""
    on_missing = values.get('on_missing') or ('error' if values.get('wait_for') else 'warn')
    return 'ignore' if on_missing == 'skip' else on_missing


class SearchedRegions:
    """Where IDs were looked for (or filters applied), to say so when some are not found (or none selected)."""

    def __init__(self, regions, settings, filters=None):
        self.regions = regions
        self._settings = settings
        self._filters = filters

    def not_listed(self, instance_ids: List[str], when: str = '') -> str:
        if self.regions is not None and len(self.regions) == 1:
            return not_listed_message(instance_ids, self._settings, when)
        searched = ', '.join(self.regions or [])
        return ('not found in any of the regions %s (from the regions option)%s: %s; an instance of another region, '
                'or one that no longer exists' % (searched, ' ' + when if when else '', listed(instance_ids)))

    def nothing_selected(self) -> str:
        if self.regions is not None and len(self.regions) == 1:
            where = 'region %s (from %s)' % (self._settings.region, self._settings.region_source)
        else:
            where = 'any of the regions %s (from the regions option)' % ', '.join(self.regions or [])
        return 'the filters %s select no instance in %s' % (_filters_text(self._filters), where)


def _filters_text(filters: Optional[List[Dict[str, Any]]]) -> str:
    """The filters as asked (``Name=value|value``): what a typo is found in."""
    return ', '.join('%s=%s' % (item['Name'], '|'.join(item['Values'])) for item in filters or [])


def selected_instances(readers: Mapping[str, InstanceReader], filters: List[Dict[str, Any]],
                       located: RegionalReader) -> Dict[str, Dict[str, Any]]:
    """``{ID: instance as DescribeInstances lists it}``: the instances ``filters`` select in the regions of
    ``readers`` (region after region, each in the service's order), now known to ``located`` by the region that
    lists them."""
    selected: Dict[str, Dict[str, Any]] = {}
    for region, items in listed_in_regions(readers, filters).items():
        for item in items:
            located.region_of.setdefault(item['InstanceId'], region)
            selected.setdefault(item['InstanceId'], item)
    return selected


def states_of(instances: Mapping[str, Mapping[str, Any]], asked: Optional[List[str]] = None) -> Snapshot:
    """The states of ``instances`` as ``DescribeInstances`` lists them (in the order of ``asked``, those not among
    them missing, when given)."""
    ids = list(instances) if asked is None else [i for i in asked if i in instances]
    return Snapshot({i: instances[i]['InstanceState'] for i in ids},
                    [] if asked is None else [i for i in asked if i not in instances])


def on_missing_applied(result: StatusResult, on_missing: str, shortfall: Optional[str]) -> StatusResult:
    """A read that found less than asked (``shortfall`` says what: IDs no region lists, filters that select nothing;
    ``None``: nothing amiss) fails, is warned of, or is only told by the result."""
    if shortfall is not None and on_missing != 'ignore':
        if on_missing == 'error':
            raise QueryFailed(shortfall, result)
        result.warnings.append(shortfall)
    return result


def failed_call_message(error: TencentCloudError, settings: Settings) -> str:
    """A failed call's error; one that refuses the region also names the region and where it came from."""
    if error.code in REGION_REFUSALS or (error.code.startswith('InvalidParameterValue') and 'Region' in error.message):
        return '%s (region %s, from %s)' % (error, settings.region, settings.region_source)
    return str(error)


def not_listed_message(instance_ids: List[str], settings: Settings, when: str = '') -> str:
    """IDs the region does not list, with the region and where it came from: the likely cause is another region."""
    return ('not found in region %s (from %s)%s: %s; an instance of another region, or one that no longer exists'
            % (settings.region, settings.region_source, ' ' + when if when else '', listed(instance_ids)))


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
