# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the one call behind both plugins wires the shared pieces: the limiter's budget, the transport, deadlines."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import os

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import connection, instance_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, WAIT_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import FakeApiTransport, NoLimit


def options(**values):
    defaults = dict((name, spec.get('default')) for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(WAIT_ARGUMENT_SPEC.items()))
    defaults.update(region='ap-guangzhou', **values)
    credentials = {'secret_id': 'AKIDaccount', 'secret_key': 'account-key', 'security_token': None}
    return Options(defaults, [('options', credentials)])


@pytest.fixture
def wired(monkeypatch, tmp_path):
    seen = {'spacers': [], 'transports': []}
    transport = FakeApiTransport({'ins-aaaaaaaa': 'RUNNING'})

    def recording_spacer(rate, key, directory, warnings):
        seen['spacers'].append((rate, key))
        return NoLimit()

    def make_transport(**kwargs):
        seen['transports'].append(kwargs)
        return transport
    monkeypatch.setattr(connection, 'RequestSpacer', recording_spacer)
    monkeypatch.setattr(connection, 'HttpTransport', make_transport)
    # Shared reads in a directory of the test's own, not the user's.
    monkeypatch.setattr(connection.private_directory, 'find', lambda environ: PrivateDirectory.open(str(tmp_path)))
    seen['transport'] = transport
    return seen


def test_one_budget_of_40_a_second_per_account_endpoint_and_action(wired):
    instance_status.query_instance_status(options(endpoint='cvm.example.com'), ['ins-aaaaaaaa'], environ={})
    assert wired['spacers'] == [(40, 'cvm.example.com AKIDaccount DescribeInstancesStatus'),
                                (40, 'cvm.example.com AKIDaccount DescribeInstances')]


def test_the_transport_gets_the_certificate_settings(wired, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    instance_status.query_instance_status(options(validate_certs=False, ca_bundle=str(bundle)), ['ins-aaaaaaaa'],
                                          environ={})
    assert wired['transports'][0]['validate_certs'] is False and wired['transports'][0]['ca_bundle'] == str(bundle)
    assert wired['transports'][0]['pool_size'] == instance_status.cvm_status.MAX_CONCURRENT_CALLS


def test_a_wait_bounds_every_call_by_wait_timeout_plus_one_request_timeout(wired, monkeypatch):
    deadlines = []
    real_read = instance_status.cvm_status.StatusReader.read

    def read(self, ids, deadline=None):
        deadlines.append(deadline)
        return real_read(self, ids, deadline)
    monkeypatch.setattr(instance_status.cvm_status.StatusReader, 'read', read)
    before = time.monotonic()
    instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=30, request_timeout=4),
                                          ['ins-aaaaaaaa'], environ={})
    (deadline,) = deadlines
    assert before + 34 <= deadline.at <= time.monotonic() + 34
    assert deadline.name == "the wait's deadline (wait_timeout 30s + request_timeout 4s)"


def test_a_read_without_waiting_has_no_overall_deadline(wired, monkeypatch):
    deadlines = []
    real_read = instance_status.cvm_status.StatusReader.read
    monkeypatch.setattr(instance_status.cvm_status.StatusReader, 'read',
                        lambda self, ids, deadline=None: deadlines.append(deadline) or real_read(self, ids, deadline))
    instance_status.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert deadlines == [None]


def test_the_shared_options_reach_the_client(wired):
    instance_status.query_instance_status(options(language='zh-CN', request_timeout=7.5), ['ins-aaaaaaaa'],
                                          environ={})
    sent = wired['transport'].sent[0]
    assert sent['headers']['X-TC-Language'] == 'zh-CN' and sent['timeout'] == 7.5
    assert sent['headers']['X-TC-Region'] == 'ap-guangzhou'
    assert sent['headers']['X-TC-Version'] == '2017-03-12' and sent['headers']['X-TC-Action'] == 'DescribeInstancesStatus'


def test_max_retries_reaches_the_client(wired):
    wired['transport'].error = ('InternalError', 'busy', 'req-busy')
    with pytest.raises(instance_status.QueryFailed):
        instance_status.query_instance_status(options(max_retries=0), ['ins-aaaaaaaa'], environ={})
    assert len(wired['transport'].sent) == 1


def test_the_environment_given_is_the_one_read(wired, monkeypatch):
    seen = []
    monkeypatch.setattr(connection.private_directory, 'find', seen.append)
    environ = {'XDG_RUNTIME_DIR': '/nonexistent'}
    values = options()
    values.credential_sources[:] = [('options', {})]
    environ.update(TENCENTCLOUD_SECRET_ID='AKIDenv', TENCENTCLOUD_SECRET_KEY='env-key')
    result = instance_status.query_instance_status(values, ['ins-aaaaaaaa'], environ=environ)
    assert seen == [environ] and wired['transports'][0]['environ'] is environ
    assert result['credential_source'] == 'environment'


def test_the_limiter_warnings_reach_the_result(monkeypatch, tmp_path):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'RUNNING'})
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    monkeypatch.setattr(connection.private_directory, 'find', lambda environ: None)
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.rate_limiter._WARNED', set())
    result = instance_status.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert result['warnings'] == ['no private directory for the shared request schedule (XDG_RUNTIME_DIR or '
                                  '~/.ansible/tmp): this process spaces its own requests, other forks are not counted']


def test_check_mode_says_exactly_what_it_did_not_do(wired):
    result = instance_status.query_instance_status(options(wait_for=['RUNNING', 'STOPPED']), ['ins-aaaaaaaa'],
                                                   environ={}, check_mode=True)
    assert result['warnings'] == ['check mode: read the states once and did not wait for RUNNING or STOPPED, since '
                                  'the tasks that would have changed them did not run']
    assert 'polls' not in result and 'elapsed' not in result


def clock_jumping_by(seconds):
    """A monotonic clock that reads now twice (the deadline, the wait's start), then ``seconds`` later."""
    start = time.monotonic()
    calls = []

    def clock():
        calls.append(None)
        return start if len(calls) <= 2 else start + seconds
    return clock


def test_a_wait_reports_elapsed_seconds_to_the_millisecond(wired, monkeypatch):
    monkeypatch.setattr(instance_status.time, 'monotonic', clock_jumping_by(1.23456))
    result = instance_status.query_instance_status(options(wait_for=['RUNNING']), ['ins-aaaaaaaa'], environ={})
    assert result['elapsed'] == 1.235 and result['polls'] == 1


def test_a_failed_wait_reports_elapsed_seconds_and_polls(wired, monkeypatch):
    wired['transport'].service.states['ins-aaaaaaaa'] = 'LAUNCH_FAILED'
    monkeypatch.setattr(instance_status.time, 'monotonic', clock_jumping_by(0.5004))
    with pytest.raises(instance_status.QueryFailed) as caught:
        instance_status.query_instance_status(options(wait_for=['RUNNING']), ['ins-aaaaaaaa'], environ={})
    assert caught.value.result['elapsed'] == 0.5 and caught.value.result['polls'] == 1
    assert caught.value.result['instance_states'] == {'ins-aaaaaaaa': 'LAUNCH_FAILED'}


def test_the_sleep_given_is_the_one_the_wait_uses(wired):
    slept = []
    wired['transport'].service.states['ins-aaaaaaaa'] = 'PENDING'
    wired['transport'].service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_interval=0.25), ['ins-aaaaaaaa'],
                                          environ={}, sleep=slept.append)
    assert slept and all(seconds <= 0.25 for seconds in slept)


def test_a_start_that_fails_during_the_wait_ends_it_at_once(monkeypatch):
    from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import FakeClock
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    transport.service.operations['ins-aaaaaaaa'] = {'LatestOperation': 'StartInstances',
                                                    'LatestOperationState': 'OPERATING',
                                                    'LatestOperationRequestId': 'req-start'}
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    clock = FakeClock()

    def sleep(seconds):
        clock.sleep(seconds)
        transport.service.operations['ins-aaaaaaaa'].update(LatestOperationState='FAILED',
                                                            LatestOperationErrorMsg='no capacity')
    with pytest.raises(instance_status.QueryFailed) as caught:
        instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=600), ['ins-aaaaaaaa'],
                                              environ={}, sleep=sleep)
    assert caught.value.message == ('the latest operation failed during the wait, so RUNNING will not come: '
                                    'ins-aaaaaaaa (StartInstances, RequestId req-start: no capacity)')
    assert caught.value.result['polls'] == 2
    assert transport.service.actions == ['DescribeInstancesStatus', 'DescribeInstances'] * 2


def test_no_describe_instances_without_a_wait(monkeypatch):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    instance_status.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert transport.service.actions == ['DescribeInstancesStatus']


@pytest.mark.parametrize('watching, actions', [
    (True, ['DescribeInstancesStatus', 'DescribeInstances']), (False, ['DescribeInstancesStatus'])])
def test_fail_on_failed_operation_turns_the_operation_reads_on_and_off(monkeypatch, watching, actions):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(instance_status.QueryFailed, match='^timed out after 0s'):
        instance_status.query_instance_status(
            options(wait_for=['RUNNING'], wait_timeout=0, fail_on_failed_operation=watching), ['ins-aaaaaaaa'],
            environ={})
    assert transport.service.actions == actions


def test_credentials_that_may_not_read_operations_are_said_to_miss_failed_starts(monkeypatch):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    transport.refused['DescribeInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-no')
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(instance_status.QueryFailed) as caught:
        instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0), ['ins-aaaaaaaa'],
                                              environ={})
    assert caught.value.result['warnings'] == [
        'a failed start or stop is not noticed during this wait: these credentials may not call DescribeInstances '
        '(UnauthorizedOperation); allow it, or set fail_on_failed_operation to false']


def test_the_operation_reads_are_shared_too(wired, tmp_path):
    wired['transport'].service.states['ins-aaaaaaaa'] = 'STOPPED'
    with pytest.raises(instance_status.QueryFailed):
        instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0), ['ins-aaaaaaaa'],
                                              environ={})
    # One place to share in for each action read.
    assert len([name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]) == 2


@pytest.mark.parametrize('coalesce', [True, False])
def test_every_call_of_a_wait_ends_by_its_deadline(monkeypatch, coalesce):
    # The deadline is wait_timeout 0 + request_timeout 10 from the start: no call may get a whole request_timeout.
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(connection, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(instance_status.QueryFailed, match='^timed out after 0s'):
        instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0, coalesce=coalesce),
                                              ['ins-aaaaaaaa'], environ={})
    assert transport.service.actions == ['DescribeInstancesStatus', 'DescribeInstances']
    assert all(sent['timeout'] < 10 for sent in transport.sent)


@pytest.mark.parametrize('coalesce', [True, False])
def test_coalesce_shares_reads_and_aligns_polls_while_others_read(wired, tmp_path, coalesce, other_process):
    slept = []
    wired['transport'].service.states['ins-aaaaaaaa'] = 'PENDING'
    # Another process, still running, read with the same keys a moment ago.
    query = instance_status.query_instance_status
    query(options(wait_timeout=0), ['ins-aaaaaaaa'], environ={})
    wired['transport'].service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    (shared,) = [tmp_path / name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]
    (shared / 'last-asker').write_text('%d %r' % (other_process, time.time()))
    query(options(wait_for=['RUNNING'], wait_interval=0.25, coalesce=coalesce), ['ins-aaaaaaaa'], environ={},
          sleep=slept.append)
    # Aligned polls sleep to the next multiple of the interval; unaligned ones the whole interval.
    assert (slept == [0.25, 0.25]) is not coalesce


def test_a_wait_alone_polls_at_its_interval(wired):
    slept = []
    wired['transport'].service.states['ins-aaaaaaaa'] = 'PENDING'
    wired['transport'].service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    instance_status.query_instance_status(options(wait_for=['RUNNING'], wait_interval=0.25), ['ins-aaaaaaaa'],
                                          environ={}, sleep=slept.append)
    assert slept == [0.25, 0.25]
