# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance as an inventory host: its name, its ``ansible_host`` and its ``tencentcloud_`` variables.

Whoever can name an instance (or answer for the API) chooses these values, so a name is used only when it is a safe
host name and free, and ``ansible_host`` only when it is an IP address. Ansible reads ``host_vars/<name>`` beside the
inventory: ``../../tmp/x`` would have it load a file any local user wrote; ``ansible_host`` reaches ssh's command line.
"""

import collections
import ipaddress
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import tags_of

PREFIX = 'tencentcloud_'
# What a host can be named (and reached) by, as DescribeInstances fields.
NAME_SOURCES = {
    'instance-id': lambda item: item.get('InstanceId'),
    'instance-name': lambda item: item.get('InstanceName'),
    'private-ip-address': lambda item: _first(item.get('PrivateIpAddresses')),
    'public-ip-address': lambda item: _first(item.get('PublicIpAddresses')),
}


def check_preferences(option: str, preferences: object) -> List[str]:
    """The preference list, refused by name when an entry is not one of ``NAME_SOURCES``."""
    if not isinstance(preferences, list) or not preferences:
        raise OptionError('%s must be a non-empty list of %s' % (option, ', '.join(NAME_SOURCES)))
    unknown = [entry for entry in preferences if entry not in NAME_SOURCES]
    if unknown:
        raise OptionError('%s: unknown entry %.60r; choose from %s' % (option, unknown[0], ', '.join(NAME_SOURCES)))
    return preferences


# A path separator, a leading dot (../, hidden files), white space or control characters, or the characters that
# separate hosts and groups in Ansible's patterns and INI inventories.
_UNSAFE_NAME = re.compile(r'^\.|[/\\\s,\[\]\x00-\x1f\x7f]')
_SHOWN_CHARS = 60

Named = collections.namedtuple('Named', ['name', 'warnings'])
Named.__doc__ = 'A host name (``None``: the instance is left out) and what the user should hear about how it was chosen.'


def host_name(preferences: List[str], item: Mapping[str, Any], taken: Mapping[str, str]) -> 'Named':
    """The instance's name by the first preference that gives a safe name no other instance holds in ``taken``.

    A value refused (unsafe, or another instance's) falls to the next preference, then to the instance ID; an instance
    with no value for any preference is left out, as it always was.
    """
    instance_id = item.get('InstanceId')
    warnings = []
    entries = list(preferences)
    for entry in entries:
        value = NAME_SOURCES[entry](item)
        if not value:
            continue
        refusal = _refusal(value, instance_id, taken)
        if refusal is None:
            return Named(value, warnings)
        warnings.append('instance %s: %s %s %s' % (_shown(instance_id), entry, _shown(value), refusal))
        if 'instance-id' not in entries:
            entries.append('instance-id')
    if warnings:
        warnings.append('instance %s has no safe host name of its own: left out' % _shown(instance_id))
    return Named(None, warnings)


def _refusal(value, instance_id, taken):
    """Why ``value`` cannot name the instance, or ``None``."""
    if not isinstance(value, str) or _UNSAFE_NAME.search(value) or not value.isprintable():
        return ('is not a safe host name (no /, \\, leading dot, white space, control characters, comma or brackets): '
                'not used')
    holder = taken.get(value)
    if holder is not None and holder != instance_id:
        return 'already names instance %s: not used for this one' % _shown(holder)
    return None


def host_address(preferences: List[str], item: Mapping[str, Any]) -> Tuple[Optional[str], List[str]]:
    """``(ansible_host or None, warnings)``: the first preference that is an IP address; anything else is refused."""
    warnings = []
    for entry in preferences:
        value = NAME_SOURCES[entry](item)
        if not value:
            continue
        try:
            return str(ipaddress.ip_address(value)), warnings
        except ValueError:
            warnings.append('instance %s: %s %s is not an IP address: not used as ansible_host'
                            % (_shown(item.get('InstanceId')), entry, _shown(value)))
    return None, warnings


def _shown(value):
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + '...'


def host_vars(region: str, item: Mapping[str, Any]) -> Dict[str, Any]:
    """The ``tencentcloud_`` variables of an instance as ``DescribeInstances`` lists it."""
    placement = item.get('Placement') or {}
    network = item.get('VirtualPrivateCloud') or {}
    found = {
        'instance_id': item.get('InstanceId'),
        'instance_state': item.get('InstanceState'),
        'instance_name': item.get('InstanceName'),
        'instance_type': item.get('InstanceType'),
        'region': region,
        'zone': placement.get('Zone'),
        'project_id': placement.get('ProjectId'),
        'tags': tags_of(item),
        'private_ip_addresses': list(item.get('PrivateIpAddresses') or []),
        'public_ip_addresses': list(item.get('PublicIpAddresses') or []),
        'vpc_id': network.get('VpcId'),
        'subnet_id': network.get('SubnetId'),
        'os_name': item.get('OsName'),
        'created_time': item.get('CreatedTime'),
        'latest_operation': item.get('LatestOperation'),
        'latest_operation_state': item.get('LatestOperationState'),
        'latest_operation_request_id': item.get('LatestOperationRequestId'),
    }
    return {PREFIX + name: value for name, value in found.items()}


def _first(values):
    return values[0] if isinstance(values, list) and values else None
