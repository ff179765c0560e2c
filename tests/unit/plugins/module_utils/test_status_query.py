# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the one call behind both plugins wires the shared pieces: the limiter's budget, the transport, deadlines."""

import functools
import json
import os
import re
import time

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import clients, status_query
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import on_missing_rule
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import (
    MAX_CONCURRENT_CALLS, StatusReader,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import shared_reads
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, WAIT_ARGUMENT_SPEC, Options,
)
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeApiTransport, NoLimit


def options(**values):
    defaults = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(WAIT_ARGUMENT_SPEC.items())}
    defaults.update(region='ap-guangzhou', **values)
    credentials = {'secret_id': 'AKIDaccount', 'secret_key': 'account-key', 'security_token': None}
    return Options(defaults, [('options', credentials)])


@pytest.fixture
def wired(monkeypatch, tmp_path, fake_service):
    fake_service.service.states['ins-aaaaaaaa'] = 'RUNNING'
    fake_service.spacers = []

    def recording_spacer(rate, key, directory, warnings, clock):
        fake_service.spacers.append((rate, key))
        return NoLimit()
    monkeypatch.setattr(clients, 'RequestSpacer', recording_spacer)
    # Shared reads in the test's own tmp_path, to look at.
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings=None: PrivateDirectory.open(str(tmp_path)))
    return fake_service


def test_one_budget_per_account_endpoint_and_action_at_the_actions_own_rate(wired):
    status_query.query_instance_status(options(endpoint='cvm.example.com'), ['ins-aaaaaaaa'], environ={})
    assert wired.spacers == [(40, 'cvm.example.com AKIDaccount DescribeInstancesStatus'),
                             (40, 'cvm.example.com AKIDaccount DescribeInstances'),
                             (10, 'cvm.example.com AKIDaccount StartInstances'),
                             (10, 'cvm.example.com AKIDaccount StopInstances'),
                             (10, 'cvm.example.com AKIDaccount RebootInstances'),
                             (20, 'cvm.example.com AKIDaccount DescribeRegions'),
                             (10, 'cvm.example.com AKIDaccount RunInstances'),
                             (10, 'cvm.example.com AKIDaccount TerminateInstances')]


def test_the_transport_gets_the_certificate_settings(wired, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    status_query.query_instance_status(options(validate_certs=False, ca_bundle=str(bundle)), ['ins-aaaaaaaa'],
                                       environ={})
    assert wired.built[0]['validate_certs'] is False and wired.built[0]['ca_bundle'] == str(bundle)
    assert wired.built[0]['pool_size'] == MAX_CONCURRENT_CALLS


def test_a_wait_bounds_every_call_by_wait_timeout_plus_one_request_timeout(wired, monkeypatch):
    deadlines = []
    real_read = StatusReader.read

    def read(self, ids, deadline=None):
        deadlines.append(deadline)
        return real_read(self, ids, deadline)
    monkeypatch.setattr(StatusReader, 'read', read)
    before = time.monotonic()
    status_query.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=30, request_timeout=4),
                                       ['ins-aaaaaaaa'], environ={})
    (deadline,) = deadlines
    assert before + 34 <= deadline.at <= time.monotonic() + 34
    assert deadline.name == "the wait's deadline (wait_timeout 30s + request_timeout 4s)"


def test_a_read_without_waiting_has_no_overall_deadline(wired, monkeypatch):
    deadlines = []
    real_read = StatusReader.read
    monkeypatch.setattr(StatusReader, 'read',
                        lambda self, ids, deadline=None: deadlines.append(deadline) or real_read(self, ids, deadline))
    status_query.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert deadlines == [None]


def test_the_shared_options_reach_the_client(wired):
    status_query.query_instance_status(options(language='zh-CN', request_timeout=7.5), ['ins-aaaaaaaa'],
                                       environ={})
    sent = wired.sent[0]
    assert sent['headers']['X-TC-Language'] == 'zh-CN' and sent['timeout'] == 7.5
    assert sent['headers']['X-TC-Region'] == 'ap-guangzhou'
    assert sent['headers']['X-TC-Version'] == '2017-03-12' and sent['headers']['X-TC-Action'] == 'DescribeInstancesStatus'


def test_max_retries_reaches_the_client(wired):
    wired.error = ('InternalError', 'busy', 'req-busy')
    with pytest.raises(QueryFailed):
        status_query.query_instance_status(options(max_retries=0), ['ins-aaaaaaaa'], environ={})
    assert len(wired.sent) == 1


def test_the_environment_given_is_the_one_read(wired, monkeypatch):
    seen = []
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings: seen.append(environ))
    environ = {'XDG_RUNTIME_DIR': '/nonexistent'}
    values = options()
    values.credential_sources[:] = [('options', {})]
    environ.update(TENCENTCLOUD_SECRET_ID='AKIDenv', TENCENTCLOUD_SECRET_KEY='env-key')
    result = status_query.query_instance_status(values, ['ins-aaaaaaaa'], environ=environ)
    assert seen == [environ] and wired.built[0]['environ'] is environ
    assert result.credential_source == 'environment'


def test_a_private_directory_that_cannot_be_written_is_said_in_the_result(monkeypatch, tmp_path):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'RUNNING'})
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings: warnings.append('unshared'))
    result = status_query.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert result.warnings == ['unshared']


def test_check_mode_says_exactly_what_it_did_not_do(wired):
    result = status_query.query_instance_status(options(wait_for=['RUNNING', 'STOPPED']), ['ins-aaaaaaaa'],
                                                environ={}, check_mode=True)
    assert result.warnings == ['check mode: read the states once and did not wait for RUNNING or STOPPED, since '
                               'the tasks that would have changed them did not run']
    assert result.polls is None and result.elapsed is None


def clock_jumping_by(seconds):
    """A clock whose monotonic time reads now twice (the deadline, the wait's start), then ``seconds`` later."""
    start = time.monotonic()
    calls = []

    def monotonic():
        calls.append(None)
        return start if len(calls) <= 2 else start + seconds
    return Clock(monotonic=monotonic)


def test_a_wait_reports_elapsed_seconds_to_the_millisecond(wired, monkeypatch):
    result = status_query.query_instance_status(options(wait_for=['RUNNING']), ['ins-aaaaaaaa'], environ={},
                                                clock=clock_jumping_by(1.23456))
    assert result.elapsed == 1.235 and result.polls == 1


def test_a_failed_wait_reports_elapsed_seconds_and_polls(wired, monkeypatch):
    wired.service.states['ins-aaaaaaaa'] = 'LAUNCH_FAILED'
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(wait_for=['RUNNING']), ['ins-aaaaaaaa'], environ={},
                                           clock=clock_jumping_by(0.5004))
    assert caught.value.result.elapsed == 0.5 and caught.value.result.polls == 1
    assert caught.value.result.instance_states == {'ins-aaaaaaaa': 'LAUNCH_FAILED'}


def test_the_sleep_given_is_the_one_the_wait_uses(wired):
    slept = []
    wired.service.states['ins-aaaaaaaa'] = 'PENDING'
    wired.service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    status_query.query_instance_status(options(wait_for=['RUNNING'], wait_interval=0.25), ['ins-aaaaaaaa'],
                                       environ={}, clock=Clock(sleep=slept.append))
    assert slept and all(seconds <= 0.25 for seconds in slept)


def test_a_start_that_fails_during_the_wait_ends_it_at_once(monkeypatch):
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    transport.service.operations['ins-aaaaaaaa'] = {'LatestOperation': 'StartInstances',
                                                    'LatestOperationState': 'OPERATING',
                                                    'LatestOperationRequestId': 'req-start'}
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    clock = FakeClock()

    def sleep(seconds):
        clock.sleep(seconds)
        transport.service.operations['ins-aaaaaaaa'].update(LatestOperationState='FAILED',
                                                            LatestOperationErrorMsg='no capacity')
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=600), ['ins-aaaaaaaa'],
                                           environ={}, clock=Clock(sleep=sleep))
    assert caught.value.message == ('the latest operation failed during the wait, so RUNNING will not come: '
                                    'ins-aaaaaaaa (StartInstances, RequestId req-start: no capacity)')
    assert caught.value.result.polls == 2
    assert transport.service.actions == ['DescribeInstancesStatus', 'DescribeInstances'] * 2


def test_no_describe_instances_without_a_wait(monkeypatch):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    status_query.query_instance_status(options(), ['ins-aaaaaaaa'], environ={})
    assert transport.service.actions == ['DescribeInstancesStatus']


@pytest.mark.parametrize('watching, actions', [
    (True, ['DescribeInstancesStatus', 'DescribeInstances']), (False, ['DescribeInstancesStatus'])])
def test_fail_on_failed_operation_turns_the_operation_reads_on_and_off(monkeypatch, watching, actions):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(QueryFailed, match='^timed out after 0s'):
        status_query.query_instance_status(
            options(wait_for=['RUNNING'], wait_timeout=0, fail_on_failed_operation=watching), ['ins-aaaaaaaa'],
            environ={})
    assert transport.service.actions == actions


def test_credentials_that_may_not_read_operations_are_said_to_miss_failed_starts(monkeypatch):
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    transport.refused['DescribeInstances'] = ('UnauthorizedOperation', 'not allowed', 'req-no')
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0), ['ins-aaaaaaaa'],
                                           environ={})
    assert caught.value.result.warnings == [
        'a failed start or stop is not noticed during this wait: these credentials may not call DescribeInstances '
        '(UnauthorizedOperation); allow it, or set fail_on_failed_operation to false']


def test_the_operation_reads_are_shared_too(wired, tmp_path):
    wired.service.states['ins-aaaaaaaa'] = 'STOPPED'
    with pytest.raises(QueryFailed):
        status_query.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0), ['ins-aaaaaaaa'],
                                           environ={})
    # One place to share in for each action read.
    assert len([name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]) == 2


@pytest.mark.parametrize('coalesce', [True, False])
def test_every_call_of_a_wait_ends_by_its_deadline(monkeypatch, coalesce):
    # The deadline is wait_timeout 0 + request_timeout 10 from the start: no call may get a whole request_timeout.
    transport = FakeApiTransport({'ins-aaaaaaaa': 'STOPPED'})
    monkeypatch.setattr(clients, 'HttpTransport', lambda **kwargs: transport)
    with pytest.raises(QueryFailed, match='^timed out after 0s'):
        status_query.query_instance_status(options(wait_for=['RUNNING'], wait_timeout=0, coalesce=coalesce),
                                           ['ins-aaaaaaaa'], environ={})
    assert transport.service.actions == ['DescribeInstancesStatus', 'DescribeInstances']
    assert all(sent['timeout'] < 10 for sent in transport.sent)


@pytest.mark.parametrize('coalesce', [True, False])
def test_coalesce_shares_reads_and_aligns_polls_while_others_read(wired, tmp_path, coalesce, other_process):
    slept = []
    # Time stands at 1000.1 s on the host's monotonic clock: an aligned poll sleeps 0.15 s, to 1000.25.
    clock = Clock(monotonic=lambda: 1000.1, sleep=slept.append)
    wired.service.states['ins-aaaaaaaa'] = 'PENDING'
    query = status_query.query_instance_status
    query(options(wait_timeout=0), ['ins-aaaaaaaa'], environ={}, clock=clock)
    wired.service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    # Another process, still running, read with the same keys a moment ago.
    (shared,) = [tmp_path / name for name in os.listdir(str(tmp_path)) if name.startswith('reads-')]
    (shared / 'last-asker').write_text('%d %r' % (other_process, 1000.1))
    query(options(wait_for=['RUNNING'], wait_interval=0.25, coalesce=coalesce), ['ins-aaaaaaaa'], environ={},
          clock=clock)
    if coalesce:
        # The leader gathered other askers, then the poll after a read in company was aligned.
        assert slept[0] == shared_reads.GATHER_SECONDS and round(slept[1], 6) == 0.15
    else:
        assert slept == [0.25, 0.25]


def test_a_wait_alone_polls_at_its_interval(wired):
    slept = []
    wired.service.states['ins-aaaaaaaa'] = 'PENDING'
    wired.service.changes_after_call = [{}, {'ins-aaaaaaaa': 'RUNNING'}]
    status_query.query_instance_status(options(wait_for=['RUNNING'], wait_interval=0.25), ['ins-aaaaaaaa'],
                                       environ={}, clock=Clock(sleep=slept.append))
    assert slept == [0.25, 0.25]


@pytest.mark.parametrize('on_missing', ['error', 'warn', 'ignore'])
def test_an_id_the_region_does_not_list_fails_warns_or_is_only_listed_as_missing(wired, on_missing):
    query = functools.partial(status_query.query_instance_status, options(on_missing=on_missing),
                              ['ins-aaaaaaaa', 'ins-zzzzzzzz'], environ={})
    message = ('not found in region ap-guangzhou (from the region option): ins-zzzzzzzz; an instance of another '
               'region, or one that no longer exists')
    if on_missing == 'error':
        with pytest.raises(QueryFailed) as caught:
            query()
        assert caught.value.message == message and caught.value.result.missing == ['ins-zzzzzzzz']
        return
    result = query()
    assert result.missing == ['ins-zzzzzzzz'] and result.instance_states == {'ins-aaaaaaaa': 'RUNNING'}
    assert (message in result.warnings) is (on_missing == 'warn')


def test_a_wait_on_an_id_of_another_region_fails_after_the_grace_naming_the_region_and_its_source(wired):
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    clock = FakeClock()
    values = dict(options(wait_for=['RUNNING'], wait_interval=2).values, region=None)
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(Options(values, options().credential_sources), ['ins-zzzzzzzz'],
                                           environ={'TENCENTCLOUD_REGION': 'ap-shanghai'}, clock=clock)
    assert caught.value.message == (
        'not found in region ap-shanghai (from TENCENTCLOUD_REGION) after 20s of waiting: ins-zzzzzzzz; an instance of '
        'another region, or one that no longer exists')
    assert caught.value.result.elapsed == 20.0 and caught.value.result.missing == ['ins-zzzzzzzz']


def test_a_long_wait_reports_the_last_ten_request_ids(wired):
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    wired.service.states['ins-aaaaaaaa'] = 'PENDING'
    wired.service.changes_after_call = [{}] * 14 + [{'ins-aaaaaaaa': 'RUNNING'}]
    result = status_query.query_instance_status(options(wait_for=['RUNNING'], wait_interval=1, coalesce=False),
                                                ['ins-aaaaaaaa'], environ={}, clock=FakeClock())
    assert len(result.request_ids) == 16
    assert result.module_result()['request_ids'] == result.request_ids[-10:]


@pytest.mark.parametrize('code, message, named', [
    ('UnsupportedRegion', 'The action does not support the region `ap-mumbai`.', True),
    ('InvalidParameterValue', 'The value `ap-guangzou` of parameter `Region` is not valid.', True),
    ('InvalidParameterValue', 'The value of Limit is invalid.', False),
    ('AuthFailure.SecretIdNotFound', 'who?', False),
])
def test_an_error_about_the_region_names_the_region_and_where_it_came_from(wired, code, message, named):
    wired.error = (code, message, 'req-region')
    values = dict(options().values, region=None)
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(Options(values, options().credential_sources), ['ins-aaaaaaaa'],
                                           environ={'TENCENTCLOUD_REGION': 'ap-mumbai'})
    suffix = ' (region ap-mumbai, from TENCENTCLOUD_REGION)'
    assert caught.value.message == '%s: %s (RequestId: req-region)%s' % (code, message, suffix if named else '')


def test_filters_read_the_instances_they_select_from_the_listing_alone(wired):
    wired.service.states.update({'ins-bbbbbbbb': 'STOPPED', 'ins-cccccccc': 'RUNNING'})
    result = status_query.query_instance_status(options(filters={'instance-state': 'running'}), None, environ={})
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING', 'ins-cccccccc': 'RUNNING'}
    assert result.instances() == [{'instance_id': 'ins-aaaaaaaa', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'},
                                  {'instance_id': 'ins-cccccccc', 'instance_state': 'RUNNING', 'region': 'ap-guangzhou'}]
    assert wired.service.actions == ['DescribeInstances']
    (listing,) = [json.loads(sent['data']) for sent in wired.sent]
    assert listing['Filters'] == [{'Name': 'instance-state', 'Values': ['RUNNING']}]


def test_an_instance_the_service_lists_that_the_filters_do_not_select_is_never_gated_on(wired):
    # The fake lists every instance for a tag filter, as an endpoint that ignored it would: none carries the tag.
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(filters={'tag:role': 'web'}, wait_for=['RUNNING']), None,
                                           environ={})
    assert caught.value.result.instance_states == {}
    assert caught.value.result.warnings == [
        'the service listed ins-aaaaaaaa, not selected by the filters tag:role=web: left alone']


def test_a_wait_on_filters_waits_for_the_instances_selected_when_it_started(wired):
    wired.service.states.update({'ins-aaaaaaaa': 'PENDING', 'ins-bbbbbbbb': 'STOPPED'})
    # Selected while PENDING: the listing is the first poll. Running at the third (the second read by ID);
    # ins-bbbbbbbb, not selected, is never waited for.
    wired.service.changes_after_call = [{'ins-aaaaaaaa': 'RUNNING'}]
    result = status_query.query_instance_status(
        options(filters={'instance-state': 'PENDING'}, wait_for=['RUNNING'], wait_interval=0.1), None, environ={},
        clock=Clock(sleep=lambda seconds: None))
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'} and result.polls == 3
    assert wired.service.actions == ['DescribeInstances', 'DescribeInstancesStatus', 'DescribeInstancesStatus']


def test_a_wait_on_filters_that_select_instances_already_there_reads_nothing_more(wired):
    result = status_query.query_instance_status(options(filters={'instance-state': 'RUNNING'}, wait_for=['RUNNING']),
                                                None, environ={})
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'} and result.polls == 1
    assert wired.service.actions == ['DescribeInstances']


@pytest.mark.parametrize('on_missing', ['error', 'warn', 'ignore'])
def test_filters_that_select_nothing_fail_warn_or_only_leave_the_result_empty(wired, on_missing):
    query = functools.partial(status_query.query_instance_status,
                              options(on_missing=on_missing, filters={'instance-state': 'STOPPED'},
                                      wait_for=['RUNNING']), None, environ={})
    message = 'the filters instance-state=STOPPED select no instance in region ap-guangzhou (from the region option)'
    if on_missing == 'error':
        with pytest.raises(QueryFailed, match=r'^%s$' % re.escape(message)):
            query()
        return
    result = query()
    assert result.instance_states == {} and result.polls is None
    assert (message in result.warnings) is (on_missing == 'warn')


@pytest.mark.parametrize('ids, filters, message', [
    (['ins-aaaaaaaa'], {'tag:role': 'web'}, 'instance_ids and filters are mutually exclusive'),
    (None, {}, 'filters is empty, which would select every instance'),
    (None, {'tag': 'web'}, "filters: unknown filter 'tag' (did you mean tag:<key>?); known filters: instance-id,"),
    (None, {'instance-state': 'RUNING'}, 'filters: instance-state: unknown instance state RUNING'),
    (None, ['tag:role'], 'filters must be a dictionary'),
])
def test_filters_are_refused_before_any_call(wired, ids, filters, message):
    with pytest.raises(OptionError, match=re.escape(message)):
        status_query.query_instance_status(options(filters=filters), ids, environ={})
    assert wired.sent == []


def test_a_wait_on_filters_that_select_nothing_fails_by_default_naming_what_was_asked(wired):
    # No on_missing given: a gate passes on nothing only when told to.
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(filters={'instance-state': 'STOPPED'}, wait_for=['RUNNING']), None,
                                           environ={})
    assert caught.value.message == ('the filters instance-state=STOPPED select no instance in region ap-guangzhou '
                                    '(from the region option)')
    # A plain read of the same warns, as before.
    result = status_query.query_instance_status(options(filters={'instance-state': 'STOPPED'}), None, environ={})
    assert result.instance_states == {} and 'the filters instance-state=STOPPED select no' in result.warnings[0]


@pytest.mark.parametrize('on_missing, fails', [(None, True), ('error', True), ('warn', False), ('ignore', False)])
def test_a_wait_on_an_empty_list_of_ids_fails_unless_told_otherwise(wired, on_missing, fails):
    query = functools.partial(status_query.query_instance_status,
                              options(wait_for=['RUNNING'], on_missing=on_missing), [], environ={})
    if fails:
        with pytest.raises(QueryFailed, match='^the list of instance IDs is empty, so there is nothing to wait for'):
            query()
    else:
        assert query().instance_states == {}
    assert wired.service.actions == []


def test_a_plain_read_of_an_empty_list_reads_nothing_and_says_nothing(wired):
    result = status_query.query_instance_status(options(), [], environ={})
    assert result.instance_states == {} and result.warnings == [] and wired.service.actions == []


@pytest.mark.parametrize('values, wanted', [({}, 'warn'), ({'wait_for': ['RUNNING']}, 'error'),
                                            ({'wait_for': ['RUNNING'], 'on_missing': 'warn'}, 'warn'),
                                            ({'on_missing': 'skip'}, 'ignore')])
def test_the_rule_for_what_is_missing(values, wanted):
    assert on_missing_rule(values) == wanted


@pytest.mark.parametrize('on_missing, fails', [(None, True), ('error', True), ('warn', False), ('ignore', False)])
def test_a_wait_for_every_instance_of_an_empty_region_fails_unless_told_otherwise(wired, on_missing, fails):
    wired.service.states.clear()
    query = functools.partial(status_query.query_instance_status,
                              options(wait_for=['RUNNING'], on_missing=on_missing), None, environ={})
    if fails:
        with pytest.raises(QueryFailed, match='^no instance_ids or filters were given, and there is no instance in '
                                              r'region ap-guangzhou \(from the region option\)'):
            query()
    else:
        assert query().instance_states == {}


def test_a_wait_for_every_instance_of_a_region_waits_for_those_it_lists(wired):
    result = status_query.query_instance_status(options(wait_for=['RUNNING']), None, environ={})
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'} and result.polls == 1


def test_every_region_is_read_once_describe_regions_has_named_those_the_account_can_use(wired):
    result = status_query.query_instance_status(options(regions=['all']), ['ins-aaaaaaaa'], environ={})
    calls = [(sent['headers']['X-TC-Action'], sent['headers'].get('X-TC-Region')) for sent in wired.sent]
    # ap-beijing is not AVAILABLE: never read.
    assert calls[0][0] == 'DescribeRegions'
    assert sorted(calls[1:]) == [('DescribeInstancesStatus', 'ap-guangzhou'), ('DescribeInstancesStatus', 'ap-shanghai')]
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'}


def test_an_id_no_region_lists_names_every_region_looked_in(wired):
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(regions=['all'], on_missing='error'), ['ins-zzzzzzzz'], environ={})
    assert caught.value.message == (
        'not found in any of the regions ap-guangzhou, ap-shanghai (from the regions option): ins-zzzzzzzz; an '
        'instance of another region, or one that no longer exists')


def test_a_wait_with_on_missing_ignore_stops_waiting_for_an_id_still_unlisted_after_the_grace(wired):
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    result = status_query.query_instance_status(
        options(wait_for=['RUNNING'], wait_interval=2, on_missing='ignore'), ['ins-aaaaaaaa', 'ins-zzzzzzzz'],
        environ={}, clock=FakeClock())
    assert result.instance_states == {'ins-aaaaaaaa': 'RUNNING'} and result.missing == ['ins-zzzzzzzz']
    assert result.elapsed == 20.0 and result.regions == {'ins-aaaaaaaa': 'ap-guangzhou'}


def test_a_wait_that_ends_or_times_out_says_the_region_of_each_instance(wired):
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    done = status_query.query_instance_status(options(wait_for=['RUNNING']), ['ins-aaaaaaaa'], environ={},
                                              clock=FakeClock())
    assert done.regions == {'ins-aaaaaaaa': 'ap-guangzhou'}
    with pytest.raises(QueryFailed) as caught:
        status_query.query_instance_status(options(wait_for=['STOPPED'], wait_timeout=10), ['ins-aaaaaaaa'],
                                           environ={}, clock=FakeClock())
    assert caught.value.result.regions == {'ins-aaaaaaaa': 'ap-guangzhou'}
