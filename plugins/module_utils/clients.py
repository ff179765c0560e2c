# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The clients of one run, built from its settings: a service's, STS's for credentials, the metadata service's
transport. They share the run's warnings, clock and private directory, and are closed together.
"""

from typing import List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import HttpTransport
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.retry import longest_call_seconds
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.service import Service
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.sts import STS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import private_directory
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.rate_limiter import RequestSpacer
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.shared_reads import SharedReads
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings


class Clients:
    def __init__(self, settings: Settings, environ: Mapping[str, str], clock: Clock = SYSTEM_CLOCK):
        self.settings = settings
        self.environ = environ
        self.clock = clock
        self.warnings: List[str] = []
        self._opened: List[HttpTransport] = []
        # Where the run's processes share a request schedule and reads: looked up (and made) once a run.
        self._private_directory = private_directory.find(environ, self.warnings)

    def client(self, service: Service, endpoint: str, credentials, pool_size: int = 1,
               region: Optional[str] = None) -> ApiClient:
        """An ``ApiClient`` of ``service`` at ``endpoint``; ``credentials`` ``None`` sends unsigned requests (STS web
        identity)."""
        settings = self.settings
        # One rate budget per account, endpoint and action, shared by every process of this user on this host.
        identity = credentials.identity if credentials is not None else 'unsigned'
        limiters = {action: RequestSpacer(rate, ' '.join([endpoint, identity, action]), self._private_directory,
                                          self.warnings, clock=self.clock)
                    for action, rate in service.rates.items()}
        transport = self._opening(HttpTransport(validate_certs=settings.validate_certs, ca_bundle=settings.ca_bundle,
                                                pool_size=pool_size, environ=self.environ))
        return ApiClient(
            credentials, region or settings.region, endpoint, service.name, service.version,
            lambda action: limiters[action] if action in limiters else service.rate_of(action),
            transport, language=settings.language, request_timeout=settings.request_timeout,
            max_retries=settings.max_retries, warnings=self.warnings, clock=self.clock, actions=service.actions)

    def shared_reads(self) -> Optional[SharedReads]:
        """Reads shared with the user's other processes (``coalesce``), or ``None`` to read alone."""
        settings = self.settings
        if not settings.coalesce:
            return None
        return SharedReads(self._private_directory, lease=settings.request_timeout,
                           patience=longest_call_seconds(settings.request_timeout, settings.max_retries),
                           attempts=settings.max_retries + 1, clock=self.clock, warnings=self.warnings)

    def sts_client(self, credentials, region: Optional[str] = None) -> ApiClient:
        return self.client(STS, self.settings.sts_endpoint, credentials, region=region)

    def metadata_transport(self) -> HttpTransport:
        # The metadata service answers the instance itself only: never through a proxy.
        return self._opening(HttpTransport(pool_size=1, environ=self.environ, use_proxies=False))

    def reopen_private_directory_if_replaced(self) -> None:
        """For a process that runs for long (the event source): the private directory, if it was made anew since."""
        if self._private_directory is not None:
            self._private_directory.reopen_if_replaced()

    def close(self) -> None:
        for transport in self._opened:
            transport.close()
        if self._private_directory is not None:
            self._private_directory.close()

    def _opening(self, transport: HttpTransport) -> HttpTransport:
        self._opened.append(transport)
        return transport
