# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which requests an injected fault hits, and how a spoiler spoils an answer."""

import json
import random

from ansible_collections.tencentcloud.cloud.tests.emulator.faults import Fault, spoil


def fault(**spec):
    return Fault(dict(spec, kind='api_error'), random.Random(0))


def test_a_fault_for_shared_calls_hits_only_calls_for_that_many_ids():
    shared = fault(count=1, min_ids=2)
    assert not shared.matches('ap-guangzhou', ['ins-aaaaaaaa'])
    assert shared.matches('ap-guangzhou', ['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert fault(count=1).matches('ap-guangzhou', [])


def spoiler(kind, **spec):
    return Fault(dict(spec, kind=kind, count=1), random.Random(0))


def test_a_long_page_holds_more_than_the_limit_of_100():
    for key in ('InstanceStatusSet', 'InstanceSet'):
        response = {key: [{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}], 'TotalCount': 1}
        spoil(spoiler('long_page'), response)
        assert len(response[key]) == 102 and response[key][0]['InstanceId'] == 'ins-aaaaaaaa'


def test_a_hostile_item_is_added_as_given():
    response = {'InstanceSet': [{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}], 'TotalCount': 1}
    spoil(spoiler('hostile_item', item={'InstanceId': '{{ x }}', 'InstanceName': 'evil'}), response)
    assert response['InstanceSet'][1] == {'InstanceId': '{{ x }}', 'InstanceState': 'RUNNING', 'InstanceName': 'evil'}


def test_a_tag_flood_fills_the_page_to_the_size_asked():
    response = {'InstanceSet': [{'InstanceId': 'ins-%08d' % n, 'InstanceState': 'RUNNING'} for n in range(100)]}
    spoil(spoiler('tag_flood', size=1024 * 1024), response)
    size = len(json.dumps(response))
    assert 1024 * 1024 * 0.9 < size <= 1024 * 1024 and len(response['InstanceSet'][0]['Tags']) > 10


def test_a_fault_with_skip_lets_that_many_matching_requests_through_first():
    fault = Fault({'kind': 'api_error', 'count': 2, 'skip': 3}, random.Random(0))
    assert [fault.fire() for _attempt in range(6)] == [False, False, False, True, True, False]
