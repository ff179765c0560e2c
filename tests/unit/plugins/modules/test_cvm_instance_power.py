# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The power module end to end in-process: options in, JSON out, with only the HTTP session faked."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_power
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.modules.running import run_main

SECRET_KEY = 'module-secret-key-never-shown'
CREDENTIALS = {'secret_id': 'AKIDmodule', 'secret_key': SECRET_KEY, 'region': 'ap-guangzhou'}
STATES = {'ins-aaaaaaaa': 'STOPPED', 'ins-bbbbbbbb': 'RUNNING'}


@pytest.fixture
def session(fake_service):
    fake_service.service.states.update(STATES)
    return fake_service


def run_module(args, capsys):
    return run_main(cvm_instance_power.main, args, capsys, FakeClock(), SECRET_KEY)


def test_starts_waits_and_sets_facts(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa', 'ins-bbbbbbbb'], state='running'),
                              capsys)
    assert code == 0 and result['changed'] is True
    assert result['actions'] == [{'action': 'StartInstances', 'instance_ids': ['ins-aaaaaaaa'],
                                  'request_id': 'power-1', 'error': None, 'applied': True, 'retried': False}]
    assert result['ansible_facts'] == {'tencentcloud_cvm_instance_states': {'ins-aaaaaaaa': 'RUNNING',
                                                                            'ins-bbbbbbbb': 'RUNNING'},
                                       'tencentcloud_cvm_instance_regions': {'ins-aaaaaaaa': 'ap-guangzhou',
                                                                             'ins-bbbbbbbb': 'ap-guangzhou'}}
    assert 'diff' not in result


def test_diff_mode_shows_the_states_before_and_after(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-bbbbbbbb'], state='stopped', _ansible_diff=True),
                              capsys)
    assert code == 0 and result['diff'] == {'before': {'instance_states': {'ins-bbbbbbbb': 'RUNNING'}},
                                            'after': {'instance_states': {'ins-bbbbbbbb': 'STOPPED'}}}


def test_a_second_run_changes_nothing(session, capsys):
    run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], state='running'), capsys)
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], state='running'), capsys)
    assert code == 0 and result['changed'] is False and result['actions'] == []
    assert len(session.service.power_calls) == 1


def test_bad_input_is_one_line_without_a_call(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], state='running', stop_type='hard'),
                              capsys)
    assert code == 1 and result['msg'] == 'stop_type applies to state stopped, restarted or rebooted, not running'
    assert session.sent == []


def test_a_failure_keeps_the_states_and_what_was_sent(session, capsys):
    session.refused['StopInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-denied')
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-bbbbbbbb'], state='stopped'), capsys)
    assert code == 1 and result['changed'] is False
    assert result['msg'] == ('StopInstances failed for ins-bbbbbbbb: UnauthorizedOperation: not allowed '
                             '(RequestId: req-denied)')
    assert result['previous_states'] == {'ins-bbbbbbbb': 'RUNNING'} and result['error']['code'] == \
        'UnauthorizedOperation'


def test_instance_ids_and_filters_are_one_or_the_other(session, capsys):
    code, result = run_module(dict(CREDENTIALS, state='running'), capsys)
    assert code == 1 and result['msg'] == 'one of the following is required: instance_ids, filters'
    code, result = run_module(dict(CREDENTIALS, state='running', instance_ids=['ins-aaaaaaaa'],
                                   filters={'tag:env': 'staging'}), capsys)
    assert code == 1 and result['msg'] == 'parameters are mutually exclusive: instance_ids|filters'
    assert session.sent == []


def test_the_state_words_are_those_of_the_power_plan():
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import STATE_ALIASES, TARGETS
    assert cvm_instance_power.ARGUMENT_SPEC['state']['choices'] == list(TARGETS) + list(STATE_ALIASES)
