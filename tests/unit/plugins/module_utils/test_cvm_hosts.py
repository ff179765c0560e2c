# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance as an inventory host."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import cvm_hosts
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

ITEM = {
    'InstanceId': 'ins-aaaaaaaa', 'InstanceName': 'web-1', 'InstanceType': 'S5.MEDIUM4', 'InstanceState': 'RUNNING',
    'Placement': {'Zone': 'ap-guangzhou-3', 'ProjectId': 0}, 'PrivateIpAddresses': ['10.0.0.7'],
    'PublicIpAddresses': None, 'VirtualPrivateCloud': {'VpcId': 'vpc-1', 'SubnetId': 'subnet-1'},
    'OsName': 'TencentOS', 'Tags': [{'Key': 'env', 'Value': 'prod'}], 'CreatedTime': '2026-01-01T00:00:00Z',
    'LatestOperation': 'StartInstances', 'LatestOperationState': 'SUCCESS', 'LatestOperationRequestId': 'req-1',
}


def test_the_variables_of_a_host():
    assert cvm_hosts.host_vars('ap-guangzhou', ITEM) == {
        'tencentcloud_instance_id': 'ins-aaaaaaaa', 'tencentcloud_instance_state': 'RUNNING',
        'tencentcloud_instance_name': 'web-1', 'tencentcloud_instance_type': 'S5.MEDIUM4',
        'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_zone': 'ap-guangzhou-3', 'tencentcloud_project_id': 0,
        'tencentcloud_tags': {'env': 'prod'}, 'tencentcloud_private_ip_addresses': ['10.0.0.7'],
        'tencentcloud_public_ip_addresses': [], 'tencentcloud_vpc_id': 'vpc-1', 'tencentcloud_subnet_id': 'subnet-1',
        'tencentcloud_os_name': 'TencentOS', 'tencentcloud_created_time': '2026-01-01T00:00:00Z',
        'tencentcloud_latest_operation': 'StartInstances', 'tencentcloud_latest_operation_state': 'SUCCESS',
        'tencentcloud_latest_operation_request_id': 'req-1'}


def test_a_sparse_answer_still_makes_a_host():
    found = cvm_hosts.host_vars('ap-guangzhou', {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING',
                                                 'Tags': ['not a tag', {'Key': 'k', 'Value': 'v'}]})
    assert found['tencentcloud_tags'] == {'k': 'v'} and found['tencentcloud_zone'] is None


def test_public_addresses_are_listed_when_the_instance_has_them():
    found = cvm_hosts.host_vars('ap-guangzhou', dict(ITEM, PublicIpAddresses=['203.0.113.7']))
    assert found['tencentcloud_public_ip_addresses'] == ['203.0.113.7']


@pytest.mark.parametrize('addresses', ['203.0.113.7', [], None])
def test_an_address_preference_takes_only_the_first_of_a_list(addresses):
    assert cvm_hosts.first_of(['public-ip-address'], dict(ITEM, PublicIpAddresses=addresses)) is None


@pytest.mark.parametrize('preferences, expected', [
    (['public-ip-address', 'private-ip-address'], '10.0.0.7'), (['instance-name'], 'web-1'),
    (['public-ip-address'], None), (['instance-id', 'instance-name'], 'ins-aaaaaaaa'),
])
def test_the_first_preference_with_a_value_wins(preferences, expected):
    assert cvm_hosts.first_of(preferences, ITEM) == expected


@pytest.mark.parametrize('preferences, message', [
    (['dns-name'], "hostnames: unknown entry 'dns-name'; choose from instance-id, instance-name, private-ip-address, "
                   "public-ip-address"),
    ([], 'hostnames must be a non-empty list of instance-id, instance-name, private-ip-address, public-ip-address'),
    ('instance-id', 'hostnames must be a non-empty list of '),
])
def test_bad_preferences_are_named(preferences, message):
    with pytest.raises(OptionError) as caught:
        cvm_hosts.check_preferences('hostnames', preferences)
    assert str(caught.value).startswith(message)
