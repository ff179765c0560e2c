# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""What a task found and what it met on the way, and how it failed: the result every use case returns (the status,
power and info use cases extend it) and the failure that carries it, shared by every plugin shell."""

import dataclasses
from typing import Any, Dict, List, Optional, Type, TypeVar

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.regional_reads import RegionalReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings

# What the service answers for a region it does not serve (a region that does not exist is InvalidParameterValue).
REGION_REFUSALS = ('UnsupportedRegion',)


# The RequestIds a result reports, the newest: enough for a support ticket; a long wait makes hundreds.
REPORTED_REQUEST_IDS = 10


_Result = TypeVar('_Result', bound='StatusResult')


@dataclasses.dataclass
class StatusResult:
    """What a query found, and what it met on the way: the one place the module and the lookup take output from."""

    credential_source: Optional[str] = None
    request_ids: List[str] = dataclasses.field(default_factory=list)
    warnings: List[str] = dataclasses.field(default_factory=list)
    # Instance ID -> state, in the order asked (every instance of the region when none were named); None until read.
    instance_states: Optional[Dict[str, str]] = None
    missing: Optional[List[str]] = None
    # Instance ID -> the region that lists it, for the instances found.
    regions: Dict[str, str] = dataclasses.field(default_factory=dict)
    # Set when the query waited.
    elapsed: Optional[float] = None
    polls: Optional[int] = None
    # Set when a call failed: its code, message and request ID.
    error: Optional[Dict[str, Any]] = None

    @classmethod
    def of(cls: Type[_Result], client: ApiClient, credential_source: str) -> _Result:
        """An empty result that collects the request IDs and warnings of ``client`` as it goes."""
        return cls(credential_source=credential_source, request_ids=client.request_ids, warnings=client.warnings)

    def module_result(self) -> Dict[str, Any]:
        """The keys the module returns (its RETURN documentation), warnings apart: they go to Ansible's own list."""
        result: Dict[str, Any] = {'changed': False, 'credential_source': self.credential_source,
                                  'request_ids': self.request_ids[-REPORTED_REQUEST_IDS:]}
        if self.instance_states is not None:
            result.update(instances=self.instances(), instance_states=dict(self.instance_states),
                          missing=list(self.missing or []))
        for name in ('elapsed', 'polls', 'error'):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        return result

    def instances(self) -> List[Dict[str, Any]]:
        """Each instance found: its ID, state and region, in the order asked (or listed)."""
        return [{'instance_id': i, 'instance_state': s, 'region': self.regions.get(i)}
                for i, s in (self.instance_states or {}).items()]

    def diff(self) -> Optional[Dict[str, Any]]:
        """What changed, for diff mode: a read changes nothing."""
        return None

    def facts(self) -> Optional[Dict[str, Any]]:
        """The ``ansible_facts`` a module sets on success (``None``: none)."""
        return {'tencentcloud_cvm_instance_states': self.instance_states,
                'tencentcloud_cvm_instance_regions': self.regions}

    def found(self: _Result, snapshot: Snapshot, reader: Optional[RegionalReader] = None) -> _Result:
        self.instance_states = dict(snapshot.states)
        self.missing = list(snapshot.missing)
        if reader is not None:
            self.regions = {i: reader.region_of[i] for i in snapshot.states if i in reader.region_of}
        return self


class QueryFailed(Exception):
    """The query did not succeed; ``result`` holds what is known (last states, error, request IDs, warnings)."""

    def __init__(self, message: str, result: StatusResult):
        super().__init__(message)
        self.message = message
        self.result = result

    @property
    def warnings(self) -> List[str]:
        return self.result.warnings


def failed_call_message(error: TencentCloudError, settings: Settings) -> str:
    """A failed call's error; one that refuses the region also names the region and where it came from."""
    if error.code in REGION_REFUSALS or (error.code.startswith('InvalidParameterValue') and 'Region' in error.message):
        return '%s (region %s, from %s)' % (error, settings.region, settings.region_source)
    return str(error)
