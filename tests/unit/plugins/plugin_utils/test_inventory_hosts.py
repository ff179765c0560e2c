# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance as an inventory host."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import inventory_hosts

ITEM = {
    'InstanceId': 'ins-aaaaaaaa', 'InstanceName': 'web-1', 'InstanceType': 'S5.MEDIUM4', 'InstanceState': 'RUNNING',
    'Placement': {'Zone': 'ap-guangzhou-3', 'ProjectId': 0}, 'PrivateIpAddresses': ['10.0.0.7'],
    'PublicIpAddresses': None, 'VirtualPrivateCloud': {'VpcId': 'vpc-1', 'SubnetId': 'subnet-1'},
    'OsName': 'TencentOS', 'Tags': [{'Key': 'env', 'Value': 'prod'}], 'CreatedTime': '2026-01-01T00:00:00Z',
    'LatestOperation': 'StartInstances', 'LatestOperationState': 'SUCCESS', 'LatestOperationRequestId': 'req-1',
    'InstanceChargeType': 'POSTPAID_BY_HOUR', 'CPU': 2, 'Memory': 4, 'ImageId': 'img-1',
    'IPv6Addresses': ['2402:4e00::7'], 'SecurityGroupIds': ['sg-1', 7],
}


def kept(item):
    """An instance as a read keeps it."""
    return described_item(item).item


def test_the_variables_of_a_host():
    assert inventory_hosts.host_vars('ap-guangzhou', kept(ITEM)) == {
        'tencentcloud_instance_id': 'ins-aaaaaaaa', 'tencentcloud_instance_state': 'RUNNING',
        'tencentcloud_instance_name': 'web-1', 'tencentcloud_instance_type': 'S5.MEDIUM4',
        'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_zone': 'ap-guangzhou-3', 'tencentcloud_project_id': 0,
        'tencentcloud_tags': {'env': 'prod'}, 'tencentcloud_private_ip_addresses': ['10.0.0.7'],
        'tencentcloud_public_ip_addresses': [], 'tencentcloud_vpc_id': 'vpc-1', 'tencentcloud_subnet_id': 'subnet-1',
        'tencentcloud_os_name': 'TencentOS', 'tencentcloud_created_time': '2026-01-01T00:00:00Z',
        'tencentcloud_latest_operation': 'StartInstances', 'tencentcloud_latest_operation_state': 'SUCCESS',
        'tencentcloud_latest_operation_request_id': 'req-1', 'tencentcloud_instance_charge_type': 'POSTPAID_BY_HOUR',
        'tencentcloud_cpu': 2, 'tencentcloud_memory': 4, 'tencentcloud_image_id': 'img-1',
        'tencentcloud_ipv6_addresses': ['2402:4e00::7'], 'tencentcloud_security_group_ids': ['sg-1'],
        'tencentcloud_expired_time': None}


def test_a_sparse_answer_still_makes_a_host():
    found = inventory_hosts.host_vars('ap-guangzhou', kept({'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING',
                                                            'Tags': ['not a tag', {'Key': 'k', 'Value': 'v'}]}))
    assert found['tencentcloud_tags'] == {'k': 'v'} and found['tencentcloud_zone'] is None


def test_public_addresses_are_listed_when_the_instance_has_them():
    found = inventory_hosts.host_vars('ap-guangzhou', kept(dict(ITEM, PublicIpAddresses=['203.0.113.7'])))
    assert found['tencentcloud_public_ip_addresses'] == ['203.0.113.7']


@pytest.mark.parametrize('addresses', ['203.0.113.7', [], None])
def test_an_address_preference_takes_only_the_first_of_a_list(addresses):
    assert inventory_hosts.host_address(['public-ip-address'], dict(ITEM, PublicIpAddresses=addresses)) == (None, [])


@pytest.mark.parametrize('address, expected', [('10.0.0.7', '10.0.0.7'), ('2001:db8::7', '2001:db8::7'),
                                               ('-oProxyCommand=touch /tmp/x', None), ('host.example', None),
                                               ('fe80::1%eth0', None), ('fe80::1%{{ x }}', None),
                                               ('127.0.0.1', None), ('::1', None), ('0.0.0.0', None),
                                               ('::ffff:127.0.0.1', None), ('fe80::1', None)])
def test_ansible_host_is_only_ever_the_address_of_another_host(address, expected):
    found, warnings = inventory_hosts.host_address(['instance-name'], dict(ITEM, InstanceName=address))
    assert found == expected
    assert warnings == ([] if expected else ["instance 'ins-aaaaaaaa': instance-name %r is not the address of another "
                                             "host (an IP address without a zone, not loopback, unspecified or "
                                             "link-local): not used as ansible_host" % address])


@pytest.mark.parametrize('name, shown', [('x' * 58, repr('x' * 58)), ('x' * 59, repr('x' * 59)[:60] + '...')])
def test_a_name_refused_as_an_address_is_shown_up_to_60_characters(name, shown):
    _found, (warning,) = inventory_hosts.host_address(['instance-name'], dict(ITEM, InstanceName=name))
    assert warning.startswith("instance 'ins-aaaaaaaa': instance-name %s is not the address" % shown)


@pytest.mark.parametrize('preferences, message', [
    (['dns-name'], "hostnames: unknown entry 'dns-name'; choose from instance-id, instance-name, private-ip-address, "
                   "public-ip-address"),
    ([], 'hostnames must be a non-empty list of instance-id, instance-name, private-ip-address, public-ip-address'),
    ('instance-id', 'hostnames must be a non-empty list of '),
])
def test_bad_preferences_are_named(preferences, message):
    with pytest.raises(OptionError) as caught:
        inventory_hosts.check_preferences('hostnames', preferences)
    assert str(caught.value).startswith(message)


def test_an_address_preference_without_a_value_falls_to_the_next():
    found, warnings = inventory_hosts.host_address(['public-ip-address', 'private-ip-address'], ITEM)
    assert (found, warnings) == ('10.0.0.7', [])


@pytest.mark.parametrize('expression, nearest', [
    ('tags.role', 'tencentcloud_tags.role'),
    ("tags['role'] | default('none')", "tencentcloud_tags['role'] | default('none')"),
    ('private_ip_address', 'tencentcloud_private_ip_addresses'),
    ('instance_state', 'tencentcloud_instance_state'),
    ('placement.availability_zone', None),
    # Nearer than chance, not near enough to be meant: no guess.
    ('reg', None),
    ('"literal"', None),
])
def test_an_aws_ec2_habit_is_pointed_at_the_nearest_host_variable(expression, nearest):
    variables = inventory_hosts.host_vars('ap-guangzhou', ITEM)
    assert inventory_hosts.nearest_variable(expression, variables) == nearest
