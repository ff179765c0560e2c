# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's DescribeInstances: the fields, the filters, paging, and operations that move with the state."""

import time

import pytest
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import call, error_code, running

SCENARIO = {'instances': [
    {'id': 'ins-web00001', 'name': 'web-1', 'zone': 'ap-guangzhou-3', 'tags': {'env': 'prod', 'role': 'web'},
     'public_ip': True, 'state': 'RUNNING'},
    {'id_prefix': 'ins-b', 'count': 130, 'tags': {'env': 'stage'}, 'state': 'STOPPED'},
    {'id': 'ins-fail0001', 'timeline': [
        {'state': 'STOPPED', 'seconds': 1,
         'operation': {'name': 'StartInstances', 'state': 'OPERATING', 'request_id': 'req-start'}},
        {'state': 'STOPPED', 'operation': {'name': 'StartInstances', 'state': 'FAILED', 'request_id': 'req-start',
                                           'error': 'no capacity'}}]},
    {'id': 'ins-sh000001', 'region': 'ap-shanghai', 'state': 'RUNNING'},
]}


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with running(tmp_path_factory.mktemp('cvm'), scenario=SCENARIO) as url:
        yield url


def describe(url, **params):
    return call(url, params, action='DescribeInstances')


def test_an_instance_as_described(emulator):
    (web,) = describe(emulator, InstanceIds=['ins-web00001'])['InstanceSet']
    assert web['InstanceName'] == 'web-1' and web['InstanceState'] == 'RUNNING'
    assert web['Placement']['Zone'] == 'ap-guangzhou-3'
    assert web['Tags'] == [{'Key': 'env', 'Value': 'prod'}, {'Key': 'role', 'Value': 'web'}]
    assert web['PrivateIpAddresses'][0].startswith('10.') and web['PublicIpAddresses'][0].startswith('43.')


def test_limit_defaults_to_20_and_pages_like_the_status_action(emulator):
    first = describe(emulator)
    assert first['TotalCount'] == 132 and len(first['InstanceSet']) == 20
    assert len(describe(emulator, Offset=100, Limit=100)['InstanceSet']) == 32


@pytest.mark.parametrize('filters, count', [
    ([{'Name': 'tag:env', 'Values': ['prod']}], 1),
    ([{'Name': 'tag:env', 'Values': ['prod', 'stage']}], 131),
    ([{'Name': 'instance-state', 'Values': ['STOPPED']}, {'Name': 'tag:env', 'Values': ['stage']}], 130),
    ([{'Name': 'instance-name', 'Values': ['web-1']}], 1),
    ([{'Name': 'zone', 'Values': ['ap-guangzhou-4']}], 0),
    ([{'Name': 'tag-key', 'Values': ['role']}], 1),
])
def test_filters_are_applied_by_the_server(emulator, filters, count):
    assert describe(emulator, Filters=filters)['TotalCount'] == count


@pytest.mark.parametrize('params, code', [
    ({'InstanceIds': ['ins-web00001'], 'Filters': [{'Name': 'zone', 'Values': ['x']}]}, 'InvalidParameter'),
    ({'Filters': [{'Name': 'colour', 'Values': ['red']}]}, 'InvalidFilter'),
    ({'Filters': [{'Name': 'zone', 'Values': ['a', 'b', 'c', 'd', 'e', 'f']}]}, 'InvalidParameterValue.LimitExceeded'),
    ({'Filters': [{'Name': 'tag:k%d' % n, 'Values': ['v']} for n in range(11)]}, 'InvalidParameterValue.LimitExceeded'),
    ({'Filters': [{'Name': 'zone'}]}, 'InvalidParameter'),
])
def test_what_the_action_refuses(emulator, params, code):
    assert error_code(describe(emulator, **params)) == code


def test_a_failed_start_leaves_the_state_and_says_so_in_the_operation(emulator):
    (first,) = describe(emulator, InstanceIds=['ins-fail0001'])['InstanceSet']
    assert (first['InstanceState'], first['LatestOperationState']) == ('STOPPED', 'OPERATING')
    time.sleep(1.1)
    (later,) = describe(emulator, InstanceIds=['ins-fail0001'])['InstanceSet']
    assert (later['InstanceState'], later['LatestOperation'], later['LatestOperationState'],
            later['LatestOperationRequestId'], later['LatestOperationErrorMsg']) == (
        'STOPPED', 'StartInstances', 'FAILED', 'req-start', 'no capacity')


def test_other_regions_are_invisible(emulator):
    assert describe(emulator, InstanceIds=['ins-sh000001'])['TotalCount'] == 0
