# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading CVM instance states with as few calls as the API allows.

``DescribeInstancesStatus`` takes at most 100 IDs a call and applies ``Limit`` (default 20) even when IDs are given,
so every call asks for 100 and pages with ``Offset`` while ``TotalCount`` says more remain.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import INVALID_RESPONSE, OptionError, TencentCloudError

SERVICE = 'cvm'
API_VERSION = '2017-03-12'
ACTION = 'DescribeInstancesStatus'
REQUESTS_PER_SECOND = 40
PAGE_SIZE = 100
MAX_CONCURRENT_CALLS = 10
# More instances than any account holds in a region: an answer claiming more is not believed, nor paged through.
MAX_REGION_INSTANCES = 100000
_SHOWN_CHARS = 40

_INSTANCE_ID = re.compile(r'ins-[a-z0-9]{8}')

Snapshot = collections.namedtuple('Snapshot', ['states', 'missing'])
Snapshot.__doc__ = 'One read: ``states`` maps instance ID to state in request order; ``missing`` lists absent IDs.'


def normalize_instance_ids(instance_ids):
    """The IDs without duplicates, in first-seen order; every malformed one is named before any call is made."""
    malformed = [_shown(value) for value in instance_ids if not isinstance(value, str) or not _INSTANCE_ID.fullmatch(value)]
    if malformed:
        raise OptionError('instance_ids: malformed instance ID %s (expected ins- followed by 8 lower-case letters '
                          'or digits)' % ', '.join(malformed[:10] + (['...'] if len(malformed) > 10 else [])))
    return list(collections.OrderedDict.fromkeys(instance_ids))


def _shown(value):
    # Enough of a wrong value to recognise it; a 1 MB "ID" is not repeated whole.
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + '...'


class StatusReader:
    """Reads states through an ``ApiClient``, fetching a poll's batches and pages concurrently."""

    def __init__(self, client, max_concurrent_calls=MAX_CONCURRENT_CALLS):
        self._client = client
        self._max_concurrent_calls = max_concurrent_calls

    def read(self, instance_ids=None, deadline=None):
        """A ``Snapshot`` of the given (already normalized) IDs, or of every instance in the region for ``None``.

        ``deadline`` (an ``api_client.Deadline``) bounds every call of the read.
        """
        if instance_ids is None:
            return Snapshot(self._read_region(deadline), [])
        batches = [instance_ids[start:start + PAGE_SIZE] for start in range(0, len(instance_ids), PAGE_SIZE)]
        found = {}
        for states in self._concurrently(lambda batch: self._read_batch(batch, deadline), batches):
            found.update(states)
        ordered = collections.OrderedDict((i, found[i]) for i in instance_ids if i in found)
        return Snapshot(ordered, [i for i in instance_ids if i not in found])

    def _read_region(self, deadline):
        first = self._client.call(ACTION, {'Offset': 0, 'Limit': PAGE_SIZE}, deadline)
        states = collections.OrderedDict(_states_of(first))
        total = _total_count(first)
        if total > MAX_REGION_INSTANCES:
            raise _malformed(first, 'TotalCount (%d, more than the %d instances a region is read for)'
                             % (total, MAX_REGION_INSTANCES))
        # The first answer tells how many remain; the other pages are then independent and fetched together, a
        # window at a time, so that an answer that never ends costs one window, not millions of queued calls.
        step = len(states) or PAGE_SIZE
        offsets = range(step, total, step)
        if len(offsets) > MAX_REGION_INSTANCES // PAGE_SIZE:
            raise _malformed(first, 'page (%d instances a page would take %d calls)' % (step, len(offsets) + 1))
        for start in range(0, len(offsets), self._max_concurrent_calls):
            window = offsets[start:start + self._max_concurrent_calls]
            for response, page in self._concurrently(lambda offset: self._read_page(offset, deadline), window):
                _add_new(states, page, response)
        return states

    def _read_page(self, offset, deadline):
        response = self._client.call(ACTION, {'Offset': offset, 'Limit': PAGE_SIZE}, deadline)
        return response, _states_of(response)

    def _read_batch(self, batch, deadline):
        states = collections.OrderedDict()
        while True:
            response = self._client.call(
                ACTION, {'InstanceIds': batch, 'Offset': len(states), 'Limit': PAGE_SIZE}, deadline)
            page = _states_of(response)
            # One call covers a batch; more pages only come from a service paging below 100, each adding something.
            if states and page:
                _add_new(states, page, response)
            else:
                states.update(page)
            if not page or len(states) >= min(_total_count(response), len(batch)):
                return list(states.items())

    def _concurrently(self, function, items):
        items = list(items)
        if len(items) <= 1:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(len(items), self._max_concurrent_calls)) as pool:
            return list(pool.map(function, items))


def _add_new(states, page, response):
    """Add a later page's states; a page with nothing new means the service is not paging (``Offset`` ignored)."""
    new = [(i, s) for i, s in page if i not in states]
    if not new:
        raise _malformed(response, 'page (Offset ignored: it repeats instances already read)')
    states.update(new)


def _states_of(response):
    try:
        pairs = [(item['InstanceId'], item['InstanceState']) for item in response.get('InstanceStatusSet') or []]
    except (KeyError, TypeError, AttributeError):
        raise _malformed(response, 'InstanceStatusSet')
    if not all(isinstance(i, str) and isinstance(s, str) for i, s in pairs):
        raise _malformed(response, 'InstanceStatusSet')
    if len(set(i for i, _s in pairs)) != len(pairs):
        # Which of two states would be the truth is anyone's guess: trust neither.
        raise _malformed(response, 'InstanceStatusSet (an instance is listed twice)')
    return pairs


def _total_count(response):
    value = response.get('TotalCount') or 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _malformed(response, 'TotalCount')
    return value


def _malformed(response, field):
    return TencentCloudError(INVALID_RESPONSE, 'the answer has a malformed %s' % field, response.get('RequestId'))
