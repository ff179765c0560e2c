# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's DescribeRegions (Region optional, no parameters), and a region the keys may not read."""

import pytest
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import call, error_code, running

SCENARIO = {
    'instances': [{'id': 'ins-sh000001', 'region': 'ap-shanghai', 'state': 'RUNNING', 'cpu': 8, 'memory': 32,
                   'image_id': 'img-abcdefgh', 'ipv6': ['2402:4e00::1']}],
    'region_states': {'ap-guangzhou': 'AVAILABLE', 'ap-shanghai': 'AVAILABLE', 'ap-beijing': 'UNAVAILABLE'},
    'forbidden_regions': ['ap-shanghai'],
}


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with running(tmp_path_factory.mktemp('regions'), scenario=SCENARIO) as url:
        yield url


def test_the_regions_and_their_states_with_or_without_a_region(emulator):
    for region in ('ap-guangzhou', None):
        answer = call(emulator, {}, action='DescribeRegions', region=region)
        assert answer['TotalCount'] == 3
        assert [(r['Region'], r['RegionState']) for r in answer['RegionSet']] == [
            ('ap-guangzhou', 'AVAILABLE'), ('ap-shanghai', 'AVAILABLE'), ('ap-beijing', 'UNAVAILABLE')]


def test_describe_regions_takes_no_parameters_and_a_region_if_any_must_be_one(emulator):
    assert error_code(call(emulator, {'Limit': 1}, action='DescribeRegions')) == 'UnknownParameter'
    assert error_code(call(emulator, {}, action='DescribeRegions', region='mars-north-1')) == 'InvalidParameterValue'


@pytest.mark.parametrize('action', ['DescribeInstances', 'DescribeInstancesStatus'])
def test_a_forbidden_region_refuses_the_keys_and_another_region_answers(emulator, action):
    assert error_code(call(emulator, {}, action=action, region='ap-shanghai')) == 'UnauthorizedOperation'
    assert call(emulator, {}, action=action, region='ap-guangzhou')['TotalCount'] == 0


def test_the_details_of_an_instance(tmp_path):
    with running(tmp_path, scenario={'instances': SCENARIO['instances']}) as url:
        (item,) = call(url, {}, action='DescribeInstances', region='ap-shanghai')['InstanceSet']
    details = (item['CPU'], item['Memory'], item['ImageId'], item['IPv6Addresses'])
    assert details == (8, 32, 'img-abcdefgh', ['2402:4e00::1'])
