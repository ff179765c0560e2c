# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup loaded the way Ansible loads it, with only the HTTP session faked."""

import pytest
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock

STATES = {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED', 'ins-cccccccc': 'PENDING'}
DIRECT = {'region': 'ap-guangzhou', 'secret_id': 'AKIDdirect', 'secret_key': 'direct-key'}


@pytest.fixture
def session(fake_service):
    fake_service.service.states.update(STATES)
    return fake_service


try:
    from ansible.template import trust_as_template
except ImportError:  # before ansible-core 2.19 every string in variables is a template
    def trust_as_template(text):
        return text


class Lookup:
    """Runs the lookup as a task would: loaded by name, with a templar that sees the play's variables."""

    clock = SYSTEM_CLOCK

    def run(self, terms, variables, **kwargs):
        loader = DataLoader()
        plugin = lookup_loader.get('tencentcloud.cloud.cvm_instance_status', loader=loader,
                                   templar=Templar(loader=loader, variables=variables))
        plugin.clock = self.clock
        return plugin.run(terms, variables, **kwargs)


@pytest.fixture
def lookup():
    return Lookup()


def signed_by(session):
    return session.sent[-1]['headers']['Authorization'].split('Credential=')[1].split('/')[0]


def test_results_follow_the_terms_and_duplicates_get_one_each(session, lookup):
    terms = ['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-bbbbbbbb']
    assert lookup.run(terms, {}, **DIRECT) == ['STOPPED', 'RUNNING', 'STOPPED']
    assert len(session.sent) == 1


def test_a_list_term_is_flattened(session, lookup):
    assert lookup.run([['ins-aaaaaaaa', 'ins-cccccccc']], {}, **DIRECT) == ['RUNNING', 'PENDING']


def test_terms_nested_at_any_depth_are_flattened(session, lookup):
    assert lookup.run([[['ins-aaaaaaaa'], [['ins-cccccccc']]]], {}, **DIRECT) == ['RUNNING', 'PENDING']


@pytest.mark.parametrize('terms', [[], [[]]])
def test_no_terms_returns_an_empty_list_without_a_call(session, lookup, terms):
    assert lookup.run(terms, {}, **DIRECT) == []
    assert lookup.run(terms, {}, **dict(DIRECT, wait_for='RUNNING', on_missing='skip')) == []
    assert session.sent == []


@pytest.mark.parametrize('on_missing', [None, 'error'])
def test_a_wait_on_no_terms_fails_rather_than_pass_on_nothing(session, lookup, on_missing):
    kwargs = dict(DIRECT, wait_for='RUNNING', **({'on_missing': on_missing} if on_missing else {}))
    with pytest.raises(AnsibleError, match='the list of instance IDs is empty, so there is nothing to wait for'):
        lookup.run([[]], {}, **kwargs)
    assert session.sent == []


def test_an_unknown_keyword_is_an_error_naming_it(session, lookup):
    with pytest.raises(AnsibleError, match=r'unknown option wiat_for \(did you mean wait_for\?\); the options are .*wait_for'):
        lookup.run(['ins-cccccccc'], {}, **dict(DIRECT, wiat_for='RUNNING'))
    assert session.sent == []


def test_a_secret_the_server_echoes_is_masked(session, lookup):
    session.error = ('InvalidParameter', 'you sent direct-key and Signature=0123abcd', 'req-echo')
    with pytest.raises(AnsibleError) as caught:
        lookup.run(['ins-aaaaaaaa'], {}, **DIRECT)
    assert 'direct-key' not in str(caught.value) and '0123abcd' not in str(caught.value)
    assert '********' in str(caught.value)


def test_variables_are_used_when_nothing_is_direct(session, lookup):
    variables = {'tencentcloud_region': 'ap-shanghai', 'tencentcloud_secret_id': 'AKIDvars',
                 'tencentcloud_secret_key': 'vars-key'}
    lookup.run(['ins-aaaaaaaa'], variables)
    assert session.sent[0]['headers']['X-TC-Region'] == 'ap-shanghai'
    assert signed_by(session) == 'AKIDvars'


def test_templated_variables_are_resolved(session, lookup):
    variables = {'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_secret_id': trust_as_template('{{ vault_id }}'),
                 'tencentcloud_secret_key': trust_as_template('{{ vault_key }}'), 'vault_id': 'AKIDvault',
                 'vault_key': 'vault-key'}
    lookup.run(['ins-aaaaaaaa'], variables)
    assert signed_by(session) == 'AKIDvault'


def test_a_credential_variable_that_renders_empty_fails_rather_than_fall_back(session, lookup, monkeypatch):
    # The environment's keys, next in the chain, may be another account's.
    monkeypatch.setenv('TENCENTCLOUD_SECRET_ID', 'AKIDenv')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_KEY', 'env-key')
    variables = {'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_secret_id': trust_as_template('{{ vault_id }}'),
                 'tencentcloud_secret_key': 'vault-key', 'vault_id': ''}
    with pytest.raises(AnsibleError, match='tencentcloud_secret_id rendered empty from its template'):
        lookup.run(['ins-aaaaaaaa'], variables)
    assert session.sent == []


def test_direct_beats_variables_beats_environment(session, lookup, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_REGION', 'ap-beijing')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_ID', 'AKIDenv')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_KEY', 'env-key')
    variables = {'tencentcloud_region': 'ap-shanghai', 'tencentcloud_secret_id': 'AKIDvars',
                 'tencentcloud_secret_key': 'vars-key'}

    lookup.run(['ins-aaaaaaaa'], {})
    assert (session.sent[-1]['headers']['X-TC-Region'], signed_by(session)) == ('ap-beijing', 'AKIDenv')
    lookup.run(['ins-aaaaaaaa'], variables)
    assert (session.sent[-1]['headers']['X-TC-Region'], signed_by(session)) == ('ap-shanghai', 'AKIDvars')
    lookup.run(['ins-aaaaaaaa'], variables, **DIRECT)
    assert (session.sent[-1]['headers']['X-TC-Region'], signed_by(session)) == ('ap-guangzhou', 'AKIDdirect')


def test_a_stale_environment_token_never_joins_direct_keys(session, lookup, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_TOKEN', 'stale-token')
    lookup.run(['ins-aaaaaaaa'], {}, **DIRECT)
    assert 'X-TC-Token' not in session.sent[0]['headers']


def test_a_key_without_an_id_in_variables_is_an_error(session, lookup, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_SECRET_ID', 'AKIDenv')
    monkeypatch.setenv('TENCENTCLOUD_SECRET_KEY', 'env-key')
    with pytest.raises(AnsibleError, match='secret_key is set in variables but secret_id is not'):
        lookup.run(['ins-aaaaaaaa'], {'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_secret_key': 'k'})


def test_on_missing_error_is_the_default(session, lookup):
    with pytest.raises(AnsibleError, match=r'not found in region ap-guangzhou \(from the region option\): '
                                           r'ins-zzzzzzzz; an instance of another region'):
        lookup.run(['ins-aaaaaaaa', 'ins-zzzzzzzz'], {}, **DIRECT)


@pytest.mark.parametrize('on_missing, warned', [('warn', True), ('skip', False)])
def test_on_missing_warn_and_skip_keep_positions(session, lookup, mocker, on_missing, warned):
    warning = mocker.patch('ansible_collections.tencentcloud.cloud.plugins.lookup.cvm_instance_status.display.warning')
    result = lookup.run(['ins-zzzzzzzz', 'ins-aaaaaaaa'], {}, on_missing=on_missing, **DIRECT)
    assert result == [None, 'RUNNING']
    assert warning.called is warned


def test_wait_for_reached(session, lookup):
    lookup.clock = FakeClock()
    session.service.changes_after_call = [{'ins-cccccccc': 'RUNNING'}]
    assert lookup.run(['ins-cccccccc'], {}, wait_for='RUNNING', wait_interval=1, wait_timeout=5, **DIRECT) == ['RUNNING']
    # Two polls; the instance is PENDING, moving: no failure of its own to learn about yet, so nothing else is read.
    assert [sent['headers']['X-TC-Action'] for sent in session.sent] == [
        'DescribeInstancesStatus', 'DescribeInstancesStatus']


def test_a_wait_on_an_instance_at_rest_reads_its_latest_operation_first(session, lookup):
    lookup.clock = FakeClock()
    session.service.changes_after_call = [{'ins-bbbbbbbb': 'RUNNING'}]
    assert lookup.run(['ins-bbbbbbbb'], {}, wait_for='RUNNING', wait_interval=1, wait_timeout=5, **DIRECT) == ['RUNNING']
    # STOPPED while waiting for RUNNING: its latest operation is read at the first poll, to know what is history.
    assert [sent['headers']['X-TC-Action'] for sent in session.sent] == [
        'DescribeInstancesStatus', 'DescribeInstances', 'DescribeInstancesStatus']


def test_wait_for_timed_out_names_the_laggard(session, lookup):
    with pytest.raises(AnsibleError, match=r'timed out after 0s waiting for RUNNING: ins-cccccccc \(PENDING\)'):
        lookup.run(['ins-aaaaaaaa', 'ins-cccccccc'], {}, wait_for=['RUNNING'], wait_timeout=0, **DIRECT)


def test_wait_fails_fast_on_a_fail_state(session, lookup):
    lookup.clock = FakeClock()
    session.service.states['ins-cccccccc'] = 'LAUNCH_FAILED'
    with pytest.raises(AnsibleError, match=r'cannot reach RUNNING: ins-cccccccc \(LAUNCH_FAILED\)'):
        lookup.run(['ins-cccccccc'], {}, wait_for='RUNNING', wait_timeout=5, **DIRECT)
    assert len(session.sent) == 1 and lookup.clock.sleeps == []


def test_api_error_carries_code_message_and_request_id(session, lookup):
    session.error = ('UnauthorizedOperation.InvalidToken', 'Check if the token is valid.', 'req-lookup')
    with pytest.raises(AnsibleError) as caught:
        lookup.run(['ins-aaaaaaaa'], {}, **DIRECT)
    message = str(caught.value)
    assert 'UnauthorizedOperation.InvalidToken' in message and 'req-lookup' in message
    assert 'Check if the token is valid.' in message and 'direct-key' not in message


@pytest.mark.parametrize('options, message', [
    (dict(DIRECT, wait_for='RUNING'), 'wait_for: unknown instance state RUNING'),
    (dict(DIRECT, wait_for='RUNNING', wait_timeout=-5), 'wait_timeout must be a number from 0 to 604800'),
    (dict(DIRECT, wait_for='RUNNING', wait_interval='nan'), 'wait_interval must be a number from 0.1 to 3600, not nan'),
    (dict(DIRECT, request_timeout=1e12), 'request_timeout must be a number from 0.1 to 600'),
    ({'secret_id': 'AKIDx', 'secret_key': 'key-x'}, 'region is required: .*TENCENTCLOUD_REGION.*tencentcloud_region'),
])
def test_bad_input_is_an_ansible_error_before_any_call(session, lookup, options, message):
    with pytest.raises(AnsibleError, match=message):
        lookup.run(['ins-aaaaaaaa'], {}, **options)
    assert session.sent == []


def test_malformed_term(session, lookup):
    with pytest.raises(AnsibleError, match="malformed instance ID 'ins-1122'"):
        lookup.run(['ins-1122'], {}, **DIRECT)
    assert session.sent == []


@pytest.mark.parametrize('value', ['perhaps', 'ture', 2])
def test_a_boolean_typo_is_refused_not_read_as_false(session, lookup, value):
    with pytest.raises(AnsibleError, match='validate_certs must be true or false'):
        lookup.run(['ins-aaaaaaaa'], {}, validate_certs=value, **DIRECT)
    assert session.sent == []


def test_plain_http_to_a_remote_host_warns(session, lookup, mocker):
    warning = mocker.patch('ansible_collections.tencentcloud.cloud.plugins.lookup.cvm_instance_status.display.warning')
    lookup.run(['ins-aaaaaaaa'], {}, endpoint='http://cvm.example.com', **DIRECT)
    assert 'plain HTTP' in warning.call_args[0][0]
    lookup.run(['ins-aaaaaaaa'], {}, endpoint='http://127.0.0.1:8080', **DIRECT)
    assert warning.call_count == 1


def test_filters_instead_of_terms_return_each_instance_selected(session, lookup):
    selected = lookup.run([], {}, filters={'instance-state': ['RUNNING', 'PENDING']}, **DIRECT)
    assert selected == [{'instance_id': 'ins-aaaaaaaa', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'},
                        {'instance_id': 'ins-cccccccc', 'instance_state': 'PENDING', 'region': 'ap-guangzhou'}]


def test_filters_that_select_nothing_fail_by_default(session, lookup):
    with pytest.raises(AnsibleError, match=r'the filters .* select no instance in region ap-guangzhou'):
        lookup.run([], {}, filters={'instance-state': 'SHUTDOWN'}, **DIRECT)
    assert lookup.run([], {}, filters={'instance-state': 'SHUTDOWN'}, on_missing='skip', **DIRECT) == []


@pytest.mark.parametrize('terms, filters, message', [
    (['ins-aaaaaaaa'], {'tag:role': 'web'}, 'instance_ids and filters are mutually exclusive'),
    ([], {}, 'filters is empty'),
    ([], {'tag-keys': 'role'}, "unknown filter 'tag-keys'"),
])
def test_filters_beside_terms_or_empty_are_refused_before_any_call(session, lookup, terms, filters, message):
    with pytest.raises(AnsibleError, match=message):
        lookup.run(terms, {}, filters=filters, **DIRECT)
    assert session.sent == []
