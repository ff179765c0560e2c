# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator as a real process on 127.0.0.1: the official SDK is answered, and the API's rules are enforced."""

import contextlib
import json
import os
import subprocess
import sys
import time
import warnings

import pytest
import requests
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import tc3_signer
from ansible_collections.tencentcloud.cloud.tests.emulator import cvm

EMULATOR = os.path.join(os.path.dirname(__file__), '..', '..', 'emulator')
SECRET_ID = 'AKIDemulatortest000000000000000000000'
SECRET_KEY = 'emulator-test-key'
SCENARIO = {
    'instances': [
        {'id': 'ins-aaaaaaaa', 'region': 'ap-guangzhou', 'state': 'RUNNING'},
        {'id': 'ins-bbbbbbbb', 'region': 'ap-guangzhou', 'timeline': [{'state': 'PENDING', 'seconds': 60},
                                                                      {'state': 'RUNNING'}]},
        {'id_prefix': 'ins-p', 'count': 45, 'region': 'ap-guangzhou', 'state': 'STOPPED'},
        {'id': 'ins-cccccccc', 'region': 'ap-shanghai', 'state': 'RUNNING'},
    ],
}


def start(tmp_path, *extra, **kwargs):
    scenario = tmp_path / 'scenario.json'
    scenario.write_text(json.dumps(kwargs.get('scenario', SCENARIO)))
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID,
                                '--secret-key', SECRET_KEY, '--scenario', str(scenario)] + list(extra),
                               stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


@contextlib.contextmanager
def running(tmp_path, **kwargs):
    """The URL of an emulator started as ``start`` starts it, stopped when the block ends."""
    process, url = start(tmp_path, **kwargs)
    try:
        yield url
    finally:
        process.terminate()
        process.wait()


@pytest.fixture
def emulator(tmp_path):
    process, url = start(tmp_path)
    yield url
    process.terminate()
    process.wait()


def call(url, params, action='DescribeInstancesStatus', region='ap-guangzhou', secret_key=SECRET_KEY,
         secret_id=SECRET_ID, timestamp=None, token=None, content_type='application/json', version='2017-03-12',
         service='cvm'):
    """One correctly signed request, whatever its other headers say (``region=None`` leaves X-TC-Region out)."""
    host = url.split('://', 1)[1]
    body = json.dumps(params).encode('utf-8')
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = {'Content-Type': content_type, 'Host': host}
    headers = dict(signed, **{
        'X-TC-Action': action, 'X-TC-Version': version, 'X-TC-Timestamp': str(timestamp),
        'Authorization': tc3_signer.authorization(secret_id, secret_key, timestamp, service, signed, body)})
    if region is not None:
        headers['X-TC-Region'] = region
    if token:
        headers['X-TC-Token'] = token
    answer = requests.post(url + '/', data=body, headers=headers, timeout=5)
    assert answer.status_code == 200
    return answer.json()['Response']


def error_code(response):
    assert response['RequestId']
    return response['Error']['Code']


def sdk_client(url, secret_key):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=url.split('://', 1)[1], protocol='http'))
    return cvm_client.CvmClient(credential.Credential(SECRET_ID, secret_key), 'ap-guangzhou', profile)


def sdk_describe(url, secret_key, ids):
    from tencentcloud.cvm.v20170312 import models

    request = models.DescribeInstancesStatusRequest()
    request.InstanceIds = ids
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)  # the SDK's own use of datetime.utcfromtimestamp()
        return sdk_client(url, secret_key).DescribeInstancesStatus(request)


def test_the_official_sdk_is_answered_and_parses_the_answer(emulator):
    response = sdk_describe(emulator, SECRET_KEY, ['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert response.TotalCount == 2
    assert [(s.InstanceId, s.InstanceState) for s in response.InstanceStatusSet] == [
        ('ins-aaaaaaaa', 'RUNNING'), ('ins-bbbbbbbb', 'PENDING')]
    assert response.RequestId


def test_the_official_sdk_with_a_wrong_key_gets_signature_failure(emulator):
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_describe(emulator, 'wrong-key', ['ins-aaaaaaaa'])
    assert caught.value.get_code() == 'AuthFailure.SignatureFailure'
    assert caught.value.get_request_id()


def test_listens_on_loopback_only(emulator):
    # What the process really bound, from the kernel's table of listening sockets, not the URL it printed.
    port = int(emulator.rsplit(':', 1)[1])
    with open('/proc/net/tcp') as table:
        rows = [line.split() for line in table.readlines()[1:]]
    bound = [row[1].split(':')[0] for row in rows if row[3] == '0A' and int(row[1].split(':')[1], 16) == port]
    assert bound == ['0100007F']  # 127.0.0.1, little-endian


def test_default_limit_is_20_and_paging_follows_offset(emulator):
    first = call(emulator, {})
    assert first['TotalCount'] == 47 and len(first['InstanceStatusSet']) == 20
    last = call(emulator, {'Offset': 40, 'Limit': 100})
    assert len(last['InstanceStatusSet']) == 7


def test_limit_applies_even_with_ids(emulator):
    ids = ['ins-p%07d' % n for n in range(30)]
    response = call(emulator, {'InstanceIds': ids})
    assert response['TotalCount'] == 30 and len(response['InstanceStatusSet']) == 20


def test_other_regions_are_invisible(emulator):
    assert call(emulator, {'InstanceIds': ['ins-cccccccc']})['TotalCount'] == 0
    assert call(emulator, {'InstanceIds': ['ins-cccccccc']}, region='ap-shanghai')['TotalCount'] == 1


@pytest.mark.parametrize('params, kwargs, code', [
    ({'InstanceIds': ['ins-%08d' % n for n in range(101)]}, {}, 'InvalidParameterValue.LimitExceeded'),
    ({'InstanceIds': ['ins-1122']}, {}, 'InvalidInstanceId.Malformed'),
    ({'Limit': 101}, {}, 'InvalidParameterValue'),
    ({'Filters': []}, {}, 'UnknownParameter'),
    ({}, {'region': None}, 'MissingParameter'),
    ({}, {'region': 'mars-north-1'}, 'InvalidParameterValue'),
    ({}, {'region': 'ap-mumbai'}, 'UnsupportedRegion'),
    ({}, {'content_type': 'text/plain'}, 'InvalidParameter'),
    ({}, {'content_type': 'application/x-www-form-urlencoded'}, 'InvalidParameter'),
    ({'Limit': 0}, {}, 'InvalidParameterValue'),
    ({'Limit': True}, {}, 'InvalidParameterValue'),
    ({'Offset': False}, {}, 'InvalidParameterValue'),
    ({}, {'version': '2099-01-01'}, 'NoSuchVersion'),
    ({}, {'action': 'ResizeInstanceDisks'}, 'InvalidAction'),
    ({}, {'secret_key': 'wrong'}, 'AuthFailure.SignatureFailure'),
    ({}, {'secret_id': 'AKIDsomeoneelse'}, 'AuthFailure.SecretIdNotFound'),
    ({}, {'timestamp': int(time.time()) - 400}, 'AuthFailure.SignatureExpire'),
])
def test_documented_errors(emulator, params, kwargs, code):
    assert error_code(call(emulator, params, **kwargs)) == code


def test_a_content_type_with_a_charset_is_still_json(emulator):
    assert call(emulator, {}, content_type='application/json; charset=utf-8')['TotalCount'] == 47


@pytest.mark.parametrize('kwargs, message', [
    ({'secret_id': 'AKIDsomeoneelse'}, 'The SecretId is not found, please ensure that your SecretId is correct.'),
    ({'version': '2099-01-01'}, 'The specified api version=`2099-01-01` does not exist in service=`cvm`.'),
    ({'action': 'ResizeInstanceDisks'}, 'The requested action=`ResizeInstanceDisks` does not exist in service=`cvm`.'),
])
def test_errors_are_worded_as_the_service_words_them(emulator, kwargs, message):
    assert call(emulator, {}, **kwargs)['Error']['Message'] == message


@pytest.mark.parametrize('region, code', [('ap-mumbai', 'UnsupportedRegion'), ('mars-north-1', 'InvalidParameterValue')])
def test_the_official_sdk_gets_the_region_errors(emulator, region, code):
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.cvm.v20170312 import models

    client = sdk_client(emulator, SECRET_KEY)
    client.region = region
    with pytest.raises(TencentCloudSDKException) as caught, warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        client.DescribeInstancesStatus(models.DescribeInstancesStatusRequest())
    assert caught.value.get_code() == code


def test_an_expired_token_is_refused(tmp_path):
    process, url = start(tmp_path, '--token', 'sts-token', '--token-lifetime', '1')
    try:
        assert call(url, {}, token='sts-token')['TotalCount'] == 47
        time.sleep(1.1)
        answer = call(url, {}, token='sts-token')
    finally:
        process.terminate()
        process.wait()
    assert answer['Error'] == {'Code': 'AuthFailure.TokenFailure', 'Message': 'The token has expired.'}


def test_the_official_sdk_with_a_token_is_answered(tmp_path):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client, models

    process, url = start(tmp_path, '--token', 'sts-token', '--token-lifetime', '60')
    try:
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=url.split('://', 1)[1], protocol='http'))
        client = cvm_client.CvmClient(credential.Credential(SECRET_ID, SECRET_KEY, 'sts-token'), 'ap-guangzhou', profile)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            answer = client.DescribeInstancesStatus(models.DescribeInstancesStatusRequest())
    finally:
        process.terminate()
        process.wait()
    assert answer.TotalCount == 47


def test_token_is_checked_when_the_credential_has_one(tmp_path):
    process, url = start(tmp_path, '--token', 'sts-token')
    try:
        assert error_code(call(url, {})) == 'AuthFailure.TokenFailure'
        assert call(url, {}, token='sts-token')['TotalCount'] == 47
    finally:
        process.terminate()
        process.wait()


class StoppedClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_41st_request_within_a_second_is_throttled():
    clock = StoppedClock()
    bucket = cvm.TokenBucket(40, clock)
    assert [bucket.take() for _n in range(41)] == [True] * 40 + [False]
    clock.now += 1.0 / 40
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 10
    assert sum(bucket.take() for _n in range(100)) == 40  # the burst never exceeds the rate


def test_throttling_answers_request_limit_exceeded(tmp_path):
    # One request a second: the second, sent at once, is throttled however fast or slow the machine is.
    process, url = start(tmp_path, '--rate-limit', '1')
    try:
        codes = [call(url, {'Limit': 1}).get('Error', {}).get('Code') for _n in range(2)]
    finally:
        process.terminate()
        process.wait()
    assert codes == [None, 'RequestLimitExceeded']


def test_each_action_has_a_budget_of_its_own(tmp_path):
    process, url = start(tmp_path, '--rate-limit', '1')
    try:
        codes = [call(url, {'Limit': 1}, action=action).get('Error', {}).get('Code')
                 for action in ('DescribeInstancesStatus', 'DescribeInstances', 'DescribeInstances')]
    finally:
        process.terminate()
        process.wait()
    assert codes == [None, None, 'RequestLimitExceeded']


def test_exits_when_its_parent_does(tmp_path):
    scenario = tmp_path / 'scenario.json'
    scenario.write_text(json.dumps(SCENARIO))
    parent = subprocess.run(
        # The parent starts the emulator, waits until it is serving, then dies without stopping it.
        ['bash', '-c', '"$0" "$1" --port 0 --secret-id a --secret-key b --scenario "$2" > "$3" & echo $!; '
                       'until [ -s "$3" ]; do sleep 0.05; done',
         sys.executable, EMULATOR, str(scenario), str(tmp_path / 'out')],
        stdout=subprocess.PIPE, universal_newlines=True, check=True)
    pid = int(parent.stdout.strip())
    for _attempt in range(50):
        if not os.path.exists('/proc/%d' % pid) or open('/proc/%d/stat' % pid).read().split()[2] == 'Z':
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail('the emulator outlived its parent')


def test_it_serves_tls_with_a_throwaway_authority_it_writes_for_clients(tmp_path):
    process, url = start(tmp_path, '--tls-self-signed', str(tmp_path))
    try:
        assert url.startswith('https://127.0.0.1:')
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url + '/_emulator/stats', timeout=5)
        assert requests.get(url + '/_emulator/stats', timeout=5, verify=str(tmp_path / 'ca.pem')).json()['requests'] == 0
    finally:
        process.terminate()
        process.wait()


def test_a_yaml_scenario_without_pyyaml_names_what_to_install(tmp_path, monkeypatch):
    from ansible_collections.tencentcloud.cloud.tests.emulator import errors, server
    scenario = tmp_path / 'scenario.yml'
    scenario.write_text('instances: []\n')
    monkeypatch.setitem(sys.modules, 'yaml', None)  # as if PyYAML were not installed
    with pytest.raises(errors.ScenarioError, match=r'is YAML, which needs PyYAML: pip install pyyaml'):
        server.load_scenario(str(scenario))
