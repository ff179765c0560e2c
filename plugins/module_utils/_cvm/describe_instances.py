# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading CVM instances as ``DescribeInstances`` describes them: server-side filters, and the latest operation."""

import collections
from typing import Any, Dict, Iterable, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.nearest_name import did_you_mean
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item, tags_of
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import normalize_states

ACTION = 'DescribeInstances'
# The filters this collection documents; ``tag:<key>`` is one per tag key.
FILTER_NAMES = (
    'instance-id', 'instance-name', 'instance-state', 'instance-charge-type', 'instance-type', 'zone', 'project-id',
    'vpc-id', 'subnet-id', 'security-group-id', 'private-ip-address', 'public-ip-address', 'tag-key', 'tag-value',
)
TAG_FILTER_PREFIX = 'tag:'
# amazon.aws's aws_ec2 filter names for the same things: what an EC2 user types first.
AWS_FILTER_NAMES = {
    'instance-state-name': 'instance-state', 'availability-zone': 'zone', 'ip-address': 'public-ip-address',
    'instance.group-id': 'security-group-id', 'group-id': 'security-group-id',
    'network-interface.addresses.private-ip-address': 'private-ip-address', 'tag': 'tag:<key>', 'tags': 'tag:<key>',
}
# The filter whose values the service enumerates: the instance states.
STATE_FILTER = 'instance-state'
# The filter whose match the service documents least (whole name or part of it): checked again at its loosest.
NAME_FILTER = 'instance-name'
MAX_FILTERS = 10
MAX_FILTER_VALUES = 5
# The fields of an instance that say what its latest operation was, in ``Operation``'s order.
OPERATION_FIELDS = ('LatestOperation', 'LatestOperationState', 'LatestOperationRequestId', 'LatestOperationErrorMsg')
# What a read shared with other processes keeps of each instance.
SHARED_FIELDS = ('InstanceId', 'InstanceState') + OPERATION_FIELDS

Operation = collections.namedtuple('Operation', ['name', 'state', 'request_id', 'error'])
Operation.__doc__ = ('An instance\'s latest operation: ``name`` (``StartInstances``...), ``state`` (``SUCCESS``, '
                     '``OPERATING``, ``FAILED``), its ``request_id`` and ``error`` message, each ``None`` if not given.')


def api_filters(option: str, filters: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """``Filters`` as the API takes them from ``{name: value or [values]}``, refused by name when the API would."""
    if not isinstance(filters, dict):
        raise OptionError('%s must be a dictionary of filter names to a value or a list of values' % option)
    if len(filters) > MAX_FILTERS:
        raise OptionError('%s: %d filters, more than the %d the API takes' % (option, len(filters), MAX_FILTERS))
    converted = []
    for name, values in filters.items():
        if name not in FILTER_NAMES and not (isinstance(name, str) and name.startswith(TAG_FILTER_PREFIX)
                                             and len(name) > len(TAG_FILTER_PREFIX)):
            raise OptionError('%s: unknown filter %.60r%s; known filters: %s, tag:<key>'
                              % (option, name, did_you_mean(name, FILTER_NAMES, AWS_FILTER_NAMES) or _word_hint(name),
                                 ', '.join(FILTER_NAMES)))
        values = values if isinstance(values, list) else [values]
        if not values or len(values) > MAX_FILTER_VALUES:
            raise OptionError('%s: filter %s has %d values; the API takes 1 to %d'
                              % (option, name, len(values), MAX_FILTER_VALUES))
        values = [str(value) for value in values]
        if name == STATE_FILTER:
            # The API matches states exactly: a lower-case "running" would select nothing, beside a power module.
            values = normalize_states('%s: %s' % (option, name), values)
        converted.append({'Name': name, 'Values': values})
    return converted


def _word_hint(name: object) -> str:
    """What a bare word that is no filter's name most likely means: the one filter it ends (``state`` for
    ``instance-state``), else a tag key (``role`` for ``tag:role``)."""
    if not isinstance(name, str) or not name or ':' in name or len(name) > 60:
        return ''
    ending = [known for known in FILTER_NAMES if known.endswith('-' + name)]
    return ' (did you mean %s?)' % (ending[0] if len(ending) == 1 else TAG_FILTER_PREFIX + name)


def selects(filters: List[Dict[str, Any]], item: Mapping[str, Any]) -> bool:
    """Whether every one of the API ``filters`` selects ``item`` (kept by ``described_item``), as far as its fields
    tell. A name filter is read at its loosest (the value is part of the name), so that nothing the service may
    rightly list is refused; any other is an exact match of one of the filter's values."""
    for item_filter in filters:
        name, values = item_filter['Name'], item_filter['Values']
        if name == NAME_FILTER:
            if not any(value in (item.get('InstanceName') or '') for value in values):
                return False
        elif not set(values) & set(_filtered_fields(name, item)):
            return False
    return True


def _filtered_fields(name: str, item: Mapping[str, Any]) -> List[str]:
    """The values of ``item`` that the filter ``name`` compares (a tag filter: the values of that tag key)."""
    if name.startswith(TAG_FILTER_PREFIX):
        return [value for key, value in tags_of(item).items() if key == name[len(TAG_FILTER_PREFIX):]]
    placement = item.get('Placement') or {}
    network = item.get('VirtualPrivateCloud') or {}
    fields = {
        'instance-id': [item.get('InstanceId')], 'instance-state': [item.get('InstanceState')],
        'instance-charge-type': [item.get('InstanceChargeType')], 'instance-type': [item.get('InstanceType')],
        'zone': [placement.get('Zone')], 'project-id': [str(placement['ProjectId'])] if _has_project(placement) else [],
        'vpc-id': [network.get('VpcId')], 'subnet-id': [network.get('SubnetId')],
        'security-group-id': item.get('SecurityGroupIds') or [],
        'private-ip-address': item.get('PrivateIpAddresses') or [],
        'public-ip-address': item.get('PublicIpAddresses') or [],
        'tag-key': list(tags_of(item)), 'tag-value': list(tags_of(item).values()),
    }
    # Every name of FILTER_NAMES but the name filter is here (a unit test says so): a filter the options take is never
    # let through unchecked.
    return [value for value in fields[name] if isinstance(value, str)]


def _has_project(placement: Mapping[str, Any]) -> bool:
    return isinstance(placement.get('ProjectId'), int)


class InstanceReader:
    """Reads ``DescribeInstances`` through an ``ApiClient``, 100 a call, pages and batches concurrently.

    With ``shared_reads``, the latest operations are read together with the other processes of the user.
    """

    def __init__(self, client: paging.Caller, shared_reads: Optional[paging.SharedReader] = None):
        self._pager = paging.Pager(client, ACTION, 'InstanceSet', described_item, shared_reads=shared_reads,
                                   shared_fields=SHARED_FIELDS)
        # The IDs of instances the latest listing by filters held although they do not select them (see ``matching``).
        self.unselected: List[str] = []

    def matching(self, filters: List[Dict[str, Any]], deadline: Optional[Deadline] = None) -> List[Dict[str, Any]]:
        """Every instance of the client's region that the API filters (from ``api_filters``) select: the service
        applies them, and each instance it lists is checked against them again here. One listed although they do not
        select it is left out, its ID in ``unselected``: a task never reads, stops or terminates an instance on the
        word of an answer alone."""
        # Of the latest listing only: an event source's reader lists again and again, for as long as it runs.
        self.unselected = []
        selected = []
        for item in self.listed(filters, deadline):
            if selects(filters, item):
                selected.append(item)
            else:
                self.unselected.append(item['InstanceId'])
        return selected

    def listed(self, filters: List[Dict[str, Any]], deadline: Optional[Deadline] = None) -> List[Dict[str, Any]]:
        """Every instance the service lists for the API filters, on its word (what a listing excludes errs on the
        side of excluding more)."""
        return self._pager.matching({'Filters': filters} if filters else {}, deadline)

    def described(self, instance_ids: List[str], deadline: Optional[Deadline] = None) -> Dict[str, Dict[str, Any]]:
        """``{instance ID: instance as DescribeInstances lists it, as kept}`` for the IDs the service knows,
        ceil(len/100) calls (without ``shared_reads``: shared reads keep only the state and the latest operation)."""
        return self._pager.by_ids(instance_ids, deadline)

    def latest_operations(self, instance_ids: Iterable[str], deadline: Optional[Deadline]) -> Dict[str, 'Operation']:
        """``{instance ID: Operation}`` for the IDs the service knows, ceil(len/100) calls."""
        return {i: operation_of(item) for i, item in self._pager.by_ids(list(instance_ids), deadline).items()}


def operation_of(item: Mapping[str, Any]) -> 'Operation':
    def text(field):
        value = item.get(field)
        return value if isinstance(value, str) and value else None
    return Operation(*[text(field) for field in OPERATION_FIELDS])
