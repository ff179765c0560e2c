# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""An instance as an inventory host: its ``ansible_host`` and its ``tencentcloud_`` variables (its name is
``host_names``').

Whoever can name an instance (or answer for the API) chooses these values: ``ansible_host`` reaches ssh's command
line, so it is only ever an IP address of another host (no zone suffix; never loopback, unspecified or
link-local, which would be the controller or its own link); the variables are the instance as the read kept it
(``instance_fields``), which the inventory marks as data, never templates.
"""

import difflib
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import shown
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import address, details

PREFIX = 'tencentcloud_'
# What a host can be named (and reached) by, as DescribeInstances fields.
NAME_SOURCES = {
    'instance-id': lambda item: item.get('InstanceId'),
    'instance-name': lambda item: item.get('InstanceName'),
    'private-ip-address': lambda item: _first(item.get('PrivateIpAddresses')),
    'public-ip-address': lambda item: _first(item.get('PublicIpAddresses')),
}
_SHOWN_CHARS = 60


def check_preferences(option: str, preferences: object) -> List[str]:
    """An address preference list, refused by name when an entry is not one of ``NAME_SOURCES``."""
    if not isinstance(preferences, list) or not preferences:
        raise OptionError('%s must be a non-empty list of %s' % (option, ', '.join(NAME_SOURCES)))
    unknown = [entry for entry in preferences if entry not in NAME_SOURCES]
    if unknown:
        raise OptionError('%s: unknown entry %.60r; choose from %s' % (option, unknown[0], ', '.join(NAME_SOURCES)))
    return preferences


def host_address(preferences: List[str], item: Mapping[str, Any]) -> Tuple[Optional[str], List[str]]:
    """``(ansible_host or None, warnings)``: the first preference that is the address of another host
    (``instance_fields.address``); anything else is refused."""
    warnings: List[str] = []
    for entry in preferences:
        value = NAME_SOURCES[entry](item)
        if not value:
            continue
        found = address(value)
        if found is not None:
            return found, warnings
        warnings.append('instance %s: %s %s is not the address of another host (an IP address without a zone, not '
                        'loopback, unspecified or link-local): not used as ansible_host'
                        % (shown(item.get('InstanceId'), _SHOWN_CHARS), entry, shown(value, _SHOWN_CHARS)))
    return None, warnings


# The variable an expression begins with: what an aws_ec2 habit gets wrong (tags.role for tencentcloud_tags.role).
_FIRST_NAME = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)')


def nearest_variable(expression: str, host_vars: Mapping[str, Any]) -> Optional[str]:
    """``expression`` with its first variable replaced by the host variable it most likely means (the same name with
    the ``tencentcloud_`` prefix, or the closest name), or ``None`` when none is near."""
    found = _FIRST_NAME.match(expression)
    if not found:
        return None
    name = found.group(1)
    if PREFIX + name in host_vars:
        nearest = PREFIX + name
    else:
        # Compared without the prefix, which every name shares and would make any two look alike.
        close = difflib.get_close_matches(name, [n[len(PREFIX):] for n in host_vars if n.startswith(PREFIX)], n=1,
                                          cutoff=0.7)
        if not close:
            return None
        nearest = PREFIX + close[0]
    return expression[:found.start(1)] + nearest + expression[found.end(1):]


def host_vars(region: str, item: Mapping[str, Any]) -> Dict[str, Any]:
    """The ``tencentcloud_`` variables of an instance as a ``DescribeInstances`` read keeps it."""
    return {PREFIX + name: value for name, value in details(region, item).items()}


def _first(values):
    return values[0] if isinstance(values, list) and values else None
