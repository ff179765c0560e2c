# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the power module: options checked before any call, the actions' own budget, the result."""

import os
import re

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import clients, instance_power
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.shared_reads import SharedReads
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, Options,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_power
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, NoLimit


def options(**values):
    defaults = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items())
                + list(cvm_instance_power.ARGUMENT_SPEC.items())}
    defaults.update(region='ap-guangzhou', state='running')
    defaults.update(values)
    credentials = {'secret_id': 'AKIDaccount', 'secret_key': 'account-key', 'security_token': None}
    return Options(defaults, [('options', credentials)])


@pytest.fixture
def service(fake_service):
    fake_service.service.states.update({'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'})
    return fake_service


def change(ids, **values):
    check_mode = values.pop('check_mode', False)
    return instance_power.set_power_state(options(**values), ids, environ={}, clock=FakeClock(),
                                          check_mode=check_mode)


def test_the_actions_have_a_budget_of_10_a_second_each(service, monkeypatch):
    spacers = []

    def recording_spacer(rate, key, directory, warnings, clock):
        spacers.append((rate, key.split()[-1]))
        return NoLimit()
    monkeypatch.setattr(clients, 'RequestSpacer', recording_spacer)
    change(['ins-aaaaaaaa'])
    assert (10, 'StartInstances') in spacers and (10, 'StopInstances') in spacers
    assert (10, 'RebootInstances') in spacers and (40, 'DescribeInstancesStatus') in spacers


def test_a_start_reports_what_it_did(service):
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert service.service.power_calls == [('StartInstances', {'InstanceIds': ['ins-aaaaaaaa']})]
    reported = result.module_result()
    assert reported['changed'] is True
    assert reported['actions'] == [{'action': 'StartInstances', 'instance_ids': ['ins-aaaaaaaa'],
                                    'request_id': 'power-1', 'error': None, 'applied': True, 'retried': False}]
    assert reported['previous_states'] == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}
    assert reported['instance_states'] == {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}
    assert reported['polls'] == 2 and 'failed_instances' not in reported
    assert reported['credential_source'] == 'options'
    assert result.diff() == {'before': {'instance_states': reported['previous_states']},
                             'after': {'instance_states': reported['instance_states']}}


def test_the_stop_options_reach_the_api_as_it_spells_them(service):
    change(['ins-bbbbbbbb'], state='stopped', stop_type='soft_first', stopped_mode='stop_charging')
    assert service.service.power_calls == [('StopInstances', {'InstanceIds': ['ins-bbbbbbbb'],
                                                              'StopType': 'SOFT_FIRST',
                                                              'StoppedMode': 'STOP_CHARGING'})]


def test_check_mode_sends_nothing_and_says_where_it_would_end(service):
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], state='rebooted', check_mode=True)
    assert service.service.power_calls == [] and result.changed
    assert [(action['action'], action['request_id']) for action in result.actions] == [
        ('StartInstances', None), ('RebootInstances', None)]
    assert result.instance_states == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}
    assert result.diff()['after'] == {'instance_states': {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}}


@pytest.mark.parametrize('ids, values, message', [
    (['ins-aaaaaaaa'], {'stop_type': 'hard'},
     'stop_type applies to state stopped, restarted or rebooted, not running'),
    (['ins-aaaaaaaa'], {'state': 'rebooted', 'stopped_mode': 'stop_charging'},
     'stopped_mode applies to state stopped or restarted, not rebooted'),
    (['ins-aaaaaaaa'], {'state': 'paused'}, "state must be one of running, stopped, restarted, rebooted, not 'paused'"),
    ([], {}, 'instance_ids is empty: name at least one instance to start, stop, restart or reboot'),
    (None, {}, 'one of instance_ids or filters is required'),
    (None, {'filters': {}}, 'filters is empty, which would select every instance'),
    (['ins-aaaaaaaa'], {'filters': {'tag:env': 'staging'}}, 'instance_ids and filters are mutually exclusive'),
    (['ins-aaaaaaaa'], {'region': None}, 'region is required'),
    # A list of regions templated empty never widens an action to every region.
    (['ins-aaaaaaaa'], {'regions': []}, 'regions is empty: an action is never widened to every region'),
])
def test_bad_input_fails_before_any_call(service, ids, values, message):
    with pytest.raises(OptionError) as caught:
        change(ids, **values)
    assert str(caught.value).startswith(message)
    assert service.sent == []


@pytest.mark.parametrize('word, targets, stop_type', [
    ('started', ['running'], None), ('rebooted', ['rebooted'], 'hard'), ('restarted', ['stopped', 'running'], 'soft'),
])
def test_amazon_aws_words_name_the_same_targets(word, targets, stop_type):
    # ec2_instance's started is running; its rebooted is RebootInstances; its restarted a stop, then a start.
    power, stop_options = instance_power.power_settings(options(state=word, stop_type=stop_type).values)
    assert [target.name for target in power.targets] == targets
    assert stop_options[0] == (stop_type.upper() if stop_type else None)


@pytest.mark.parametrize('word, calls', [
    ('running', [('StartInstances', ['ins-aaaaaaaa'])]),
    ('started', [('StartInstances', ['ins-aaaaaaaa'])]),
    ('stopped', [('StopInstances', ['ins-bbbbbbbb'])]),
    ('rebooted', [('StartInstances', ['ins-aaaaaaaa']), ('RebootInstances', ['ins-bbbbbbbb'])]),
    ('restarted', [('StopInstances', ['ins-bbbbbbbb']), ('StartInstances', ['ins-aaaaaaaa', 'ins-bbbbbbbb'])]),
])
def test_each_state_word_sends_what_its_documentation_says(service, word, calls):
    # ins-aaaaaaaa is STOPPED, ins-bbbbbbbb RUNNING.
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], state=word)
    assert [(action, params['InstanceIds']) for action, params in service.service.power_calls] == calls
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING' if word != 'stopped' else 'STOPPED',
                                      'ins-bbbbbbbb': 'STOPPED' if word == 'stopped' else 'RUNNING'}


def test_an_instance_the_region_does_not_list_fails_before_any_action(service):
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-zzzzzzzz'])
    assert caught.value.message == ('not found in region ap-guangzhou (from the region option): ins-zzzzzzzz; an '
                                    'instance of another region, or one that no longer exists')
    assert service.service.power_calls == []
    assert caught.value.result.module_result()['missing'] == ['ins-zzzzzzzz']


def test_a_refused_action_is_reported_with_its_error(service):
    service.refused['StartInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'])
    reported = caught.value.result.module_result()
    assert reported['error'] == {'code': 'UnauthorizedOperation', 'message': 'not allowed', 'request_id': 'req-denied'}
    # The call is reported, refused: known not to have been carried out.
    assert reported['changed'] is False and reported['actions'] == [{
        'action': 'StartInstances', 'instance_ids': ['ins-aaaaaaaa'], 'request_id': 'req-denied',
        'error': reported['error'], 'applied': False, 'retried': False}]


def test_a_failed_read_is_reported_with_its_error(service):
    service.error = ('AuthFailure.SecretIdNotFound', 'unknown key', 'req-auth')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'])
    assert caught.value.result.error['code'] == 'AuthFailure.SecretIdNotFound'
    assert caught.value.message == 'AuthFailure.SecretIdNotFound: unknown key (RequestId: req-auth)'


def test_an_instance_that_cannot_be_started_is_named_in_failed_instances(service):
    service.service.states['ins-cccccccc'] = 'LAUNCH_FAILED'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-cccccccc'])
    assert caught.value.result.module_result()['failed_instances'] == [
        {'instance_id': 'ins-cccccccc', 'instance_state': 'LAUNCH_FAILED'}]
    assert service.service.power_calls == []


def test_every_call_ends_by_the_tasks_deadline(service, monkeypatch):
    deadlines = []
    real_call = ApiClient.call

    def call(self, action, params, deadline=None, keep=None, retried=None):
        deadlines.append((action, deadline))
        return real_call(self, action, params, deadline, keep, retried)
    monkeypatch.setattr(ApiClient, 'call', call)
    service.service.shows_moving = False
    change(['ins-bbbbbbbb'], state='rebooted', wait_timeout=30, request_timeout=4)
    # The first read describes the instances: their states, and the operations before the reboot.
    assert [action for action, _deadline in deadlines] == [
        'DescribeInstances', 'RebootInstances', 'DescribeInstancesStatus', 'DescribeInstances']
    # FakeClock starts at 1000.
    assert {deadline for _action, deadline in deadlines} == {
        (1034.0, "the task's deadline (wait_timeout 30s + request_timeout 4s)")}


def test_a_reboot_that_reads_running_at_once_is_confirmed_by_its_operation(service):
    service.service.shows_moving = False
    result = change(['ins-bbbbbbbb'], state='rebooted')
    assert result.instance_states == {'ins-bbbbbbbb': 'RUNNING'} and result.polls == 1
    # The first read, and the one that finds the reboot succeeded.
    assert service.service.actions.count('DescribeInstances') == 2


def test_a_start_that_fails_is_named_with_its_request_id(service):
    service.service.fails['ins-aaaaaaaa'] = 'ResourceInsufficient: no capacity'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    assert 'ins-aaaaaaaa (StartInstances, RequestId power-1: ResourceInsufficient: no capacity)' in \
        caught.value.message
    reported = caught.value.result.module_result()
    assert reported['failed_instances'] == [{'instance_id': 'ins-aaaaaaaa', 'instance_state': 'STOPPED',
                                             'operation': 'StartInstances', 'request_id': 'power-1',
                                             'error': 'ResourceInsufficient: no capacity', 'by_another_caller': False}]
    assert reported['changed'] is True and reported['polls'] == 2


def test_over_regions_a_start_that_fails_fails_the_task_at_once_too(service):
    service.service.fails['ins-aaaaaaaa'] = 'ResourceInsufficient: no capacity'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'], regions=['ap-guangzhou', 'ap-shanghai'], wait_timeout=20)
    assert caught.value.message.startswith('ap-guangzhou: ') and 'ResourceInsufficient: no capacity' in \
        caught.value.message
    assert caught.value.result.module_result()['failed_instances'][0]['instance_id'] == 'ins-aaaaaaaa'


def test_without_fail_on_failed_operation_a_failed_start_is_waited_out(service):
    service.service.fails['ins-aaaaaaaa'] = 'ResourceInsufficient: no capacity'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'], fail_on_failed_operation=False, wait_timeout=20)
    assert caught.value.message == 'timed out after 20s waiting for RUNNING: ins-aaaaaaaa (STOPPED)'
    # Only the first read describes the instances: the wait reads states alone.
    assert service.service.actions.count('DescribeInstances') == 1


def test_polls_are_wait_interval_apart_and_elapsed_is_rounded(service, monkeypatch):
    # Only the wait sleeps: no pacing of calls.
    monkeypatch.setattr(clients, 'RequestSpacer', lambda *args, **kwargs: NoLimit())
    clock = FakeClock()
    result = instance_power.set_power_state(options(wait_interval=0.3333333, coalesce=False), ['ins-aaaaaaaa'],
                                            environ={},
                                            clock=clock)
    assert clock.sleeps == [0.3333333] and result.elapsed == 0.333


def test_credentials_from_the_environment_and_a_real_run_by_default(service, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_SECRET_ID', 'AKIDenvironment')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_KEY', 'environment-key')
    values = dict(options().values)
    result = instance_power.set_power_state(instance_power.Options(values, [('options', {})]), ['ins-aaaaaaaa'],
                                            clock=FakeClock())
    assert result.credential_source == 'environment' and len(service.service.power_calls) == 1


@pytest.mark.parametrize('coalesce', [True, False])
def test_with_coalesce_the_reads_are_shared_and_polls_aligned_while_in_company(service, monkeypatch, tmp_path,
                                                                               coalesce):
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings=None: PrivateDirectory.open(str(tmp_path)))
    monkeypatch.setattr(clients, 'RequestSpacer', lambda *args, **kwargs: NoLimit())
    real_read = SharedReads.read

    def read_in_company(self, *args, **kwargs):
        answer = real_read(self, *args, **kwargs)
        self.in_company = True  # as though another process had read with this one every time
        return answer
    monkeypatch.setattr(SharedReads, 'read', read_in_company)
    slept = []
    # Time stands at 1000.1 s on the host's monotonic clock: an aligned poll sleeps 0.15 s, to 1000.25.
    clock = Clock(monotonic=lambda: 1000.1, sleep=slept.append)
    instance_power.set_power_state(options(wait_interval=0.25, coalesce=coalesce), ['ins-aaaaaaaa'], environ={},
                                   clock=clock)
    shared = [name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]
    assert [round(seconds, 6) for seconds in slept] == ([0.15] if coalesce else [0.25])
    # Shared: the first read (DescribeInstances) and the wait's (DescribeInstancesStatus).
    assert len(shared) == (2 if coalesce else 0)


def test_the_environment_given_is_the_one_read(service):
    environ = {'TENCENTCLOUD_SECRET_ID': 'AKIDgiven', 'TENCENTCLOUD_SECRET_KEY': 'given-key'}
    result = instance_power.set_power_state(instance_power.Options(dict(options().values), [('options', {})]),
                                            ['ins-bbbbbbbb'], environ=environ, clock=FakeClock())
    assert result.credential_source == 'environment'


def test_without_describe_instances_the_watchers_warn_and_the_states_decide(service):
    service.refused['DescribeInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    service.service.shows_moving = False
    result = change(['ins-bbbbbbbb'], state='rebooted')
    assert result.instance_states == {'ins-bbbbbbbb': 'RUNNING'}
    assert result.warnings == [
        "what an action did, or whether one whose answer was lost was done, is told by the instances' states alone: "
        'these credentials may not call DescribeInstances (UnauthorizedOperation)',
        'a reboot is taken as done when the instance reads RUNNING: these credentials may not call DescribeInstances '
        '(UnauthorizedOperation) to tell it from one not yet rebooting, or failed']
    service.service.fails['ins-aaaaaaaa'] = 'no capacity'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'], wait_timeout=10)
    assert caught.value.message.startswith('timed out after 10s')
    assert caught.value.warnings[1].startswith('a failed start or stop is not noticed during this wait')


def test_the_operation_reads_are_shared_too(service, monkeypatch, tmp_path):
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings=None: PrivateDirectory.open(str(tmp_path)))
    service.service.shows_moving = False
    change(['ins-bbbbbbbb'], state='rebooted')
    # One place to share in for each action read: the states, and the instances described (first, and to confirm
    # the reboot).
    assert len([name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]) == 2


def test_filters_act_on_exactly_the_instances_they_select(service):
    service.service.states['ins-cccccccc'] = 'STOPPED'
    result = change(None, filters={'instance-id': ['ins-aaaaaaaa', 'ins-bbbbbbbb']}, state='stopped')
    assert service.service.power_calls == [('StopInstances', {'InstanceIds': ['ins-bbbbbbbb']})]
    # The listing is the change's first read: the action follows it at once.
    assert service.service.actions[:2] == ['DescribeInstances', 'StopInstances']
    assert result.instance_states == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'STOPPED'}
    assert result.regions == {'ins-aaaaaaaa': 'ap-guangzhou', 'ins-bbbbbbbb': 'ap-guangzhou'}


def test_an_instance_the_service_lists_that_the_filters_do_not_select_is_never_acted_on(service):
    # The fake lists every instance for a tag filter, as an endpoint that ignored it would: none carries the tag.
    result = change(None, filters={'tag:role': 'web'}, state='stopped', on_missing='warn')
    assert service.service.power_calls == [] and not result.changed
    assert result.warnings[0] == ('the service listed ins-aaaaaaaa, ins-bbbbbbbb, not selected by the filters '
                                  'tag:role=web: left alone')


def test_check_mode_on_filters_lists_what_would_be_acted_on(service):
    result = change(None, filters={'instance-state': 'running'}, state='stopped', check_mode=True)
    assert service.service.power_calls == [] and result.changed
    assert result.actions == [{'action': 'StopInstances', 'instance_ids': ['ins-bbbbbbbb'], 'request_id': None,
                               'error': None, 'applied': False, 'retried': False}]
    assert result.module_result()['instances'] == [
        {'instance_id': 'ins-bbbbbbbb', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'}]


@pytest.mark.parametrize('on_missing', ['warn', 'error'])
def test_filters_that_select_nothing_change_nothing(service, on_missing):
    message = 'the filters %s select no instance in region ap-guangzhou (from the region option)'
    if on_missing == 'error':
        with pytest.raises(QueryFailed, match='^%s$' % re.escape(message % 'tag:env=nowhere, instance-state=SHUTDOWN')):
            change(None, filters={'tag:env': 'nowhere', 'instance-state': 'SHUTDOWN'}, on_missing=on_missing)
        return
    message %= 'instance-state=SHUTDOWN'
    result = change(None, filters={'instance-state': 'SHUTDOWN'}, on_missing=on_missing)
    assert service.service.power_calls == [] and message in result.warnings
    reported = result.module_result()
    assert reported['changed'] is False and reported['instances'] == [] and reported['actions'] == []


def test_over_regions_the_instances_are_located_by_the_read_the_change_starts_from(service):
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], regions=['ap-guangzhou', 'ap-shanghai'])
    # One DescribeInstances in each region locates the IDs and is the change's first read; then the start.
    assert service.service.actions[:3] == ['DescribeInstances', 'DescribeInstances', 'StartInstances']
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}


def test_over_regions_without_describe_instances_the_states_locate_them(service):
    service.refused['DescribeInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    result = change(['ins-aaaaaaaa'], regions=['ap-guangzhou', 'ap-shanghai'])
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'} and result.changed
    assert any('may not call DescribeInstances' in warning for warning in result.warnings)


def test_over_regions_the_result_is_the_one_of_a_region(service):
    reported = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], regions=['ap-guangzhou', 'ap-shanghai']).module_result()
    assert reported['previous_states'] == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}
    assert reported['instances'] == [
        {'instance_id': 'ins-aaaaaaaa', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'},
        {'instance_id': 'ins-bbbbbbbb', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'}]
    assert reported['actions'] == [{'action': 'StartInstances', 'instance_ids': ['ins-aaaaaaaa'],
                                    'request_id': 'power-1', 'error': None, 'applied': True, 'retried': False}]
    assert (reported['changed'], reported['polls'], reported['elapsed'], reported['missing']) == (True, 2, 5.0, [])
    assert reported['credential_source'] == 'options' and 'power-1' in reported['request_ids']


def test_over_regions_a_region_that_cannot_be_read_fails_with_its_error(service):
    service.refused_regions['ap-shanghai'] = ('InternalError', 'down', 'req-down')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'], regions=['ap-guangzhou', 'ap-shanghai'], max_retries=0)
    assert caught.value.message == 'InternalError: down (region ap-shanghai) (RequestId: req-down)'
    assert caught.value.result.module_result()['error'] == {'code': 'InternalError', 'request_id': 'req-down',
                                                            'message': 'down (region ap-shanghai)'}
    assert service.service.power_calls == []


def test_over_regions_an_instance_no_region_lists_fails_before_any_action(service):
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-cccccccc'], regions=['ap-guangzhou', 'ap-shanghai'])
    assert caught.value.message == ('not found in any of the regions ap-guangzhou, ap-shanghai (from the regions '
                                    'option): ins-cccccccc; an instance of another region, or one that no longer exists')
    reported = caught.value.result.module_result()
    assert reported['missing'] == ['ins-cccccccc'] and reported['instance_states'] == {'ins-aaaaaaaa': 'STOPPED'}
    assert caught.value.result.regions == {'ins-aaaaaaaa': 'ap-guangzhou'}
    assert service.service.power_calls == []


def test_over_every_region_the_instances_are_looked_for_where_the_account_can_use(service):
    result = change(['ins-aaaaaaaa'], regions=['all'])
    assert service.service.actions[0] == 'DescribeRegions' and service.service.actions.count('DescribeInstances') == 2
    assert result.regions == {'ins-aaaaaaaa': 'ap-guangzhou'} and result.instance_states == {'ins-aaaaaaaa': 'RUNNING'}


def test_over_regions_a_change_that_fails_is_named_with_its_region_and_the_others_kept(service):
    service.service.states['ins-cccccccc'] = 'LAUNCH_FAILED'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-cccccccc'], regions=['ap-guangzhou', 'ap-shanghai'])
    assert caught.value.message == ('ap-guangzhou: instances are in a state from which they cannot be brought to '
                                    'RUNNING: ins-cccccccc (LAUNCH_FAILED)')
    reported = caught.value.result.module_result()
    assert reported['instance_states'] == {'ins-aaaaaaaa': 'STOPPED', 'ins-cccccccc': 'LAUNCH_FAILED'}
    assert reported['missing'] == [] and service.service.power_calls == []


def test_over_regions_check_mode_says_where_each_would_end(service):
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], regions=['ap-guangzhou', 'ap-shanghai'], state='stopped',
                    check_mode=True)
    reported = result.module_result()
    assert service.service.power_calls == [] and reported['changed'] is True
    assert result.diff() == {'before': {'instance_states': {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}},
                             'after': {'instance_states': {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'STOPPED'}}}


def test_over_regions_each_region_is_changed_and_one_refused_is_named_with_its_error_the_rest_kept(tmp_path):
    from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import SECRET_ID, SECRET_KEY, running
    scenario = {'power_seconds': 0.2, 'instances': [
        {'id': 'ins-gz000001', 'region': 'ap-guangzhou', 'state': 'RUNNING'},
        {'id': 'ins-sh000001', 'region': 'ap-shanghai', 'state': 'RUNNING'},
        {'id': 'ins-bj000001', 'region': 'ap-beijing', 'state': 'RUNNING'}],
        'faults': [{'kind': 'api_error', 'code': 'UnauthorizedOperation', 'message': 'not here', 'region': region,
                    'action': 'StopInstances', 'count': 1} for region in ('ap-shanghai', 'ap-beijing')]}
    ids = ['ins-gz000001', 'ins-sh000001', 'ins-bj000001']
    with running(tmp_path, scenario=scenario) as url:
        values = options(endpoint=url, state='stopped', regions=['ap-guangzhou', 'ap-shanghai', 'ap-beijing'],
                         wait_interval=0.1)
        credentials = {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'security_token': None}
        with pytest.raises(QueryFailed) as caught:
            instance_power.set_power_state(Options(values.values, [('options', credentials)]), ids, environ={})
    message = caught.value.message
    assert message.startswith('ap-shanghai: ') and '; ap-beijing: ' in message and 'not here' in message
    failed = caught.value.result
    assert failed.error['code'] == 'UnauthorizedOperation'
    assert failed.instance_states == {'ins-gz000001': 'STOPPED', 'ins-sh000001': 'RUNNING', 'ins-bj000001': 'RUNNING'}
    assert failed.regions == {'ins-gz000001': 'ap-guangzhou', 'ins-sh000001': 'ap-shanghai',
                              'ins-bj000001': 'ap-beijing'}
    assert [(a['action'], a['instance_ids']) for a in failed.actions] == [
        ('StopInstances', [i]) for i in ids] and failed.changed
    # Every request of every region, once each; a wait of a fraction of a second said as such.
    assert len(failed.request_ids) == len(set(failed.request_ids)) >= 6
    assert {a['request_id'] for a in failed.actions} <= set(failed.request_ids)
    assert 0 < failed.elapsed < 1 and failed.missing == [] and failed.polls >= 1


def test_over_regions_filters_that_select_nothing_change_nothing_and_had_no_state_before(service):
    result = change(None, filters={'instance-state': 'SHUTDOWN'}, on_missing='warn',
                    regions=['ap-guangzhou', 'ap-shanghai'])
    assert result.previous_states == {}
    assert result.diff() == {'before': {'instance_states': {}}, 'after': {'instance_states': {}}}
    assert service.service.power_calls == [] and not result.changed


def test_over_regions_the_states_that_locate_the_instances_are_shared_reads_too(service, monkeypatch, tmp_path):
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings=None: PrivateDirectory.open(str(tmp_path)))
    service.refused['DescribeInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    service.service.shows_moving = False
    change(['ins-bbbbbbbb'], state='rebooted', regions=['ap-guangzhou', 'ap-shanghai'])
    # The states read in each region to locate the instance, and the wait's in its own.
    assert len([name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]) == 3


def test_a_region_the_service_refuses_is_named_with_where_it_came_from(service):
    service.error = ('UnsupportedRegion', 'no such region')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'])
    assert caught.value.message.startswith('UnsupportedRegion: no such region')
    assert caught.value.message.endswith('(region ap-guangzhou, from the region option)')
    assert service.service.power_calls == []
