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
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple

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


TAG_PREFIX = 'tag:'
TEMPLATE_START = '{{'
DEFAULT_SEPARATOR = '_'
# What a hostnames entry may be, for messages.
HOSTNAME_CHOICES = ', '.join(NAME_SOURCES) + ', tag:<key>, a template over the tencentcloud_ variables, or ' \
    '{name: <entry>, prefix: <entry>, separator: <text>}'


class Preference(NamedTuple):
    """A ``hostnames`` entry: the value of ``name``, after the value of ``prefix`` and ``separator`` when it has one.
    Each of ``name`` and ``prefix`` is a ``NAME_SOURCES`` key, ``tag:<key>`` or a template."""

    name: str
    prefix: Optional[str] = None
    separator: str = DEFAULT_SEPARATOR

    def __str__(self) -> str:
        return self.name if self.prefix is None else '%s%s%s' % (self.prefix, self.separator, self.name)


def check_preferences(option: str, preferences: object) -> List[str]:
    """An address preference list, refused by name when an entry is not one of ``NAME_SOURCES``."""
    if not isinstance(preferences, list) or not preferences:
        raise OptionError('%s must be a non-empty list of %s' % (option, ', '.join(NAME_SOURCES)))
    unknown = [entry for entry in preferences if entry not in NAME_SOURCES]
    if unknown:
        raise OptionError('%s: unknown entry %.60r; choose from %s' % (option, unknown[0], ', '.join(NAME_SOURCES)))
    return preferences


def checked_hostnames(preferences: object) -> List[Preference]:
    """The ``hostnames`` preferences, each entry checked, refused by name when it is not one of ``HOSTNAME_CHOICES``."""
    if not isinstance(preferences, list) or not preferences:
        raise OptionError('hostnames must be a non-empty list of %s' % HOSTNAME_CHOICES)
    return [_preference(entry) for entry in preferences]


def _preference(entry):
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - {'name', 'prefix', 'separator'})
        separator = entry.get('separator', DEFAULT_SEPARATOR)
        if 'name' not in entry or unknown or not isinstance(separator, str):
            raise OptionError('hostnames: an entry that is a dictionary takes name (required), prefix and separator '
                              '(a string), not %.80r' % (entry,))
        prefix = entry.get('prefix')
        return Preference(_entry(entry['name']), None if prefix is None else _entry(prefix), separator)
    return Preference(_entry(entry))


def _entry(entry):
    if isinstance(entry, str) and (entry in NAME_SOURCES or TEMPLATE_START in entry or (
            entry.startswith(TAG_PREFIX) and len(entry) > len(TAG_PREFIX))):
        return entry
    raise OptionError('hostnames: unknown entry %.60r; choose from %s' % (entry, HOSTNAME_CHOICES))


def value_of(entry: str, item: Mapping[str, Any], render: Callable[[str], Any]) -> Optional[str]:
    """What ``entry`` gives for an instance: a field, a tag's value, or what a template renders to (``render``, over
    the instance's variables); ``None`` for nothing."""
    if entry in NAME_SOURCES:
        value = NAME_SOURCES[entry](item)
    elif TEMPLATE_START in entry:
        value = render(entry)
    else:
        value = tags_of(item).get(entry[len(TAG_PREFIX):])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    # A plain string, as every other name is: what a template renders may be a marked str subclass (join, unlike
    # str(), gives an exact str).
    return ''.join([value]) if isinstance(value, str) and value else None


def preferred_value(preference: Preference, item: Mapping[str, Any], render: Callable[[str], Any]) -> Optional[str]:
    """The name ``preference`` gives the instance: its name entry's value, after its prefix entry's and the
    separator when the prefix has a value (as amazon.aws's aws_ec2 does)."""
    value = value_of(preference.name, item, render)
    if value is None or preference.prefix is None:
        return value
    prefix = value_of(preference.prefix, item, render)
    return value if prefix is None else ''.join([prefix, preference.separator, value])


# A path separator, a leading dot (../, hidden files), white space or control characters, or the characters that
# separate hosts and groups in Ansible's patterns and INI inventories.
_UNSAFE_NAME = re.compile(r'^\.|[/\\\s,\[\]\x00-\x1f\x7f]')
_SHOWN_CHARS = 60

Named = collections.namedtuple('Named', ['name', 'warnings', 'clash'])
Named.__doc__ = ('A host name (``None``: the instance is left out), what the user should hear about how it was chosen, '
                 'and ``clash``: what says that a preferred name already named another instance (``None`` if none).')


def host_name(preferences: List[Preference], item: Mapping[str, Any], taken: Mapping[str, str],
              render: Callable[[str], Any] = str) -> 'Named':
    """The instance's name by the first preference that gives a safe name no other instance holds in ``taken``;
    ``render`` renders a template entry over the instance's variables.

    A value refused (unsafe, or another instance's) falls to the next preference, then to the instance ID; an instance
    with no value for any preference is left out, as it always was.
    """
    instance_id = item.get('InstanceId')
    warnings = []
    clash = None
    entries = list(preferences)
    for entry in entries:
        value = preferred_value(entry, item, render)
        if not value:
            continue
        refusal = _refusal(value, instance_id, taken)
        if refusal is None:
            return Named(value, warnings, clash)
        warning = 'instance %s: %s %s %s' % (_shown(instance_id), entry, _shown(value), refusal)
        if clash is None and value in taken:
            clash = warning
        warnings.append(warning)
        if Preference('instance-id') not in entries:
            entries.append(Preference('instance-id'))
    if warnings:
        warnings.append('instance %s has no safe host name of its own: left out' % _shown(instance_id))
    return Named(None, warnings, clash)


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
        'instance_charge_type': item.get('InstanceChargeType'),
        'cpu': item.get('CPU'),
        'memory': item.get('Memory'),
        'image_id': item.get('ImageId'),
        'region': region,
        'zone': placement.get('Zone'),
        'project_id': placement.get('ProjectId'),
        'tags': tags_of(item),
        'private_ip_addresses': _strings(item.get('PrivateIpAddresses')),
        'public_ip_addresses': _strings(item.get('PublicIpAddresses')),
        'ipv6_addresses': _strings(item.get('IPv6Addresses')),
        'vpc_id': network.get('VpcId'),
        'subnet_id': network.get('SubnetId'),
        'security_group_ids': _strings(item.get('SecurityGroupIds')),
        'os_name': item.get('OsName'),
        'created_time': item.get('CreatedTime'),
        'latest_operation': item.get('LatestOperation'),
        'latest_operation_state': item.get('LatestOperationState'),
        'latest_operation_request_id': item.get('LatestOperationRequestId'),
    }
    return {PREFIX + name: value for name, value in found.items()}


def _strings(values):
    """The strings of a list the API gives (anything else in it, or instead of it, is left out)."""
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []


def _first(values):
    return values[0] if isinstance(values, list) and values else None
