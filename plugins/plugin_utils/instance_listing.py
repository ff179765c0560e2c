# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the inventory: validate options, then list the instances of every region, concurrently."""

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import (
    InstanceReader, api_filters,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import MAX_CONCURRENT_CALLS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import CVM
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import Options, checked_regions


@dataclasses.dataclass(frozen=True)
class Listing:
    """``instances``: ``{region: [instance as DescribeInstances lists it]}`` in the order of the regions."""

    instances: Dict[str, List[Dict[str, Any]]]
    credential_source: str
    warnings: List[str]


class ListingFailed(Exception):
    """A region could not be listed; the message names it."""


def list_instances(options: Options, regions: Optional[List[str]], filters: Optional[Mapping[str, Any]],
                   environ: Optional[Mapping[str, str]] = None) -> Listing:
    """Every instance of ``regions`` (default: the region of the usual sources) that ``filters`` let through.

    Raises ``OptionError`` for bad input, before any call, and ``ListingFailed`` when a region cannot be read.
    """
    environ = os.environ if environ is None else environ
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    filters = api_filters('filters', filters or {})
    settings, regions = checked_regions(options.values, regions, environ)
    clients = Clients(settings, environ)
    try:
        found = chain.resolve(settings.credentials, options.credential_sources, environ, clients)

        def read(region):
            client = clients.client(CVM, settings.endpoint, found, pool_size=MAX_CONCURRENT_CALLS, region=region)
            try:
                return InstanceReader(client).matching(filters)
            except TencentCloudError as error:
                raise ListingFailed('regions: %s: %s' % (region, error))
        with ThreadPoolExecutor(max_workers=len(regions)) as pool:
            listed = list(pool.map(read, regions))
        return Listing(dict(zip(regions, listed)), found.source, clients.warnings)
    finally:
        clients.close()
