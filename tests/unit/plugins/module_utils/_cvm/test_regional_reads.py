# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalOperations, RegionalReader, described_in_regions, listed_in_regions,
)


class Region:
    """A region's readers: the states it lists, and every read asked of it."""

    def __init__(self, states, error=None):
        self.states = states
        self.asked = []
        self.error = error

    def read(self, ids, deadline=None):
        self.asked.append(ids)
        if self.error:
            raise self.error
        listed = self.states if ids is None else {i: self.states[i] for i in ids if i in self.states}
        return Snapshot(listed, [])

    def described(self, ids, deadline=None):
        self.asked.append(ids)
        return {i: {'InstanceId': i, 'InstanceState': self.states[i]} for i in ids if i in self.states}

    def matching(self, filters):
        self.asked.append(filters)
        if self.error:
            raise self.error
        return [{'InstanceId': i, 'InstanceState': s} for i, s in self.states.items()]

    def latest_operations(self, ids, deadline):
        self.asked.append(ids)
        return {i: Operation('StartInstances', 'SUCCESS', 'req-%s' % i, None) for i in ids}


def test_each_id_is_looked_for_everywhere_once_then_read_in_its_region():
    canton, shanghai = Region({'ins-aaaaaaaa': 'RUNNING'}), Region({'ins-bbbbbbbb': 'PENDING'})
    reader = RegionalReader({'ap-guangzhou': canton, 'ap-shanghai': shanghai})
    first = reader.read(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-cccccccc'])
    assert first == Snapshot({'ins-bbbbbbbb': 'PENDING', 'ins-aaaaaaaa': 'RUNNING'}, ['ins-cccccccc'])
    assert reader.region_of == {'ins-aaaaaaaa': 'ap-guangzhou', 'ins-bbbbbbbb': 'ap-shanghai'}
    reader.read(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-cccccccc'])
    # Found: read where it is listed. Not found yet (an instance just created): asked of every region again.
    assert canton.asked[1] == ['ins-aaaaaaaa', 'ins-cccccccc'] and shanghai.asked[1] == ['ins-bbbbbbbb', 'ins-cccccccc']


def test_a_region_with_nothing_to_read_is_not_called():
    canton, shanghai = Region({'ins-aaaaaaaa': 'RUNNING'}), Region({})
    reader = RegionalReader({'ap-guangzhou': canton, 'ap-shanghai': shanghai})
    reader.read(['ins-aaaaaaaa'])
    reader.read(['ins-aaaaaaaa'])
    assert len(canton.asked) == 2 and len(shanghai.asked) == 1


def test_without_ids_every_instance_of_each_region_is_read():
    reader = RegionalReader({'ap-guangzhou': Region({'ins-aaaaaaaa': 'RUNNING'}),
                             'ap-shanghai': Region({'ins-bbbbbbbb': 'STOPPED'})})
    assert reader.read(None) == Snapshot({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'}, [])


def test_a_failed_read_names_its_region_when_there_are_several():
    denied = TencentCloudError('UnauthorizedOperation', 'not allowed', 'req-1')
    reader = RegionalReader({'ap-guangzhou': Region({}), 'ap-tokyo': Region({}, error=denied)})
    with pytest.raises(TencentCloudError) as caught:
        reader.read(['ins-aaaaaaaa'])
    assert str(caught.value) == 'UnauthorizedOperation: not allowed (region ap-tokyo) (RequestId: req-1)'


def test_a_failed_read_of_one_region_is_said_as_the_service_said_it():
    denied = TencentCloudError('UnauthorizedOperation', 'not allowed', 'req-1')
    with pytest.raises(TencentCloudError) as caught:
        RegionalReader({'ap-tokyo': Region({}, error=denied)}).read(['ins-aaaaaaaa'])
    assert str(caught.value) == 'UnauthorizedOperation: not allowed (RequestId: req-1)'


def test_latest_operations_are_read_in_the_region_of_each_located_id():
    canton, shanghai = Region({'ins-aaaaaaaa': 'RUNNING'}), Region({'ins-bbbbbbbb': 'PENDING'})
    reader = RegionalReader({'ap-guangzhou': canton, 'ap-shanghai': shanghai})
    reader.read(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    operations = RegionalOperations({'ap-guangzhou': canton, 'ap-shanghai': shanghai}, reader)
    found = operations.latest_operations(['ins-aaaaaaaa', 'ins-bbbbbbbb', 'ins-cccccccc'], None)
    assert sorted(found) == ['ins-aaaaaaaa', 'ins-bbbbbbbb']
    assert canton.asked[-1] == ['ins-aaaaaaaa'] and shanghai.asked[-1] == ['ins-bbbbbbbb']


def test_filters_are_listed_in_every_region_once():
    canton, shanghai = Region({'ins-aaaaaaaa': 'RUNNING'}), Region({'ins-bbbbbbbb': 'PENDING'})
    filters = [{'Name': 'tag:role', 'Values': ['web']}]
    listed = listed_in_regions({'ap-guangzhou': canton, 'ap-shanghai': shanghai}, filters)
    assert listed == {'ap-guangzhou': [{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}],
                      'ap-shanghai': [{'InstanceId': 'ins-bbbbbbbb', 'InstanceState': 'PENDING'}]}
    assert canton.asked == [filters] and shanghai.asked == [filters]


def test_a_failed_listing_names_its_region():
    denied = TencentCloudError('UnauthorizedOperation', 'not allowed', 'req-1')
    with pytest.raises(TencentCloudError, match=r'not allowed \(region ap-tokyo\)'):
        listed_in_regions({'ap-guangzhou': Region({}), 'ap-tokyo': Region({}, error=denied)}, [])


def test_described_ids_are_asked_of_every_region_at_once_each_kept_in_the_first_that_lists_it():
    canton = Region({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'})
    shanghai = Region({'ins-bbbbbbbb': 'PENDING', 'ins-cccccccc': 'RUNNING'})
    found = described_in_regions({'ap-guangzhou': canton, 'ap-shanghai': shanghai},
                                 ['ins-cccccccc', 'ins-zzzzzzzz', 'ins-bbbbbbbb'])
    assert list(found) == ['ins-cccccccc', 'ins-bbbbbbbb']
    assert found['ins-cccccccc'][0] == 'ap-shanghai' and found['ins-bbbbbbbb'] == (
        'ap-guangzhou', {'InstanceId': 'ins-bbbbbbbb', 'InstanceState': 'STOPPED'})
    assert canton.asked == shanghai.asked == [['ins-cccccccc', 'ins-zzzzzzzz', 'ins-bbbbbbbb']]
