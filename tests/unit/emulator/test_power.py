# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's StartInstances, StopInstances and RebootInstances: the state rules, the limits, the transitions."""

import time

import pytest
import requests
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import call, error_code, start

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
    process, url = start(tmp_path_factory.mktemp('power'), scenario=SCENARIO)
    yield url
    process.terminate()
    process.wait()


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
    process, url = start(tmp_path, scenario={'instances': [{'id': 'ins-aaaaaaaa', 'state': 'RUNNING'}]})
    try:
        codes = [call(url, {'InstanceIds': ['ins-aaaaaaaa']}, action='RebootInstances').get('Error', {}).get('Code')
                 for _n in range(12)]
        # The describe actions keep their own budget.
        described = call(url, {'InstanceIds': ['ins-aaaaaaaa']})
    finally:
        process.terminate()
        process.wait()
    assert 'RequestLimitExceeded' in codes
    assert 'Error' not in described
