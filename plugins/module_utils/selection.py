# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""Which instances a task is about - named by ID, or selected by filters when it starts - and the one rule for finding
fewer than asked (IDs no region lists, filters that select nothing): fail, warn, or only say so in the result."""

from typing import Any, Dict, List, Mapping, NamedTuple, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    RegionalReader, listed_in_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed, StatusResult

# A wait on an empty list of IDs: it would pass at once, having gated nothing.
NOTHING_TO_WAIT_FOR = ('the list of instance IDs is empty, so there is nothing to wait for: a gate on it would pass '
                       'without gating anything (on_missing warn, ignore or skip lets it pass)')


class Asked(NamedTuple):
    """The instances a query is about: ``ids`` (``None``: every instance of each region), or those ``filters`` (as
    the API takes them) select when it starts."""

    ids: Optional[List[str]]
    filters: Optional[List[Dict[str, Any]]] = None


def on_missing_rule(values: Mapping[str, Any]) -> str:
    """The rule for IDs no region lists and filters that select nothing; the lookup's word V(skip) is the module's
    V(ignore). Unset, a wait fails on them (a gate that passed on nothing would let a deployment through) and a plain
    read warns."""
    on_missing = values.get('on_missing') or ('error' if values.get('wait_for') else 'warn')
    return 'ignore' if on_missing == 'skip' else on_missing


class SearchedRegions:
    """Where IDs were looked for (or filters applied), to say so when some are not found (or none selected)."""

    def __init__(self, regions, settings, filters=None):
        self.regions = regions
        self._settings = settings
        self._filters = filters

    def not_listed(self, instance_ids: List[str], when: str = '') -> str:
        if self.regions is not None and len(self.regions) == 1:
            return not_listed_message(instance_ids, self._settings, when)
        searched = ', '.join(self.regions or [])
        return ('not found in any of the regions %s (from the regions option)%s: %s; an instance of another region, '
                'or one that no longer exists' % (searched, ' ' + when if when else '', listed(instance_ids)))

    def nothing_selected(self) -> str:
        return 'the filters %s select no instance in %s' % (filters_text(self._filters), self._where())

    def nothing_listed(self) -> str:
        return ('no instance_ids or filters were given, and there is no instance in %s: a wait for every instance '
                'would pass on nothing' % self._where())

    def _where(self) -> str:
        if self.regions is not None and len(self.regions) == 1:
            return 'region %s (from %s)' % (self._settings.region, self._settings.region_source)
        return 'any of the regions %s (from the regions option)' % ', '.join(self.regions or [])


def filters_text(filters: Optional[List[Dict[str, Any]]]) -> str:
    """The filters as asked (``Name=value|value``): what a typo is found in."""
    return ', '.join('%s=%s' % (item['Name'], '|'.join(item['Values'])) for item in filters or [])


def selected_instances(readers: Mapping[str, InstanceReader], filters: List[Dict[str, Any]],
                       located: RegionalReader, warnings: List[str]) -> Dict[str, Dict[str, Any]]:
    """``{ID: instance as DescribeInstances lists it}``: the instances ``filters`` select in the regions of
    ``readers`` (region after region, each in the service's order), now known to ``located`` by the region that
    lists them. An instance the service listed although the filters do not select it is left out, and ``warnings``
    says so."""
    selected: Dict[str, Dict[str, Any]] = {}
    for region, items in listed_in_regions(readers, filters).items():
        for item in items:
            located.region_of.setdefault(item['InstanceId'], region)
            selected.setdefault(item['InstanceId'], item)
    unselected = [instance_id for reader in readers.values() for instance_id in reader.unselected]
    if unselected:
        warnings.append(left_alone(unselected, 'the filters %s' % filters_text(filters)))
    return selected


def left_alone(unselected: List[str], selection: str) -> str:
    """What is said of instances the service listed although ``selection`` does not select them."""
    return 'the service listed %s, not selected by %s: left alone' % (listed(unselected), selection)


def states_of(instances: Mapping[str, Mapping[str, Any]], asked: Optional[List[str]] = None) -> Snapshot:
    """The states of ``instances`` as ``DescribeInstances`` lists them (in the order of ``asked``, those not among
    them missing, when given)."""
    ids = list(instances) if asked is None else [i for i in asked if i in instances]
    return Snapshot({i: instances[i]['InstanceState'] for i in ids},
                    [] if asked is None else [i for i in asked if i not in instances])


def on_missing_applied(result: StatusResult, on_missing: str, shortfall: Optional[str]) -> StatusResult:
    """A read that found less than asked (``shortfall`` says what: IDs no region lists, filters that select nothing;
    ``None``: nothing amiss) fails, is warned of, or is only told by the result."""
    if shortfall is not None and on_missing != 'ignore':
        if on_missing == 'error':
            raise QueryFailed(shortfall, result)
        result.warnings.append(shortfall)
    return result


def not_listed_message(instance_ids: List[str], settings: Settings, when: str = '') -> str:
    """IDs the region does not list, with the region and where it came from: the likely cause is another region."""
    return ('not found in region %s (from %s)%s: %s; an instance of another region, or one that no longer exists'
            % (settings.region, settings.region_source, ' ' + when if when else '', listed(instance_ids)))
