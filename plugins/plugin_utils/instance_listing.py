# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the inventory: validate options, find the regions, then list the instances of every region,
concurrently, as the filters select them."""

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import (
    InstanceReader, api_filters,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import FORBIDDEN_REGION_CODES
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import (
    cvm_access, regional_clients, resolved_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import Options, checked_regions

# What the service answers keys that may not read a region (or a region the action does not serve there).


@dataclasses.dataclass(frozen=True)
class Selection:
    """Which instances to list: of ``regions`` (``None``: the configured region, else every region; ``[]``: every
    region the account can use), those ``filters`` or any of ``include_filters`` select, less those any of
    ``exclude_filters`` selects. With ``strict_permissions`` false, a region the keys may not read is skipped."""

    regions: Optional[List[str]] = None
    filters: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    include_filters: List[Mapping[str, Any]] = dataclasses.field(default_factory=list)
    exclude_filters: List[Mapping[str, Any]] = dataclasses.field(default_factory=list)
    strict_permissions: bool = True


@dataclasses.dataclass(frozen=True)
class Listing:
    """``instances``: ``{region: [instance as DescribeInstances lists it]}`` in the order of the regions."""

    instances: Dict[str, List[Dict[str, Any]]]
    credential_source: str
    warnings: List[str]


class ListingFailed(Exception):
    """A region could not be listed; the message names it."""


def list_instances(options: Options, selection: Selection, environ: Optional[Mapping[str, str]] = None) -> Listing:
    """Every instance ``selection`` selects, region by region.

    Raises ``OptionError`` for bad input, before any call, and ``ListingFailed`` when a region cannot be read.
    """
    environ = os.environ if environ is None else environ
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    included, excluded = _api_filter_sets(selection)
    settings, regions = checked_regions(options.values, selection.regions, environ)
    clients = Clients(settings, environ)
    try:
        access = cvm_access(clients, options)
        # How a region is named in messages: the option it came from, or the source of the one region configured.
        named = 'regions: %s' if selection.regions is not None else 'region %%s (from %s)' % settings.region_source
        if regions is None:
            regions = _every_region(access)
            named = 'regions: %s'
        region_clients = regional_clients(clients, access, regions)

        def read(region):
            try:
                return selected(InstanceReader(region_clients[region]), included, excluded)
            except TencentCloudError as error:
                if selection.strict_permissions or error.code not in FORBIDDEN_REGION_CODES:
                    raise ListingFailed('%s: %s' % (named % region, error))
                clients.warnings.append('%s skipped, the keys may not read it (strict_permissions is false): %s'
                                        % (named % region, error))
                return None
        with ThreadPoolExecutor(max_workers=max(1, len(regions))) as pool:
            listed = list(pool.map(read, regions))
        instances = {region: items for region, items in zip(regions, listed) if items is not None}
        return Listing(instances, access.credential_source, clients.warnings)
    finally:
        clients.close()


def _api_filter_sets(selection):
    """``([included filter sets], [excluded filter sets])`` as the API takes them: ``filters`` and each of
    ``include_filters`` is one listing (everything, when none is given); each of ``exclude_filters`` is one more."""
    if not isinstance(selection.include_filters, list) or not isinstance(selection.exclude_filters, list):
        raise OptionError('include_filters and exclude_filters must be lists of filter dictionaries')
    included = [api_filters('filters', selection.filters)] if selection.filters else []
    included += [api_filters('include_filters', filters) for filters in selection.include_filters]
    excluded = [api_filters('exclude_filters', filters) for filters in selection.exclude_filters]
    return included or [[]], excluded


def _every_region(access):
    try:
        return resolved_regions(access, None)
    except TencentCloudError as error:
        raise ListingFailed('regions: cannot list the regions of the account (DescribeRegions): %s' % error)


def selected(reader: InstanceReader, included: List[List[Dict[str, Any]]],
             excluded: List[List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The instances any ``included`` filter set selects and no ``excluded`` one does, in the order first listed."""
    items: Dict[str, Dict[str, Any]] = {}
    for filters in included:
        for item in reader.matching(filters):
            items.setdefault(item['InstanceId'], item)
    # What the service lists for an exclusion is excluded on its word: a check that refused some would let them in.
    unwanted = {item['InstanceId'] for filters in excluded for item in reader.listed(filters)}
    return [item for instance_id, item in items.items() if instance_id not in unwanted]


def kept_again(cached: Any) -> Optional[Dict[str, List[Dict[str, Any]]]]:
    """A listing read back from the inventory cache, each item checked again as a read keeps it (the cache is a file
    anyone with the user's rights may have edited); ``None`` when it is not a listing at all."""
    if not isinstance(cached, dict):
        return None
    return {region: [kept.item for kept in map(described_item, items if isinstance(items, list) else [])
                     if kept.item is not None] for region, items in cached.items()}
