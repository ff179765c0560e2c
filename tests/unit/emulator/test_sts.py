# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's STS: what it mints, what it refuses, and the CVM API accepting what it minted until expiry."""

import json
import time

import pytest
import requests
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import SCENARIO, call, error_code, start

ROLE = 'qcs::cam::uin/100000000001:roleName/deploy'
OIDC_ROLE = 'qcs::cam::uin/100000000001:roleName/pods'
WITH_ROLES = dict(SCENARIO, roles=[
    {'arn': ROLE, 'external_id': 'ext-1', 'lifetime': 2},
    {'arn': OIDC_ROLE, 'oidc_provider': 'tke-oidc', 'web_identity_token': 'the-pod-token'},
])


@pytest.fixture
def emulator(tmp_path):
    process, url = start(tmp_path, scenario=WITH_ROLES)
    yield url
    process.terminate()
    process.wait()


def assume(url, **params):
    params = dict({'RoleArn': ROLE, 'RoleSessionName': 's1', 'ExternalId': 'ext-1'}, **params)
    return call(url, params, action='AssumeRole', version='2018-08-13', service='sts')


def web_identity(url, **params):
    params = dict({'ProviderId': 'tke-oidc', 'WebIdentityToken': 'the-pod-token', 'RoleArn': OIDC_ROLE,
                   'RoleSessionName': 'pod'}, **params)
    headers = {'Content-Type': 'application/json', 'X-TC-Action': 'AssumeRoleWithWebIdentity',
               'X-TC-Version': '2018-08-13', 'X-TC-Region': 'ap-guangzhou', 'X-TC-Timestamp': str(int(time.time())),
               'Authorization': 'SKIP'}
    return requests.post(url + '/', data=json.dumps(params), headers=headers, timeout=5).json()['Response']


def describe_with(url, credentials):
    return call(url, {'InstanceIds': ['ins-aaaaaaaa']}, secret_id=credentials['TmpSecretId'],
                secret_key=credentials['TmpSecretKey'], token=credentials['Token'])


def test_assumed_credentials_work_until_they_expire(emulator):
    answer = assume(emulator, DurationSeconds=3600)
    assert answer['ExpiredTime'] - time.time() <= 2  # the role's lifetime caps the duration asked
    assert describe_with(emulator, answer['Credentials'])['TotalCount'] == 1
    without_token = dict(answer['Credentials'], Token=None)
    assert error_code(describe_with(emulator, without_token)) == 'AuthFailure.TokenFailure'
    time.sleep(2.1)
    expired = describe_with(emulator, answer['Credentials'])
    assert expired['Error'] == {'Code': 'AuthFailure.TokenFailure', 'Message': 'The token has expired.'}


@pytest.mark.parametrize('params, code', [
    ({'ExternalId': 'wrong'}, 'InvalidParameter.ExternalIdError'),
    ({'RoleArn': 'qcs::cam::uin/100000000001:roleName/nobody'}, 'InvalidParameter.RoleNotExist'),
    ({'DurationSeconds': 43201}, 'InvalidParameter.DurationSecondsError'),
    ({'RoleSessionName': ''}, 'MissingParameter'),
    ({'Surprise': 1}, 'UnknownParameter'),
])
def test_assume_role_refuses(emulator, params, code):
    assert error_code(assume(emulator, **params)) == code


def test_assume_role_is_signed_for_sts(emulator):
    answer = call(emulator, {'RoleArn': ROLE, 'RoleSessionName': 's1', 'ExternalId': 'ext-1'}, action='AssumeRole',
                  version='2018-08-13', service='cvm')
    assert error_code(answer) == 'AuthFailure.SignatureFailure'


def test_web_identity_is_unsigned_and_checks_provider_and_token(emulator):
    answer = web_identity(emulator)
    assert describe_with(emulator, answer['Credentials'])['TotalCount'] == 1
    assert error_code(web_identity(emulator, WebIdentityToken='forged')) == 'InvalidParameter.WebIdentityTokenError'
    assert error_code(web_identity(emulator, ProviderId='other')) == 'InvalidParameter.WebIdentityTokenError'
    signed = call(emulator, {'ProviderId': 'tke-oidc', 'WebIdentityToken': 'the-pod-token', 'RoleArn': OIDC_ROLE,
                             'RoleSessionName': 'pod'}, action='AssumeRoleWithWebIdentity', version='2018-08-13',
                  service='sts')
    assert error_code(signed) == 'AuthFailure.InvalidAuthorization'


def test_sts_calls_are_counted_apart_from_cvm_calls(emulator):
    assume(emulator)
    web_identity(emulator)
    stats = requests.get(emulator + '/_emulator/stats', timeout=5).json()
    assert stats['sts_requests'] == 2 and stats['requests'] == 0
