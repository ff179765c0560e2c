# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CAM role of the CVM instance this runs on, from the instance metadata service.

Off a CVM the service does not answer; the probe is one short request so that the chain's last resort costs about
a second at most before it says so.
"""

import json
import re
from typing import Mapping, Optional
from urllib.parse import quote

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.endpoint import parse_endpoint
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import sts
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.refreshing import RefreshingCredentials

ENDPOINT_VARIABLE = 'TENCENTCLOUD_METADATA_ENDPOINT'
DEFAULT_ENDPOINT = 'http://metadata.tencentyun.com'
ROLES_PATH = 'latest/meta-data/cam/security-credentials/'
PROBE_TIMEOUT_SECONDS = 1.0
_ROLE_NAME = re.compile(r'[\w+=,.@-]{1,128}')


class Unavailable(Exception):
    """No instance role here; the message says why, for the chain's "no credentials found"."""


def metadata_url(environ: Mapping[str, str]) -> str:
    endpoint = environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT
    try:
        url, _host = parse_endpoint(endpoint if '://' in endpoint else 'http://' + endpoint)
    except OptionError as error:
        raise OptionError('%s: %s' % (ENDPOINT_VARIABLE, error)) from None
    return url


def check_role_name(option: str, value: object) -> str:
    if not isinstance(value, str) or not _ROLE_NAME.fullmatch(value):
        raise OptionError('%s must be a CAM role name: 1 to 128 letters, digits or any of _ + = , . @ -' % option)
    return value


def instance_role(role_name: Optional[str], environ: Mapping[str, str], transport, request_timeout: float,
                  clock: Clock = SYSTEM_CLOCK) -> RefreshingCredentials:
    """``RefreshingCredentials`` of the instance's role (``role_name``, or the one the service names).

    Raises ``Unavailable`` when the metadata service does not answer or the instance has no role.
    """
    base = metadata_url(environ)
    listed = _get(transport, base, ROLES_PATH, PROBE_TIMEOUT_SECONDS, Unavailable)
    if role_name is None:
        role_name = _first_role(listed, base)
    source = 'cvm-role:%s' % role_name
    path = ROLES_PATH + quote(role_name, safe='')

    def fetch():
        answer = _get(transport, base, path, request_timeout, _fetch_failed)
        try:
            document = json.loads(answer.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            document = None
        if not isinstance(document, dict) or document.get('Code') != 'Success':
            raise errors.TencentCloudError(
                errors.INVALID_RESPONSE, 'the metadata service gave no credentials for role %s (Code %.40r)'
                % (role_name, document.get('Code') if isinstance(document, dict) else None))
        return sts.temporary(document, source)
    return RefreshingCredentials(fetch, source, clock)


def _fetch_failed(message):
    return errors.TencentCloudError(errors.CONNECTION_FAILURE, message)


def _get(transport, base, path, timeout, failure):
    try:
        answer = transport.send(base + path, None, {}, timeout, method='GET')
    except errors.TencentCloudError as error:
        raise failure('the metadata service at %s was not reachable (%s)' % (base.rstrip('/'), error.message))
    if answer.status != 200:
        raise failure('the metadata service at %s answered HTTP %d for /%s: no such CAM role on this instance'
                      % (base.rstrip('/'), answer.status, path))
    return answer.body


def _first_role(listed, base):
    lines = listed.decode('utf-8', 'replace').split()
    if not lines:
        raise Unavailable('the metadata service at %s names no CAM role for this instance' % base.rstrip('/'))
    if not _ROLE_NAME.fullmatch(lines[0]):
        raise Unavailable('the metadata service at %s named a role that is not a CAM role name' % base.rstrip('/'))
    return lines[0]
