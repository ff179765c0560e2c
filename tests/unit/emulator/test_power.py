# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's StartInstances, StopInstances and RebootInstances: the state rules, the limits, the transitions."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import tc3_signer
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import (
    SECRET_ID, SECRET_KEY, call, error_code, running,
)

SCENARIO = {
    'power_seconds': 0.5,
    'instances': [
        {'id_prefix': 'ins-s', 'count': 101, 'state': 'STOPPED'},
        {'id_prefix': 'ins-r', 'count': 5, 'state': 'RUNNING'},
        {'id': 'ins-fails001', 'state': 'STOPPED', 'fails': {'StartInstances': 'no capacity in the zone'}},
        {'id': 'ins-busy0001', 'timeline': [
            {'state': 'RUNNING', 'seconds': 60, 'operation': {'name': 'ResetInstancesPassword', 'state': 'OPERATING'}},
            {'state': 'RUNNING'}]},
        {'id': 'ins-prepaid1', 'state': 'RUNNING', 'charge_type': 'PREPAID'},
        {'id': 'ins-raced001', 'state': 'STOPPED'},
        {'id': 'ins-sh000001', 'region': 'ap-shanghai', 'state': 'STOPPED'},
    ],
    'raced': [{'instance': 'ins-raced001', 'action': 'StartInstances'}],
}


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with running(tmp_path_factory.mktemp('power'), scenario=SCENARIO) as url:
        yield url


def instance(url, instance_id):
    (described,) = call(url, {'InstanceIds': [instance_id]}, action='DescribeInstances')['InstanceSet']
    return described


def test_a_start_moves_the_instance_through_starting_to_running(emulator):
    answer = call(emulator, {'InstanceIds': ['ins-s0000000']}, action='StartInstances')
    assert 'Error' not in answer
    starting = instance(emulator, 'ins-s0000000')
    assert starting['InstanceState'] == 'STARTING'
    assert (starting['LatestOperation'], starting['LatestOperationState'], starting['LatestOperationRequestId']) == (
        'StartInstances', 'OPERATING', answer['RequestId'])
    time.sleep(0.6)
    running = instance(emulator, 'ins-s0000000')
    assert (running['InstanceState'], running['LatestOperationState']) == ('RUNNING', 'SUCCESS')


def test_a_stop_and_a_reboot_end_where_the_service_says(emulator):
    assert 'Error' not in call(emulator, {'InstanceIds': ['ins-r0000000'], 'StopType': 'HARD',
                                          'StoppedMode': 'STOP_CHARGING'}, action='StopInstances')
    assert 'Error' not in call(emulator, {'InstanceIds': ['ins-r0000001'], 'StopType': 'SOFT_FIRST'},
                               action='RebootInstances')
    assert instance(emulator, 'ins-r0000000')['InstanceState'] == 'STOPPING'
    assert instance(emulator, 'ins-r0000001')['InstanceState'] == 'REBOOTING'
    time.sleep(0.6)
    assert instance(emulator, 'ins-r0000000')['InstanceState'] == 'STOPPED'
    assert instance(emulator, 'ins-r0000001')['InstanceState'] == 'RUNNING'
    calls = requests.get(emulator + '/_emulator/stats', timeout=5).json()['power_calls']
    assert {'action': 'StopInstances', 'InstanceIds': ['ins-r0000000'], 'StopType': 'HARD',
            'StoppedMode': 'STOP_CHARGING'}.items() <= calls[-2].items()


def test_an_instance_in_another_state_refuses_the_whole_call(emulator):
    refused = call(emulator, {'InstanceIds': ['ins-s0000002', 'ins-r0000002']}, action='StartInstances')
    assert error_code(refused) == 'UnsupportedOperation.InstanceStateRunning'
    # Nothing of a refused call happens.
    assert instance(emulator, 'ins-s0000002')['InstanceState'] == 'STOPPED'
    assert error_code(call(emulator, {'InstanceIds': ['ins-s0000003']}, action='RebootInstances')) == \
        'UnsupportedOperation.InstanceStateStopped'


def test_a_moving_instance_names_its_state_and_an_operation_in_flight_is_in_progress(emulator):
    call(emulator, {'InstanceIds': ['ins-r0000003']}, action='StopInstances')
    assert error_code(call(emulator, {'InstanceIds': ['ins-r0000003']}, action='StopInstances')) == \
        'UnsupportedOperation.InstanceStateStopping'
    assert error_code(call(emulator, {'InstanceIds': ['ins-busy0001']}, action='StopInstances')) == \
        'OperationDenied.InstanceOperationInProgress'


def test_a_failing_start_goes_back_to_stopped_and_says_why(emulator):
    answer = call(emulator, {'InstanceIds': ['ins-fails001']}, action='StartInstances')
    time.sleep(0.6)
    failed = instance(emulator, 'ins-fails001')
    assert (failed['InstanceState'], failed['LatestOperationState'], failed['LatestOperationRequestId'],
            failed['LatestOperationErrorMsg']) == ('STOPPED', 'FAILED', answer['RequestId'], 'no capacity in the zone')


def test_someone_else_acts_just_before_the_call(emulator):
    assert error_code(call(emulator, {'InstanceIds': ['ins-raced001']}, action='StartInstances')) == \
        'UnsupportedOperation.InstanceStateStarting'


@pytest.mark.parametrize('params, action, code', [
    ({}, 'StartInstances', 'MissingParameter'),
    ({'InstanceIds': ['ins-s%07d' % n for n in range(101)]}, 'StartInstances', 'InvalidParameterValue.LimitExceeded'),
    ({'InstanceIds': ['i-bad']}, 'StartInstances', 'InvalidInstanceId.Malformed'),
    ({'InstanceIds': ['ins-nothere1']}, 'StartInstances', 'InvalidInstanceId.NotFound'),
    ({'InstanceIds': ['ins-sh000001']}, 'StartInstances', 'InvalidInstanceId.NotFound'),
    ({'InstanceIds': ['ins-s0000009'], 'StopType': 'SOFT'}, 'StartInstances', 'UnknownParameter'),
    ({'InstanceIds': ['ins-r0000004'], 'StoppedMode': 'KEEP_CHARGING'}, 'RebootInstances', 'UnknownParameter'),
    ({'InstanceIds': ['ins-r0000004'], 'StopType': 'GENTLE'}, 'StopInstances', 'InvalidParameterValue'),
    ({'InstanceIds': ['ins-r0000004'], 'Limit': 100}, 'StopInstances', 'UnknownParameter'),
    ({'InstanceIds': ['ins-prepaid1'], 'StoppedMode': 'STOP_CHARGING'}, 'StopInstances',
     'UnsupportedOperation.StoppedModeStopCharging'),
])
def test_requests_the_service_refuses(emulator, params, action, code):
    assert error_code(call(emulator, params, action=action)) == code


def test_the_power_actions_allow_10_requests_a_second_each(tmp_path):
    with running(tmp_path, scenario={'instances': [{'id': 'ins-aaaaaaaa', 'state': 'RUNNING'}]}) as url:
        # At once, so that a loaded machine cannot spread them over the second the bucket refills in.
        with ThreadPoolExecutor(max_workers=30) as pool:
            codes = list(pool.map(lambda _n: call(url, {'InstanceIds': ['ins-aaaaaaaa']}, action='RebootInstances')
                                  .get('Error', {}).get('Code'), range(30)))
        # The describe actions keep their own budget.
        described = call(url, {'InstanceIds': ['ins-aaaaaaaa']})
    assert 'RequestLimitExceeded' in codes
    assert 'Error' not in described


LOST = {
    'power_seconds': 0.5,
    'instances': [
        {'ids': ['ins-lost0001', 'ins-lost0002', 'ins-lost0003'], 'state': 'RUNNING'},
        {'id': 'ins-other001', 'state': 'RUNNING'},
        {'id': 'ins-delay001', 'state': 'RUNNING', 'power_delay': 0.5},
        {'ids': ['ins-part0001', 'ins-part0002'], 'state': 'STOPPED'},
        {'id': 'ins-late0001', 'state': 'RUNNING', 'operation_delay': 1.0},
        {'id': 'ins-denied01', 'state': 'RUNNING'},
    ],
    'denied_instances': ['ins-denied01'],
    'denial_code': 'AuthFailure.UnauthorizedOperation',
    'faults': [
        {'kind': 'reset', 'action': 'StartInstances', 'instance': 'ins-part0001', 'applied': True,
         'applied_to': ['ins-part0001'], 'count': 1},
        {'kind': 'api_error', 'code': 'InternalError', 'action': 'StopInstances', 'instance': 'ins-lost0001',
         'applied': True, 'count': 1},
        {'kind': 'http_status', 'status': 502, 'action': 'StopInstances', 'instance': 'ins-lost0002',
         'applied': True, 'count': 1},
        {'kind': 'api_error', 'code': 'InternalError', 'action': 'RebootInstances', 'count': 1},
    ],
    'others': [{'instance': 'ins-other001', 'action': 'StartInstances', 'after': 0.5}],
}


@pytest.fixture(scope='module')
def lossy(tmp_path_factory):
    with running(tmp_path_factory.mktemp('lossy'), scenario=LOST) as url:
        yield url


def stats(url):
    return requests.get(url + '/_emulator/stats', timeout=5).json()


def test_a_fault_after_applying_carries_the_call_out_and_answers_the_fault(lossy):
    answer = call(lossy, {'InstanceIds': ['ins-lost0001']}, action='StopInstances')
    assert answer['Error']['Code'] == 'InternalError'
    described = instance(lossy, 'ins-lost0001')
    # Carried out, under the RequestId of the error answer.
    assert (described['InstanceState'], described['LatestOperationRequestId']) == ('STOPPING', answer['RequestId'])
    assert ['ins-lost0001'] in [carried['InstanceIds'] for carried in stats(lossy)['power_calls']]


def test_a_gateways_page_after_applying_hides_a_call_carried_out(lossy):
    host = lossy.split('://', 1)[1]
    body = json.dumps({'InstanceIds': ['ins-lost0002']}).encode('utf-8')
    timestamp = int(time.time())
    signed = {'Content-Type': 'application/json', 'Host': host}
    headers = dict(signed, **{'X-TC-Action': 'StopInstances', 'X-TC-Version': '2017-03-12',
                              'X-TC-Timestamp': str(timestamp), 'X-TC-Region': 'ap-guangzhou',
                              'Authorization': tc3_signer.authorization(SECRET_ID, SECRET_KEY, timestamp, 'cvm', signed,
                                                                        body)})
    assert requests.post(lossy + '/', data=body, headers=headers, timeout=5).status_code == 502
    assert instance(lossy, 'ins-lost0002')['InstanceState'] == 'STOPPING'


def test_a_fault_for_one_action_leaves_the_others_alone(lossy):
    # The reboot fault matches RebootInstances only: a read and a stop of another instance go through.
    assert 'Error' not in call(lossy, {'InstanceIds': ['ins-lost0003']}, action='DescribeInstances')
    assert 'Error' not in call(lossy, {'InstanceIds': ['ins-lost0003']}, action='StopInstances')


def test_another_party_acts_on_an_instance_after_the_clients_call(lossy):
    assert 'Error' not in call(lossy, {'InstanceIds': ['ins-other001']}, action='StopInstances')
    time.sleep(0.6)
    described = instance(lossy, 'ins-other001')
    assert described['InstanceState'] == 'STARTING' and described['LatestOperation'] == 'StartInstances'
    assert described['LatestOperationRequestId'].startswith('other-party-')
    assert [other['action'] for other in stats(lossy)['other_party_calls']] == ['StartInstances']


def test_a_power_delay_keeps_the_state_until_the_action_shows(lossy):
    answer = call(lossy, {'InstanceIds': ['ins-delay001']}, action='RebootInstances')
    assert answer['Error']['Code'] == 'InternalError'  # the one reboot fault, not applied: nothing happened
    assert instance(lossy, 'ins-delay001')['LatestOperation'] is None
    assert 'Error' not in call(lossy, {'InstanceIds': ['ins-delay001']}, action='RebootInstances')
    described = instance(lossy, 'ins-delay001')
    assert (described['InstanceState'], described['LatestOperationState']) == ('RUNNING', 'OPERATING')
    time.sleep(0.6)
    assert instance(lossy, 'ins-delay001')['InstanceState'] == 'REBOOTING'


def test_a_batch_lost_after_part_of_it_was_carried_out(lossy):
    with pytest.raises(requests.ConnectionError):
        call(lossy, {'InstanceIds': ['ins-part0001', 'ins-part0002']}, action='StartInstances')
    assert instance(lossy, 'ins-part0001')['InstanceState'] == 'STARTING'
    assert instance(lossy, 'ins-part0002')['InstanceState'] == 'STOPPED'


def test_an_operation_that_shows_late(lossy):
    answer = call(lossy, {'InstanceIds': ['ins-late0001']}, action='StopInstances')
    described = instance(lossy, 'ins-late0001')
    # The state moves at once; the operation is the one before (none) until operation_delay has passed.
    assert (described['InstanceState'], described['LatestOperationRequestId']) == ('STOPPING', None)
    time.sleep(1.1)
    assert instance(lossy, 'ins-late0001')['LatestOperationRequestId'] == answer['RequestId']


def test_a_denied_instance_is_refused_with_the_scenarios_code(lossy):
    answer = call(lossy, {'InstanceIds': ['ins-denied01', 'ins-lost0003']}, action='DescribeInstances')
    assert answer['Error']['Code'] == 'AuthFailure.UnauthorizedOperation'
    assert 'instance/ins-denied01' in answer['Error']['Message']
