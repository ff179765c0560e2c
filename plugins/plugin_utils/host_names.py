# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""What each instance is called as an inventory host: the ``hostnames`` preferences, and the one rule a name keeps.

Whoever may name or tag an instance chooses the text a name is made of (and whoever answers for the endpoint, the
IDs). A host name reaches places where text becomes something else: ansible-core before 2.19 renders
``inventory_hostname`` as a template, Ansible reads ``host_vars/<name>`` beside the inventory, ssh takes a name
beginning with ``-`` as an option, ``localhost`` is the controller itself, and a name another source or a group holds
would join that host or group. So a name is used only when it keeps ``RULE``; otherwise, or when two instances would
both take it (whichever is listed first must not win: whoever creates an instance could choose to be first), the
instance is named by its ID, with a warning naming both.
"""

import collections
import re
import socket
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed, shown
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import INSTANCE_ID, tags_of
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.inventory_hosts import NAME_SOURCES

TAG_PREFIX = 'tag:'
TEMPLATE_START = '{{'
DEFAULT_SEPARATOR = '_'
INSTANCE_ID_ENTRY = 'instance-id'
# What a hostnames entry may be, for messages.
HOSTNAME_CHOICES = ', '.join(NAME_SOURCES) + ', tag:<key>, a template over the tencentcloud_ variables, or ' \
    '{name: <entry>, prefix: <entry>, separator: <text>}'

# The rule, as the hostnames option documents it.
RULE = ('ASCII letters, digits, ".", "-" and "_", beginning with a letter, a digit or "_", not ending with ".", at most '
        '253 characters; not localhost or another name of the controller, not an IP address of the controller (loopback, 0.0.0.0) nor '
        'one written other than the usual way, not shaped like an instance ID other than its own, not a group name, '
        'and not a host another inventory source holds')
_CHARACTERS = re.compile(r'[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9_-])?')
# The names Ansible and the usual /etc/hosts give the controller (compared without case), and the groups every
# inventory has.
CONTROLLER_NAMES = frozenset(['localhost', 'localhost.localdomain', 'localhost4', 'localhost4.localdomain4',
                              'localhost6', 'localhost6.localdomain6', 'ip6-localhost', 'ip6-loopback'])
IMPLICIT_GROUPS = frozenset(['all', 'ungrouped'])
_SHOWN_CHARS = 60


class Preference(NamedTuple):
    """A ``hostnames`` entry: the value of ``name``, after the value of ``prefix`` and ``separator`` when it has one.
    Each of ``name`` and ``prefix`` is a ``NAME_SOURCES`` key, ``tag:<key>`` or a template."""

    name: str
    prefix: Optional[str] = None
    separator: str = DEFAULT_SEPARATOR

    def __str__(self) -> str:
        return self.name if self.prefix is None else '%s%s%s' % (self.prefix, self.separator, self.name)


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


def broken_rule(name: str, instance_id: str, held_elsewhere: Callable[[str, str], Optional[str]]) -> Optional[str]:
    """Why ``name`` may not name the instance ``instance_id`` (``RULE``), or ``None``; ``held_elsewhere(name,
    instance_id)`` says what else of the inventory holds the name, if anything does."""
    if not _CHARACTERS.fullmatch(name):
        return 'is not a safe host name (%s)' % RULE.split('; ', 1)[0]
    if _names_the_controller(name):
        return 'names the controller'
    address = _numeric_address(name)
    if address is not None and address != name:
        return 'is the IP address %s written in an unusual form' % address
    if INSTANCE_ID.fullmatch(name) and name != instance_id:
        return 'is shaped like the ID of another instance'
    if name in IMPLICIT_GROUPS:
        return 'is the name of a group'
    holder = held_elsewhere(name, instance_id)
    return None if holder is None else 'is the name of %s' % holder


def _names_the_controller(name):
    lowered = name.lower()
    if lowered in CONTROLLER_NAMES or lowered.endswith('.localhost') or lowered in _own_names():
        return True
    address = _numeric_address(name)
    return address is not None and (address.startswith('127.') or address == '0.0.0.0')


def _numeric_address(name):
    """The IPv4 address the resolver reads in ``name``, the usual way (127.1, 2130706433 and 0x7f.1 are all
    127.0.0.1), or ``None``."""
    try:
        return socket.inet_ntoa(socket.inet_aton(name))
    except (OSError, ValueError):
        return None


def _own_names():
    hostname = socket.gethostname().lower()
    return {hostname, hostname.split('.', 1)[0]}


class Naming(NamedTuple):
    """``names``: instance ID -> host name, for the instances named; ``warnings``: every name refused and every
    instance left out (what ``strict`` makes an error)."""

    names: Dict[str, str]
    warnings: List[str]


def host_names(items: Iterable[Mapping[str, Any]], preferences: List[Preference],
               render: Callable[[str, Mapping[str, Any]], Any],
               held_elsewhere: Callable[[str, str], Optional[str]] = lambda name, instance_id: None) -> Naming:
    """The host name of each instance: the value of the first preference that gives it one, if that keeps ``RULE``
    and no other instance wants it too; else its ID. An instance no preference gives a value is left out.

    ``render(template, item)`` renders a template entry over the instance's variables.
    """
    wanted = {}
    warnings = []
    unnamed = []
    for item in items:
        instance_id = item.get('InstanceId')
        if not isinstance(instance_id, str) or not INSTANCE_ID.fullmatch(instance_id):
            warnings.append('an instance with the malformed ID %s is left out' % shown(instance_id, _SHOWN_CHARS))
            continue
        chosen = _first_value(preferences, item, lambda template, item=item: render(template, item))
        if chosen is None:
            unnamed.append(instance_id)
            continue
        entry, value = chosen
        # An ID of the documented form keeps the rule but for another holder of it, which is looked for below.
        refusal = None if value == instance_id else broken_rule(value, instance_id, held_elsewhere)
        if refusal is not None:
            warnings.append('instance %s: %s %s %s: named %s instead'
                            % (instance_id, entry, shown(value, _SHOWN_CHARS), refusal, instance_id))
            value = instance_id
        wanted[instance_id] = (entry, value)
    names = dict(_uncontested(wanted, warnings))
    if unnamed:
        warnings.append('%d instance(s) left out, no hostnames entry gives them a name (end the list with '
                        'instance-id to name them by ID): %s' % (len(unnamed), listed(unnamed)))
    return Naming(_without_held(names, held_elsewhere, warnings), warnings)


def _first_value(preferences, item, render):
    for preference in preferences:
        value = preferred_value(preference, item, render)
        if value:
            return preference, value
    return None


def _uncontested(wanted, warnings):
    """``(ID, name)`` for every instance, the names two or more instances want replaced by their IDs."""
    wanting = collections.defaultdict(list)
    for instance_id, (_entry_used, value) in wanted.items():
        wanting[value].append(instance_id)
    for instance_id, (entry, value) in wanted.items():
        rivals = wanting[value]
        if len(rivals) > 1 and value != instance_id:
            warnings.append('instance %s: %s %s is wanted by %d instances (%s): each is named by its ID instead'
                            % (instance_id, entry, shown(value, _SHOWN_CHARS), len(rivals), listed(rivals, 3)))
            value = instance_id
        yield instance_id, value


def _without_held(names, held_elsewhere, warnings):
    """``names`` but those whose ID fallback another source holds too: such an instance is left out."""
    kept = {}
    for instance_id, name in names.items():
        holder = held_elsewhere(name, instance_id) if name == instance_id else None
        if holder is not None:
            warnings.append('instance %s: its ID is the name of %s: left out' % (instance_id, holder))
            continue
        kept[instance_id] = name
    return kept
