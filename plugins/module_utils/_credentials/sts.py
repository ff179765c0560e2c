# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary credentials from STS: AssumeRole on top of other credentials, and AssumeRoleWithWebIdentity (TKE OIDC).

Both go through the same ``ApiClient`` and signer as every other call; the web identity call is sent unsigned, as
the service requires, since the token file is the proof.
"""

import json
import re
from typing import Any, Callable, Mapping, Optional
from urllib.parse import quote

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.service import Service
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.refreshing import RefreshingCredentials

# STS's documented limit for AssumeRole is 600 a minute per account: 10 a second is well inside it.
STS = Service(name='sts', version='2018-08-13', default_endpoint='sts.tencentcloudapi.com',
              rates={'AssumeRole': 10, 'AssumeRoleWithWebIdentity': 10})
SESSION_NAME_PREFIX = 'ansible-tencentcloud-'
# An expiry as a Unix time; anything from the year 2242 on is not one (and 10**400 would overflow a float).
_LAST_EXPIRY = 2 ** 33
MAX_DURATION_SECONDS = 43200
_ROLE_ARN = re.compile(r'qcs::cam::uin/[0-9]+:role(?:Name)?/[\w+=,.@/-]{1,128}')
_SESSION_NAME = re.compile(r'[\w+=,.@-]{2,128}')


def check_role_arn(option: str, value: object) -> str:
    if not isinstance(value, str) or not _ROLE_ARN.fullmatch(value):
        raise OptionError('%s %.80r is not a role ARN such as qcs::cam::uin/100000000001:roleName/deploy'
                          % (option, value))
    return value


def session_name(option: str, value: Optional[str], clock: Clock = SYSTEM_CLOCK) -> str:
    """The given name, checked, or one that says who made the session and when."""
    if not value:
        return '%s%d' % (SESSION_NAME_PREFIX, clock.wall())
    if not isinstance(value, str) or not _SESSION_NAME.fullmatch(value):
        raise OptionError('%s must be 2 to 128 letters, digits or any of _ + = , . @ -' % option)
    return value


def check_duration(option: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DURATION_SECONDS:
        raise OptionError('%s must be a number of seconds from 1 to %d, not %.20r' % (option, MAX_DURATION_SECONDS, value))
    return value


def encoded_policy(value: Optional[str]) -> Optional[str]:
    """The session policy as the API takes it: JSON, URL-encoded. ``None`` when there is none."""
    if not value:
        return None
    try:
        policy = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        raise OptionError('assume_role_policy must be a policy document: a JSON object')
    return quote(json.dumps(policy, separators=(',', ':')), safe='')


def assume_role(client, base_source: str, role_arn: str, session: str, duration: int,
                external_id: Optional[str] = None, policy: Optional[str] = None,
                clock: Clock = SYSTEM_CLOCK) -> RefreshingCredentials:
    """``RefreshingCredentials`` of ``role_arn``, assumed with the credentials ``client`` signs with.

    ``base_source`` names where those came from, for the result: ``assume-role:<arn> via <base_source>``.
    """
    params = {'RoleArn': role_arn, 'RoleSessionName': session, 'DurationSeconds': duration}
    if external_id:
        params['ExternalId'] = external_id
    if policy:
        params['Policy'] = policy
    source = 'assume-role:%s via %s' % (role_arn, base_source)
    return RefreshingCredentials(lambda: temporary(client.call('AssumeRole', params), source), source, clock)


def assume_role_with_web_identity(client, provider_id: str, read_token: Callable[[], str], role_arn: str, session: str,
                                  duration: int, clock: Clock = SYSTEM_CLOCK) -> RefreshingCredentials:
    """``RefreshingCredentials`` of ``role_arn`` for the web identity token ``read_token()`` returns.

    The token is read again at every refresh: the cluster rotates the file.
    """
    source = 'oidc:%s' % role_arn

    def fetch():
        params = {'ProviderId': provider_id, 'WebIdentityToken': read_token(), 'RoleArn': role_arn,
                  'RoleSessionName': session, 'DurationSeconds': duration}
        return temporary(client.call('AssumeRoleWithWebIdentity', params), source)
    return RefreshingCredentials(fetch, source, clock)


def temporary(response: Mapping[str, Any], source: str):
    """``(Credentials, expiry)`` from an STS or metadata answer, which name the fields alike."""
    found = response.get('Credentials', response)
    expiry = response.get('ExpiredTime')
    parts = [found.get(name) if isinstance(found, dict) else None for name in ('TmpSecretId', 'TmpSecretKey', 'Token')]
    if not all(_header_safe(part) for part in parts) or isinstance(expiry, bool) or not isinstance(expiry, int) \
            or not 0 < expiry < _LAST_EXPIRY:
        # Never quote the answer: it may hold part of a key.
        raise errors.TencentCloudError(errors.INVALID_RESPONSE, 'the answer for %s lacks TmpSecretId, TmpSecretKey, '
                                       'Token or an ExpiredTime that is a Unix time' % source)
    return Credentials(parts[0], parts[1], parts[2], source), expiry


def _header_safe(part):
    return isinstance(part, str) and part and all(' ' < char < '\x7f' for char in part)
