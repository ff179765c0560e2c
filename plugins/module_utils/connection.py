# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clients of one run, built from the shared options: the service's, STS's for credentials, the metadata
service's transport. They share the run's warnings and are closed together.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.cloud.plugins.module_utils.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import sts
from ansible_collections.tencentcloud.cloud.plugins.module_utils.http_transport import HttpTransport
from ansible_collections.tencentcloud.cloud.plugins.module_utils import private_directory
from ansible_collections.tencentcloud.cloud.plugins.module_utils.rate_limiter import RequestSpacer
from ansible_collections.tencentcloud.cloud.plugins.module_utils.retry import longest_call_seconds
from ansible_collections.tencentcloud.cloud.plugins.module_utils.shared_reads import SharedReads


class Connection:
    def __init__(self, values, environ):
        self.values = values
        self.environ = environ
        self.warnings = []
        self._opened = []
        # Where the run's processes share a request schedule and reads: looked up (and made) once a run.
        self._private_directory = private_directory.find(environ)

    def client(self, service, version, endpoint, credentials, rates, pool_size=1, region=None):
        """An ``ApiClient`` for the actions of ``rates`` (action: documented requests per second); ``credentials``
        ``None`` sends unsigned requests (STS web identity)."""
        values = self.values
        # One rate budget per account, endpoint and action, shared by every process of this user on this host.
        identity = credentials.identity if credentials is not None else 'unsigned'
        limiters = dict((action, RequestSpacer(rate, ' '.join([endpoint, identity, action]), self._private_directory,
                                               self.warnings)) for action, rate in rates.items())
        transport = self._opening(HttpTransport(validate_certs=values['validate_certs'], ca_bundle=values['ca_bundle'],
                                                pool_size=pool_size, environ=self.environ))
        return ApiClient(
            credentials, region or values['region'], endpoint, service, version, limiters.__getitem__, transport,
            language=values['language'], request_timeout=values['request_timeout'], max_retries=values['max_retries'],
            warnings=self.warnings)

    def shared_reads(self):
        """Reads shared with the user's other processes (``coalesce``), or ``None`` to read alone."""
        if not self.values.get('coalesce'):
            return None
        values = self.values
        return SharedReads(self._private_directory, lease=values['request_timeout'],
                           patience=longest_call_seconds(values['request_timeout'], values['max_retries']))

    def sts_client(self, credentials, region=None):
        return self.client(sts.SERVICE, sts.API_VERSION, self.values['sts_endpoint'], credentials,
                           sts.REQUESTS_PER_SECOND, region=region)

    def metadata_transport(self):
        # The metadata service answers the instance itself only: never through a proxy.
        return self._opening(HttpTransport(pool_size=1, environ=self.environ, use_proxies=False))

    def close(self):
        for transport in self._opened:
            transport.close()
        if self._private_directory is not None:
            self._private_directory.close()

    def _opening(self, transport):
        self._opened.append(transport)
        return transport
