# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the lifecycle module: read the instances a task manages, decide how many to create or
terminate, do it exactly once, bring what is kept to the state asked for, and wait."""

import base64
import dataclasses
import os
import re
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    Snapshot, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import InstanceActions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import details
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_change import PowerSettings
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import RUNNING, STOPPED
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.run_instances import (
    MAX_TOKEN_CHARS, NAME_TAG, LaunchFailed, Launcher, LaunchSpec,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import normalize_instance_ids
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.termination import (
    ENDING_STATES, TERMINATE, TerminationFailed, TerminationSettings, planned, terminate,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import cvm_access
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    Options, checked_filters, checked_settings,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.power_in_region import PowerResult, change_in_region
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import (
    filters_text, left_alone, not_listed_message,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import (
    QueryFailed, StatusResult, failed_call_message,
)

STATES = ('present', 'running', 'stopped', 'absent')
STATE_ALIASES = {'terminated': 'absent'}
# An instance type such as S5.MEDIUM4 or GN7.2XLARGE32: a family, a dot, a size.
INSTANCE_TYPE = re.compile(r'[A-Z][A-Z0-9]*\.[A-Z0-9]+')
# The documented limit of UserData, base64-encoded.
MAX_USER_DATA_BYTES = 16 * 1024
# How long a new instance may take to be listed after RunInstances answered its ID.
LISTING_GRACE_SECONDS = 20.0
# The order in which surplus instances go: broken first, then stopped, then the rest; newest first within each.
SURPLUS_ORDER = ('LAUNCH_FAILED', 'STOPPED')
_LAUNCH_OPTIONS = ('image_id', 'instance_type', 'zone', 'vpc_id', 'subnet_id', 'security_group_ids', 'key_ids',
                   'password', 'system_disk', 'data_disks', 'internet_max_bandwidth_out', 'instance_charge_type',
                   'tags', 'user_data', 'disable_api_termination')
# How many differences the warning spells out; the result's differences hold them all.
TOLD_DIFFERENCES = 10
# Options describing a new instance that an existing one can be compared with: option -> its field in the details.
_COMPARED = {'image_id': 'image_id', 'instance_type': 'instance_type', 'zone': 'zone', 'vpc_id': 'vpc_id',
             'subnet_id': 'subnet_id', 'instance_charge_type': 'instance_charge_type'}


@dataclasses.dataclass(frozen=True)
class LifecycleRequest:
    """What a task asks, read once from the options: the ``state``; the instances it manages (``instance_ids``, else
    those ``filters`` select, else those whose Name tag is ``name``); how many to keep (``exact_count``) or add
    (``count``); what a new one is (``spec``, ``None`` when the task never creates); the ``client_token`` given; the
    wait; and the options as given (``values``: those describing new instances, for comparing)."""

    state: str
    instance_ids: Optional[List[str]]
    filters: Optional[List[Dict[str, Any]]]
    name: Optional[str]
    exact_count: Optional[int]
    count: Optional[int]
    spec: Optional[LaunchSpec]
    client_token: Optional[str]
    power: PowerSettings
    fail_on_failed_operation: bool
    described_options: Dict[str, Any]

    @property
    def creates(self) -> bool:
        """Whether the task may create instances."""
        return self.state != 'absent' and self.instance_ids is None

    def selection(self) -> Dict[str, Any]:
        """What the task manages, as a token's decision and the result say it."""
        if self.instance_ids is not None:
            return {'instance_ids': self.instance_ids}
        return {'filters': self.filters} if self.filters is not None else {'name': self.name}


def lifecycle_request(values: Mapping[str, Any], instance_ids: Optional[List[Any]]) -> LifecycleRequest:
    """The request of option ``values``; ``OptionError`` naming the first thing wrong, before any call."""
    state = str(values.get('state') or 'present')
    state = STATE_ALIASES.get(state, state)
    if state not in STATES:
        raise OptionError('state must be one of %s, not %.40r' % (', '.join(STATES + tuple(STATE_ALIASES)), state))
    filters = checked_filters(values, instance_ids)
    ids = None if instance_ids is None else normalize_instance_ids(instance_ids)
    if ids == []:
        raise OptionError('instance_ids is empty: name at least one instance, or select them by name or filters')
    name = values.get('name')
    if ids is None and filters is None and not name:
        raise OptionError('one of instance_ids, filters or name is required: the instances the task manages')
    exact_count, count = _counts(values, state, ids)
    request = LifecycleRequest(
        state, ids, filters, name, exact_count, count, None, _checked_token(values.get('client_token')),
        _power(state, values), bool(values.get('fail_on_failed_operation', True)),
        {option: values.get(option) for option in _COMPARED if values.get(option) is not None})
    if not request.creates:
        return request
    return dataclasses.replace(request, spec=_launch_spec(values))


def _counts(values, state, ids):
    exact_count, count = values.get('exact_count'), values.get('count')
    if exact_count is not None and count is not None:
        raise OptionError('exact_count and count are mutually exclusive: keep a number of instances, or add some')
    for option, number, least in (('exact_count', exact_count, 0), ('count', count, 1)):
        if number is None:
            continue
        if number < least:
            raise OptionError('%s must be %d or more, not %d' % (option, least, number))
        if ids is not None:
            raise OptionError('%s applies to the instances named by name or filters, not to instance_ids' % option)
        if state == 'absent':
            raise OptionError('%s does not apply to state absent, which terminates every instance selected' % option)
    return exact_count, count


def _checked_token(token: Optional[str]) -> Optional[str]:
    if token is not None and (not token or len(token) > MAX_TOKEN_CHARS or not token.isascii()
                              or not token.isprintable()):
        raise OptionError('client_token must be 1 to %d printable ASCII characters' % MAX_TOKEN_CHARS)
    return token


def _power(state: str, values: Mapping[str, Any]) -> PowerSettings:
    target = STOPPED if state == 'stopped' else RUNNING
    return PowerSettings((target,), bool(values.get('wait', True)), values.get('wait_timeout', 600),
                         values.get('wait_interval', 5.0))


def _launch_spec(values: Mapping[str, Any]) -> LaunchSpec:
    """What a new instance is; the options it needs are required where the task may create."""
    missing = [option for option in ('name', 'image_id', 'zone') if not values.get(option)]
    if missing:
        raise OptionError('%s %s required where the task may create instances (state present, running or stopped, '
                          'without instance_ids)' % (_joined(missing), 'is' if len(missing) == 1 else 'are'))
    instance_type = values.get('instance_type')
    if instance_type is not None and not INSTANCE_TYPE.fullmatch(instance_type):
        raise OptionError('instance_type %.40r is not of the form family.size, such as S5.MEDIUM4' % instance_type)
    tags = {str(key): str(value) for key, value in (values.get('tags') or {}).items()}
    if NAME_TAG in tags:
        raise OptionError('tags must not hold %s: the task sets it to name, and finds its instances by it' % NAME_TAG)
    return LaunchSpec(
        name=values['name'], image_id=values['image_id'], zone=values['zone'], instance_type=instance_type,
        vpc_id=values.get('vpc_id'), subnet_id=values.get('subnet_id'),
        security_group_ids=values.get('security_group_ids'), key_ids=values.get('key_ids'),
        password=values.get('password'), system_disk=values.get('system_disk'),
        data_disks=values.get('data_disks'), internet_max_bandwidth_out=values.get('internet_max_bandwidth_out'),
        instance_charge_type=values.get('instance_charge_type'), tags=tags,
        user_data=_encoded(values.get('user_data')), disable_api_termination=values.get('disable_api_termination'))


def _joined(words: List[str]) -> str:
    return words[0] if len(words) == 1 else '%s and %s' % (', '.join(words[:-1]), words[-1])


def _encoded(user_data: Optional[str]) -> Optional[str]:
    if user_data is None:
        return None
    encoded = base64.b64encode(user_data.encode('utf-8')).decode('ascii')
    if len(encoded) > MAX_USER_DATA_BYTES:
        raise OptionError('user_data is %d bytes once base64-encoded; the service takes at most %d'
                          % (len(encoded), MAX_USER_DATA_BYTES))
    return encoded


@dataclasses.dataclass
class LifecycleResult(PowerResult):
    """A power result, with what the task created and terminated, and each instance it ends with as described."""

    instance_ids: List[str] = dataclasses.field(default_factory=list)
    created_instance_ids: List[str] = dataclasses.field(default_factory=list)
    terminated_instance_ids: List[str] = dataclasses.field(default_factory=list)
    described: Optional[List[Dict[str, Any]]] = None
    differences: List[Dict[str, Any]] = dataclasses.field(default_factory=list)
    previous_ids: List[str] = dataclasses.field(default_factory=list)

    def module_result(self) -> Dict[str, Any]:
        result = super().module_result()
        result.update(instance_ids=list(self.instance_ids), created_instance_ids=list(self.created_instance_ids),
                      terminated_instance_ids=list(self.terminated_instance_ids),
                      differences=[dict(difference) for difference in self.differences])
        return result

    def instances(self) -> List[Dict[str, Any]]:
        return [dict(item) for item in self.described] if self.described is not None else super().instances()

    def diff(self) -> Optional[Dict[str, Any]]:
        after = self.expected_states if self.expected_states is not None else self.instance_states
        return {'before': {'instance_ids': list(self.previous_ids),
                           'instance_states': dict(self.previous_states or {})},
                'after': {'instance_ids': list(self.instance_ids), 'instance_states': dict(after or {})}}


def manage_instances(options: Options, instance_ids: Optional[List[Any]], *,
                     environ: Optional[Mapping[str, str]] = None, clock: Clock = SYSTEM_CLOCK,
                     check_mode: bool = False) -> LifecycleResult:
    """Bring the instances the options name or select to the ``state`` option's, creating or terminating as the
    counts say. Raises ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the task fails."""
    environ = os.environ if environ is None else environ
    request = lifecycle_request(options.values, instance_ids)
    settings = checked_settings(options.values, environ)
    if request.spec is not None and not request.spec.zone.startswith(settings.region + '-'):
        raise OptionError('zone %s is not a zone of region %s (from %s)'
                          % (request.spec.zone, settings.region, settings.region_source))
    clients = Clients(settings, environ, clock)
    try:
        return _Lifecycle(clients, cvm_access(clients, options), request, check_mode).run()
    finally:
        clients.close()


class _Lifecycle:
    """One run of the lifecycle module, in one region."""

    def __init__(self, clients, access, request, check_mode):
        self._clients = clients
        self._access = access
        self._client = access.client
        self._request = request
        self._check_mode = check_mode
        self._reader = InstanceReader(access.client)
        self.result = LifecycleResult.of(access.client, access.credential_source)
        settings = clients.settings
        self._deadline = Deadline(clients.clock.monotonic() + request.power.timeout + settings.request_timeout,
                                  'the task\'s deadline (wait_timeout %gs + request_timeout %gs)'
                                  % (request.power.timeout, settings.request_timeout))

    def run(self) -> LifecycleResult:
        try:
            return self._run()
        except TencentCloudError as error:
            self.result.error = error.as_dict()
            raise QueryFailed(failed_call_message(error, self._clients.settings), self.result)

    def _run(self):
        request, result = self._request, self.result
        managed = self._managed()
        result.previous_ids = list(managed)
        result.previous_states = {i: item['InstanceState'] for i, item in managed.items()}
        creating, leaving = self._decided(managed)
        if self._check_mode:
            return self._planned(managed, creating, leaving)
        if leaving:
            self._terminated(leaving, {i: managed[i] for i in leaving})
        kept = [i for i in managed if i not in leaving]
        if creating:
            created = self._created(managed, creating)
            self._listed_soon(created)
            kept += created
        result.instance_ids = kept
        if request.state == 'absent' or not kept:
            if result.instance_states is None:
                result.instance_states = {}
            return result
        self._powered(kept if request.state != 'present' else result.created_instance_ids)
        self._described_finally(kept)
        return result

    def _managed(self) -> Dict[str, Dict[str, Any]]:
        """``{ID: instance as DescribeInstances describes it}``: what the task manages now, in the service's order."""
        request = self._request
        if request.instance_ids is not None:
            found = self._reader.described(request.instance_ids, self._deadline)
            missing = [i for i in request.instance_ids if i not in found]
            self.result.missing = missing
            if missing and request.state != 'absent':
                raise QueryFailed(not_listed_message(missing, self._clients.settings), self.result)
            if missing:
                # Gone already, as asked - or never here: an instance of another region is said, never passed over.
                self.result.warnings.append(not_listed_message(missing, self._clients.settings))
            return {i: found[i] for i in request.instance_ids if i in found}
        # The reader checks what the service lists against the filters again: an instance the answer adds although
        # they do not select it (the Name tag, say) is never managed, let alone terminated.
        selected = self._reader.matching(request.filters if request.filters is not None else self._named(),
                                         self._deadline)
        if self._reader.unselected:
            self.result.warnings.append(left_alone(self._reader.unselected, self._selection_text()))
        managed = {item['InstanceId']: item for item in selected if item['InstanceState'] not in ENDING_STATES}
        if not selected and request.state == 'absent':
            self.result.warnings.append('nothing to terminate: no instance of region %s (from %s) is selected by %s'
                                        % (self._clients.settings.region, self._clients.settings.region_source,
                                           self._selection_text()))
        return managed

    def _named(self) -> List[Dict[str, Any]]:
        return [{'Name': 'tag:%s' % NAME_TAG, 'Values': [self._request.name]}]

    def _selection_text(self) -> str:
        """The selection as a warning names it: what a typo is found in."""
        if self._request.filters is None:
            return 'the Name tag %s' % self._request.name
        return 'the filters %s' % filters_text(self._request.filters)

    def _decided(self, managed):
        """How many instances to create, and which to terminate."""
        request = self._request
        if request.state == 'absent':
            return 0, planned({i: item['InstanceState'] for i, item in managed.items()})
        if request.exact_count is not None:
            surplus = len(managed) - request.exact_count
            return max(0, -surplus), _surplus(managed, surplus) if surplus > 0 else []
        if request.count is not None:
            return request.count, []
        return (1 if request.creates and not managed else 0), []

    def _decision(self, managed, creating):
        """What the ClientToken of this run's RunInstances is derived from: the same decision, the same token."""
        request = self._request
        return {'region': self._clients.settings.region, 'selection': request.selection(),
                'managed': sorted(managed), 'creating': creating, 'spec': request.spec.described()}

    def _created(self, managed, creating):
        try:
            launches = Launcher(self._client).launch(self._request.spec, creating, self._decision(managed, creating),
                                                     self._deadline, self._request.client_token)
        except LaunchFailed as failure:
            self._launched(failure.launches)
            self.result.error = failure.error.as_dict()
            raise QueryFailed(failure.message, self.result)
        return self._launched(launches)

    def _launched(self, launches):
        """Every request into the result; the instances created."""
        self.result.actions.extend(launch.reported() for launch in launches)
        created = [i for launch in launches if not launch.retried for i in launch.instance_ids]
        self.result.created_instance_ids = created
        self.result.changed = self.result.changed or any(launch.applied is not False for launch in launches)
        return created

    def _listed_soon(self, created):
        """Wait (up to ``LISTING_GRACE_SECONDS``) until the new instances are listed; a token already spent on
        instances since terminated answers IDs that never will be."""
        reader = StatusReader(self._client)
        clock = self._clients.clock
        end = clock.monotonic() + LISTING_GRACE_SECONDS
        while True:
            snapshot = reader.read(created, self._deadline)
            if not snapshot.missing:
                return
            if clock.monotonic() >= end:
                raise QueryFailed('RunInstances answered %s, which the region still does not list after %gs: instances '
                                  'created under the same ClientToken and since terminated (a ClientToken stays '
                                  'spent for 48 hours; set client_token to create anew), or a service slow to list '
                                  'them' % (', '.join(snapshot.missing), LISTING_GRACE_SECONDS), self.result)
            clock.sleep(min(self._request.power.interval, max(0.0, end - clock.monotonic())))

    def _terminated(self, ids, first):
        request = self._request
        actions = InstanceActions(self._client)
        try:
            record = terminate(ids, lambda wanted: self._reader.described(wanted, self._deadline),
                               lambda action, batch: actions.send(action, batch, self._deadline),
                               TerminationSettings(request.power.wait, request.power.timeout, request.power.interval),
                               self._clients.clock, first=first)
        except TerminationFailed as failure:
            self._terminations(failure.record)
            if failure.batch is not None and failure.batch.error is not None:
                self.result.error = failure.batch.error.as_dict()
            raise QueryFailed(failure.message, self.result)
        self._terminations(record)

    def _terminations(self, record):
        result = self.result
        result.actions.extend(batch.reported() for batch in record.batches)
        result.terminated_instance_ids = list(record.terminated)
        result.changed = result.changed or record.changed
        if self._request.state == 'absent':
            result.instance_states = dict(record.states)
            result.regions = dict.fromkeys(record.states, self._clients.settings.region)

    def _powered(self, ids, check_mode=False):
        """Bring ``ids`` to the state asked for (new instances are waited for until ``RUNNING``)."""
        if not ids:
            return
        request = self._request
        try:
            part = change_in_region(self._clients, self._access, self._client, ids, request.power, (None, None),
                                    check_mode, request.fail_on_failed_operation)
        except QueryFailed as failure:
            self._merged(failure.result)
            raise QueryFailed(failure.message, self.result)
        self._merged(part)

    def _merged(self, part: StatusResult):
        """What the power change did (failed, all that is known of it), into the task's result."""
        result = self.result
        if isinstance(part, PowerResult):
            result.actions.extend(part.actions)
            result.changed = result.changed or part.changed
            result.failed_instances.extend(part.failed_instances)
            if part.expected_states is not None:
                result.expected_states = dict(part.expected_states)
        result.instance_states = dict(result.instance_states or {}, **(part.instance_states or {}))
        result.regions.update(part.regions)
        result.elapsed, result.polls = part.elapsed, part.polls
        result.error = result.error or part.error

    def _described_finally(self, kept):
        """Each instance kept, as ``cvm_instance_info`` returns it (read last), and how existing ones differ from the
        options."""
        region = self._clients.settings.region
        found = self._reader.described(kept, self._deadline)
        result = self.result
        result.instance_ids = kept
        result.described = [details(region, found[i]) for i in kept if i in found]
        result.found(Snapshot({i: found[i]['InstanceState'] for i in kept if i in found},
                              [i for i in kept if i not in found]))
        if result.missing:
            # Terminated by another caller since this task read it: said, never passed over.
            result.warnings.append(not_listed_message(result.missing, self._clients.settings, 'at the end of the task'))
        result.regions = dict.fromkeys(result.instance_states or {}, region)
        self._compared(found)

    def _compared(self, found):
        created = set(self.result.created_instance_ids)
        options = self._request.described_options
        for i in [i for i in self.result.instance_ids if i in found and i not in created]:
            shown = details(self._clients.settings.region, found[i])
            for option, field in _COMPARED.items():
                if option in options and shown.get(field) != options[option]:
                    self.result.differences.append({'instance_id': i, 'option': option, 'wanted': options[option],
                                                    'actual': shown.get(field)})
        differences = self.result.differences
        if differences:
            told = '; '.join('%s %s is %s, not %s' % (d['instance_id'], d['option'], d['actual'], d['wanted'])
                             for d in differences[:TOLD_DIFFERENCES])
            if len(differences) > TOLD_DIFFERENCES:
                told += '; and %d more (the differences returned list them all)' % (len(differences) - TOLD_DIFFERENCES)
            self.result.warnings.append('existing instances differ from the options that describe new ones (they '
                                        'are never changed by them): %s' % told)

    def _planned(self, managed, creating, leaving):
        """Check mode: what the task would do; nothing is sent but a ``DryRun`` of the creation, which the service
        checks (parameters, permissions, quota) without creating anything."""
        request, result = self._request, self.result
        if creating:
            try:
                launch = Launcher(self._client).dry_run(request.spec, creating, self._decision(managed, creating),
                                                        self._deadline, request.client_token)
            except LaunchFailed as failure:
                result.actions.extend(attempt.reported() for attempt in failure.launches)
                result.error = failure.error.as_dict()
                raise QueryFailed(failure.message, result)
            result.actions.append(launch.reported())
        if leaving:
            result.actions.append({'action': TERMINATE, 'instance_ids': list(leaving), 'request_id': None,
                                   'error': None, 'applied': False, 'retried': False})
        kept = [i for i in managed if i not in leaving]
        if request.state in ('running', 'stopped'):
            self._powered(kept, check_mode=True)
        result.found(Snapshot({i: managed[i]['InstanceState'] for i in kept}, []))
        result.regions = dict.fromkeys(kept, self._clients.settings.region)
        result.instance_ids = kept
        result.changed = bool(creating or leaving or result.changed)
        return result


def _surplus(managed: Mapping[str, Mapping[str, Any]], how_many: int) -> List[str]:
    """The ``how_many`` instances ``exact_count`` terminates: ``LAUNCH_FAILED`` ones first, then ``STOPPED`` ones,
    then the rest; within each, the newest first (by ``CreatedTime``, then ID): the oldest running ones stay."""
    def rank(instance_id):
        state = managed[instance_id]['InstanceState']
        order = SURPLUS_ORDER.index(state) if state in SURPLUS_ORDER else len(SURPLUS_ORDER)
        return order, _Newest(str(managed[instance_id].get('CreatedTime') or ''), instance_id)
    return sorted(managed, key=rank)[:how_many]


@dataclasses.dataclass(frozen=True)
class _Newest:
    """Sorts the newest first: a later creation time, then a later ID."""

    created: str
    instance_id: str

    def __lt__(self, other: '_Newest') -> bool:
        return (self.created, self.instance_id) > (other.created, other.instance_id)
