# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""STS: AssumeRole (signed) and AssumeRoleWithWebIdentity (unsigned, the token is the proof), minting temporary
credentials that the other services then accept until they expire.
"""

import datetime
import json

from .errors import ApiError, ScenarioError
from .signing import authenticate

SERVICE = 'sts'
VERSION = '2018-08-13'
ASSUME_ROLE = 'AssumeRole'
WEB_IDENTITY = 'AssumeRoleWithWebIdentity'
ACTIONS = (ASSUME_ROLE, WEB_IDENTITY)
MAX_DURATION_SECONDS = 43200
_PARAMETERS = {
    ASSUME_ROLE: ({'RoleArn', 'RoleSessionName'}, {'DurationSeconds', 'ExternalId', 'Policy'}),
    WEB_IDENTITY: ({'ProviderId', 'WebIdentityToken', 'RoleArn', 'RoleSessionName'}, {'DurationSeconds'}),
}


def roles_of(scenario):
    """``{role ARN: its settings}`` from the scenario's ``roles`` list."""
    roles = {}
    for role in scenario.get('roles', []):
        if not isinstance(role, dict) or not role.get('arn'):
            raise ScenarioError('each role needs an arn: %r' % (role,))
        roles[role['arn']] = role
    return roles


def answer(emulator, headers, body):
    action = headers.get('X-TC-Action')
    if headers.get('X-TC-Version') != VERSION:
        raise ApiError('NoSuchVersion', 'The specified api version=`%s` does not exist in service=`%s`.'
                       % (headers.get('X-TC-Version'), SERVICE))
    if action == WEB_IDENTITY:
        if headers.get('Authorization') != 'SKIP':
            raise ApiError('AuthFailure.InvalidAuthorization', 'AssumeRoleWithWebIdentity is sent unsigned '
                                                               '(Authorization: SKIP).')
    else:
        authenticate(emulator.keys, headers, body, SERVICE, emulator.now())
    if not headers.get('X-TC-Region'):
        raise ApiError('MissingParameter', 'The request is missing a required parameter `Region`.')
    params = _parameters(action, body)
    role = emulator.roles.get(params['RoleArn'])
    if role is None:
        raise ApiError('InvalidParameter.RoleNotExist', 'The role `%s` does not exist.' % params['RoleArn'])
    if action == ASSUME_ROLE and role.get('external_id') and params.get('ExternalId') != role['external_id']:
        raise ApiError('InvalidParameter.ExternalIdError', 'The ExternalId does not match the role\'s trust policy.')
    if action == WEB_IDENTITY and (params['ProviderId'] != role.get('oidc_provider')
                                   or params['WebIdentityToken'] != role.get('web_identity_token')):
        raise ApiError('InvalidParameter.WebIdentityTokenError', 'The web identity token is not valid for the role.')
    lifetime = min(params.get('DurationSeconds', 7200), role.get('lifetime', MAX_DURATION_SECONDS))
    return minted(emulator, lifetime)


def minted(emulator, lifetime):
    """Fresh credentials as STS names them (the metadata service uses the same names, flattened)."""
    expires_at = emulator.now() + lifetime
    secret_id, secret_key, token = emulator.keys.mint(expires_at)
    return {
        'Credentials': {'TmpSecretId': secret_id, 'TmpSecretKey': secret_key, 'Token': token},
        'ExpiredTime': int(expires_at),
        'Expiration': datetime.datetime.fromtimestamp(int(expires_at), tz=datetime.timezone.utc).strftime(
            '%Y-%m-%dT%H:%M:%SZ'),
    }


def _parameters(action, body):
    try:
        params = json.loads(body.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        raise ApiError('InvalidParameter', 'The request body is not valid JSON.')
    if not isinstance(params, dict):
        raise ApiError('InvalidParameter', 'The request body must be a JSON object.')
    required, optional = _PARAMETERS[action]
    unknown = sorted(set(params) - required - optional)
    if unknown:
        raise ApiError('UnknownParameter', 'The parameter `%s` is not recognized.' % unknown[0])
    missing = sorted(name for name in required if not isinstance(params.get(name), str) or not params[name])
    if missing:
        raise ApiError('MissingParameter', 'The request is missing a required parameter `%s`.' % missing[0])
    duration = params.get('DurationSeconds', 7200)
    if isinstance(duration, bool) or not isinstance(duration, int) or not 0 < duration <= MAX_DURATION_SECONDS:
        raise ApiError('InvalidParameter.DurationSecondsError', 'DurationSeconds must be from 1 to 43200.')
    return params
