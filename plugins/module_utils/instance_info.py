# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the info module: check options, then describe the instances named or selected, in each of
the regions asked at once; and its result."""

import dataclasses
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import details
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import (
    described_in_regions, listed_in_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import normalize_instance_ids
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import (
    cvm_access, regional_clients, resolved_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    Options, checked_filters, settings_and_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import (
    REPORTED_REQUEST_IDS, QueryFailed, StatusResult, failed_call_message,
)


@dataclasses.dataclass
class InfoResult(StatusResult):
    """The instances described (``described``, each as ``instance_fields.details`` shows it), and what the read
    met on the way."""

    described: List[Dict[str, Any]] = dataclasses.field(default_factory=list)

    def module_result(self) -> Dict[str, Any]:
        result: Dict[str, Any] = {'changed': False, 'credential_source': self.credential_source,
                                  'request_ids': self.request_ids[-REPORTED_REQUEST_IDS:],
                                  'instances': [dict(instance) for instance in self.described]}
        if self.missing is not None:
            result['missing'] = list(self.missing)
        if self.error is not None:
            result['error'] = self.error
        return result

    def facts(self) -> Optional[Dict[str, Any]]:
        # What an info module returns is registered where it is wanted; it sets no facts (as amazon.aws's do not).
        return None


def describe_instances(options: Options, instance_ids: Optional[List[Any]], *,
                       environ: Optional[Mapping[str, str]] = None, clock: Clock = SYSTEM_CLOCK,
                       check_mode: bool = False) -> InfoResult:
    """The instances of ``instance_ids`` (``None``: every instance) that the ``filters`` option selects (none: all of
    them), in each region of the options, with every detail ``DescribeInstances`` gives.

    A read: ``check_mode`` changes nothing. Raises ``OptionError`` for bad input (before any call) and
    ``QueryFailed`` when a call fails.
    """
    environ = os.environ if environ is None else environ
    ids = None if instance_ids is None else normalize_instance_ids(instance_ids)
    filters = checked_filters(options.values, instance_ids, every_instance_allowed=True)
    settings, regions = settings_and_regions(options.values, environ)
    clients = Clients(settings, environ, clock)
    try:
        access = cvm_access(clients, options)
        result = InfoResult.of(access.client, access.credential_source)
        region_clients = {}
        try:
            if ids == []:
                result.missing = []
                return result
            regions = resolved_regions(access, regions)
            region_clients = regional_clients(clients, access, regions)
            readers = {region: InstanceReader(client) for region, client in region_clients.items()}
            if ids is not None and not filters:
                named = described_in_regions(readers, ids)
                found = list(named.values())
                result.missing = [i for i in ids if i not in named]
            else:
                found = _selected(readers, filters or [], ids)
        except TencentCloudError as error:
            result.error = error.as_dict()
            raise QueryFailed(failed_call_message(error, settings), result)
        finally:
            for client in region_clients.values():
                if client is not access.client:
                    result.request_ids.extend(client.request_ids)
        result.described = [details(region, item) for region, item in found]
        return result
    finally:
        clients.close()


def _selected(readers: Mapping[str, InstanceReader], filters: List[Dict[str, Any]],
              ids: Optional[List[str]]) -> List[Tuple[str, Dict[str, Any]]]:
    """``[(region, instance)]`` that the API filters select in each region (every instance, without filters), in
    region order, an ID listed by two (which no service does) in the first; with ``ids``, only those, in their
    order (the filters listed, then kept to them)."""
    found: Dict[str, Tuple[str, Dict[str, Any]]] = {}
    for region, items in listed_in_regions(readers, filters).items():
        for item in items:
            found.setdefault(item['InstanceId'], (region, item))
    return list(found.values()) if ids is None else [found[i] for i in ids if i in found]
