# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's one call: its arguments, one read per poll at 100 instances a call, failed reads tried again
with backoff and the net change told after, reads that cannot succeed ending the watch, credentials renewed."""

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.state_watch import (
    WATCH_ARGUMENT_SPEC, StateWatch, WatchFailed, WatchSettings, open_watch, secret_argument_warnings, watch_arguments,
)
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeAnswer, FakeClient, FakeClock, api_error

ENVIRON = {'TENCENTCLOUD_SECRET_ID': 'AKIDwatch', 'TENCENTCLOUD_SECRET_KEY': 'watch-secret-key',
           'TENCENTCLOUD_REGION': 'ap-guangzhou'}


def kinds(poll):
    return [(e['tencentcloud']['event'], e['tencentcloud']['instance_id'], e['tencentcloud']['state'])
            for e in poll.events]


# -- arguments ---------------------------------------------------------------------------------------------------

def test_the_defaults_and_the_region_of_the_environment():
    settings, watch, options = watch_arguments({}, ENVIRON)
    assert watch == WatchSettings(['ap-guangzhou'], None, [], 30.0, False)
    assert settings.region == 'ap-guangzhou'
    assert options.credential_sources == [('arguments', {'secret_id': None, 'secret_key': None,
                                                         'security_token': None})]


def test_arguments_as_given():
    args = {'regions': ['ap-shanghai', 'ap-guangzhou', 'ap-shanghai'], 'filters': {'tag:role': 'web'},
            'interval': '2.5', 'initial': 'yes', 'secret_id': 'AKIDgiven', 'secret_key': 'given-key',
            'eda_feedback_queue': object()}
    settings, watch, options = watch_arguments(args, {})
    assert watch == WatchSettings(['ap-shanghai', 'ap-guangzhou'], None, [{'Name': 'tag:role', 'Values': ['web']}],
                                  2.5, True)
    assert settings.region == 'ap-shanghai'
    assert options.credential_sources[0][1]['secret_id'] == 'AKIDgiven'
    _settings, watch, _options = watch_arguments({'instance_ids': ['ins-aaaaaaaa', 'ins-aaaaaaaa']}, ENVIRON)
    assert watch.instance_ids == ['ins-aaaaaaaa']


def test_an_argument_wins_over_its_environment_variable_and_the_interval_bounds_are_taken():
    settings, watch, _options = watch_arguments({'region': 'ap-shanghai', 'interval': 1}, ENVIRON)
    assert settings.region == 'ap-shanghai' and watch.regions == ['ap-shanghai'] and watch.interval == 1.0
    assert watch_arguments({'interval': 86400}, ENVIRON)[1].interval == 86400.0


@pytest.mark.parametrize('args, message', [
    ({'region': 'ap-guangzhou', 'regions': ['ap-shanghai']}, 'region and regions are mutually exclusive'),
    ({'instance_ids': ['ins-aaaaaaaa'], 'filters': {'zone': 'a'}}, 'instance_ids and filters are mutually exclusive'),
    ({'interval': 0.5}, 'interval must be a number of seconds from 1 to 86400, not 0.5'),
    ({'interval': 'soon'}, "argument 'interval' is of type"),
    ({'initial': 'maybe'}, "argument 'initial' is of type"),
    # Each value refused, in one line: ansible-core's words for each, joined.
    ({'interval': 'soon', 'initial': 'maybe'}, "cannot be converted to a float; argument 'initial' is of type "),
    ({'filters': {'state': 'RUNNING'}}, "filters: unknown filter 'state'"),
    ({'instance_ids': ['i-1']}, "instance_ids: malformed instance ID 'i-1'"),
    ({'intervall': 3}, 'unknown argument intervall (did you mean interval?); the arguments are '),
    ({'instance_ids': []}, 'instance_ids is empty: give at least one ID, or leave it out to watch every instance'),
    ({'regions': ['Guangzhou']}, "regions 'Guangzhou' is not a region name"),
])
def test_bad_arguments_are_refused_by_name_before_any_call(args, message):
    with pytest.raises(WatchFailed) as caught:
        open_watch(args, ENVIRON)
    assert str(caught.value).startswith('cvm_instance_state: ')
    assert message in str(caught.value)


@pytest.mark.parametrize('args, message', [
    ({'region': 'ap-guangzhou', 'regions': ['ap-shanghai']}, 'region and regions are mutually exclusive: give one'),
    ({'instance_ids': ['ins-aaaaaaaa'], 'filters': {'zone': 'a'}},
     'instance_ids and filters are mutually exclusive: give one'),
    ({'interval': 0.5}, 'interval must be a number of seconds from 1 to 86400, not 0.5'),
    ({'instance_ids': []}, 'instance_ids is empty: give at least one ID, or leave it out to watch every instance'),
    ({'intervall': 3, 'regoin': 'x'}, 'unknown arguments intervall (did you mean interval?), regoin (did you mean '
                                      'region?); the arguments are %s' % ', '.join(sorted(
                                          set(COMMON_ARGUMENT_SPEC) | set(WATCH_ARGUMENT_SPEC)))),
    ('regions: ap-guangzhou', 'the arguments must be a mapping of names to values'),
])
def test_bad_arguments_are_refused_in_one_whole_sentence(args, message):
    with pytest.raises(WatchFailed) as caught:
        open_watch(args, ENVIRON)
    assert str(caught.value) == 'cvm_instance_state: ' + message


def test_the_environment_given_sets_what_no_argument_does():
    environ = dict(ENVIRON, TENCENTCLOUD_CVM_ENDPOINT='http://127.0.0.1:1', TENCENTCLOUD_PROFILE='')
    settings, watch, options = watch_arguments({'strict_permissions': False}, environ)
    assert settings.endpoint == 'http://127.0.0.1:1' and options.values['profile'] is None
    assert watch.strict_permissions is False and options.values['strict_permissions'] is False
    assert watch_arguments({'endpoint': 'http://127.0.0.1:2'}, environ)[0].endpoint == 'http://127.0.0.1:2'


def test_no_region_anywhere_or_none_given_watches_every_region_the_account_can_use():
    assert watch_arguments({}, {})[1].regions is None
    assert watch_arguments({'regions': []}, ENVIRON)[1].regions is None


def test_every_region_is_found_with_describe_regions_when_the_watch_opens(monkeypatch):
    sent = []

    class Service:
        def trust(self, url):
            return 'system certificates'

        def send(self, url, body, headers, timeout, method='POST'):
            sent.append((headers['X-TC-Action'], headers.get('X-TC-Region')))
            if headers['X-TC-Action'] == 'DescribeRegions':
                return FakeAnswer(body={'Response': {'RequestId': 'r', 'TotalCount': 2, 'RegionSet': [
                    {'Region': 'ap-beijing', 'RegionState': 'AVAILABLE'},
                    {'Region': 'ap-mumbai', 'RegionState': 'UNAVAILABLE'}]}})
            return FakeAnswer(body={'Response': {'RequestId': 'r', 'TotalCount': 0, 'InstanceSet': []}})

        def close(self):
            closed.append(1)
    closed = []
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.clients.HttpTransport',
                        lambda **kwargs: Service())
    checked = []
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.clients.Clients.'
                        'reopen_private_directory_if_replaced', lambda self: checked.append(1))
    watch = open_watch({'secret_id': 'AKIDx', 'secret_key': 'key'}, {})
    poll = watch.poll()
    # Before each read, the private directory is checked (and reopened if it was replaced).
    assert checked == [1] and closed == []
    watch.close()
    assert closed
    assert watch.settings.regions == ['ap-beijing']
    assert sent == [('DescribeRegions', None), ('DescribeInstances', 'ap-beijing')]
    # A key given as an argument is warned of at the first poll, without the key itself.
    [warning] = [warning for warning in poll.warnings if 'secret_key is given as an argument' in warning]
    assert 'prints the arguments of a source at -vv' in warning and 'TENCENTCLOUD_SECRET_KEY' in warning
    assert 'key' not in warning.replace('secret_key', '').replace('TENCENTCLOUD_SECRET_KEY', '').replace('keys', '')


def test_secrets_given_as_arguments_are_each_warned_of():
    assert [warning.split(' ', 1)[0] for warning in secret_argument_warnings(
        {'secret_id': 'AKIDx', 'secret_key': 'k', 'security_token': 't'})] == ['secret_key', 'security_token']
    assert secret_argument_warnings({'secret_id': 'AKIDx', 'secret_key': None}) == []


def test_a_secret_in_a_bad_argument_is_not_repeated():
    with pytest.raises(WatchFailed) as caught:
        open_watch({'secret_id': 'AKIDx', 'secret_key': 'top secret\n'}, ENVIRON)
    assert 'secret_key' in str(caught.value) and 'top secret' not in str(caught.value)


def test_credentials_that_cannot_be_used_end_the_watch_before_any_read():
    with pytest.raises(WatchFailed) as caught:
        open_watch({'secret_key': 'a-key'}, ENVIRON)
    assert str(caught.value).startswith('cvm_instance_state: secret_key is set in arguments but secret_id is not')


def test_every_secret_argument_is_warned_of_in_full():
    assert secret_argument_warnings({'secret_key': 'k'}) == [
        'secret_key is given as an argument of the source: ansible-rulebook prints the arguments of a source at -vv, '
        'secrets included, so it may end up in a log or a job\'s output; give the keys through the environment '
        '(TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SECURITY_TOKEN), a profile, the instance\'s '
        'CAM role or TKE OIDC instead']


def test_regions_that_cannot_be_listed_end_the_watch_before_any_read(monkeypatch):
    class Refusing:
        def trust(self, url):
            return 'system certificates'

        def send(self, url, body, headers, timeout, method='POST'):
            return FakeAnswer(body={'Response': {'RequestId': 'req-denied', 'Error': {
                'Code': 'UnauthorizedOperation', 'Message': 'not allowed'}}})

        def close(self):
            pass
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.clients.HttpTransport',
                        lambda **kwargs: Refusing())
    with pytest.raises(WatchFailed) as caught:
        open_watch({'secret_id': 'AKIDx', 'secret_key': 'key'}, {})
    assert str(caught.value) == ('cvm_instance_state: cannot list the regions of the account (DescribeRegions): '
                                 'UnauthorizedOperation: not allowed (RequestId: req-denied)')


# -- polling -----------------------------------------------------------------------------------------------------

class FlakyService(FakeClient):
    """A ``FakeClient`` whose next calls fail with the ``errors`` queued (a ``TencentCloudError`` each)."""

    def __init__(self, states):
        super().__init__(states)
        self.errors = []

    def call(self, action, params, deadline=None, keep=None):
        if self.errors:
            self.actions.append(action)
            raise self.errors.pop(0)
        return super().call(action, params, deadline, keep)


def watching(states, instance_ids=None, interval=30.0, regions=('ap-guangzhou',), **kwargs):
    service = FlakyService(states)
    clock = FakeClock()
    watch = StateWatch({region: InstanceReader(service) for region in regions},
                       WatchSettings(list(regions), instance_ids, [], interval, False), clock, rng=lambda: 1.0,
                       **kwargs)
    return watch, service, clock


def test_a_poll_tells_the_changes_and_waits_out_the_interval_from_its_start():
    watch, service, clock = watching({'ins-aaaaaaaa': 'RUNNING'})
    assert watch.poll().events == []
    service.states['ins-aaaaaaaa'] = 'STOPPING'
    clock.now += 2.5
    poll = watch.poll()
    assert kinds(poll) == [('state_changed', 'ins-aaaaaaaa', 'STOPPING')]
    assert poll.events[0]['tencentcloud']['observed_at'] == '1970-01-01T00:16:42.500+00:00'
    assert poll.delay == 30.0


def test_a_slow_read_shortens_the_wait_and_a_read_longer_than_the_interval_leaves_none():
    watch, service, clock = watching({'ins-aaaaaaaa': 'RUNNING'}, interval=10.0)
    service.call = lambda action, params, deadline=None, keep=None, call=service.call: (
        clock.sleep(4), call(action, params, keep=keep))[1]
    assert watch.poll().delay == 6.0
    service.call = lambda action, params, deadline=None, keep=None, call=service.call: (
        clock.sleep(40), call(action, params, keep=keep))[1]
    assert watch.poll().delay == 0.0


def test_every_instance_read_by_id_at_100_a_call():
    states = {'ins-%08d' % n: 'RUNNING' for n in range(250)}
    watch, service, _clock = watching(states, instance_ids=list(states))
    watch.poll()
    assert service.actions == ['DescribeInstances'] * 3


def test_every_region_is_read_at_each_poll():
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'}, regions=('ap-guangzhou', 'ap-shanghai'))
    watch.poll()
    watch.poll()
    assert service.actions == ['DescribeInstances'] * 4


def throttled():
    return TencentCloudError('RequestLimitExceeded', 'too many requests', 'req-throttled')


def test_failed_reads_are_tried_again_with_backoff_then_the_net_change_is_told():
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'RUNNING'}, interval=10.0)
    watch.poll()
    service.errors = [throttled(), TencentCloudError('InternalError', 'oops'),
                      TencentCloudError('RequestTimeout', 'slow'), throttled()]
    polls = [watch.poll() for _poll in range(4)]
    assert [poll.events for poll in polls] == [[]] * 4
    assert [poll.delay for poll in polls] == [10.0, 20.0, 40.0, 80.0]
    assert polls[0].warnings == ['reading the instances failed (1 in a row), next attempt in 10.0 s: ap-guangzhou: '
                                 'RequestLimitExceeded: too many requests (RequestId: req-throttled)']
    service.states.update({'ins-aaaaaaaa': 'STOPPED'})
    poll = watch.poll()
    assert [(e['tencentcloud']['previous_state'], e['tencentcloud']['state']) for e in poll.events] == [
        ('RUNNING', 'STOPPED')]
    assert poll.delay == 10.0 and watch.failures_in_a_row == 0


def test_backoff_stops_growing_at_five_minutes_or_the_interval_and_is_jittered():
    watch, service, _clock = watching({}, interval=100.0)
    service.errors = [throttled()] * 6
    assert [watch.poll().delay for _poll in range(6)] == [100.0, 200.0, 300.0, 300.0, 300.0, 300.0]
    long_interval, service, _clock = watching({}, interval=3600.0)
    service.errors = [throttled()] * 2
    assert [long_interval.poll().delay for _poll in range(2)] == [3600.0, 3600.0]
    jittered = StateWatch({'ap-guangzhou': InstanceReader(service)},
                          WatchSettings(['ap-guangzhou'], None, [], 100.0, False), FakeClock(), rng=lambda: 0.0)
    service.errors = [throttled()] * 2
    assert [jittered.poll().delay for _poll in range(2)] == [50.0, 100.0]


@pytest.mark.parametrize('code', ['AuthFailure.SecretIdNotFound', 'UnauthorizedOperation', 'AuthFailure.TokenFailure',
                                  'UnsupportedRegion', 'InvalidFilter'])
def test_a_read_that_cannot_succeed_ends_the_watch_with_one_line(code):
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'})
    service.errors = [TencentCloudError(code, 'refused\nfor good', 'req-1')]
    with pytest.raises(WatchFailed) as caught:
        watch.poll()
    assert str(caught.value) == ('cvm_instance_state: cannot read the instances of ap-guangzhou: %s: refused\nfor good '
                                 '(RequestId: req-1)' % code)


@pytest.mark.parametrize('code', ['AuthFailure.SignatureExpire', 'CredentialUnavailable', 'ConnectionFailure',
                                  'InvalidResponse'])
def test_faults_that_may_heal_do_not_end_the_watch(code):
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'})
    service.errors = [TencentCloudError(code, 'later')]
    assert watch.poll().events == [] and watch.failures_in_a_row == 1


def test_temporary_credentials_the_service_refuses_are_fetched_anew():
    renewed = []
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'}, renew_credentials=lambda: renewed.append(1))
    service.errors = [TencentCloudError('AuthFailure.TokenFailure', 'The token has expired.')]
    assert watch.poll().events == []
    assert renewed == [1]
    assert watch.poll().warnings == []


def test_the_clients_warnings_are_told_once_and_not_kept():
    warnings = ['throttled by another process']
    watch, _service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'}, warnings=warnings)
    assert watch.poll().warnings == ['throttled by another process']
    assert warnings == []
    assert watch.poll().warnings == []


def test_close_closes_the_clients():
    closed = []
    watch, _service, _clock = watching({}, close=lambda: closed.append(1))
    watch.close()
    assert closed == [1]


# -- credentials renewed for as long as the watch runs --------------------------------------------------------------

class RoleService:
    """STS and CVM over the wire: ``AssumeRole`` hands out credentials living ``lifetime`` seconds of ``clock``;
    ``DescribeInstances`` refuses a token that has expired, as the service does."""

    def __init__(self, clock, lifetime=1800):
        self.clock = clock
        self.lifetime = lifetime
        self.issued = {}
        self.assumed = 0
        self.tokens_used = []

    def trust(self, url):
        return 'system certificates'

    def send(self, url, body, headers, timeout, method='POST'):
        action = headers['X-TC-Action']
        if action == 'AssumeRole':
            self.assumed += 1
            token = 'token-%d' % self.assumed
            self.issued[token] = self.clock.now + self.lifetime
            return FakeAnswer(body={'Response': {
                'Credentials': {'TmpSecretId': 'AKIDtmp%d' % self.assumed, 'TmpSecretKey': 'tmp-key', 'Token': token},
                'ExpiredTime': int(self.issued[token]), 'RequestId': 'sts-%d' % self.assumed}})
        token = headers.get('X-TC-Token')
        self.tokens_used.append(token)
        if self.clock.now >= self.issued[token]:
            return api_error('AuthFailure.TokenFailure', 'The token has expired.')
        params = json.loads(body)
        assert params['InstanceIds'] == ['ins-aaaaaaaa']
        return FakeAnswer(body={'Response': {'TotalCount': 1, 'RequestId': 'r', 'InstanceSet': [
            {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}]}})

    def close(self):
        pass


def test_assumed_role_credentials_are_renewed_before_they_expire_for_as_long_as_the_watch_runs(monkeypatch):
    clock = FakeClock(start=1700000000.0)
    service = RoleService(clock)
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.clients.HttpTransport',
                        lambda **kwargs: service)
    watch = open_watch({'instance_ids': ['ins-aaaaaaaa'], 'interval': 60,
                        'assume_role_arn': 'qcs::cam::uin/100000000001:roleName/watch'}, ENVIRON, clock=clock)
    polls = []
    for _poll in range(120):  # two hours, a read a minute
        polls.append(watch.poll())
        clock.now += polls[-1].delay
    watch.close()
    assert [poll.warnings for poll in polls if poll.warnings] == []
    # 30-minute credentials, fetched again 5 minutes before they expire: every 25 minutes.
    assert service.assumed == 5
    assert len(service.tokens_used) == 120


def test_credentials_the_service_stops_taking_early_are_fetched_again_at_the_next_read(monkeypatch):
    clock = FakeClock(start=1700000000.0)
    service = RoleService(clock)
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils.clients.HttpTransport',
                        lambda **kwargs: service)
    watch = open_watch({'instance_ids': ['ins-aaaaaaaa'], 'interval': 60, 'max_retries': 0,
                        'assume_role_arn': 'qcs::cam::uin/100000000001:roleName/watch'}, ENVIRON, clock=clock)
    watch.poll()
    service.issued['token-1'] = clock.now  # revoked
    assert watch.poll().warnings[0].startswith('reading the instances failed (1 in a row)')
    assert watch.poll().warnings == []
    assert service.tokens_used == ['token-1', 'token-1', 'token-2']


def test_a_warning_every_read_gives_again_is_told_once_until_it_stops():
    service = FlakyService({'ins-aaaaaaaa': 'RUNNING'})
    # The warnings of the run's clients, as open_watch hands them over.
    watch = StateWatch({'ap-guangzhou': InstanceReader(service)},
                       WatchSettings(['ap-guangzhou'], None, [], 30.0, False), FakeClock(), service.warnings)
    real_call = service.call

    def with_a_bad_item(action, params, deadline=None, keep=None):
        def hostile(response):
            response = dict(response, InstanceSet=response['InstanceSet'] + [{'InstanceId': '{{ x }}'}])
            return keep(response)
        return real_call(action, params, deadline, hostile if bad[0] else keep)
    bad = [True]
    service.call = with_a_bad_item
    told = [watch.poll().warnings for _read in range(3)]
    assert [len(warnings) for warnings in told] == [1, 0, 0] and 'InvalidResponse' in told[0][0]
    bad[0] = False
    assert watch.poll().warnings == []
    bad[0] = True
    assert len(watch.poll().warnings) == 1


def test_before_each_read_the_watch_tends_to_what_a_long_run_needs():
    tended = []
    watch, _service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'}, before_each_read=lambda: tended.append(1))
    watch.poll()
    watch.poll()
    assert tended == [1, 1]


class ForbiddenRegion(FakeClient):
    """A region whose every read the keys may not make (a CAM policy without it)."""

    def call(self, action, params, deadline=None, keep=None):
        self.actions.append(action)
        raise TencentCloudError('UnauthorizedOperation', 'not allowed in this region', 'req-denied')


def watching_a_forbidden_region(strict_permissions):
    allowed = FakeClient({'ins-aaaaaaaa': 'RUNNING'})
    clock = FakeClock()
    watch = StateWatch({'ap-guangzhou': InstanceReader(allowed), 'ap-tokyo': InstanceReader(ForbiddenRegion({}))},
                       WatchSettings(['ap-guangzhou', 'ap-tokyo'], None, [], 30.0, False, strict_permissions), clock)
    return watch, allowed, clock


def test_a_region_the_keys_may_not_read_ends_the_watch_unless_strict_permissions_is_false():
    watch, _allowed, _clock = watching_a_forbidden_region(strict_permissions=True)
    with pytest.raises(WatchFailed, match='cannot read the instances of ap-tokyo: UnauthorizedOperation'):
        watch.poll()


def test_without_strict_permissions_a_forbidden_region_is_skipped_and_said_once_an_hour():
    watch, allowed, clock = watching_a_forbidden_region(strict_permissions=False)
    first = watch.poll()
    assert first.warnings == ['ap-tokyo skipped, the keys may not read it (strict_permissions is false; said again '
                              'in an hour if it lasts): UnauthorizedOperation: not allowed in this region (RequestId: '
                              'req-denied)']
    clock.now += 30
    allowed.states['ins-aaaaaaaa'] = 'STOPPED'
    second = watch.poll()
    assert kinds(second) == [('state_changed', 'ins-aaaaaaaa', 'STOPPED')] and second.warnings == []
    clock.now = 1000.0 + 3599
    assert watch.poll().warnings == []
    clock.now = 1000.0 + 3600
    assert watch.poll().warnings == first.warnings
    clock.now += 60
    assert watch.poll().warnings == []


def test_a_region_that_becomes_forbidden_keeps_its_instances_rather_than_tell_them_gone():
    canton, tokyo = FakeClient({'ins-aaaaaaaa': 'RUNNING'}), FlakyService({'ins-bbbbbbbb': 'RUNNING'})
    watch = StateWatch({'ap-guangzhou': InstanceReader(canton), 'ap-tokyo': InstanceReader(tokyo)},
                       WatchSettings(['ap-guangzhou', 'ap-tokyo'], None, [], 30.0, False, False), FakeClock())
    watch.poll()
    tokyo.errors = [TencentCloudError('UnauthorizedOperation', 'policy changed', 'req-1')]
    assert watch.poll().events == []


def test_watched_ids_no_region_lists_are_said_at_the_first_read_and_again_when_listed():
    watch, service, _clock = watching({'ins-aaaaaaaa': 'RUNNING'}, instance_ids=['ins-aaaaaaaa', 'ins-zzzzzzzz'])
    assert watch.poll().warnings == [
        'not listed in ap-guangzhou: ins-zzzzzzzz; watched until they are (an instance of another region, or one that '
        'no longer exists, never will be)']
    assert watch.poll().warnings == []
    service.states['ins-zzzzzzzz'] = 'PENDING'
    poll = watch.poll()
    assert poll.warnings == ['ins-zzzzzzzz is listed now, in ap-guangzhou']
    assert kinds(poll) == [('instance_appeared', 'ins-zzzzzzzz', 'PENDING')]


@pytest.mark.parametrize('settings, said', [
    (WatchSettings(['ap-guangzhou'], ['ins-aaaaaaaa', 'ins-bbbbbbbb'], [], 30.0, False),
     '2 instance(s) of ap-guangzhou, read every 30 s'),
    (WatchSettings(['ap-guangzhou', 'ap-tokyo'], None, [{'Name': 'tag:role', 'Values': ['web']}], 2.5, False),
     'the instances matching 1 filter(s) of ap-guangzhou, ap-tokyo, read every 2.5 s'),
    (WatchSettings(None, None, [], 60.0, True), 'every instance of every region, read every 60 s'),
    # An empty list of IDs is a list still: none, not every instance.
    (WatchSettings(None, [], [{'Name': 'zone', 'Values': ['x']}], 60.0, True), '0 instance(s) of every region, read '
     'every 60 s'),
])
def test_what_is_watched_is_said_in_words(settings, said):
    assert settings.summary() == said


def test_initial_tells_each_instance_as_first_read_and_then_only_changes():
    service = FlakyService({'ins-aaaaaaaa': 'RUNNING'})
    watch = StateWatch({'ap-guangzhou': InstanceReader(service)}, WatchSettings(['ap-guangzhou'], None, [], 30.0, True),
                       FakeClock())
    assert kinds(watch.poll()) == [('snapshot', 'ins-aaaaaaaa', 'RUNNING')]
    service.states['ins-aaaaaaaa'] = 'STOPPING'
    assert kinds(watch.poll()) == [('state_changed', 'ins-aaaaaaaa', 'STOPPING')]


def test_watched_ids_no_region_lists_are_said_with_every_region_looked_in():
    watch, _service, _clock = watching({}, instance_ids=['ins-zzzzzzzz'], regions=('ap-guangzhou', 'ap-shanghai'))
    assert watch.poll().warnings == [
        'not listed in ap-guangzhou, ap-shanghai: ins-zzzzzzzz; watched until they are (an instance of another region, '
        'or one that no longer exists, never will be)']
