# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import describe_instances_status, paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import shared_reads
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClient, ScriptedClient


def ids(count, start=0):
    return ['ins-%08d' % n for n in range(start, start + count)]


def test_250_ids_make_3_calls_of_at_most_100():
    client = FakeClient({i: 'RUNNING' for i in ids(250)})
    snapshot = describe_instances_status.StatusReader(client).read(ids(250))
    assert sorted(len(call['InstanceIds']) for call in client.calls) == [50, 100, 100]
    assert all(call['Limit'] == 100 for call in client.calls)
    assert list(snapshot.states) == ids(250) and snapshot.missing == []


def test_100_ids_take_one_call_despite_the_default_limit_of_20():
    # The fake applies the API's default Limit of 20 when none is sent: without Limit 100 this takes 5 calls.
    client = FakeClient({i: 'STOPPED' for i in ids(100)}, default_limit=20)
    assert len(describe_instances_status.StatusReader(client).read(ids(100)).states) == 100
    assert len(client.calls) == 1


def test_whole_region_is_paged():
    client = FakeClient({i: 'RUNNING' for i in ids(345)})
    snapshot = describe_instances_status.StatusReader(client).read(None)
    assert sorted(call['Offset'] for call in client.calls) == [0, 100, 200, 300]
    assert len(snapshot.states) == 345 and snapshot.missing == []


def test_missing_ids_are_reported_in_request_order():
    client = FakeClient({'ins-aaaaaaaa': 'RUNNING'})
    snapshot = describe_instances_status.StatusReader(client).read(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-cccccccc'])
    assert dict(snapshot.states) == {'ins-aaaaaaaa': 'RUNNING'}
    assert snapshot.missing == ['ins-bbbbbbbb', 'ins-cccccccc']


def test_a_batch_is_paged_if_the_service_pages_below_100():
    client = FakeClient({i: 'RUNNING' for i in ids(100)})
    real_call = client.call
    client.call = lambda action, params, deadline=None, keep=None: real_call(action, dict(params, Limit=30), keep=keep)
    assert len(describe_instances_status.StatusReader(client).read(ids(100)).states) == 100
    assert [call['Offset'] for call in client.calls] == [0, 30, 60, 90]


def test_an_item_without_a_state_is_left_out_saying_so():
    class Broken(FakeClient):
        def call(self, action, params, deadline=None, keep=None):
            return keep({'InstanceStatusSet': [{'InstanceId': 'ins-aaaaaaaa'}], 'TotalCount': 1, 'RequestId': 'r-1'})

    client = Broken({})
    assert describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa']) == ({}, ['ins-aaaaaaaa'])
    assert client.warnings == ['DescribeInstancesStatus answered 1 item(s) not of the documented form, left out '
                               '(InvalidResponse): an item whose InstanceState is missing']


def scripted(answer):
    """A client answering every call with ``answer(params)``."""
    return ScriptedClient(answer=lambda action, params: answer(params))


def status_set(*pairs):
    return [{'InstanceId': i, 'InstanceState': s} for i, s in pairs]


def test_an_answer_listing_an_instance_twice_is_not_believed():
    client = scripted(lambda params: {'TotalCount': 2, 'InstanceStatusSet': status_set(
        ('ins-aaaaaaaa', 'RUNNING'), ('ins-aaaaaaaa', 'STOPPED'))})
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa'])
    assert caught.value.code == 'InvalidResponse' and 'listed twice' in caught.value.message


def test_a_region_listing_that_ignores_offset_stops_after_one_window():
    # TotalCount 10^5 and Offset ignored: every page repeats the first. Millions of calls before; one window now.
    client = scripted(lambda params: {'TotalCount': 100000, 'InstanceStatusSet': status_set(*[
        (i, 'RUNNING') for i in ids(100)])})
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(client).read(None)
    assert caught.value.code == 'InvalidResponse' and 'Offset ignored' in caught.value.message
    assert len(client.calls) <= 1 + describe_instances_status.MAX_CONCURRENT_CALLS


@pytest.mark.parametrize('total, per_page', [(10 ** 9, 100), (10 ** 7, 1), (5000, 1)])
def test_a_region_listing_beyond_the_bound_is_refused_after_one_call(total, per_page):
    client = scripted(lambda params: {'TotalCount': total, 'InstanceStatusSet': status_set(*[
        (i, 'RUNNING') for i in ids(per_page, params['Offset'])])})
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(client).read(None)
    assert caught.value.code == 'InvalidResponse' and len(client.calls) == 1


def test_a_batch_whose_pages_repeat_themselves_ends():
    client = scripted(lambda params: {'TotalCount': 10 ** 9, 'InstanceStatusSet': status_set(('ins-aaaaaaaa', 'RUNNING'))})
    with pytest.raises(TencentCloudError):
        describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert len(client.calls) == 2


def test_a_batch_answer_claiming_more_than_was_asked_ends_with_what_was_asked():
    client = scripted(lambda params: {'TotalCount': 10 ** 9, 'InstanceStatusSet': status_set(('ins-aaaaaaaa', 'RUNNING'))})
    assert dict(describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa']).states) == {'ins-aaaaaaaa': 'RUNNING'}
    assert len(client.calls) == 1


@pytest.mark.parametrize('total', [-1, '12', True, 1.5, [1]])
def test_a_malformed_total_count_is_an_invalid_response(total):
    client = scripted(lambda params: {'TotalCount': total, 'InstanceStatusSet': status_set(('ins-aaaaaaaa', 'RUNNING'))})
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(client).read(None)
    assert caught.value.code == 'InvalidResponse'


def test_a_state_the_api_adds_later_is_reported_as_it_is():
    client = FakeClient({'ins-aaaaaaaa': 'HIBERNATING'})
    assert dict(describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa']).states) == {'ins-aaaaaaaa': 'HIBERNATING'}


def spied(client, spy):
    """``client``, calling ``spy(action, deadline)`` before each of its calls."""
    real_call = client.call

    def call(action, params, deadline=None, keep=None):
        spy(action, deadline)
        return real_call(action, params, keep=keep)
    client.call = call
    return client


def test_the_deadline_reaches_every_call():
    seen = []
    client = spied(FakeClient({i: 'RUNNING' for i in ids(250)}), lambda action, deadline: seen.append(deadline))
    describe_instances_status.StatusReader(client).read(ids(250), deadline='the deadline')
    describe_instances_status.StatusReader(client).read(None, deadline='the deadline')
    assert seen == ['the deadline'] * 6


def test_a_polls_batches_are_fetched_at_the_same_time():
    # Each call waits until all three batches' calls are under way: one at a time, the first would wait in vain.
    import threading
    barrier = threading.Barrier(3, timeout=2)
    client = FakeClient({i: 'RUNNING' for i in ids(250)})
    real_call = client.call

    def call(action, params, deadline=None, keep=None):
        barrier.wait()
        return real_call(action, params, keep=keep)
    client.call = call
    assert len(describe_instances_status.StatusReader(client).read(ids(250)).states) == 250


@pytest.mark.parametrize('status_set, refusal', [
    ([{'InstanceId': 'ins-aaaaaaaa'}], 'an item whose InstanceState is missing'),
    ([{'InstanceState': 'RUNNING'}], 'an item whose InstanceId is missing'),
    (['ins-aaaaaaaa'], 'an item that is not an object'),
    ([{'InstanceId': 7, 'InstanceState': 'RUNNING'}], 'an item whose InstanceId is a int'),
    ([{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': None}], 'an item whose InstanceState is missing'),
    ([{'InstanceId': 'ins-AAAAAAAA', 'InstanceState': 'RUNNING'}], "an item whose InstanceId is 'ins-AAAAAAAA'"),
    ([{'InstanceId': '{{ lookup("pipe", "id") }}', 'InstanceState': 'RUNNING'}],
     'an item whose InstanceId is \'{{ lookup("pipe", "id") }}\''),
    ([{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'running'}], "an item whose InstanceState is 'running'"),
    ([{'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING\x1b[2J'}],
     "an item whose InstanceState is 'RUNNING\\x1b[2J'"),
])
def test_an_item_not_of_the_documented_form_is_left_out_and_named(status_set, refusal):
    client = scripted(lambda params: {'TotalCount': 1, 'InstanceStatusSet': status_set})
    assert describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa']) == ({}, ['ins-aaaaaaaa'])
    assert client.warnings == ['DescribeInstancesStatus answered 1 item(s) not of the documented form, left out '
                               '(InvalidResponse): ' + refusal]


def test_a_status_set_that_is_not_a_list_is_not_an_answer():
    client = scripted(lambda params: {'TotalCount': 1, 'InstanceStatusSet': 'RUNNING'})
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa'])
    assert (caught.value.code, caught.value.message, caught.value.request_id) == (
        'InvalidResponse', 'the answer has a malformed InstanceStatusSet', 'r-1')


def test_an_instance_not_asked_for_is_not_read():
    client = scripted(lambda params: {'TotalCount': 2, 'InstanceStatusSet': status_set(
        ('ins-aaaaaaaa', 'RUNNING'), ('ins-bbbbbbbb', 'STOPPED'))})
    assert describe_instances_status.StatusReader(client).read(['ins-aaaaaaaa']) == ({'ins-aaaaaaaa': 'RUNNING'}, [])


def test_the_messages_of_answers_not_believed_are_exact():
    def message(answer, ids):
        with pytest.raises(TencentCloudError) as caught:
            describe_instances_status.StatusReader(scripted(answer)).read(ids)
        return caught.value.message
    twice = status_set(('ins-aaaaaaaa', 'RUNNING'), ('ins-aaaaaaaa', 'STOPPED'))
    assert message(lambda p: {'TotalCount': 2, 'InstanceStatusSet': twice}, ['ins-aaaaaaaa']) == (
        'the answer has a malformed InstanceStatusSet (an instance is listed twice)')
    assert message(lambda p: {'TotalCount': 100001, 'InstanceStatusSet': []}, None) == (
        'the answer has a malformed TotalCount (100001, more than the 100000 instances a region is read for)')
    assert message(lambda p: {'TotalCount': 1002, 'InstanceStatusSet': status_set(('ins-aaaaaaaa', 'RUNNING'))},
                   None) == 'the answer has a malformed page (1 instances a page would take 1002 calls)'
    same = status_set(('ins-aaaaaaaa', 'RUNNING'))
    with pytest.raises(TencentCloudError) as caught:
        describe_instances_status.StatusReader(scripted(lambda p: {'TotalCount': 5, 'InstanceStatusSet': same})).read(
            None)
    # The RequestId of a page that repeated the first (pages after the first are read concurrently).
    assert caught.value.request_id in ('r-2', 'r-3', 'r-4', 'r-5')
    assert message(lambda p: {'TotalCount': 5, 'InstanceStatusSet': same}, None) == (
        'the answer has a malformed page (Offset ignored: it repeats instances already read)')
    assert message(lambda p: {'TotalCount': 'x', 'InstanceStatusSet': []}, None) == (
        'the answer has a malformed TotalCount')


def test_a_region_of_exactly_the_bound_is_paged_through():
    # 1,000 pages of 100 is the most a region is read in; the same count in 1,001 pages is refused.
    total = paging.MAX_REGION_INSTANCES
    client = scripted(lambda params: {'TotalCount': total, 'InstanceStatusSet': status_set(*[
        (i, 'RUNNING') for i in ids(100, params['Offset'])])})
    assert len(describe_instances_status.StatusReader(client).read(None).states) == total
    assert len(client.calls) == total // 100


def test_every_call_names_the_action():
    actions = []
    client = spied(FakeClient({i: 'RUNNING' for i in ids(150)}), lambda action, deadline: actions.append(action))
    describe_instances_status.StatusReader(client).read(ids(150))
    describe_instances_status.StatusReader(client).read(None)
    assert actions == ['DescribeInstancesStatus'] * 4


def test_a_single_batch_is_read_on_the_calling_thread_and_pages_use_at_most_10_threads(monkeypatch):
    import threading
    threads = set()
    client = FakeClient({i: 'RUNNING' for i in ids(2500)})
    real_call = client.call

    def call(action, params, deadline=None, keep=None):
        threads.add(threading.current_thread().name)
        return real_call(action, params, keep=keep)
    client.call = call
    describe_instances_status.StatusReader(client).read(ids(100))
    assert threads == {threading.current_thread().name}
    threads.clear()
    describe_instances_status.StatusReader(client).read(ids(2500))
    assert len(threads) <= 10 and threading.current_thread().name not in threads


def test_shared_reads_answer_another_process_from_the_same_calls(tmp_path):
    place = tmp_path / 'reads-fake-DescribeInstancesStatus'
    place.mkdir(mode=0o700)
    (place / 'asked-other').write_text('{"ids": ["ins-00000150"]}')
    client = FakeClient({i: 'RUNNING' for i in ids(200)})
    shared = shared_reads.SharedReads(PrivateDirectory.open(str(tmp_path)), lease=10.0, patience=60.0, attempts=1,
                                      warnings=[])
    reader = describe_instances_status.StatusReader(client, shared_reads=shared)
    snapshot = reader.read(ids(2))
    assert client.calls == [{'InstanceIds': ids(2) + ['ins-00000150'], 'Offset': 0, 'Limit': 100}]
    assert list(snapshot.states.items()) == [(i, 'RUNNING') for i in ids(2)] and snapshot.missing == []
    assert json.loads((place / 'answer-other').read_text()) == {
        'found': {'ins-00000150': {'InstanceId': 'ins-00000150', 'InstanceState': 'RUNNING'}}}
