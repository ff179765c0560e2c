# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is said when IDs are not found or filters select nothing: where they were looked for, and where that came
from."""

import types

from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import SearchedRegions, states_of

SETTINGS = types.SimpleNamespace(region='ap-guangzhou', region_source='TENCENTCLOUD_REGION')
FILTERS = [{'Name': 'tag:role', 'Values': ['web', 'db']}, {'Name': 'instance-state', 'Values': ['RUNNING']}]


def test_in_one_region_the_region_and_its_source_are_named():
    searched = SearchedRegions(['ap-guangzhou'], SETTINGS, FILTERS)
    assert searched.not_listed(['ins-a', 'ins-b'], 'after 3 reads') == (
        'not found in region ap-guangzhou (from TENCENTCLOUD_REGION) after 3 reads: ins-a, ins-b; an instance of '
        'another region, or one that no longer exists')
    assert searched.nothing_selected() == ('the filters tag:role=web|db, instance-state=RUNNING select no instance in '
                                           'region ap-guangzhou (from TENCENTCLOUD_REGION)')


def test_over_regions_each_is_named():
    searched = SearchedRegions(['ap-guangzhou', 'ap-tokyo'], SETTINGS, FILTERS)
    assert searched.not_listed(['ins-a']) == (
        'not found in any of the regions ap-guangzhou, ap-tokyo (from the regions option): ins-a; an instance of '
        'another region, or one that no longer exists')
    assert searched.not_listed(['ins-a'], 'after 2 reads').startswith(
        'not found in any of the regions ap-guangzhou, ap-tokyo (from the regions option) after 2 reads: ins-a;')
    assert searched.nothing_listed() == (
        'no instance_ids or filters were given, and there is no instance in any of the regions ap-guangzhou, '
        'ap-tokyo (from the regions option): a wait for every instance would pass on nothing')


def test_the_states_of_the_ids_asked_in_their_order_the_others_missing():
    listed = {'ins-aaaaaaaa': {'InstanceState': 'RUNNING'}, 'ins-bbbbbbbb': {'InstanceState': 'STOPPED'}}
    assert states_of(listed, ['ins-bbbbbbbb', 'ins-zzzzzzzz']) == ({'ins-bbbbbbbb': 'STOPPED'}, ['ins-zzzzzzzz'])
    assert list(states_of(listed, ['ins-bbbbbbbb', 'ins-aaaaaaaa']).states) == ['ins-bbbbbbbb', 'ins-aaaaaaaa']
    assert states_of(listed) == ({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'}, [])
