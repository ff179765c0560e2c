# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading CVM instance states: ``DescribeInstancesStatus``, paged as ``paging`` does it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re

from ansible_collections.tencentcloud.cloud.plugins.module_utils import paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

ACTION = 'DescribeInstancesStatus'
MAX_CONCURRENT_CALLS = paging.MAX_CONCURRENT_CALLS
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
    """Reads states through an ``ApiClient``, fetching a poll's batches and pages concurrently.

    With ``shared_reads``, reads by ID are shared with the other processes of the user.
    """

    def __init__(self, client, max_concurrent_calls=MAX_CONCURRENT_CALLS, shared_reads=None):
        self._pager = paging.Pager(client, ACTION, 'InstanceStatusSet', ('InstanceState',), max_concurrent_calls,
                                   shared_reads)

    def read(self, instance_ids=None, deadline=None):
        """A ``Snapshot`` of the given (already normalized) IDs, or of every instance in the region for ``None``.

        ``deadline`` (an ``api_client.Deadline``) bounds every call of the read.
        """
        if instance_ids is None:
            items = self._pager.matching({}, deadline)
            return Snapshot(collections.OrderedDict((item['InstanceId'], item['InstanceState']) for item in items), [])
        found = self._pager.by_ids(instance_ids, deadline)
        ordered = collections.OrderedDict((i, found[i]['InstanceState']) for i in instance_ids if i in found)
        return Snapshot(ordered, [i for i in instance_ids if i not in found])
