# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeRegions: the available regions, in the service's order; an answer not to be believed is refused."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_regions import available_regions
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import ScriptedClient


def regions(*pairs):
    return {'TotalCount': len(pairs), 'RequestId': 'r',
            'RegionSet': [{'Region': name, 'RegionName': name, 'RegionState': state} for name, state in pairs]}


def test_the_available_regions_once_each_in_the_services_order_with_one_call_and_no_parameters():
    client = ScriptedClient(regions(('ap-shanghai', 'AVAILABLE'), ('ap-beijing', 'UNAVAILABLE'),
                                    ('ap-guangzhou', 'AVAILABLE'), ('ap-shanghai', 'AVAILABLE')))
    assert available_regions(client) == ['ap-shanghai', 'ap-guangzhou']
    assert client.actions == ['DescribeRegions'] and client.calls == [{}]


@pytest.mark.parametrize('region_set', [None, 'ap-guangzhou', [{'Region': '../etc'}], [{'Region': 7}], ['x'],
                                        [{'Region': 'ap-guangzhou', 'RegionState': 'AVAILABLE'}] * 201])
def test_an_answer_that_is_not_a_list_of_regions_is_refused(region_set):
    with pytest.raises(TencentCloudError) as caught:
        available_regions(ScriptedClient({'RegionSet': region_set, 'RequestId': 'req-bad'}))
    assert caught.value.code == 'InvalidResponse' and caught.value.request_id == 'req-bad'
    assert caught.value.message == 'the answer has a malformed RegionSet'


def test_as_many_regions_as_any_account_could_have_are_taken():
    many = [{'Region': 'ap-region%d' % n, 'RegionState': 'AVAILABLE'} for n in range(200)]
    assert len(available_regions(ScriptedClient({'RegionSet': many, 'RequestId': 'r'}))) == 200
