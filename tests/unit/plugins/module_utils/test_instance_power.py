# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the power module: options checked before any call, the actions' own budget, the result."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import clients, instance_power
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, POWER_ARGUMENT_SPEC, Options,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.status_query import QueryFailed
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, NoLimit


def options(**values):
    defaults = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items())
                + list(POWER_ARGUMENT_SPEC.items())}
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
                                    'request_id': 'power-1'}]
    assert reported['previous_states'] == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}
    assert reported['instance_states'] == {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}
    assert reported['polls'] == 1 and 'failed_instances' not in reported
    assert result.diff() == {'before': {'instance_states': reported['previous_states']},
                             'after': {'instance_states': reported['instance_states']}}


def test_the_stop_options_reach_the_api_as_it_spells_them(service):
    change(['ins-bbbbbbbb'], state='stopped', stop_type='soft_first', stopped_mode='stop_charging')
    assert service.service.power_calls == [('StopInstances', {'InstanceIds': ['ins-bbbbbbbb'],
                                                              'StopType': 'SOFT_FIRST',
                                                              'StoppedMode': 'STOP_CHARGING'})]


def test_check_mode_sends_nothing_and_says_where_it_would_end(service):
    result = change(['ins-aaaaaaaa', 'ins-bbbbbbbb'], state='restarted', check_mode=True)
    assert service.service.power_calls == [] and result.changed
    assert [(action['action'], action['request_id']) for action in result.actions] == [
        ('StartInstances', None), ('RebootInstances', None)]
    assert result.instance_states == {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}
    assert result.diff()['after'] == {'instance_states': {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}}


@pytest.mark.parametrize('ids, values, message', [
    (['ins-aaaaaaaa'], {'stop_type': 'hard'}, 'stop_type applies to state stopped or restarted, not running'),
    (['ins-aaaaaaaa'], {'state': 'restarted', 'stopped_mode': 'stop_charging'},
     'stopped_mode applies to state stopped, not restarted'),
    (['ins-aaaaaaaa'], {'state': 'paused'}, "state must be one of running, stopped, restarted, not 'paused'"),
    ([], {}, 'instance_ids is empty: name at least one instance to start, stop or restart'),
    (['ins-aaaaaaaa'], {'region': None}, 'region is required'),
])
def test_bad_input_fails_before_any_call(service, ids, values, message):
    with pytest.raises(OptionError) as caught:
        change(ids, **values)
    assert str(caught.value).startswith(message)
    assert service.sent == []


def test_an_instance_the_region_does_not_list_fails_before_any_action(service):
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-zzzzzzzz'])
    assert caught.value.message == 'instances not found in region ap-guangzhou: ins-zzzzzzzz'
    assert service.service.power_calls == []
    assert caught.value.result.module_result()['missing'] == ['ins-zzzzzzzz']


def test_a_refused_action_is_reported_with_its_error(service):
    service.refused['StartInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'])
    reported = caught.value.result.module_result()
    assert reported['error'] == {'code': 'UnauthorizedOperation', 'message': 'not allowed', 'request_id': 'req-denied'}
    assert reported['changed'] is False and reported['actions'] == []


def test_a_failed_read_is_reported_with_its_error(service):
    service.error = ('AuthFailure.SecretIdNotFound', 'unknown key', 'req-auth')
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa'])
    assert caught.value.result.error['code'] == 'AuthFailure.SecretIdNotFound'


def test_an_instance_that_cannot_be_started_is_named_in_failed_instances(service):
    service.service.states['ins-cccccccc'] = 'LAUNCH_FAILED'
    with pytest.raises(QueryFailed) as caught:
        change(['ins-aaaaaaaa', 'ins-cccccccc'])
    assert caught.value.result.module_result()['failed_instances'] == [
        {'instance_id': 'ins-cccccccc', 'instance_state': 'LAUNCH_FAILED'}]
    assert service.service.power_calls == []
