# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalOperations, RegionalReader,
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
