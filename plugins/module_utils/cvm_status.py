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

_INSTANCE_ID = re.compile(r'ins-[a-z0-9]{8}')

Snapshot = collections.namedtuple('Snapshot', ['states', 'missing'])
Snapshot.__doc__ = 'One read: ``states`` maps instance ID to state in request order; ``missing`` lists absent IDs.'


def normalize_instance_ids(instance_ids):
    """The IDs without duplicates, in first-seen order; every malformed one is named before any call is made."""
    unique = list(collections.OrderedDict.fromkeys(instance_ids))
    malformed = [repr(value) for value in unique if not isinstance(value, str) or not _INSTANCE_ID.fullmatch(value)]
    if malformed:
        raise OptionError('instance_ids: malformed instance ID %s (expected ins- followed by 8 lower-case letters '
                          'or digits)' % ', '.join(malformed[:10] + (['...'] if len(malformed) > 10 else [])))
    return unique


class StatusReader:
    """Reads states through an ``ApiClient``, fetching a poll's batches and pages concurrently."""

    def __init__(self, client, max_concurrent_calls=MAX_CONCURRENT_CALLS):
        self._client = client
        self._max_concurrent_calls = max_concurrent_calls

    def read(self, instance_ids=None):
        """A ``Snapshot`` of the given (already normalized) IDs, or of every instance in the region for ``None``."""
        if instance_ids is None:
            return Snapshot(self._read_region(), [])
        batches = [instance_ids[start:start + PAGE_SIZE] for start in range(0, len(instance_ids), PAGE_SIZE)]
        found = {}
        for states in self._concurrently(self._read_batch, batches):
            found.update(states)
        ordered = collections.OrderedDict((i, found[i]) for i in instance_ids if i in found)
        return Snapshot(ordered, [i for i in instance_ids if i not in found])

    def _read_region(self):
        first = self._client.call(ACTION, {'Offset': 0, 'Limit': PAGE_SIZE})
        states = collections.OrderedDict(_states_of(first))
        # The first answer tells how many remain; the other pages are then independent and fetched together.
        step = len(states) or PAGE_SIZE
        offsets = range(step, _total_count(first), step)
        for page in self._concurrently(self._read_page, offsets):
            states.update(page)
        return states

    def _read_page(self, offset):
        return _states_of(self._client.call(ACTION, {'Offset': offset, 'Limit': PAGE_SIZE}))

    def _read_batch(self, batch):
        states = []
        offset = 0
        while True:
            response = self._client.call(ACTION, {'InstanceIds': batch, 'Offset': offset, 'Limit': PAGE_SIZE})
            page = _states_of(response)
            states.extend(page)
            offset += len(page)
            # One call covers a batch; this loop only matters if the service ever pages below 100.
            if not page or offset >= _total_count(response):
                return states

    def _concurrently(self, function, items):
        items = list(items)
        if len(items) <= 1:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(len(items), self._max_concurrent_calls)) as pool:
            return list(pool.map(function, items))


def _states_of(response):
    try:
        return [(item['InstanceId'], item['InstanceState']) for item in response.get('InstanceStatusSet') or []]
    except (KeyError, TypeError):
        raise _malformed(response, 'InstanceStatusSet')


def _total_count(response):
    try:
        return int(response.get('TotalCount') or 0)
    except (TypeError, ValueError):
        raise _malformed(response, 'TotalCount')


def _malformed(response, field):
    return TencentCloudError(INVALID_RESPONSE, 'the answer has a malformed %s' % field, response.get('RequestId'))
