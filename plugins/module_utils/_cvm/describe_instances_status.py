# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading CVM instance states: ``DescribeInstancesStatus``, paged as ``paging`` does it."""

import collections
from typing import List, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import status_item

ACTION = 'DescribeInstancesStatus'
MAX_CONCURRENT_CALLS = paging.MAX_CONCURRENT_CALLS
Snapshot = collections.namedtuple('Snapshot', ['states', 'missing'])
Snapshot.__doc__ = 'One read: ``states`` maps instance ID to state in request order; ``missing`` lists absent IDs.'


class StatusReader:
    """Reads states through an ``ApiClient``, fetching a poll's batches and pages concurrently.

    With ``shared_reads``, reads by ID are shared with the other processes of the user.
    """

    def __init__(self, client: paging.Caller, max_concurrent_calls: int = MAX_CONCURRENT_CALLS,
                 shared_reads: Optional[paging.SharedReader] = None):
        self._pager = paging.Pager(client, ACTION, 'InstanceStatusSet', status_item, max_concurrent_calls,
                                   shared_reads)

    def read(self, instance_ids: Optional[List[str]] = None, deadline: Optional[Deadline] = None) -> 'Snapshot':
        """A ``Snapshot`` of the given (already normalized) IDs, or of every instance in the region for ``None``.

        ``deadline`` (a ``clock.Deadline``) bounds every call of the read.
        """
        if instance_ids is None:
            items = self._pager.matching({}, deadline)
            return Snapshot(dict((item['InstanceId'], item['InstanceState']) for item in items), [])
        found = self._pager.by_ids(instance_ids, deadline)
        ordered = dict((i, found[i]['InstanceState']) for i in instance_ids if i in found)
        return Snapshot(ordered, [i for i in instance_ids if i not in found])
