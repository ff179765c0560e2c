# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module end to end in-process: options in, JSON out, with only the HTTP session faked."""

import json
import re

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_status
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.modules.running import run_main

SECRET_KEY = 'module-secret-key-never-shown'
CREDENTIALS = {'secret_id': 'AKIDmodule', 'secret_key': SECRET_KEY, 'region': 'ap-guangzhou'}
STATES = {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED', 'ins-cccccccc': 'PENDING'}


@pytest.fixture
def session(fake_service):
    fake_service.service.states.update(STATES)
    return fake_service


def run_module(args, capsys, clock=SYSTEM_CLOCK):
    return run_main(cvm_instance_status.main, args, capsys, clock, SECRET_KEY)


def test_reads_states_and_sets_facts(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-zzzzzzzz']), capsys)
    assert code == 0 and result['changed'] is False
    assert result['instances'] == [
        {'instance_id': 'ins-bbbbbbbb', 'instance_state': 'STOPPED', 'region': 'ap-guangzhou'},
        {'instance_id': 'ins-aaaaaaaa', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'}]
    assert result['instance_states'] == {'ins-bbbbbbbb': 'STOPPED', 'ins-aaaaaaaa': 'RUNNING'}
    assert result['missing'] == ['ins-zzzzzzzz']
    assert result['ansible_facts'] == {'tencentcloud_cvm_instance_states': result['instance_states'],
                                       'tencentcloud_cvm_instance_regions': dict.fromkeys(result['instance_states'],
                                                                                          'ap-guangzhou')}
    assert result['credential_source'] == 'options' and result['request_ids'] == ['r']
    assert 'elapsed' not in result


def test_check_mode_reads_the_same(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], _ansible_check_mode=True), capsys)
    assert code == 0 and result['instance_states'] == {'ins-aaaaaaaa': 'RUNNING'} and result['changed'] is False


def test_check_mode_reads_once_and_never_waits(session, capsys):
    clock = FakeClock()
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-cccccccc'], wait_for='RUNNING',
                                   _ansible_check_mode=True), capsys, clock)
    assert clock.sleeps == []
    assert code == 0 and result['instance_states'] == {'ins-cccccccc': 'PENDING'} and 'polls' not in result
    assert len(session.sent) == 1 and 'did not wait for RUNNING' in json.dumps(result['warnings'])


def test_whole_region_without_ids(session, capsys):
    _code, result = run_module(dict(CREDENTIALS), capsys)
    assert result['instance_states'] == STATES


def test_a_fail_state_ends_the_wait_at_the_first_poll(session, capsys):
    clock = FakeClock()
    session.service.states['ins-cccccccc'] = 'LAUNCH_FAILED'
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-cccccccc'], wait_for='RUNNING', wait_timeout=5), capsys,
                              clock)
    assert clock.sleeps == []
    assert code == 1 and result['msg'] == 'instances entered a state that cannot reach RUNNING: ins-cccccccc (LAUNCH_FAILED)'
    assert result['polls'] == 1 and len(session.sent) == 1


def test_empty_list_reads_nothing(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=[]), capsys)
    assert code == 0 and result['instance_states'] == {} and session.sent == []
    code, result = run_module(dict(CREDENTIALS, instance_ids=[], wait_for='RUNNING', on_missing='ignore'), capsys)
    assert code == 0 and result['instance_states'] == {} and session.sent == []


def test_a_wait_on_an_empty_list_fails_by_default(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=[], wait_for='RUNNING'), capsys)
    assert code == 1 and result['msg'].startswith('the list of instance IDs is empty, so there is nothing to wait for')
    assert session.sent == []


def test_environment_credentials(session, capsys, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_SECRET_ID', 'AKIDenv')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_KEY', SECRET_KEY)
    monkeypatch.setenv('TENCENTCLOUD_REGION', 'ap-guangzhou')
    _code, result = run_module(dict(instance_ids=['ins-aaaaaaaa']), capsys)
    assert result['credential_source'] == 'environment'
    assert session.sent[0]['headers']['X-TC-Region'] == 'ap-guangzhou'


def test_single_state_string_and_waiting(session, capsys):
    session.service.changes_after_call = [{'ins-cccccccc': 'RUNNING'}]
    # A short wait_timeout: should the state never change, this fails in seconds instead of hanging for 600.
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-cccccccc'], wait_for='running', wait_timeout=5,
                                   wait_interval=0.1), capsys)
    assert code == 0 and result['polls'] == 2 and result['instance_states'] == {'ins-cccccccc': 'RUNNING'}


def test_timeout_keeps_the_last_states_and_sets_no_facts(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-cccccccc', 'ins-aaaaaaaa'], wait_for=['RUNNING'],
                                   wait_timeout=0), capsys)
    assert code == 1 and result['failed'] is True
    assert result['msg'] == 'timed out after 0s waiting for RUNNING: ins-cccccccc (PENDING)'
    assert result['instance_states'] == {'ins-cccccccc': 'PENDING', 'ins-aaaaaaaa': 'RUNNING'}
    assert 'ansible_facts' not in result


def test_api_error_is_reported_with_code_message_and_request_id(session, capsys):
    session.error = ('AuthFailure.SignatureFailure', 'The signature is wrong.', 'req-auth')
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa']), capsys)
    assert code == 1
    assert result['error'] == {'code': 'AuthFailure.SignatureFailure', 'message': 'The signature is wrong.',
                               'request_id': 'req-auth'}
    assert all(part in result['msg'] for part in ('AuthFailure.SignatureFailure', 'The signature is wrong.', 'req-auth'))
    assert result['request_ids'] == ['req-auth'] and len(session.sent) == 1


@pytest.mark.parametrize('args, message', [
    (dict(CREDENTIALS, instance_ids=['ins-1122']), "instance_ids: malformed instance ID 'ins-1122'"),
    (dict(CREDENTIALS, wait_for=['RUNING']), 'wait_for: unknown instance state RUNING'),
    (dict(CREDENTIALS, wait_for=['RUNNING'], fail_states=['BROKEN']), 'fail_states: unknown instance state BROKEN'),
    (dict(CREDENTIALS, wait_for=['RUNNING'], wait_timeout=-1), 'wait_timeout must be a number from 0 to 604800, not -1'),
    (dict(CREDENTIALS, wait_for=['RUNNING'], wait_interval=0), 'wait_interval must be a number from 0.1 to 3600'),
    (dict(CREDENTIALS, wait_for=['RUNNING'], wait_interval='nan'), 'wait_interval must be a number from 0.1 to 3600, not nan'),
    (dict(CREDENTIALS, request_timeout=0), 'request_timeout must be a number from 0.1 to 600'),
    (dict(CREDENTIALS, request_timeout='inf'), 'request_timeout must be a number from 0.1 to 600, not inf'),
    (dict(CREDENTIALS, request_timeout=1e12), 'request_timeout must be a number from 0.1 to 600'),
    (dict(CREDENTIALS, max_retries=-2), 'max_retries must be a number from 0 to 30'),
    (dict(CREDENTIALS, max_retries=1000), 'max_retries must be a number from 0 to 30'),
    (dict(CREDENTIALS, ca_bundle='/nonexistent/ca.pem'), 'ca_bundle /nonexistent/ca.pem is not a file'),
    (dict(CREDENTIALS, ca_bundle='/'), 'ca_bundle / is not a file'),
    (dict(CREDENTIALS, secret_id='AKID\u00e9x'), 'secret_id from options holds whitespace, control or non-ASCII'),
    (dict(CREDENTIALS, security_token='tok\nen'), 'security_token from options holds whitespace, control or non-ASCII'),
    (dict(CREDENTIALS, endpoint='https://user:pw@evil.example'), 'a user part (user@) is not accepted'),
    (dict(CREDENTIALS, endpoint='http://127.0.0.1:0'), 'port 0 cannot be connected to'),
    (dict(CREDENTIALS, region='ap guangzhou'), "region 'ap guangzhou' is not a region name"),
    (dict(CREDENTIALS, region='ap-guangzhou\n'), "region 'ap-guangzhou\\n' is not a region name"),
    (dict(CREDENTIALS, endpoint='https://evil.example/path'), 'without path'),
    ({'secret_id': 'AKIDx', 'secret_key': 'key-k'},
     'region is required: set the region option (for a host of the tencentcloud.cloud.cvm inventory, region: '
     '"{{ tencentcloud_region }}"), regions (a list; [all] for every region), the environment variable '
     'TENCENTCLOUD_REGION'),
    ({'secret_id': 'AKIDmodule', 'secret_key': SECRET_KEY, 'regions': ['ap-guangzhou', 'ap guangzhou']},
     "regions 'ap guangzhou' is not a region name"),
    ({'region': 'ap-guangzhou', 'secret_id': 'AKIDx'}, 'secret_id is set in options but secret_key is not'),
    (dict(CREDENTIALS, wait_timeout='soon'), "wait_timeout"),
    (dict(CREDENTIALS, language='fr-FR'), 'language'),
])
def test_bad_input_fails_clearly_before_any_call(session, capsys, monkeypatch, tmp_path, args, message):
    monkeypatch.setenv('HOME', str(tmp_path))
    code, result = run_module(args, capsys)
    assert code == 1 and message in result['msg']
    assert 'Traceback' not in json.dumps(result) and 'exception' not in result
    assert session.sent == []
    assert 'pw@' not in result['msg'] and 'tok\nen' not in json.dumps(result)


def test_whitespace_around_credentials_is_stripped(session, capsys):
    # A YAML block (|) or a vault file leaves a newline at the end; it must neither leak nor break the header.
    code, result = run_module(dict(CREDENTIALS, secret_key=SECRET_KEY + '\n', security_token='  a-token\n',
                                   instance_ids=['ins-aaaaaaaa']), capsys)
    assert code == 0
    assert session.sent[0]['headers']['X-TC-Token'] == 'a-token'


def test_missing_credentials(session, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.profile_files.DEFAULT_CREDENTIALS_FILES',
                        ('~/.tencentcloud/credentials',))
    code, result = run_module({'region': 'ap-guangzhou'}, capsys)
    assert code == 1 and result['msg'].startswith('no credentials found')


def test_warnings_reach_the_module_result(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], endpoint='http://cvm.example.com'), capsys)
    assert code == 0
    # A list of strings before ansible-core 2.19, of structured summaries since: either way the text is there.
    assert 'is plain HTTP' in json.dumps(result['warnings'])


def test_a_misspelt_option_is_refused_naming_the_one_it_most_likely_means(session, capsys):
    code, result = run_module(dict(CREDENTIALS, instance_ids=['ins-aaaaaaaa'], wiat_for='RUNNING', zzz=1,
                                   wait_timout=5), capsys)
    # ansible-core names the module by its file, which a unit test runs as basic.py.
    assert code == 1 and result['msg'].startswith('Unsupported parameters for (')
    assert ': wait_timout, wiat_for, zzz.' in result['msg']
    # Ansible's sentence ends with its list of options; the hints follow it, each misspelt option that has one.
    assert re.search(r'[^.]; wait_timout \(did you mean wait_timeout\?\), wiat_for \(did you mean wait_for\?\)$',
                     result['msg'])
    assert session.sent == []
