# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import cvm_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import FakeClient


def ids(count, start=0):
    return ['ins-%08d' % n for n in range(start, start + count)]


def test_250_ids_make_3_calls_of_at_most_100():
    client = FakeClient(dict((i, 'RUNNING') for i in ids(250)))
    snapshot = cvm_status.StatusReader(client).read(ids(250))
    assert sorted(len(call['InstanceIds']) for call in client.calls) == [50, 100, 100]
    assert all(call['Limit'] == 100 for call in client.calls)
    assert list(snapshot.states) == ids(250) and snapshot.missing == []


def test_default_limit_of_20_never_truncates():
    # The fake applies the API's default Limit of 20 when none is sent; every one of 100 IDs must still come back.
    client = FakeClient(dict((i, 'STOPPED') for i in ids(100)), default_limit=20)
    assert len(cvm_status.StatusReader(client).read(ids(100)).states) == 100


def test_whole_region_is_paged():
    client = FakeClient(dict((i, 'RUNNING') for i in ids(345)))
    snapshot = cvm_status.StatusReader(client).read(None)
    assert sorted(call['Offset'] for call in client.calls) == [0, 100, 200, 300]
    assert len(snapshot.states) == 345 and snapshot.missing == []


def test_missing_ids_are_reported_in_request_order():
    client = FakeClient({'ins-aaaaaaaa': 'RUNNING'})
    snapshot = cvm_status.StatusReader(client).read(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-cccccccc'])
    assert dict(snapshot.states) == {'ins-aaaaaaaa': 'RUNNING'}
    assert snapshot.missing == ['ins-bbbbbbbb', 'ins-cccccccc']


def test_a_batch_is_paged_if_the_service_pages_below_100():
    client = FakeClient(dict((i, 'RUNNING') for i in ids(100)))
    real_call = client.call
    client.call = lambda action, params: real_call(action, dict(params, Limit=30))
    assert len(cvm_status.StatusReader(client).read(ids(100)).states) == 100
    assert [call['Offset'] for call in client.calls] == [0, 30, 60, 90]


def test_duplicates_collapse_in_first_seen_order():
    assert cvm_status.normalize_instance_ids(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-bbbbbbbb']) == [
        'ins-bbbbbbbb', 'ins-aaaaaaaa']


@pytest.mark.parametrize('bad', ['ins-1122', 'INS-AAAAAAAA', 'ins-aaaaaaaaa', 'i-aaaaaaaa', '', ' ins-aaaaaaaa',
                                 'ins-aaaaaaaa\n', 7, None])
def test_malformed_ids_fail_naming_them(bad):
    with pytest.raises(OptionError) as caught:
        cvm_status.normalize_instance_ids(['ins-aaaaaaaa', bad])
    assert repr(bad) in str(caught.value) and 'instance_ids' in str(caught.value)


def test_malformed_answer_is_an_api_error():
    class Broken(FakeClient):
        def call(self, action, params):
            return {'InstanceStatusSet': [{'InstanceId': 'ins-aaaaaaaa'}], 'TotalCount': 1, 'RequestId': 'r-1'}

    with pytest.raises(TencentCloudError) as caught:
        cvm_status.StatusReader(Broken({})).read(['ins-aaaaaaaa'])
    assert caught.value.request_id == 'r-1'
