# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The shared options of a run, typed and frozen once they are checked: what the clients are built from, and (in
``credentials``) what the credential chain reads."""

import dataclasses
from typing import Any, Dict, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.chain import CredentialSettings


@dataclasses.dataclass(frozen=True)
class Settings:
    region: str
    # Where the region came from (the region option, TENCENTCLOUD_REGION, a tccli profile): said with what it finds.
    region_source: str
    endpoint: str
    sts_endpoint: str
    validate_certs: bool
    ca_bundle: Optional[str]
    request_timeout: float
    max_retries: int
    language: str
    # Whether reads are shared with the user's other processes (the module and the lookup; the inventory never).
    coalesce: bool
    credentials: CredentialSettings

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> 'Settings':
        """The settings of checked option ``values`` (an option a plugin does not have is ``None``)."""
        own: Dict[str, Any] = {field.name: values.get(field.name) for field in dataclasses.fields(cls)
                               if field.name != 'credentials'}
        return cls(credentials=CredentialSettings.from_values(values), **own)
