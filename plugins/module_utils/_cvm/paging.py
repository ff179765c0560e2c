# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading every item of a CVM ``Describe*`` action with as few calls as the API allows.

The CVM actions take at most 100 IDs a call and apply ``Limit`` (default 20) even when IDs are given, so every call
asks for 100 and pages with ``Offset`` while ``TotalCount`` says more remain. Pages after the first are independent
and fetched concurrently, under the client's shared rate limit.
"""

import itertools
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import INVALID_RESPONSE, TencentCloudError

PAGE_SIZE = 100
MAX_CONCURRENT_CALLS = 10
# More instances than any account holds in a region: an answer claiming more is not believed, nor paged through.
MAX_REGION_INSTANCES = 100000


class Caller(Protocol):
    """What a reader calls an action through (``_api.api_client.ApiClient``)."""

    def call(self, action: str, params: Mapping[str, Any], deadline: Optional[Deadline] = None) -> Dict[str, Any]:
        """The ``Response`` object of a successful call."""

    def answer_scope(self, action: str) -> Optional[str]:
        """Who may share this client's answers to ``action`` (``None``: nobody)."""


class SharedReader(Protocol):
    """Reads shared with the user's other processes (``_host.shared_reads.SharedReads``)."""

    def read(self, scope: Optional[str], instance_ids: List[str], deadline: Optional[Deadline],
             fetch: Callable[[List[str], Optional[Deadline]], Dict[str, Any]],
             fields: Sequence[str]) -> Dict[str, Dict[str, str]]:
        """``{ID: {field: value}}`` for the IDs found, from a call started after the read was asked for."""


class Pager:
    """The items that ``action`` lists under ``set_key``, through an ``ApiClient``.

    Every item must be an object whose ``InstanceId`` and each of ``string_fields`` are strings. With ``shared_reads``
    (a ``shared_reads.SharedReads``), reads by ID are shared with other processes, and their items keep only
    ``string_fields`` and ``shared_fields``.
    """

    def __init__(self, client: Caller, action: str, set_key: str, string_fields: Sequence[str] = (),
                 max_concurrent_calls: int = MAX_CONCURRENT_CALLS, shared_reads: Optional[SharedReader] = None,
                 shared_fields: Sequence[str] = ()):
        self._client = client
        self._action = action
        self._set_key = set_key
        self._string_fields = ('InstanceId',) + tuple(string_fields)
        self._max_concurrent_calls = max_concurrent_calls
        self._shared_reads = shared_reads
        self._shared_fields = self._string_fields + tuple(shared_fields)

    def matching(self, params: Mapping[str, Any], deadline: Optional[Deadline] = None) -> List[Dict[str, Any]]:
        """Every item matching ``params`` (filters, or nothing: the whole region), in the service's order."""
        first = self._call(dict(params, Offset=0), deadline)
        items = dict(self._items_of(first))
        total = total_count(first)
        if total > MAX_REGION_INSTANCES:
            raise malformed(first, 'TotalCount (%d, more than the %d instances a region is read for)'
                            % (total, MAX_REGION_INSTANCES))
        # The first answer tells how many remain; the other pages are then independent, and fetched with every one of
        # the concurrent calls busy until the last (a call ends, the next starts: no wave waits for its slowest).
        step = len(items) or PAGE_SIZE
        offsets = range(step, total, step)
        if len(offsets) > MAX_REGION_INSTANCES // PAGE_SIZE:
            raise malformed(first, 'page (%d instances a page would take %d calls)' % (step, len(offsets) + 1))
        pages = {}
        seen = set(items)
        for n, response in self._as_completed(lambda offset: self._call(dict(params, Offset=offset), deadline),
                                              offsets):
            pages[n] = _new_of(seen, self._items_of(response), response)
            if len(seen) > MAX_REGION_INSTANCES:
                raise malformed(response, 'page (more than the %d instances a region is read for)'
                                % MAX_REGION_INSTANCES)
        for n in range(len(offsets)):
            items.update(pages[n])
        return list(items.values())

    def by_ids(self, instance_ids: List[str], deadline: Optional[Deadline] = None) -> Dict[str, Dict[str, Any]]:
        """``{instance ID: item}`` for the IDs the service knows, batches of 100 read concurrently."""
        if self._shared_reads is None:
            return self._by_ids(instance_ids, deadline)
        return self._shared_reads.read(self._client.answer_scope(self._action), instance_ids, deadline, self._by_ids,
                                       self._shared_fields)

    def _by_ids(self, instance_ids, deadline):
        batches = [instance_ids[start:start + PAGE_SIZE] for start in range(0, len(instance_ids), PAGE_SIZE)]
        found = {}
        for items in self.concurrently(lambda batch: self._batch(batch, deadline), batches):
            found.update(items)
        return found

    def concurrently(self, function, items):
        """``function`` over ``items``, up to ``max_concurrent_calls`` at a time, results in order."""
        results = dict(self._as_completed(function, items))
        return [results[n] for n in range(len(results))]

    def _as_completed(self, function, items):
        """``(index, function(item))`` for ``items`` as each call ends, ``max_concurrent_calls`` always running.

        A call starts as soon as one ends, so no call waits for the slowest of a wave; and no more are started than
        run at once, so an answer not to be believed, found by the caller, stops the rest within one window. The first
        failure raises once the calls running have ended.
        """
        items = list(items)
        if len(items) <= 1:
            yield from ((n, function(item)) for n, item in enumerate(items))
            return
        with ThreadPoolExecutor(max_workers=min(len(items), self._max_concurrent_calls)) as pool:
            waiting = iter(enumerate(items))
            running = {}

            def start_next():
                for n, item in itertools.islice(waiting, 1):
                    running[pool.submit(function, item)] = n
            for _slot in range(self._max_concurrent_calls):
                start_next()
            while running:
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    n = running.pop(future)
                    # Handed over before the next call starts: a caller that stops here starts no more.
                    yield n, future.result()
                    start_next()

    def _batch(self, batch, deadline):
        items = {}
        while True:
            response = self._call({'InstanceIds': batch, 'Offset': len(items)}, deadline)
            page = self._items_of(response)
            # One call covers a batch; more pages only come from a service paging below 100, each adding something.
            if items and page:
                _add_new(items, page, response)
            else:
                items.update(page)
            if not page or len(items) >= min(total_count(response), len(batch)):
                return items

    def _call(self, params, deadline):
        return self._client.call(self._action, dict(params, Limit=PAGE_SIZE), deadline)

    def _items_of(self, response):
        listed = response.get(self._set_key) or []
        if not isinstance(listed, list) or not all(isinstance(item, dict) and self._has_strings(item) for item in listed):
            raise malformed(response, self._set_key)
        if len(listed) > PAGE_SIZE:
            # Every call asks for PAGE_SIZE at the most: a longer page is not an answer, and may be meant to exhaust.
            raise malformed(response, '%s (%d items, more than the Limit of %d asked for)'
                            % (self._set_key, len(listed), PAGE_SIZE))
        pairs = [(item['InstanceId'], item) for item in listed]
        if len(set(i for i, _item in pairs)) != len(pairs):
            # Which of two answers would be the truth is anyone's guess: trust neither.
            raise malformed(response, '%s (an instance is listed twice)' % self._set_key)
        return pairs

    def _has_strings(self, item):
        return all(isinstance(item.get(field), str) for field in self._string_fields)


def _add_new(items, page, response):
    """Add a later page's items; a page with nothing new means the service is not paging (``Offset`` ignored)."""
    items.update(_new_of(set(items), page, response))


def _new_of(seen, page, response):
    """The items of a page not ``seen`` yet (which they now are); none at all means ``Offset`` is ignored."""
    new = [(i, item) for i, item in page if i not in seen]
    if not new:
        raise malformed(response, 'page (Offset ignored: it repeats instances already read)')
    seen.update(i for i, _item in new)
    return new


def total_count(response: Mapping[str, Any]) -> int:
    value = response.get('TotalCount') or 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise malformed(response, 'TotalCount')
    return value


def malformed(response: Mapping[str, Any], field: str) -> TencentCloudError:
    return TencentCloudError(INVALID_RESPONSE, 'the answer has a malformed %s' % field, response.get('RequestId'))
