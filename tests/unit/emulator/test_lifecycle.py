# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's RunInstances and TerminateInstances: parameters checked, a ClientToken answered once, DryRun,
quota, launch failures, termination rules and protection, instances gone once terminated."""

import time

import pytest
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import call, error_code, running

SCENARIO = {
    'launch_seconds': 0.3, 'power_seconds': 0.3, 'failing_images': ['img-broken01'], 'instance_quota': 12,
    'instances': [
        {'id': 'ins-run00001', 'state': 'RUNNING'},
        {'id': 'ins-guard001', 'state': 'RUNNING', 'disable_api_termination': True},
        {'id': 'ins-prepaid1', 'state': 'RUNNING', 'charge_type': 'PREPAID'},
        {'id': 'ins-pend0001', 'timeline': [{'state': 'PENDING', 'seconds': 60}, {'state': 'RUNNING'}]},
    ],
}
LAUNCH = {'Placement': {'Zone': 'ap-guangzhou-3'}, 'ImageId': 'img-test0001', 'InstanceName': 'web',
          'TagSpecification': [{'ResourceType': 'instance', 'Tags': [{'Key': 'Name', 'Value': 'web'}]}]}


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with running(tmp_path_factory.mktemp('lifecycle'), scenario=SCENARIO) as url:
        yield url


def run_instances(url, params):
    # RunInstances is allowed 10 requests a second: the tests send theirs no faster.
    time.sleep(0.12)
    return call(url, params, action='RunInstances')


def described(url, ids):
    return {item['InstanceId']: item for item in call(url, {'InstanceIds': ids}, action='DescribeInstances')['InstanceSet']}


def test_one_call_creates_several_named_with_suffixes_pending_then_running(emulator):
    ids = run_instances(emulator, dict(LAUNCH, InstanceCount=2, ClientToken='t-suffixes'))['InstanceIdSet']
    items = described(emulator, ids)
    assert [items[i]['InstanceName'] for i in ids] == ['web1', 'web2']
    assert {items[i]['InstanceState'] for i in ids} == {'PENDING'}
    assert items[ids[0]]['Tags'] == [{'Key': 'Name', 'Value': 'web'}]
    time.sleep(0.4)
    assert {item['InstanceState'] for item in described(emulator, ids).values()} == {'RUNNING'}


def test_a_client_token_seen_answers_the_same_instances_and_creates_nothing(emulator):
    first = run_instances(emulator, dict(LAUNCH, ClientToken='t-once'))['InstanceIdSet']
    total = call(emulator, {})['TotalCount']
    assert run_instances(emulator, dict(LAUNCH, ClientToken='t-once'))['InstanceIdSet'] == first
    assert call(emulator, {})['TotalCount'] == total


@pytest.mark.parametrize('params, code', [
    ({'DryRun': True}, 'DryRunOperation'),
    ({'InstanceCount': 101}, 'InvalidParameterValue.Range'),
    ({'InstanceCount': True}, 'InvalidParameter'),
    ({'ClientToken': 'x' * 65}, 'InvalidClientToken.TooLong'),
    ({'Placement': {'Zone': 'ap-shanghai-2'}}, 'InvalidZone.MismatchRegion'),
    ({'ImageId': ''}, 'MissingParameter'),
    ({'InstanceName': 'n' * 61}, 'InvalidInstanceName.TooLong'),
    ({'InstanceChargeType': 'FREE'}, 'InvalidParameterValue'),
    ({'Colour': 'blue'}, 'UnknownParameter'),
    ({'InstanceCount': 20}, 'LimitExceeded.InstanceQuota'),
])
def test_a_bad_or_dry_request_creates_nothing(emulator, params, code):
    total = call(emulator, {})['TotalCount']
    assert error_code(run_instances(emulator, dict(LAUNCH, **params))) == code
    assert call(emulator, {})['TotalCount'] == total


def test_an_image_the_scenario_breaks_ends_launch_failed(emulator):
    (instance_id,) = run_instances(emulator, dict(LAUNCH, ImageId='img-broken01'))['InstanceIdSet']
    time.sleep(0.4)
    item = described(emulator, [instance_id])[instance_id]
    assert (item['InstanceState'], item['LatestOperation'], item['LatestOperationState']) == (
        'LAUNCH_FAILED', 'RunInstances', 'FAILED')


def test_a_termination_is_terminating_then_gone(emulator):
    assert 'Error' not in call(emulator, {'InstanceIds': ['ins-run00001']}, action='TerminateInstances')
    assert described(emulator, ['ins-run00001'])['ins-run00001']['InstanceState'] == 'TERMINATING'
    assert error_code(call(emulator, {'InstanceIds': ['ins-run00001']}, action='TerminateInstances')) == \
        'UnsupportedOperation.InstanceStateTerminating'
    time.sleep(0.4)
    assert described(emulator, ['ins-run00001']) == {}
    assert error_code(call(emulator, {'InstanceIds': ['ins-run00001']}, action='TerminateInstances')) == \
        'InvalidInstanceId.NotFound'


def test_protection_a_moving_state_and_prepaid(emulator):
    assert error_code(call(emulator, {'InstanceIds': ['ins-guard001']}, action='TerminateInstances')) == \
        'UnsupportedOperation.InstancesProtected'
    assert error_code(call(emulator, {'InstanceIds': ['ins-pend0001']}, action='TerminateInstances')) == \
        'UnsupportedOperation.InstanceStatePending'
    assert 'Error' not in call(emulator, {'InstanceIds': ['ins-prepaid1']}, action='TerminateInstances')
    assert described(emulator, ['ins-prepaid1'])['ins-prepaid1']['InstanceState'] == 'SHUTDOWN'
