# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a read keeps of an instance: the documented fields of a ``Describe*`` item, each checked against the form the
service documents for it and cut to the service's own limits.

Whoever may name or tag an instance chooses its text, and whoever answers for the endpoint (a user may point
``endpoint`` anywhere) chooses everything. So an item whose ``InstanceId`` or ``InstanceState`` is not of the
documented form is left out (an ``InvalidResponse`` for that item, said in a warning); free text keeps no character
that hides what it says and is cut to the service's limits; an address is an IP address of another host (no zone
suffix, not loopback, unspecified or link-local); tags
are a flat mapping of text to text, at most as many as a resource can have; and nothing a plugin does not use is
kept. A read's memory then grows with the number of instances, not with the size of what the server sends.
"""

import dataclasses
import ipaddress
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import printable

INSTANCE_ID = re.compile(r'ins-[a-z0-9]{8}')
# A state as the service spells them (RUNNING, ENTER_RESCUE_MODE...); new ones appear over time: the form is checked.
STATE = re.compile(r'[A-Z][A-Z0-9_]{0,63}')
# An operation is named by its action (StartInstances); its RequestId is a UUID (other forms are let through).
ACTION_NAME = re.compile(r'[A-Z][A-Za-z0-9]{0,63}')
REQUEST_ID = re.compile(r'[A-Za-z0-9][A-Za-z0-9._:-]{0,127}')
# The service's limits: an instance name (RunInstances, ModifyInstancesAttribute), a resource's tags (Tag service).
MAX_NAME_CHARS = 128
MAX_TAGS = 50
MAX_TAG_KEY_CHARS = 127
MAX_TAG_VALUE_CHARS = 255
# Everything else the service describes with a short identifier or text: types, zones, images, OS names, times.
MAX_TEXT_CHARS = 255
MAX_MESSAGE_CHARS = 300
# More addresses or security groups than any instance has.
MAX_LIST_ITEMS = 64
# Items a warning names, of a page that had more wrong.
_NAMED_ITEMS = 3
_SHOWN_CHARS = 40


class KeptItem(NamedTuple):
    """An item as kept (``None``: left out, ``refusal`` says why), and what was cut from it (``cuts``)."""

    item: Optional[Dict[str, Any]]
    refusal: Optional[str] = None
    cuts: Sequence[str] = ()


@dataclasses.dataclass(frozen=True)
class Text:
    """Keeps a field of free text: printable, at most ``limit`` characters; ``None`` for an empty or other value."""

    limit: int

    def __call__(self, value: Any) -> Optional[str]:
        return printable(value, self.limit) if isinstance(value, str) and value else None


@dataclasses.dataclass(frozen=True)
class OfForm:
    """Keeps a field of a documented form (``pattern``, matched whole) as it is; ``None`` for any other value."""

    pattern: 're.Pattern'

    def __call__(self, value: Any) -> Optional[str]:
        return value if isinstance(value, str) and self.pattern.fullmatch(value) else None


def integer(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def address(value: Any) -> Optional[str]:
    """An IP address of another host as written, or ``None``: a zone suffix (``fe80::1%eth0``) names an interface of
    the controller, and a loopback, unspecified or link-local address (``127.0.0.1``, ``::``, ``fe80::1``, or one of
    them mapped into IPv6, ``::ffff:127.0.0.1``) would have ssh reach the controller itself or its own link."""
    if not isinstance(value, str) or '%' in value:
        return None
    try:
        parsed = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(parsed, 'ipv4_mapped', None)
    if any(found.is_loopback or found.is_unspecified or found.is_link_local for found in (parsed, mapped) if found):
        return None
    return str(parsed)


ADDRESS_FIELDS = ('PrivateIpAddresses', 'PublicIpAddresses', 'IPv6Addresses')


def addresses(values: Any) -> List[str]:
    return [a for a in map(address, _first_items(values)) if a is not None]


def identifiers(values: Any) -> List[str]:
    return [i for i in map(Text(MAX_TEXT_CHARS), _first_items(values)) if i is not None]


def _first_items(values):
    return values[:MAX_LIST_ITEMS] if isinstance(values, list) else []


STATUS_FIELDS = {
    'InstanceId': OfForm(INSTANCE_ID),
    'InstanceState': OfForm(STATE),
}
OPERATION_FIELDS = {
    'LatestOperation': OfForm(ACTION_NAME),
    'LatestOperationState': OfForm(STATE),
    'LatestOperationRequestId': OfForm(REQUEST_ID),
    'LatestOperationErrorMsg': Text(MAX_MESSAGE_CHARS),
}
DESCRIBED_FIELDS = dict(STATUS_FIELDS, **OPERATION_FIELDS, **{
    'InstanceName': Text(MAX_NAME_CHARS),
    'InstanceType': Text(MAX_TEXT_CHARS),
    'InstanceChargeType': Text(MAX_TEXT_CHARS),
    'CPU': integer,
    'Memory': integer,
    'ImageId': Text(MAX_TEXT_CHARS),
    'OsName': Text(MAX_TEXT_CHARS),
    'CreatedTime': Text(MAX_TEXT_CHARS),
    'ExpiredTime': Text(MAX_TEXT_CHARS),
    'PrivateIpAddresses': addresses,
    'PublicIpAddresses': addresses,
    'IPv6Addresses': addresses,
    'SecurityGroupIds': identifiers,
})
# Nested objects of DescribeInstances: the fields kept of each.
DESCRIBED_OBJECTS = {
    'Placement': {'Zone': Text(MAX_TEXT_CHARS), 'ProjectId': integer},
    'VirtualPrivateCloud': {'VpcId': Text(MAX_TEXT_CHARS), 'SubnetId': Text(MAX_TEXT_CHARS)},
}


def status_item(item: Any) -> KeptItem:
    """A ``DescribeInstancesStatus`` item: its ID and state."""
    return _checked(item, STATUS_FIELDS, {}, with_tags=False)


def described_item(item: Any) -> KeptItem:
    """A ``DescribeInstances`` item: the fields a plugin shows (``DESCRIBED_FIELDS``, ``DESCRIBED_OBJECTS``, tags)."""
    return _checked(item, DESCRIBED_FIELDS, DESCRIBED_OBJECTS, with_tags=True)


def _checked(item, fields, objects, with_tags):
    if not isinstance(item, dict):
        return KeptItem(None, 'an item that is not an object')
    kept = {name: check(item.get(name)) for name, check in fields.items()}
    for name in STATUS_FIELDS:
        if kept[name] is None:
            return KeptItem(None, 'an item whose %s is %s' % (name, _shown(item.get(name))))
    for name, nested in objects.items():
        given = item.get(name)
        given = given if isinstance(given, dict) else {}
        kept[name] = {field: check(given.get(field)) for field, check in nested.items()}
    cuts = []
    if isinstance(item.get('InstanceName'), str) and len(item['InstanceName']) > MAX_NAME_CHARS:
        cuts.append('a name longer than %d characters' % MAX_NAME_CHARS)
    for name in ADDRESS_FIELDS:
        if name in fields and isinstance(item.get(name), list) and len(kept[name]) < len(item[name]):
            cuts.append('%s not the address of another host (an IP address without a zone, not loopback, '
                        'unspecified or link-local)' % name)
    if with_tags:
        kept['Tags'], tag_cuts = kept_tags(item.get('Tags'))
        cuts.extend(tag_cuts)
    return KeptItem(kept, None, cuts)


def kept_tags(tags: Any) -> Tuple[List[Dict[str, str]], List[str]]:
    """``([{Key, Value}], cuts)``: the first ``MAX_TAGS`` tags that are pairs of text, each key and value cut to the
    service's limits; a key met twice keeps its first value (a resource has one value per key)."""
    pairs: Dict[str, str] = {}
    cuts = []
    listed = tags if isinstance(tags, list) else []
    for tag in listed:
        if len(pairs) == MAX_TAGS:
            cuts.append('%d tags, more than the %d a resource can have' % (len(listed), MAX_TAGS))
            break
        if not isinstance(tag, dict) or not isinstance(tag.get('Key'), str) or not tag['Key'] \
                or not isinstance(tag.get('Value'), str):
            continue
        key, value = tag['Key'], tag['Value']
        if len(key) > MAX_TAG_KEY_CHARS or len(value) > MAX_TAG_VALUE_CHARS:
            cuts.append('a tag longer than the %d characters of a key or %d of a value'
                        % (MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS))
        pairs.setdefault(printable(key, MAX_TAG_KEY_CHARS), printable(value, MAX_TAG_VALUE_CHARS))
    return [{'Key': key, 'Value': value} for key, value in pairs.items()], list(dict.fromkeys(cuts))


def tags_of(item: Mapping[str, Any]) -> Dict[str, str]:
    """A kept item's tags as ``{key: value}``."""
    return {tag['Key']: tag['Value'] for tag in item.get('Tags') or []}


def details(region: str, item: Mapping[str, Any]) -> Dict[str, Any]:
    """A kept ``DescribeInstances`` item as the plugins show it: snake_case names, tags as ``{key: value}``."""
    placement = item.get('Placement') or {}
    network = item.get('VirtualPrivateCloud') or {}
    return {
        'instance_id': item.get('InstanceId'),
        'instance_state': item.get('InstanceState'),
        'instance_name': item.get('InstanceName'),
        'instance_type': item.get('InstanceType'),
        'instance_charge_type': item.get('InstanceChargeType'),
        'cpu': item.get('CPU'),
        'memory': item.get('Memory'),
        'image_id': item.get('ImageId'),
        'region': region,
        'zone': placement.get('Zone'),
        'project_id': placement.get('ProjectId'),
        'tags': tags_of(item),
        'private_ip_addresses': list(item.get('PrivateIpAddresses') or []),
        'public_ip_addresses': list(item.get('PublicIpAddresses') or []),
        'ipv6_addresses': list(item.get('IPv6Addresses') or []),
        'vpc_id': network.get('VpcId'),
        'subnet_id': network.get('SubnetId'),
        'security_group_ids': list(item.get('SecurityGroupIds') or []),
        'os_name': item.get('OsName'),
        'created_time': item.get('CreatedTime'),
        'expired_time': item.get('ExpiredTime'),
        'latest_operation': item.get('LatestOperation'),
        'latest_operation_state': item.get('LatestOperationState'),
        'latest_operation_request_id': item.get('LatestOperationRequestId'),
    }


def page_warnings(action: str, refused: List[KeptItem], cut: List[KeptItem]) -> List[str]:
    """What a page's reader should hear: the items left out (``InvalidResponse``), the items cut short."""
    warnings = []
    if refused:
        warnings.append('%s answered %d item(s) not of the documented form, left out (InvalidResponse): %s'
                        % (action, len(refused), '; '.join(str(kept.refusal) for kept in refused[:_NAMED_ITEMS])))
    if cut:
        warnings.append('%s answered %d instance(s) with fields beyond the service\'s limits or not of their documented '
                        'form, kept in part: %s'
                        % (action, len(cut), '; '.join(_cut_of(kept) for kept in cut[:_NAMED_ITEMS])))
    return warnings


def _cut_of(kept: KeptItem) -> str:
    return '%s: %s' % ((kept.item or {}).get('InstanceId'), ', '.join(kept.cuts))


def _shown(value):
    # repr() escapes what would hide text; a long or large value is not repeated whole.
    if not isinstance(value, str):
        return 'missing' if value is None else 'a %s' % type(value).__name__
    return repr(value[:_SHOWN_CHARS]) + ('...' if len(value) > _SHOWN_CHARS else '')
