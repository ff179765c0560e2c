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
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Protocol, Sequence, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import INVALID_RESPONSE, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import KeptItem, page_warnings

PAGE_SIZE = 100
MAX_CONCURRENT_CALLS = 10
# More instances than any account holds in a region: an answer claiming more is not believed, nor paged through.
MAX_REGION_INSTANCES = 100000


class Caller(Protocol):
    """What a reader calls an action through (``_api.api_client.ApiClient``)."""

    # What the run's user should hear (an answer's items left out or cut short, say).
    warnings: List[str]

    def call(self, action: str, params: Mapping[str, Any], deadline: Optional[Deadline] = None,
             keep: Optional[Callable[[Dict[str, Any]], Any]] = None,
             retried: Optional[List[TencentCloudError]] = None) -> Any:
        """The ``Response`` object of a successful call, or what ``keep`` makes of it; ``retried`` collects the
        errors of the attempts tried again."""

    def answer_scope(self, action: str) -> Optional[str]:
        """Who may share this client's answers to ``action`` (``None``: nobody)."""


class SharedReader(Protocol):
    """Reads shared with the user's other processes (``_host.shared_reads.SharedReads``)."""

    def read(self, scope: Optional[str], instance_ids: List[str], deadline: Optional[Deadline],
             fetch: Callable[[List[str], Optional[Deadline]], Dict[str, Any]],
             fields: Sequence[str]) -> Dict[str, Dict[str, str]]:
        """``{ID: {field: value}}`` for the IDs found, from a call started after the read was asked for."""


class Pager:
    """The items that ``action`` lists under ``set_key``, through an ``ApiClient``, each as ``keep`` keeps it (an
    ``instance_fields`` reader: items not of the documented form are left out, with a warning to the client's).

    With ``shared_reads`` (a ``shared_reads.SharedReads``), reads by ID are shared with other processes, and their
    items keep only ``shared_fields`` (which must be text).
    """

    def __init__(self, client: Caller, action: str, set_key: str, keep: Callable[[Any], KeptItem],
                 max_concurrent_calls: int = MAX_CONCURRENT_CALLS, shared_reads: Optional[SharedReader] = None,
                 shared_fields: Sequence[str] = ('InstanceId', 'InstanceState')):
        self._client = client
        self._action = action
        self._set_key = set_key
        self._keep = keep
        self._max_concurrent_calls = max_concurrent_calls
        self._shared_reads = shared_reads
        self._shared_fields = tuple(shared_fields)
        # Whether an answer held more than the service allows (see ``_as_completed``).
        self._oversized = False

    def matching(self, params: Mapping[str, Any], deadline: Optional[Deadline] = None) -> List[Dict[str, Any]]:
        """Every item matching ``params`` (filters, or nothing: the whole region), in the service's order."""
        first = self._call(dict(params, Offset=0), deadline)
        items = dict(first.items)
        total = first.total
        if total > MAX_REGION_INSTANCES:
            raise malformed(first.request_id, 'TotalCount (%d, more than the %d instances a region is read for)'
                            % (total, MAX_REGION_INSTANCES))
        # The first answer tells how many remain; the other pages are then independent, and fetched with every one of
        # the concurrent calls busy until the last (a call ends, the next starts: no wave waits for its slowest).
        step = first.listed or PAGE_SIZE
        offsets = range(step, total, step)
        if len(offsets) > MAX_REGION_INSTANCES // PAGE_SIZE:
            raise malformed(first.request_id, 'page (%d instances a page would take %d calls)'
                            % (step, len(offsets) + 1))
        pages = {}
        seen = set(items)
        for n, page in self._as_completed(lambda offset: self._call(dict(params, Offset=offset), deadline), offsets):
            pages[n] = _new_of(seen, page)
            if len(seen) > MAX_REGION_INSTANCES:
                raise malformed(page.request_id, 'page (more than the %d instances a region is read for)'
                                % MAX_REGION_INSTANCES)
        for n in range(len(offsets)):
            items.update(pages[n])
        return list(items.values())

    def by_ids(self, instance_ids: List[str], deadline: Optional[Deadline] = None) -> Dict[str, Dict[str, Any]]:
        """``{instance ID: item}`` for the IDs asked that the service knows, batches of 100 read concurrently."""
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
            running: Dict[Any, Any] = {}

            def start_next():
                if self._oversized and running:
                    # After an answer beyond the service's limits (a broken or hostile endpoint), one call at a time:
                    # each such answer is held whole until its items are kept.
                    return
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
        """The items of one batch of IDs: those asked for only (an answer may list others)."""
        asked = set(batch)
        items: Dict[str, Any] = {}
        offset = 0
        while True:
            page = self._call({'InstanceIds': batch, 'Offset': offset}, deadline)
            offset += page.listed
            # One call covers a batch; more pages only come from a service paging below 100, each adding something.
            if items and page.listed:
                items.update(_new_of(set(items), page))
            else:
                items.update(page.items)
            if not page.listed or offset >= min(page.total, len(batch)):
                return {i: item for i, item in items.items() if i in asked}

    def _call(self, params, deadline):
        """One page, as kept: the answer itself is let go as soon as its items are kept (``ApiClient`` keeps only so
        many answers near the size cap at once)."""
        return self._client.call(self._action, dict(params, Limit=PAGE_SIZE), deadline, keep=self._page_of)

    def _page_of(self, response):
        listed = response.get(self._set_key) or []
        if not isinstance(listed, list):
            raise malformed(response.get('RequestId'), self._set_key)
        if len(listed) > PAGE_SIZE:
            # Every call asks for PAGE_SIZE at the most: a longer page is not an answer, and may be meant to exhaust.
            raise malformed(response.get('RequestId'), '%s (%d items, more than the Limit of %d asked for)'
                            % (self._set_key, len(listed), PAGE_SIZE))
        kept = [self._keep(item) for item in listed]
        cut = [k for k in kept if k.item is not None and k.cuts]
        self._oversized = self._oversized or bool(cut)
        self._client.warnings.extend(page_warnings(self._action, [k for k in kept if k.item is None], cut))
        pairs = [(k.item['InstanceId'], k.item) for k in kept if k.item is not None]
        if len(set(i for i, _item in pairs)) != len(pairs):
            # Which of two answers would be the truth is anyone's guess: trust neither.
            raise malformed(response.get('RequestId'), '%s (an instance is listed twice)' % self._set_key)
        return Page(pairs, len(listed), total_count(response), response.get('RequestId'))


class Page(NamedTuple):
    """The ``(ID, item)`` pairs of an answer kept; how many items it ``listed`` (kept or not: what to page by); its
    ``total`` (``TotalCount``) and ``request_id``."""

    items: List[Tuple[str, Dict[str, Any]]]
    listed: int
    total: int
    request_id: Optional[str]


def _new_of(seen, page):
    """The items of a page not ``seen`` yet (which they now are); a page whose every item kept was read already means
    the service is not paging (``Offset`` ignored)."""
    new = [(i, item) for i, item in page.items if i not in seen]
    if page.items and not new:
        raise malformed(page.request_id, 'page (Offset ignored: it repeats instances already read)')
    seen.update(i for i, _item in new)
    return new


def total_count(response: Mapping[str, Any]) -> int:
    value = response.get('TotalCount') or 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise malformed(response.get('RequestId'), 'TotalCount')
    return value


def malformed(request_id: Optional[str], field: str) -> TencentCloudError:
    """An answer not to be believed (its RequestId given, for a support ticket)."""
    return TencentCloudError(INVALID_RESPONSE, 'the answer has a malformed %s' % field, request_id)
