# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the pager spreads calls and stitches pages (what each action's reader makes of them is tested with it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import paging


class Answers:
    """A client answering each call with the next scripted response."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.params = []

    def call(self, action, params, deadline=None):
        self.params.append(params)
        return self.responses.pop(0)


def listed(*ids, **fields):
    return [dict({'InstanceId': i, 'InstanceState': 'RUNNING'}, **fields) for i in ids]


def pager(client, **kwargs):
    return paging.Pager(client, 'DescribeInstancesStatus', 'InstanceStatusSet', ('InstanceState',), **kwargs)


def test_an_empty_region_is_one_call_and_nothing():
    client = Answers({'TotalCount': 0, 'InstanceStatusSet': [], 'RequestId': 'r'})
    assert pager(client).matching({}) == [] and len(client.params) == 1


def test_a_batch_whose_next_page_comes_back_empty_keeps_what_it_read():
    # A service paging below 100 that then has nothing more (the other instance is gone meanwhile).
    client = Answers({'TotalCount': 2, 'InstanceStatusSet': listed('ins-aaaaaaaa'), 'RequestId': 'r1'},
                     {'TotalCount': 2, 'InstanceStatusSet': [], 'RequestId': 'r2'})
    found = pager(client).by_ids(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert list(found) == ['ins-aaaaaaaa'] and [p['Offset'] for p in client.params] == [0, 1]


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
    assert pager(Answers(), max_concurrent_calls=2).concurrently(work, [1, 2, 3, 4]) == [10, 20, 30, 40]
    assert peak[0] == 2


def test_two_batches_are_fetched_together():
    both = threading.Barrier(2, timeout=5)

    def fetch(batch):
        both.wait()  # the other batch's call is under way too, or this never returns
        return batch
    assert pager(Answers()).concurrently(fetch, [1, 2]) == [1, 2]


@pytest.mark.parametrize('items', [[], [7]])
def test_one_item_or_none_needs_no_threads(items, monkeypatch):
    monkeypatch.setattr(paging, 'ThreadPoolExecutor', None)
    assert pager(Answers()).concurrently(lambda item: item, items) == items
