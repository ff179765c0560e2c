# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance as an inventory host: its name, its ``ansible_host`` and its ``tencentcloud_`` variables."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

PREFIX = 'tencentcloud_'
# What a host can be named (and reached) by, as DescribeInstances fields.
NAME_SOURCES = {
    'instance-id': lambda item: item.get('InstanceId'),
    'instance-name': lambda item: item.get('InstanceName'),
    'private-ip-address': lambda item: _first(item.get('PrivateIpAddresses')),
    'public-ip-address': lambda item: _first(item.get('PublicIpAddresses')),
}


def check_preferences(option, preferences):
    """The preference list, refused by name when an entry is not one of ``NAME_SOURCES``."""
    if not isinstance(preferences, list) or not preferences:
        raise OptionError('%s must be a non-empty list of %s' % (option, ', '.join(NAME_SOURCES)))
    unknown = [entry for entry in preferences if entry not in NAME_SOURCES]
    if unknown:
        raise OptionError('%s: unknown entry %.60r; choose from %s' % (option, unknown[0], ', '.join(NAME_SOURCES)))
    return preferences


def first_of(preferences, item):
    """The value of the first preference the instance has, or ``None``."""
    return next((value for value in (NAME_SOURCES[entry](item) for entry in preferences) if value), None)


def host_vars(region, item):
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
        'tags': dict((tag.get('Key'), tag.get('Value')) for tag in item.get('Tags') or [] if isinstance(tag, dict)),
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
    return dict((PREFIX + name, value) for name, value in found.items())


def _first(values):
    return values[0] if isinstance(values, list) and values else None
