# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""How a task reaches CVM: its credentials from the chain, its client, a client per region (same credentials, one
shared budget), and "every region" resolved; shared by every use case, the inventory's listing and the event source's
watch."""

from typing import Any, Dict, List, NamedTuple, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import MAX_CONCURRENT_CALLS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_regions import available_regions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import CVM
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.shared_reads import SharedReads
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import Options


class CvmAccess(NamedTuple):
    """How a run reaches CVM: its ``client`` (of the settings' region), the reads it shares (``None``: alone), where
    its credentials came from, and the credentials, for clients of other regions."""

    client: ApiClient
    shared_reads: Optional[SharedReads]
    credential_source: str
    credentials: Any


def cvm_access(clients: Clients, options: Options) -> CvmAccess:
    """The run's CVM client, with the credentials the chain finds for ``options``."""
    settings = clients.settings
    found = chain.resolve(settings.credentials, options.credential_sources, clients.environ, clients)
    client = clients.client(CVM, settings.endpoint, found, pool_size=MAX_CONCURRENT_CALLS)
    return CvmAccess(client, clients.shared_reads(), found.source, found)


def regional_clients(clients: Clients, access: CvmAccess, regions: List[str]) -> Dict[str, ApiClient]:
    """A CVM client for each of ``regions``: the run's own for its region, a new one (same credentials, shared
    budget) for each other."""
    return {region: access.client if region == clients.settings.region else clients.client(
        CVM, clients.settings.endpoint, access.credentials, pool_size=MAX_CONCURRENT_CALLS, region=region)
        for region in regions}


def resolved_regions(access: CvmAccess, regions: Optional[List[str]]) -> List[str]:
    """``regions``, or for ``None`` every region the account can use (``DescribeRegions``)."""
    return available_regions(access.client) if regions is None else regions
