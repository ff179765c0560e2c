# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading instances by ID over several regions at once, each ID in the region that lists it.

An ID names its instance in one region only, and nothing in it says which. The first read asks every region for
every ID, concurrently; an ID is then read in the region that listed it, and one no region lists yet (an instance
just created) is asked for in every region again at each read. Instances selected by filters are listed in every
region at once, and each is then known by the region that listed it.
"""

import concurrent.futures
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader, Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    Snapshot, StatusReader,
)

Found = TypeVar('Found')
# Asked of a region for every instance it lists (a list, so that it counts as something to read).
EVERY_INSTANCE = ['*']


class RegionalReader:
    """States of IDs in ``readers`` (region -> ``StatusReader``), and which region lists each (``region_of``)."""

    def __init__(self, readers: Mapping[str, StatusReader]):
        self._readers = dict(readers)
        self.regions = list(self._readers)
        self.region_of: Dict[str, str] = {}

    def read(self, instance_ids: Optional[List[str]], deadline: Optional[Deadline] = None) -> Snapshot:
        """A ``Snapshot`` of ``instance_ids`` over the regions, in the order asked; ``None``: every instance of each
        region, region after region."""
        if instance_ids is None:
            asked = {region: EVERY_INSTANCE for region in self.regions}
        else:
            asked = {region: [i for i in instance_ids if self.region_of.get(i, region) == region]
                     for region in self.regions}
        read = in_each_region(asked, lambda region, ids: self._readers[region].read(
            None if ids is EVERY_INSTANCE else ids, deadline).states)
        states = {}
        for region in self.regions:
            for instance_id, state in read.get(region, {}).items():
                self.region_of.setdefault(instance_id, region)
                states[instance_id] = state
        if instance_ids is None:
            return Snapshot(states, [])
        return Snapshot({i: states[i] for i in instance_ids if i in states},
                        [i for i in instance_ids if i not in states])


class RegionalOperations:
    """The latest operations of IDs a ``RegionalReader`` located, each read in its region."""

    def __init__(self, readers: Mapping[str, InstanceReader], located: RegionalReader):
        self._readers = dict(readers)
        self._located = located

    def latest_operations(self, instance_ids: List[str], deadline: Optional[Deadline]) -> Dict[str, Operation]:
        asked: Dict[str, List[str]] = {}
        for instance_id in instance_ids:
            region = self._located.region_of.get(instance_id)
            if region is not None:
                asked.setdefault(region, []).append(instance_id)
        found: Dict[str, Operation] = {}
        for operations in in_each_region(asked, lambda region, ids: self._readers[region].latest_operations(
                ids, deadline)).values():
            found.update(operations)
        return found


def described_in_regions(readers: Mapping[str, InstanceReader],
                         instance_ids: List[str]) -> Dict[str, Tuple[str, Dict[str, Any]]]:
    """``{ID: (region, instance as DescribeInstances describes it)}`` for the IDs some region lists, in the order of
    ``instance_ids``: every region asked for every ID at once, 100 a call; an ID two regions list (which no service
    does) is in the first."""
    described = in_each_region(dict.fromkeys(readers, instance_ids),
                               lambda region, ids: readers[region].described(ids))
    found = {}
    for instance_id in instance_ids:
        region = next((region for region in readers if instance_id in described.get(region, {})), None)
        if region is not None:
            found[instance_id] = (region, described[region][instance_id])
    return found


def listed_in_regions(readers: Mapping[str, InstanceReader],
                      filters: List[Dict[str, Any]]) -> Dict[str, List[Dict[str, Any]]]:
    """``{region: [instance as DescribeInstances lists it]}``: every instance the API ``filters`` select in each of
    ``readers``' regions, the regions at once, each region's in the service's order."""
    return in_each_region({region: EVERY_INSTANCE for region in readers},
                          lambda region, _every: readers[region].matching(filters))


def in_each_region(asked: Mapping[str, List[str]], read: Callable[[str, List[str]], Found]) -> Dict[str, Found]:
    """``read(region, ids)`` for each region with IDs to read, concurrently when there are several.

    A call that fails names its region: the same error in two regions would not say which one refused.
    """
    regions = [region for region, ids in asked.items() if ids]

    def one(region):
        try:
            return read(region, asked[region])
        except TencentCloudError as error:
            if len(asked) > 1:
                error.message = '%s (region %s)' % (error.message, region)
            raise
    if len(regions) <= 1:
        return {region: one(region) for region in regions}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(regions)) as pool:
        return dict(zip(regions, pool.map(one, regions)))
