# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the inventory: validate options, then list the instances of every region, concurrently."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.tencentcloud.cloud.plugins.module_utils import cvm_instances, cvm_service
from ansible_collections.tencentcloud.cloud.plugins.module_utils.connection import Connection
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import check_region, check_values, with_profile_region
from ansible_collections.tencentcloud.cloud.plugins.module_utils.paging import MAX_CONCURRENT_CALLS

Listing = collections.namedtuple('Listing', ['instances', 'credential_source', 'warnings'])
Listing.__doc__ = '``instances``: ``{region: [instance as DescribeInstances lists it]}`` in the order of the regions.'


class ListingFailed(Exception):
    """A region could not be listed; the message names it."""


def list_instances(options, regions, filters, environ=None):
    """Every instance of ``regions`` (default: the region of the usual sources) that ``filters`` let through.

    Raises ``OptionError`` for bad input, before any call, and ``ListingFailed`` when a region cannot be read.
    """
    environ = os.environ if environ is None else environ
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    api_filters = cvm_instances.api_filters('filters', filters or {})
    values = with_profile_region(options.values, environ)
    if regions:
        regions = list(collections.OrderedDict.fromkeys(regions))
        for region in regions:
            check_region('regions', region)
        values = dict(values, region=regions[0])
    check_values(values)
    regions = regions or [values['region']]
    chain.check_values(values)
    connection = Connection(values, environ)
    try:
        found = chain.resolve(values, options.credential_sources, environ, connection)

        def read(region):
            client = connection.client(cvm_service.SERVICE, cvm_service.API_VERSION, values['endpoint'], found,
                                       cvm_service.REQUESTS_PER_SECOND, pool_size=MAX_CONCURRENT_CALLS, region=region)
            try:
                return cvm_instances.InstanceReader(client).matching(api_filters)
            except TencentCloudError as error:
                raise ListingFailed('regions: %s: %s' % (region, error))
        with ThreadPoolExecutor(max_workers=len(regions)) as pool:
            listed = list(pool.map(read, regions))
        return Listing(collections.OrderedDict(zip(regions, listed)), found.source, connection.warnings)
    finally:
        connection.close()
