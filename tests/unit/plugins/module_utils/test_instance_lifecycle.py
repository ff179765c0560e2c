# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle use case against the emulator: the decisions (how many to create, which to terminate), the
ClientToken that makes a repeated creation harmless, termination at most once, and bad input refused before any
call."""

import base64
import json
import time

import pytest
import requests
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.run_instances import client_token
from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_lifecycle import (
    _surplus, lifecycle_request, manage_instances,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
from ansible_collections.tencentcloud.cloud.plugins.modules.cvm_instance import ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import SECRET_ID, SECRET_KEY, running
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, recorded_deadlines

LAUNCH = {'image_id': 'img-test0001', 'zone': 'ap-guangzhou-3', 'instance_type': 'S5.MEDIUM4'}
SCENARIO = {
    'launch_seconds': 0.3, 'power_seconds': 0.3, 'failing_images': ['img-broken01'],
    'instances': [
        {'id': 'ins-keep0001', 'state': 'RUNNING', 'tags': {'Name': 'old'}, 'created_time': '2026-01-01T00:00:00Z'},
        {'id': 'ins-keep0002', 'state': 'RUNNING', 'tags': {'Name': 'old'}, 'created_time': '2026-02-01T00:00:00Z'},
        {'id': 'ins-keep0003', 'state': 'STOPPED', 'tags': {'Name': 'old'}, 'created_time': '2025-01-01T00:00:00Z'},
        {'id': 'ins-guard001', 'state': 'RUNNING', 'disable_api_termination': True},
        {'id': 'ins-prepaid1', 'state': 'RUNNING', 'charge_type': 'PREPAID'},
        # Created in the opposite order of their IDs, two of them at the same second.
        {'id': 'ins-aged0001', 'state': 'RUNNING', 'tags': {'Name': 'aged'}, 'created_time': '2026-03-01T00:00:00Z'},
        {'id': 'ins-aged0002', 'state': 'RUNNING', 'tags': {'Name': 'aged'}, 'created_time': '2026-01-01T00:00:00Z'},
        {'id': 'ins-aged0003', 'state': 'RUNNING', 'tags': {'Name': 'aged'}, 'created_time': '2026-01-01T00:00:00Z'},
        {'id': 'ins-aged0004', 'state': 'RUNNING', 'tags': {'Name': 'aged'}, 'created_time': '2025-06-01T00:00:00Z'},
        {'id': 'ins-unstart1', 'state': 'STOPPED', 'tags': {'Name': 'unstartable'},
         'fails': {'StartInstances': 'The host has no room for the instance.'}},
    ],
}
# The answer to the first RunInstances is lost after the service carried it out.
LOST_ANSWER = [{'kind': 'api_error', 'code': 'InternalError', 'action': 'RunInstances', 'applied': True, 'count': 1}]
FAST = Clock(wall=time.time, monotonic=time.monotonic, sleep=lambda seconds: time.sleep(min(seconds, 0.1)))


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with running(tmp_path_factory.mktemp('lifecycle'), scenario=SCENARIO) as url:
        yield url


@pytest.fixture
def lossy(tmp_path):
    faults = LOST_ANSWER + [dict(LOST_ANSWER[0], action='TerminateInstances')]
    with running(tmp_path, scenario=dict(SCENARIO, faults=faults)) as url:
        yield url


def options(**values):
    every = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(ARGUMENT_SPEC.items())}
    every.update(dict({'region': 'ap-guangzhou', 'wait_interval': 0.1}, **values))
    return Options(every, [('options', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'security_token': None})])


def run(url, instance_ids=None, check_mode=False, clock=FAST, **values):
    return manage_instances(options(endpoint=url, **values), instance_ids, environ={}, clock=clock,
                            check_mode=check_mode)


def stats(url):
    return requests.get(url + '/_emulator/stats', timeout=5).json()


def test_exact_count_creates_the_difference_in_one_call_and_a_rerun_sends_nothing(emulator):
    first = run(emulator, name='web', exact_count=3, **LAUNCH)
    assert len(first.created_instance_ids) == 3 and first.changed
    assert set(first.instance_states.values()) == {'RUNNING'}
    (launch,) = [action for action in first.actions if action['action'] == 'RunInstances']
    assert launch['instance_count'] == 3 and len(launch['client_token']) == 64
    calls = len(stats(emulator)['run_calls'])
    again = run(emulator, name='web', exact_count=3, **LAUNCH)
    assert not again.changed and again.actions == [] and sorted(again.instance_ids) == sorted(first.instance_ids)
    assert len(stats(emulator)['run_calls']) == calls
    assert [i['tags'] for i in again.instances()] == [{'Name': 'web'}] * 3


def test_a_lost_answer_is_sent_again_with_the_same_token_and_creates_nothing_twice(lossy):
    emulator = lossy
    result = run(emulator, name='lost', exact_count=2, **LAUNCH)
    launches = [a for a in result.actions if a['action'] == 'RunInstances']
    assert [a['retried'] for a in launches] == [True, False]
    assert launches[0]['client_token'] == launches[1]['client_token']
    assert len(result.created_instance_ids) == 2
    repeated = [c for c in stats(emulator)['run_calls'] if c['InstanceName'] == 'lost']
    assert [c['repeated_token'] for c in repeated] == [False, True]
    assert len(run(emulator, name='lost', exact_count=2, **LAUNCH).instance_ids) == 2


def test_exact_count_terminates_the_stopped_then_the_newest_once_each(emulator):
    result = run(emulator, name='old', exact_count=1, image_id='img-test0001', zone='ap-guangzhou-3')
    assert result.terminated_instance_ids == ['ins-keep0003', 'ins-keep0002']
    assert result.instance_ids == ['ins-keep0001']
    terminations = [c for c in stats(emulator)['terminate_calls'] if 'ins-keep0003' in c['InstanceIds']]
    assert len(terminations) == 1


def test_a_lost_termination_answer_is_read_back_and_never_sent_twice(lossy):
    result = run(lossy, name='old', exact_count=1, image_id='img-test0001', zone='ap-guangzhou-3')
    (termination,) = [a for a in result.actions if a['action'] == 'TerminateInstances']
    assert termination['applied'] is True and termination['error']['code'] == 'InternalError'
    assert result.terminated_instance_ids == ['ins-keep0003', 'ins-keep0002']
    assert len(stats(lossy)['terminate_calls']) == 1 and result.instance_ids == ['ins-keep0001']


def test_an_instance_listed_without_the_name_tag_is_never_managed(tmp_path):
    # An endpoint that adds an instance of its own to the listing by tag: never terminated on its word.
    intruder = {'kind': 'hostile_item', 'action': 'DescribeInstances', 'count': 1,
                'item': {'InstanceId': 'ins-keep0001', 'InstanceState': 'RUNNING', 'Tags': []}}
    with running(tmp_path, scenario=dict(SCENARIO, faults=[intruder])) as url:
        result = run(url, name='nobody', exact_count=0, image_id='img-test0001', zone='ap-guangzhou-3')
        assert result.instance_ids == [] and result.actions == [] and stats(url)['terminate_calls'] == []
        assert result.warnings == ['the service listed ins-keep0001, not selected by the Name tag nobody: left alone']


def test_an_instance_listed_that_the_filters_do_not_select_is_never_terminated(tmp_path):
    intruder = {'kind': 'hostile_item', 'action': 'DescribeInstances', 'count': 1,
                'item': {'InstanceId': 'ins-guard001', 'InstanceState': 'RUNNING', 'Tags': [{'Key': 'Name', 'Value': 'x'}]}}
    with running(tmp_path, scenario=dict(SCENARIO, faults=[intruder])) as url:
        result = run(url, state='absent', filters={'tag:Name': 'old', 'instance-state': 'STOPPED'})
        assert result.terminated_instance_ids == ['ins-keep0003']
        assert [call['InstanceIds'] for call in stats(url)['terminate_calls']] == [['ins-keep0003']]
        assert 'the service listed ins-guard001, not selected by the filters tag:Name=old, instance-state=STOPPED' \
            in result.warnings[0]


@pytest.mark.parametrize('selection, said', [
    ({'name': 'nonesuch'}, 'the Name tag nonesuch'),
    ({'filters': {'tag:role': 'nonesuch'}}, 'the filters tag:role=nonesuch'),
])
def test_absent_that_selects_nothing_says_so(emulator, selection, said):
    # The idempotent end, or a misspelt tag: never passed over in silence.
    result = run(emulator, state='absent', **selection)
    assert not result.changed and result.actions == [] and result.instance_states == {}
    assert result.warnings == ['nothing to terminate: no instance of region ap-guangzhou (from the region option) '
                               'is selected by %s' % said]


def test_absent_by_ids_terminates_then_finds_nothing_to_do(emulator):
    created = run(emulator, name='gone', count=1, **LAUNCH).created_instance_ids
    result = run(emulator, created, state='absent')
    assert result.terminated_instance_ids == created and result.instance_states == {created[0]: 'TERMINATED'}
    again = run(emulator, created, state='terminated')
    assert not again.changed and again.actions == [] and again.missing == created
    assert again.warnings == ['not found in region ap-guangzhou (from the region option): %s; an instance of another '
                              'region, or one that no longer exists' % created[0]]


def test_a_prepaid_instance_ends_in_the_recycle_bin(emulator):
    result = run(emulator, ['ins-prepaid1'], state='absent')
    assert result.instance_states == {'ins-prepaid1': 'SHUTDOWN'}


def test_termination_protection_fails_with_the_services_message(emulator):
    with pytest.raises(QueryFailed, match='termination protection is on .*UnsupportedOperation.InstancesProtected') \
            as caught:
        run(emulator, ['ins-guard001'], state='absent')
    failed = caught.value.result
    assert failed.error['code'] == 'UnsupportedOperation.InstancesProtected' and failed.error['request_id']
    assert [(a['action'], a['instance_ids']) for a in failed.actions] == [('TerminateInstances', ['ins-guard001'])]
    assert failed.terminated_instance_ids == [] and not failed.changed


def test_a_launch_that_fails_fails_the_task_naming_the_instance(emulator):
    with pytest.raises(QueryFailed) as caught:
        run(emulator, name='broken', count=1, image_id='img-broken01', zone='ap-guangzhou-3')
    failed = caught.value.result
    (created,) = failed.created_instance_ids
    assert created in caught.value.message and 'LAUNCH_FAILED' in caught.value.message
    assert [a['action'] for a in failed.actions] == ['RunInstances'] and failed.changed


def test_check_mode_sends_a_dry_run_only(emulator):
    before = len(stats(emulator)['run_calls'])
    result = run(emulator, check_mode=True, name='planned', exact_count=2, **LAUNCH)
    (launch,) = result.actions
    assert launch['dry_run'] and launch['applied'] is False and result.changed
    assert len(stats(emulator)['run_calls']) == before
    assert run(emulator, check_mode=True, name='planned', exact_count=0, **LAUNCH).actions == []


def test_check_mode_plans_the_termination_and_the_power_change_and_sends_neither(emulator):
    kept, newest = sorted(run(emulator, name='plan-stop', exact_count=2, **LAUNCH).created_instance_ids)
    sent = {name: len(stats(emulator)[name]) for name in ('terminate_calls', 'power_calls', 'run_calls')}
    result = run(emulator, check_mode=True, name='plan-stop', exact_count=1, state='stopped', **LAUNCH)
    assert [(a['action'], a['instance_ids'], a['applied']) for a in result.actions] == [
        ('TerminateInstances', [newest], False), ('StopInstances', [kept], False)]
    assert result.changed and result.instance_ids == [kept] and result.previous_ids == sorted([kept, newest])
    assert result.instance_states == {kept: 'RUNNING'} and result.expected_states == {kept: 'STOPPED'}
    assert result.regions == {kept: 'ap-guangzhou'} and result.created_instance_ids == []
    assert result.diff()['after'] == {'instance_ids': [kept], 'instance_states': {kept: 'STOPPED'}}
    assert {name: len(stats(emulator)[name]) for name in sent} == sent


def test_check_mode_plans_a_termination_alone_as_a_change_and_reports_it_as_not_sent(emulator):
    kept, newest = sorted(run(emulator, name='plan-cut', exact_count=2, **LAUNCH).created_instance_ids)
    result = run(emulator, check_mode=True, name='plan-cut', exact_count=1, **LAUNCH)
    assert result.actions == [{'action': 'TerminateInstances', 'instance_ids': [newest], 'request_id': None,
                               'error': None, 'applied': False, 'retried': False}]
    assert result.changed and result.instance_ids == [kept]


def test_check_mode_plans_the_start_of_a_stopped_instance_for_state_running(emulator):
    (cold,) = run(emulator, name='plan-start', exact_count=1, state='stopped', **LAUNCH).created_instance_ids
    result = run(emulator, check_mode=True, name='plan-start', exact_count=1, state='running', **LAUNCH)
    assert [(a['action'], a['instance_ids'], a['applied']) for a in result.actions] == [
        ('StartInstances', [cold], False)]
    assert result.changed and result.expected_states == {cold: 'RUNNING'}


def test_a_client_token_set_by_the_user_is_the_one_dry_run_and_sent(emulator):
    (planned,) = run(emulator, check_mode=True, name='tokened', count=1, client_token='deploy-web-42', **LAUNCH).actions
    (sent,) = run(emulator, name='tokened', count=1, client_token='deploy-web-42', **LAUNCH).actions
    assert planned['client_token'] == sent['client_token'] == 'deploy-web-42'
    assert stats(emulator)['run_calls'][-1]['ClientToken'] == 'deploy-web-42'


def test_a_creation_the_service_refuses_fails_with_its_error_and_creates_nothing(tmp_path):
    with running(tmp_path, scenario=dict(SCENARIO, instance_quota=6)) as url:
        with pytest.raises(QueryFailed, match='LimitExceeded.InstanceQuota') as caught:
            run(url, name='too-many', exact_count=2, **LAUNCH)
        failed = caught.value.result
        assert failed.error['code'] == 'LimitExceeded.InstanceQuota' and failed.created_instance_ids == []
        assert [(a['action'], a['dry_run'], a['error']['code']) for a in failed.actions] == [
            ('RunInstances', False, 'LimitExceeded.InstanceQuota')]
        assert not failed.changed and stats(url)['run_calls'] == []


def test_check_mode_dry_runs_the_creation_the_real_run_sends_under_the_same_token(emulator):
    (planned,) = run(emulator, check_mode=True, name='rehearsed', exact_count=2, **LAUNCH).actions
    (sent,) = run(emulator, name='rehearsed', exact_count=2, **LAUNCH).actions
    assert planned['client_token'] == sent['client_token'] and planned['instance_count'] == sent['instance_count'] == 2
    assert planned['dry_run'] and not sent['dry_run'] and planned['request_id'] and planned['instance_ids'] == []


def test_check_mode_fails_on_a_dry_run_the_service_refuses(tmp_path):
    with running(tmp_path, scenario=dict(SCENARIO, instance_quota=6)) as url:
        with pytest.raises(QueryFailed, match='LimitExceeded.InstanceQuota') as caught:
            run(url, check_mode=True, name='too-many', exact_count=2, **LAUNCH)
        failed = caught.value.result
        assert failed.error['code'] == 'LimitExceeded.InstanceQuota' and not failed.changed
        assert [(a['action'], a['dry_run'], a['error']['code']) for a in failed.actions] == [
            ('RunInstances', True, 'LimitExceeded.InstanceQuota')]
        assert stats(url)['run_calls'] == []


def test_check_mode_with_nothing_to_do_changes_nothing(emulator):
    (kept,) = run(emulator, name='plan-none', exact_count=1, **LAUNCH).created_instance_ids
    result = run(emulator, check_mode=True, name='plan-none', exact_count=1, **LAUNCH)
    assert not result.changed and result.actions == [] and result.instance_ids == [kept]
    assert result.instance_states == {kept: 'RUNNING'}


def test_the_module_result_and_diff_say_what_was_created_and_what_it_ends_with(emulator):
    (created,) = run(emulator, name='shown', exact_count=1, **LAUNCH).created_instance_ids
    result = run(emulator, name='shown', exact_count=2, **LAUNCH)
    (added,) = result.created_instance_ids
    shown = result.module_result()
    assert shown['instance_ids'] == [created, added] and shown['created_instance_ids'] == [added]
    assert shown['terminated_instance_ids'] == [] and shown['differences'] == [] and shown['changed']
    assert [(i['instance_id'], i['instance_state'], i['tags'], i['region']) for i in shown['instances']] == [
        (created, 'RUNNING', {'Name': 'shown'}, 'ap-guangzhou'), (added, 'RUNNING', {'Name': 'shown'}, 'ap-guangzhou')]
    assert result.regions == {created: 'ap-guangzhou', added: 'ap-guangzhou'}
    assert result.diff() == {'before': {'instance_ids': [created], 'instance_states': {created: 'RUNNING'}},
                             'after': {'instance_ids': [created, added],
                                       'instance_states': {created: 'RUNNING', added: 'RUNNING'}}}
    shown['instance_ids'].append('ins-changed1')
    assert result.instance_ids == [created, added]


def test_the_diff_of_a_termination_ends_with_the_state_reached(emulator):
    (created,) = run(emulator, name='ended', count=1, **LAUNCH).created_instance_ids
    result = run(emulator, [created], state='absent')
    assert result.diff() == {'before': {'instance_ids': [created], 'instance_states': {created: 'RUNNING'}},
                             'after': {'instance_ids': [], 'instance_states': {created: 'TERMINATED'}}}
    assert result.module_result()['terminated_instance_ids'] == [created] and result.changed
    assert result.regions == {created: 'ap-guangzhou'}


def test_a_token_spent_on_instances_since_terminated_fails_after_the_grace_without_creating(emulator):
    (spent,) = run(emulator, name='spent', count=1, client_token='spent-token', **LAUNCH).created_instance_ids
    run(emulator, [spent], state='absent')
    clock = FakeClock(wall=time.time)
    with pytest.raises(QueryFailed) as caught:
        run(emulator, name='spent', count=1, client_token='spent-token', clock=clock, wait_interval=3, **LAUNCH)
    assert caught.value.message == (
        'RunInstances answered %s, which the region still does not list after 20s: instances created under the same '
        'ClientToken and since terminated (a ClientToken stays spent for 48 hours; set client_token to create anew), '
        'or a service slow to list them' % spent)
    assert caught.value.result.created_instance_ids == [spent]
    assert clock.sleeps == [3.0] * 6 + [2.0] and stats(emulator)['run_calls'][-1]['repeated_token']


def test_surplus_goes_launch_failed_first_then_the_newest_by_creation_then_by_id(emulator):
    with pytest.raises(QueryFailed):
        run(emulator, name='mixed', count=1, image_id='img-broken01', zone='ap-guangzhou-3')
    first, second = run(emulator, name='mixed', count=2, **LAUNCH).created_instance_ids
    result = run(emulator, name='mixed', exact_count=1, **LAUNCH)
    assert len(result.terminated_instance_ids) == 2 and result.terminated_instance_ids[1] == max(first, second)
    assert result.instance_ids == [min(first, second)]


def test_surplus_running_instances_go_newest_by_creation_time_first_not_by_id(emulator):
    result = run(emulator, name='aged', exact_count=2, **LAUNCH)
    # The newest by CreatedTime; of two created at the same second, the later ID.
    assert result.terminated_instance_ids == ['ins-aged0001', 'ins-aged0003']
    assert sorted(result.instance_ids) == ['ins-aged0002', 'ins-aged0004'] and result.created_instance_ids == []


def test_an_instance_without_a_creation_time_counts_as_the_oldest_and_stays():
    managed = {'ins-dated001': {'InstanceState': 'RUNNING', 'CreatedTime': '2026-01-01T00:00:00Z'},
               'ins-undated1': {'InstanceState': 'RUNNING', 'CreatedTime': None}}
    assert _surplus(managed, 1) == ['ins-dated001']


@pytest.mark.parametrize('values, ids, selection', [
    ({'name': 'web'}, None, {'name': 'web'}),
    ({'filters': {'tag:role': 'web'}, 'state': 'absent'}, None, {'filters': [{'Name': 'tag:role', 'Values': ['web']}]}),
    ({'name': 'web', 'state': 'absent'}, ['ins-aaaaaaaa'], {'instance_ids': ['ins-aaaaaaaa']}),
])
def test_the_selection_a_token_is_derived_from_is_what_the_task_manages(values, ids, selection):
    launch = {} if 'state' in values else LAUNCH
    assert lifecycle_request(dict({'state': 'present'}, **dict(launch, **values)), ids).selection() == selection


def test_stopped_stops_what_it_creates_once_running(emulator):
    result = run(emulator, name='cold', exact_count=1, state='stopped', **LAUNCH)
    assert list(result.instance_states.values()) == ['STOPPED']
    assert [a['action'] for a in result.actions] == ['RunInstances', 'StopInstances']


def test_a_power_change_refused_after_a_creation_fails_with_both_calls_and_the_state_read(tmp_path):
    refused = {'kind': 'api_error', 'code': 'UnauthorizedOperation', 'action': 'StopInstances',
               'count': 1}
    with running(tmp_path, scenario=dict(SCENARIO, faults=[refused])) as url:
        with pytest.raises(QueryFailed) as caught:
            run(url, name='cold-refused', exact_count=1, state='stopped', **LAUNCH)
    failed = caught.value.result
    (created,) = failed.created_instance_ids
    assert 'StopInstances' in caught.value.message and created in caught.value.message
    assert [a['action'] for a in failed.actions] == ['RunInstances', 'StopInstances']
    assert failed.actions[1]['error']['code'] == 'UnauthorizedOperation'
    assert failed.error['code'] == 'UnauthorizedOperation' and failed.changed
    assert failed.instance_states == {created: 'RUNNING'} and failed.regions == {created: 'ap-guangzhou'}
    assert failed.module_result()['instance_ids'] == [created]


def test_an_existing_instance_that_differs_from_the_options_is_said_so_never_changed(emulator):
    run(emulator, name='drift', exact_count=1, **LAUNCH)
    result = run(emulator, name='drift', exact_count=1, image_id=LAUNCH['image_id'], zone=LAUNCH['zone'],
                 instance_type='S5.LARGE8')
    (kept,) = result.instance_ids
    assert result.module_result()['differences'] == [
        {'instance_id': kept, 'option': 'instance_type', 'wanted': 'S5.LARGE8', 'actual': 'S5.MEDIUM4'}]
    assert not result.changed and result.warnings == [
        'existing instances differ from the options that describe new ones (they are never changed by them): '
        '%s instance_type is S5.MEDIUM4, not S5.LARGE8' % kept]


def test_differences_are_listed_in_full_told_ten_at_most_and_new_instances_never_compared(emulator):
    first, second = run(emulator, name='drift-many', exact_count=2, **LAUNCH).created_instance_ids
    other = {'image_id': 'img-other001', 'zone': 'ap-guangzhou-4', 'instance_type': 'S5.LARGE8',
             'vpc_id': 'vpc-other001', 'subnet_id': 'subnet-other01', 'instance_charge_type': 'SPOTPAID'}
    result = run(emulator, name='drift-many', exact_count=3, **other)
    (created,) = result.created_instance_ids
    assert [(d['instance_id'], d['option']) for d in result.differences] == [
        (kept, option) for kept in (first, second) for option in
        ('image_id', 'instance_type', 'zone', 'vpc_id', 'subnet_id', 'instance_charge_type')]
    assert result.differences[3] == {'instance_id': first, 'option': 'vpc_id', 'wanted': 'vpc-other001',
                                     'actual': 'vpc-default0'}
    (warning,) = result.warnings
    told = warning.split(': ', 1)[1].split('; ')
    assert len(told) == 11 and told[-2] == '%s vpc_id is vpc-default0, not vpc-other001' % second
    assert told[-1] == 'and 2 more (the differences returned list them all)'
    ten = {option: value for option, value in other.items() if option != 'instance_charge_type'}
    told = run(emulator, name='drift-many', exact_count=3, **ten).warnings[0].split(': ', 1)[1].split('; ')
    assert len(told) == 10 and not told[-1].startswith('and ')


@pytest.mark.parametrize('values, ids, message', [
    ({'name': 'web', 'exact_count': 1, 'count': 1}, None, 'exact_count and count are mutually exclusive'),
    ({'exact_count': 1}, ['ins-aaaaaaaa'], 'exact_count applies to the instances named by name or filters'),
    ({'name': 'web', 'count': -1}, None, 'count must be 1 or more, not -1'),
    ({'name': 'web', 'exact_count': -2}, None, 'exact_count must be 0 or more, not -2'),
    ({}, ['ins-1'], 'instance_ids: malformed instance ID'),
    ({'name': 'web', 'zone': 'ap-guangzhou-3'}, None, 'image_id is required where the task may create instances '
                                                      '(state present, running or stopped, without instance_ids)$'),
    ({'name': 'web'}, None, 'image_id and zone are required'),
    ({'filters': {'tag:role': 'web'}}, None, 'name, image_id and zone are required where the task may create'),
    ({'name': 'web', 'image_id': 'img-1', 'zone': 'z', 'instance_type': 's5 medium'}, None,
     "instance_type 's5 medium' is not of the form family.size"),
    ({'name': 'web', 'state': 'absent', 'exact_count': 0}, None, 'exact_count does not apply to state absent'),
    ({}, None, 'one of instance_ids, filters or name is required'),
    ({'name': 'web', 'image_id': 'img-1', 'zone': 'z', 'tags': {'Name': 'x'}}, None, 'tags must not hold Name'),
    ({'name': 'web', 'client_token': 'x' * 65}, None, 'client_token must be 1 to 64 printable ASCII'),
    ({'state': 'gone'}, ['ins-aaaaaaaa'], 'state must be one of'),
    ({}, [], 'instance_ids is empty: name at least one instance, or select them by name or filters$'),
    ({'filters': {'tag:role': 'web'}}, ['ins-aaaaaaaa'], 'instance_ids and filters are mutually exclusive'),
    ({'name': 'web', 'client_token': 'a\x7fb'}, None, 'client_token must be 1 to 64 printable ASCII'),
])
def test_bad_input_fails_before_any_call(values, ids, message):
    with pytest.raises(OptionError, match='^' + message.replace('(', r'\(').replace(')', r'\)')):
        lifecycle_request(dict({'state': 'present'}, **values), ids)


def test_a_zone_of_another_region_is_refused_before_any_call():
    with pytest.raises(OptionError, match='zone ap-shanghai-2 is not a zone of region ap-guangzhou'):
        manage_instances(options(endpoint='http://127.0.0.1:9', name='web', image_id='img-1', zone='ap-shanghai-2'),
                         None, environ={})


def test_the_same_decision_makes_the_same_token_and_another_another():
    decision = {'region': 'ap-guangzhou', 'managed': [], 'creating': 3}
    assert client_token(decision) == client_token(json.loads(json.dumps(decision)))
    assert client_token(decision) != client_token(dict(decision, managed=['ins-aaaaaaaa']))
    assert client_token(decision, 1) != client_token(decision, 0)
    assert client_token(decision, 0, given='mine') == 'mine' and client_token(decision, 2, given='mine') == 'mine-2'


def test_the_password_is_never_part_of_the_decision():
    request = lifecycle_request(dict(state='present', name='web', password='s3cret!', **LAUNCH), None)
    assert 's3cret!' not in json.dumps(request.spec.described()) and 's3cret!' not in repr(request.spec)


def test_the_options_that_describe_new_instances_are_what_run_instances_is_sent(emulator):
    run(emulator, name='described', count=1, image_id='img-test0001', zone='ap-guangzhou-3', instance_type='S5.LARGE8',
        vpc_id='vpc-aaaa1111', subnet_id='subnet-bbbb2222', tags={'env': 'prod'}, user_data='#!/bin/sh\necho héllo\n')
    sent = stats(emulator)['run_calls'][-1]
    assert (sent['InstanceName'], sent['ImageId'], sent['Placement'], sent['InstanceType'], sent['InstanceCount']) == (
        'described', 'img-test0001', {'Zone': 'ap-guangzhou-3'}, 'S5.LARGE8', 1)
    assert sent['VirtualPrivateCloud'] == {'VpcId': 'vpc-aaaa1111', 'SubnetId': 'subnet-bbbb2222'}
    assert sent['TagSpecification'] == [{'ResourceType': 'instance', 'Tags': [{'Key': 'Name', 'Value': 'described'},
                                                                              {'Key': 'env', 'Value': 'prod'}]}]
    # UTF-8, then base64: what cloud-init decodes on the instance.
    assert base64.b64decode(sent['UserData']).decode('utf-8') == '#!/bin/sh\necho héllo\n'


def test_every_option_that_describes_new_instances_reaches_the_run_instances_parameters():
    values = dict(state='present', name='full', image_id='img-test0001', zone='ap-guangzhou-3',
                  instance_type='S5.LARGE8', vpc_id='vpc-aaaa1111', subnet_id='subnet-bbbb2222',
                  security_group_ids=['sg-cccc3333'], key_ids=['skey-dddd4444'], password='Not-a-real-one-1',
                  system_disk={'type': 'CLOUD_PREMIUM', 'size': 50}, data_disks=[{'type': 'CLOUD_SSD', 'size': 100}],
                  internet_max_bandwidth_out=10, instance_charge_type='SPOTPAID', tags={'env': 'prod'},
                  user_data='echo', disable_api_termination=True)
    spec = lifecycle_request(values, None).spec
    assert spec.params(2, 'token-1', dry_run=True) == {
        'Placement': {'Zone': 'ap-guangzhou-3'}, 'ImageId': 'img-test0001', 'InstanceCount': 2,
        'InstanceName': 'full', 'ClientToken': 'token-1', 'InstanceType': 'S5.LARGE8',
        'SecurityGroupIds': ['sg-cccc3333'],
        'InstanceChargeType': 'SPOTPAID', 'UserData': 'ZWNobw==', 'DisableApiTermination': True,
        'SystemDisk': {'DiskType': 'CLOUD_PREMIUM', 'DiskSize': 50},
        'DataDisks': [{'DiskType': 'CLOUD_SSD', 'DiskSize': 100}],
        'VirtualPrivateCloud': {'VpcId': 'vpc-aaaa1111', 'SubnetId': 'subnet-bbbb2222'},
        'InternetAccessible': {'InternetMaxBandwidthOut': 10, 'PublicIpAssigned': True},
        'LoginSettings': {'KeyIds': ['skey-dddd4444'], 'Password': 'Not-a-real-one-1'},
        'TagSpecification': [{'ResourceType': 'instance', 'Tags': [{'Key': 'Name', 'Value': 'full'},
                                                                   {'Key': 'env', 'Value': 'prod'}]}],
        'DryRun': True}


@pytest.mark.parametrize('size, refused', [(12288, False), (12289, True)])
def test_user_data_is_refused_at_the_door_beyond_16_kib_once_encoded(size, refused):
    # 12288 bytes are exactly 16384 once base64-encoded; one more byte makes 16388.
    values = dict(LAUNCH, state='present', name='big', user_data='x' * size)
    if not refused:
        assert len(base64.b64decode(lifecycle_request(values, None).spec.user_data)) == size
        return
    with pytest.raises(OptionError) as caught:
        lifecycle_request(values, None)
    assert str(caught.value) == 'user_data is 16388 bytes once base64-encoded; the service takes at most 16384'


def test_a_termination_starts_from_the_read_that_chose_what_to_terminate(emulator):
    (created,) = run(emulator, name='read-once', count=1, **LAUNCH).created_instance_ids
    described = stats(emulator)['actions'].get('DescribeInstances', 0)
    result = run(emulator, [created], state='absent', wait=False)
    assert result.terminated_instance_ids == [created]
    # One read chose the instance and is the termination's first: no second before TerminateInstances.
    assert stats(emulator)['actions']['DescribeInstances'] == described + 1


def test_a_termination_still_under_way_at_the_deadline_fails_saying_so_without_an_error_of_a_call(emulator):
    (created,) = run(emulator, name='slow-end', count=1, **LAUNCH).created_instance_ids
    with pytest.raises(QueryFailed) as caught:
        run(emulator, [created], state='absent', wait_timeout=0)
    assert caught.value.message.startswith('timed out after 0s waiting for %s to be terminated: ' % created)
    assert caught.value.result.error is None and caught.value.result.terminated_instance_ids == [created]


def test_new_instances_never_listed_are_all_named_the_last_sleep_cut_to_the_grace(emulator):
    spent = run(emulator, name='spent-two', count=2, client_token='spent-two', **LAUNCH).created_instance_ids
    run(emulator, spent, state='absent')
    clock = FakeClock(wall=time.time)
    with pytest.raises(QueryFailed) as caught:
        run(emulator, name='spent-two', count=2, client_token='spent-two', clock=clock, wait_interval=6.5, **LAUNCH)
    assert caught.value.message.startswith('RunInstances answered %s, which the region still does not list after 20s'
                                           % ', '.join(spent))
    assert clock.sleeps == [6.5, 6.5, 6.5, 0.5]


def test_a_read_the_service_refuses_fails_the_task_with_its_error_and_where_the_region_came_from(tmp_path):
    refused = {'kind': 'api_error', 'code': 'UnsupportedRegion', 'message': 'not here', 'action': 'DescribeInstances',
               'count': 1}
    with running(tmp_path, scenario=dict(SCENARIO, faults=[refused])) as url:
        with pytest.raises(QueryFailed) as caught:
            run(url, name='web', exact_count=1, **LAUNCH)
    assert caught.value.message.startswith('UnsupportedRegion: not here')
    assert caught.value.message.endswith('(region ap-guangzhou, from the region option)')
    failed = caught.value.result
    assert failed.error['code'] == 'UnsupportedRegion' and failed.credential_source == 'options'
    assert failed.actions == [] and not failed.changed


def test_a_request_of_the_fewest_options_takes_the_documented_defaults():
    request = lifecycle_request(dict({'name': 'web'}, **LAUNCH), None)
    assert (request.state, request.exact_count, request.count, request.client_token) == ('present', None, None, None)
    assert (request.power.wait, request.power.timeout, request.power.interval) == (True, 600, 5.0)
    assert request.power.target.state == 'RUNNING' and request.fail_on_failed_operation is True
    assert lifecycle_request(dict({'name': 'web', 'client_token': 't' * 64}, **LAUNCH), None).client_token == 't' * 64
    told = lifecycle_request(dict({'name': 'web', 'fail_on_failed_operation': False}, **LAUNCH), None)
    assert told.fail_on_failed_operation is False


def test_present_creates_one_instance_where_the_name_finds_none_and_then_keeps_it(emulator):
    (created,) = run(emulator, name='just-one', **LAUNCH).created_instance_ids
    again = run(emulator, name='just-one', **LAUNCH)
    assert again.created_instance_ids == [] and again.instance_ids == [created] and not again.changed


def test_running_starts_an_existing_instance_that_is_stopped(emulator):
    (kept,) = run(emulator, name='cold-start', exact_count=1, state='stopped', **LAUNCH).instance_ids
    result = run(emulator, name='cold-start', exact_count=1, state='running', **LAUNCH)
    assert [a['action'] for a in result.actions] == ['StartInstances']
    assert result.instance_states == {kept: 'RUNNING'} and result.changed


def test_a_start_that_fails_fails_the_task_at_once_naming_the_instance(emulator):
    with pytest.raises(QueryFailed) as failed:
        run(emulator, name='unstartable', state='running', wait_timeout=3, **LAUNCH)
    assert 'ins-unstart1' in str(failed.value) and 'The host has no room' in str(failed.value)
    assert [i['instance_id'] for i in failed.value.result.failed_instances] == ['ins-unstart1']


def test_an_instance_kept_but_gone_at_the_end_is_said_missing_and_never_described(tmp_path):
    # Listed when the task starts, then terminated by someone else while the task creates another.
    leaving = {'id': 'ins-leaving1', 'timeline': [{'state': 'RUNNING', 'seconds': 0.2}, {'state': 'GONE'}],
               'timeline_from': 'listed', 'tags': {'Name': 'leaving'}}
    with running(tmp_path, scenario=dict(SCENARIO, instances=[leaving])) as url:
        result = run(url, name='leaving', exact_count=2, **LAUNCH)
    (created,) = result.created_instance_ids
    assert result.instance_ids == ['ins-leaving1', created] and result.missing == ['ins-leaving1']
    assert [item['instance_id'] for item in result.instances()] == [created] and result.differences == []
    assert ('not found in region ap-guangzhou (from the region option) at the end of the task: ins-leaving1; an '
            'instance of another region, or one that no longer exists') in result.warnings


def test_an_id_the_region_does_not_list_fails_unless_it_is_to_be_terminated(emulator):
    with pytest.raises(QueryFailed) as caught:
        run(emulator, ['ins-zzzzzzzz'], state='running')
    assert caught.value.message == ('not found in region ap-guangzhou (from the region option): ins-zzzzzzzz; an '
                                    'instance of another region, or one that no longer exists')
    assert caught.value.result.missing == ['ins-zzzzzzzz'] and caught.value.result.actions == []


def test_credentials_and_region_from_the_environment_given_or_the_processs(emulator, monkeypatch):
    every = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(ARGUMENT_SPEC.items())}
    every.update(endpoint=emulator, name='from-env', state='stopped', wait_interval=0.1, **LAUNCH)
    nothing_given = Options(every, [('options', {'secret_id': None, 'secret_key': None, 'security_token': None})])
    environ = {'TENCENTCLOUD_SECRET_ID': SECRET_ID, 'TENCENTCLOUD_SECRET_KEY': SECRET_KEY,
               'TENCENTCLOUD_REGION': 'ap-guangzhou'}
    result = manage_instances(nothing_given, None, environ=environ, clock=FAST)
    assert result.credential_source == 'environment' and len(result.created_instance_ids) == 1
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    again = manage_instances(nothing_given, None, clock=FAST)
    assert again.credential_source == 'environment' and again.instance_ids == result.instance_ids


def test_every_call_of_a_task_carries_its_deadline_creating_terminating_or_planning(emulator, monkeypatch):
    # Each call is bounded by the task's deadline (none starts after it, none runs past it): the filter listing, the
    # creation and its wait, the reads and the termination, the dry run.
    calls = recorded_deadlines(monkeypatch)
    created = run(emulator, name='bounded', exact_count=1, wait_timeout=5, **LAUNCH)
    run(emulator, created.instance_ids, state='absent', wait_timeout=5)
    run(emulator, name='bounded', exact_count=1, check_mode=True, wait_timeout=5, **LAUNCH)
    assert {action for action, _deadline in calls} == {
        'DescribeInstances', 'RunInstances', 'DescribeInstancesStatus', 'TerminateInstances'}
    assert {deadline for _action, deadline in calls} == {
        "the task's deadline (wait_timeout 5s + request_timeout 10s)"}
