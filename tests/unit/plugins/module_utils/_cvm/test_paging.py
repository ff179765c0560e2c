# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the pager spreads calls and stitches pages (what each action's reader makes of them is tested with it)."""

import threading
import time

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item, status_item
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import ScriptedClient


def listed(*ids, **fields):
    return [dict({'InstanceId': i, 'InstanceState': 'RUNNING'}, **fields) for i in ids]


def pager(client, **kwargs):
    return paging.Pager(client, 'DescribeInstancesStatus', 'InstanceStatusSet', status_item, **kwargs)


def test_an_empty_region_is_one_call_and_nothing():
    client = ScriptedClient({'TotalCount': 0, 'InstanceStatusSet': [], 'RequestId': 'r'})
    assert pager(client).matching({}) == [] and len(client.calls) == 1


def test_a_batch_whose_next_page_comes_back_empty_keeps_what_it_read():
    # A service paging below 100 that then has nothing more (the other instance is gone meanwhile).
    client = ScriptedClient({'TotalCount': 2, 'InstanceStatusSet': listed('ins-aaaaaaaa'), 'RequestId': 'r1'},
                            {'TotalCount': 2, 'InstanceStatusSet': [], 'RequestId': 'r2'})
    found = pager(client).by_ids(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert list(found) == ['ins-aaaaaaaa'] and [p['Offset'] for p in client.calls] == [0, 1]


def test_work_runs_concurrently_up_to_the_limit_and_no_further():
    running, peak, lock = [0], [0], threading.Lock()
    both = threading.Barrier(2, timeout=5)

    def work(item):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        both.wait()  # two items at a time, or this never returns
        time.sleep(0.1)  # time for a third to start, were it allowed to
        with lock:
            running[0] -= 1
        return item * 10
    assert pager(ScriptedClient(), max_concurrent_calls=2).concurrently(work, [1, 2, 3, 4]) == [10, 20, 30, 40]
    assert peak[0] == 2


def test_two_batches_are_fetched_together():
    both = threading.Barrier(2, timeout=5)

    def fetch(batch):
        both.wait()  # the other batch's call is under way too, or this never returns
        return batch
    assert pager(ScriptedClient()).concurrently(fetch, [1, 2]) == [1, 2]


@pytest.mark.parametrize('items', [[], [7]])
def test_one_item_or_none_needs_no_threads(items, monkeypatch):
    monkeypatch.setattr(paging, 'ThreadPoolExecutor', None)
    assert pager(ScriptedClient()).concurrently(lambda item: item, items) == items


def test_a_call_starts_as_soon_as_one_ends_never_waiting_for_the_slowest_of_a_wave():
    # Item 0 is slow; with waves of two, item 2 would wait for it. Here item 2 starts once item 1 ends, and ends
    # before the slow one does.
    slow_started, slow_may_end = threading.Event(), threading.Event()
    ended = []

    def work(item):
        if item == 0:
            slow_started.set()
            assert slow_may_end.wait(5)
        elif item == 2:
            slow_may_end.set()
        ended.append(item)
        return item
    assert pager(ScriptedClient(), max_concurrent_calls=2).concurrently(work, [0, 1, 2, 3]) == [0, 1, 2, 3]
    assert ended.index(2) < ended.index(0)


def test_a_page_longer_than_its_limit_is_refused():
    client = ScriptedClient({'TotalCount': 101, 'InstanceStatusSet': listed(*['ins-%08d' % n for n in range(101)]),
                             'RequestId': 'r'})
    with pytest.raises(paging.TencentCloudError) as caught:
        pager(client).matching({})
    assert caught.value.message == ('the answer has a malformed InstanceStatusSet (101 items, more than the Limit of '
                                    '100 asked for)')


def test_a_listing_stops_once_it_holds_more_than_a_region_is_read_for(monkeypatch):
    monkeypatch.setattr(paging, 'MAX_REGION_INSTANCES', 250)

    class Pages:
        calls = 0
        warnings = []

        def call(self, action, params, deadline=None, keep=None):
            self.calls += 1
            offset = params['Offset']
            # Claims 250 in all, then pages on with new instances, each page fresh: only the running total can tell.
            return keep({'TotalCount': 250, 'RequestId': 'r%d' % offset,
                         'InstanceStatusSet': listed(*['ins-%08d' % (offset * 1000 + n) for n in range(100)])})
    client = Pages()
    with pytest.raises(paging.TencentCloudError) as caught:
        pager(client).matching({})
    assert 'more than the 250 instances a region is read for' in caught.value.message
    assert caught.value.request_id in ('r100', 'r200')


def test_after_an_answer_beyond_the_services_limits_pages_are_read_one_at_a_time():
    running, peak, lock = [0], [0], threading.Lock()

    def answer(action, params):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        offset = params['Offset']
        items = listed(*['ins-%08d' % (offset + n) for n in range(100)])
        # The first page's instances hold longer names than the service allows.
        return {'TotalCount': 1000, 'InstanceStatusSet': items if offset else [
            dict(item, InstanceName='x' * 200) for item in items]}
    client = ScriptedClient(answer=answer)
    reader = paging.Pager(client, 'DescribeInstances', 'InstanceStatusSet', described_item)
    assert len(reader.matching({})) == 1000 and peak[0] == 1
    assert client.warnings == ["DescribeInstances answered 100 instance(s) with fields beyond the service's limits or "
                               "not of their documented form, kept in part: " + '; '.join(
                                   'ins-%08d: a name longer than 128 characters' % n for n in range(3))]


def test_pages_are_read_concurrently_while_every_answer_keeps_to_the_services_limits():
    running, peak, lock = [0], [0], threading.Lock()
    both = threading.Barrier(2, timeout=5)

    def answer(action, params):
        offset = params['Offset']
        if offset:
            both.wait()  # another page's call is under way too, or this never returns
        return {'TotalCount': 300, 'InstanceStatusSet': listed(*['ins-%08d' % (offset + n) for n in range(100)])}
    client = ScriptedClient(answer=answer)
    assert len(paging.Pager(client, 'DescribeInstances', 'InstanceStatusSet', described_item).matching({})) == 300
    assert client.warnings == []


HUNDRED = listed(*['ins-%08d' % n for n in range(100)])


@pytest.mark.parametrize('answers, says', [
    ([{'TotalCount': 'many', 'InstanceStatusSet': []}], 'TotalCount'),
    ([{'TotalCount': 1, 'InstanceStatusSet': 'ins-aaaaaaaa'}], 'InstanceStatusSet'),
    ([{'TotalCount': 101, 'InstanceStatusSet': listed(*['ins-%08d' % n for n in range(101)])}],
     'InstanceStatusSet (101 items, more than the Limit of 100 asked for)'),
    ([{'TotalCount': 2, 'InstanceStatusSet': listed('ins-aaaaaaaa', 'ins-aaaaaaaa')}],
     'InstanceStatusSet (an instance is listed twice)'),
    ([{'TotalCount': 301, 'InstanceStatusSet': []}], 'TotalCount (301, more than the 300 instances a region is read for)'),
    ([{'TotalCount': 300, 'InstanceStatusSet': listed('ins-aaaaaaaa')}], 'page (1 instances a page would take 300 calls)'),
    ([{'TotalCount': 200, 'InstanceStatusSet': HUNDRED}, {'TotalCount': 200, 'InstanceStatusSet': HUNDRED}],
     'page (Offset ignored: it repeats instances already read)'),
])
def test_an_answer_not_to_be_believed_is_refused_with_its_request_id(monkeypatch, answers, says):
    monkeypatch.setattr(paging, 'MAX_REGION_INSTANCES', 300)
    client = ScriptedClient(*[dict(answer, RequestId='req-%d' % n) for n, answer in enumerate(answers)])
    with pytest.raises(paging.TencentCloudError) as caught:
        pager(client).matching({})
    assert (caught.value.code, caught.value.message) == ('InvalidResponse', 'the answer has a malformed %s' % says)
    assert caught.value.request_id == 'req-%d' % (len(answers) - 1)
