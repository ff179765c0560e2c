# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order of the credential chain, and what each step gives, with STS and the metadata service faked."""

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, located_region
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, FakeConnection

OPTIONS = {'secret_id': 'AKIDopt', 'secret_key': 'key-opt', 'security_token': None}
ENV = {'TENCENTCLOUD_SECRET_ID': 'AKIDenv', 'TENCENTCLOUD_SECRET_KEY': 'key-env', 'TENCENTCLOUD_TOKEN': 'stale-token'}
ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/deploy'
ROLES = 'latest/meta-data/cam/security-credentials/'
GOOD_ROLE = {'TmpSecretId': 'AKIDrole', 'TmpSecretKey': 'role-key', 'Token': 'role-token', 'ExpiredTime': 4102444800,
             'Code': 'Success'}


def values(**given):
    found = {name: spec.get('default') for name, spec in COMMON_ARGUMENT_SPEC.items()}
    found.update(region='ap-guangzhou', **given)
    return chain.CredentialSettings.from_values(found)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty home: no ~/.tencentcloud, no ~/.tccli, and no /etc file either."""
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setattr('ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.profile_files.'
                        'DEFAULT_CREDENTIALS_FILES', ('~/.tencentcloud/credentials',))
    return tmp_path


def resolve(sources, environ, connection=None, **given):
    return chain.resolve(values(**given), sources, environ, connection or FakeConnection(environ))


def write_ini(home, text):
    (home / '.tencentcloud').mkdir(exist_ok=True)
    (home / '.tencentcloud' / 'credentials').write_text(text)


def write_tccli(home, profile, document, suffix='credential'):
    (home / '.tccli').mkdir(exist_ok=True)
    path = home / '.tccli' / ('%s.%s' % (profile, suffix))
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_options_win_and_no_token_rides_along_from_the_environment(home):
    assert resolve([('options', OPTIONS)], ENV) == Credentials('AKIDopt', 'key-opt', None, 'options')


def test_variables_come_between_options_and_environment(home):
    sources = [('options', {}), ('variables', {'secret_id': 'AKIDvar', 'secret_key': 'key-var'})]
    assert resolve(sources, ENV).source == 'variables'


def test_environment_is_taken_whole(home):
    assert resolve([('options', {})], ENV) == Credentials('AKIDenv', 'key-env', 'stale-token', 'environment')


def test_a_named_profile_wins_over_environment_keys(home):
    write_ini(home, '[prod]\nsecret_id = AKIDprod\nsecret_key = key-prod\n')
    found = resolve([('options', {})], ENV, profile='prod')
    assert found == Credentials('AKIDprod', 'key-prod', None, 'profile:prod (credentials file)')


def test_the_default_profile_comes_after_environment_keys(home):
    write_ini(home, '[default]\nsecret_id = AKIDfile\nsecret_key = key-file\n')
    assert resolve([], ENV).source == 'environment'
    assert resolve([], {}).source == 'profile:default (credentials file)'


def test_a_named_profile_that_is_nowhere_is_an_error_not_a_fallback(home):
    with pytest.raises(OptionError) as caught:
        resolve([], ENV, profile='prod')
    assert str(caught.value) == 'profile prod is in none of ~/.tencentcloud/credentials, %s/.tccli' % home


def test_tccli_keys_and_the_ini_file_winning_when_both_have_the_profile(home):
    write_tccli(home, 'prod', {'secretId': 'AKIDcli', 'secretKey': 'key-cli', 'token': 'tok-cli'})
    assert resolve([], {}, profile='prod') == Credentials('AKIDcli', 'key-cli', 'tok-cli', 'profile:prod (tccli)')
    write_ini(home, '[prod]\nsecret_id = AKIDprod\nsecret_key = key-prod\n')
    assert resolve([], {}, profile='prod').source == 'profile:prod (credentials file)'


def test_the_tccli_directory_can_be_moved(home, tmp_path):
    moved = tmp_path / 'elsewhere'
    moved.mkdir()
    (moved / 'default.credential').write_text(json.dumps({'secretId': 'AKIDmoved', 'secretKey': 'k'}))
    assert resolve([], {'TENCENTCLOUD_SHARED_CREDENTIALS_DIR': str(moved)}).secret_id == 'AKIDmoved'


def test_a_tccli_assume_role_profile_assumes_the_role_with_its_own_keys(home):
    write_tccli(home, 'cross', {'secretId': 'AKIDbase', 'secretKey': 'key-base', 'type': 'assume-role',
                                'role-arn': ROLE_ARN, 'role-session-name': 'from-file'})
    connection = FakeConnection({})
    found = resolve([], {}, connection, profile='cross')
    assert found.source == 'assume-role:%s via profile:cross (tccli)' % ROLE_ARN
    assert found.current().secret_id == 'AKIDtmp1'
    (call,) = connection.sts_calls
    assert call['signed_with'] == Credentials('AKIDbase', 'key-base', None, 'profile:cross (tccli)')
    assert call['params'] == {'RoleArn': ROLE_ARN, 'RoleSessionName': 'from-file', 'DurationSeconds': 7200}


def test_a_tccli_cvm_role_profile_takes_the_instance_role(home):
    write_tccli(home, 'onvm', {'type': 'cvm-role'})
    connection = FakeConnection({}, metadata={ROLES: (200, b'ops-role\n')})
    assert resolve([], {}, connection, profile='onvm').source == 'cvm-role:ops-role'
    with pytest.raises(OptionError) as caught:
        resolve([], {}, FakeConnection({}), profile='onvm')
    assert str(caught.value).startswith('profile onvm is of type cvm-role, but the metadata service at '
                                        'http://metadata.tencentyun.com was not reachable')


def test_the_default_profile_may_be_a_role_profile_too(home):
    write_tccli(home, 'default', {'type': 'cvm-role'})
    connection = FakeConnection({}, metadata={ROLES: (200, b'ops-role\n'), ROLES + 'pinned': (200, GOOD_ROLE)})
    found = resolve([], {}, connection, cam_role_name='pinned', request_timeout=7.0)
    assert found.source == 'cvm-role:pinned' and found.current().secret_id == 'AKIDrole'
    assert [(r['url'].split('/', 3)[3], r['timeout']) for r in connection.metadata_requests] == [
        (ROLES, 1.0), (ROLES + 'pinned', 7.0)]
    with pytest.raises(OptionError) as caught:
        resolve([], {})
    assert str(caught.value).startswith('profile default is of type cvm-role, but the metadata service at ')


def test_an_assume_role_profile_without_a_session_name_takes_the_option(home):
    write_tccli(home, 'cross', {'secretId': 'AKIDbase', 'secretKey': 'key-base', 'type': 'assume-role',
                                'role-arn': ROLE_ARN})
    connection = FakeConnection({})
    resolve([], {}, connection, profile='cross', assume_role_session_name='from-option').current()
    assert connection.sts_calls[0]['params']['RoleSessionName'] == 'from-option'


@pytest.mark.parametrize('document, message', [
    ({'role-arn': 'arn:aws:iam::1:role/x'},
     "role-arn of profile cross 'arn:aws:iam::1:role/x' is not a role ARN such as "
     "qcs::cam::uin/100000000001:roleName/deploy"),
    ({'role-arn': ROLE_ARN, 'role-session-name': 'a b'},
     'role-session-name of profile cross must be 2 to 128 letters, digits or any of _ + = , . @ -'),
])
def test_a_bad_role_setting_of_a_profile_is_named_for_the_profile(home, document, message):
    write_tccli(home, 'cross', dict(document, secretId='AKIDbase', secretKey='key-base', type='assume-role'))
    with pytest.raises(OptionError) as caught:
        resolve([], {}, profile='cross')
    assert str(caught.value) == message


def test_nothing_anywhere_without_explicit_sources_says_options_were_tried(home):
    with pytest.raises(OptionError) as caught:
        resolve([], {})
    assert str(caught.value).startswith('no credentials found. Tried: options; the environment variables ')


@pytest.mark.parametrize('document, message', [
    ('{"secretId": "AKID-half', 'the tccli file %s is not JSON'),
    ('[1]', 'the tccli file %s is not a JSON object'),
    ({'secretKey': 'k'}, 'the tccli file %s has no secretId'),
    ({'secretId': 'AKIDx', 'secretKey': 'k', 'type': 'oauth'},
     "the tccli file %s has type 'oauth'; this collection reads cvm-role, assume-role or no type"),
    ({'secretId': 'AKIDx', 'secretKey': 'k', 'type': 'assume-role'},
     'the tccli file %s is of type assume-role but has no role-arn'),
])
def test_a_bad_tccli_file_is_named_and_never_quoted(home, document, message):
    path = write_tccli(home, 'default', document)
    with pytest.raises(OptionError) as caught:
        resolve([], {})
    assert str(caught.value) == message % path and caught.value.__cause__ is None


def test_the_region_comes_from_the_tccli_profile_only_when_no_region_is_set(home):
    write_tccli(home, 'prod', {'_sys_param': {'region': 'ap-singapore', 'output': 'json'}}, 'configure')
    write_tccli(home, 'default', {'_sys_param': {'output': 'json'}}, 'configure')
    found = located_region({'region': None, 'profile': 'prod'}, {})
    assert (found['region'], found['region_source']) == ('ap-singapore', 'the region of tccli profile prod')
    found = located_region({'region': 'ap-tokyo', 'profile': 'prod'}, {'TENCENTCLOUD_REGION': 'ap-seoul'})
    assert (found['region'], found['region_source']) == ('ap-tokyo', 'the region option')
    found = located_region({'region': None, 'profile': 'prod'}, {'TENCENTCLOUD_REGION': 'ap-seoul'})
    assert (found['region'], found['region_source']) == ('ap-seoul', 'TENCENTCLOUD_REGION')
    assert located_region({'region': None, 'profile': None}, {})['region'] is None
    write_tccli(home, 'default', {'_sys_param': {'region': 'ap-beijing'}}, 'configure')
    assert located_region({'region': None, 'profile': None}, {})['region'] == 'ap-beijing'
    found = located_region({'region': 'ap-tokyo', 'region_source': 'the variable tencentcloud_region'}, {})
    assert found['region_source'] == 'the variable tencentcloud_region'


def test_the_security_token_spelling_wins_over_the_tccli_one(home):
    assert resolve([], dict(ENV, TENCENTCLOUD_SECURITY_TOKEN='tok-new')).token == 'tok-new'


def test_environment_keys_with_assume_role_on_top(home):
    connection = FakeConnection(ENV)
    found = resolve([('options', {})], ENV, connection, assume_role_arn=ROLE_ARN, assume_role_session_name='deploy-1',
                    assume_role_duration=900, assume_role_external_id='ext-1', assume_role_policy='{"version": "2.0"}')
    assert found.source == 'assume-role:%s via environment' % ROLE_ARN
    assert connection.sts_calls == []  # nothing is asked before the first request needs it
    assert found.current() == Credentials('AKIDtmp1', 'tmp-key-1', 'tmp-token-1', found.source)
    (call,) = connection.sts_calls
    assert call['action'] == 'AssumeRole' and call['signed_with'].source == 'environment'
    assert call['params'] == {'RoleArn': ROLE_ARN, 'RoleSessionName': 'deploy-1', 'DurationSeconds': 900,
                              'ExternalId': 'ext-1', 'Policy': '%7B%22version%22%3A%222.0%22%7D'}


def test_oidc_comes_after_the_profiles_and_before_the_instance_role(home, tmp_path):
    token = tmp_path / 'token'
    token.write_text('eyJ-web-identity\n')
    environ = {'TKE_PROVIDER_ID': 'tke-oidc', 'TKE_WEB_IDENTITY_TOKEN_FILE': str(token), 'TKE_ROLE_ARN': ROLE_ARN,
               'TKE_REGION': 'ap-shanghai'}
    connection = FakeConnection(environ, metadata={ROLES: (200, b'ops-role')})
    found = resolve([], environ, connection, assume_role_session_name='pod-1')
    assert found.source == 'oidc:%s' % ROLE_ARN and found.current().token == 'tmp-token-1'
    (call,) = connection.sts_calls
    assert call['action'] == 'AssumeRoleWithWebIdentity' and call['signed_with'] is None
    assert call['region'] == 'ap-shanghai'
    assert call['params'] == {'ProviderId': 'tke-oidc', 'WebIdentityToken': 'eyJ-web-identity', 'RoleArn': ROLE_ARN,
                              'RoleSessionName': 'pod-1', 'DurationSeconds': 7200}
    assert connection.metadata_requests == []


def test_the_instance_role_is_the_last_resort(home):
    connection = FakeConnection({}, metadata={ROLES: (200, b'ops-role\nother-role\n'),
                                              ROLES + 'ops-role': (200, {'Code': 'Success'})})
    found = resolve([('options', {})], {}, connection)
    assert found.source == 'cvm-role:ops-role'
    assert connection.metadata_requests == [{'url': 'http://metadata.tencentyun.com/' + ROLES, 'timeout': 1.0,
                                             'method': 'GET', 'headers': {}}]


def test_a_pinned_role_is_not_discovered(home):
    connection = FakeConnection({'TENCENTCLOUD_METADATA_ENDPOINT': 'http://127.0.0.1:9'},
                                metadata={ROLES: (200, b'ops-role')})
    assert resolve([], connection.environ, connection, cam_role_name='pinned').source == 'cvm-role:pinned'
    assert connection.metadata_requests[0]['url'] == 'http://127.0.0.1:9/' + ROLES


def test_nothing_anywhere_lists_every_place_tried(home):
    with pytest.raises(OptionError) as caught:
        resolve([('options', {}), ('variables', {})], {})
    assert str(caught.value) == (
        'no credentials found. Tried: options and variables; the environment variables TENCENTCLOUD_SECRET_ID and '
        'TENCENTCLOUD_SECRET_KEY; the profile default in ~/.tencentcloud/credentials or %s/.tccli; TKE OIDC '
        '(TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set); the CVM instance role: the '
        'metadata service at http://metadata.tencentyun.com was not reachable (cannot reach metadata.tencentyun.com: '
        'name not resolved)' % home)


@pytest.mark.parametrize('given, message', [
    ({'assume_role_arn': 'arn:aws:iam::1:role/x'},
     "assume_role_arn 'arn:aws:iam::1:role/x' is not a role ARN such as qcs::cam::uin/100000000001:roleName/deploy"),
    ({'assume_role_session_name': 'a b'},
     'assume_role_session_name must be 2 to 128 letters, digits or any of _ + = , . @ -'),
    ({'assume_role_duration': 0}, 'assume_role_duration must be a number of seconds from 1 to 43200, not 0'),
    ({'assume_role_duration': 43201}, 'assume_role_duration must be a number of seconds from 1 to 43200, not 43201'),
    ({'assume_role_policy': '[1]'}, 'assume_role_policy must be a policy document: a JSON object'),
    ({'assume_role_policy': '{"version": '}, 'assume_role_policy must be a policy document: a JSON object'),
    ({'cam_role_name': 'role/../x'},
     'cam_role_name must be a CAM role name: 1 to 128 letters, digits or any of _ + = , . @ -'),
])
def test_malformed_role_settings_are_refused_by_name(given, message):
    with pytest.raises(OptionError) as caught:
        chain.check(values(**given))
    assert str(caught.value) == message


def test_well_formed_role_settings_pass():
    chain.check(values(assume_role_arn=ROLE_ARN, assume_role_session_name='ab', assume_role_duration=43200,
                       assume_role_policy='{}', cam_role_name='CVM_QcsRole'))


@pytest.mark.parametrize('sources, env, message', [
    ([('options', {'secret_id': 'AKIDopt'})], ENV, 'secret_id is set in options but secret_key is not'),
    ([('options', {'secret_key': 'k'})], ENV, 'secret_key is set in options but secret_id is not'),
    ([], {'TENCENTCLOUD_SECRET_ID': 'AKIDenv'}, 'secret_id is set in environment but secret_key is not'),
])
def test_partial_credentials_name_source_and_missing_part(home, sources, env, message):
    with pytest.raises(OptionError, match=message):
        resolve(sources, env)


def test_unreadable_ini_file_does_not_quote_it(tmp_path):
    path = tmp_path / 'credentials'
    path.write_text('secret_key = leaked-if-quoted\n')
    with pytest.raises(OptionError) as caught:
        resolve([], {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)})
    assert str(caught.value) == 'cannot read the credentials file %s: not an INI file (MissingSectionHeaderError)' % path
    # ANSIBLE_DISPLAY_TRACEBACK=always prints the chain; the parser's exception quotes the line with the key.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__ is True


def test_the_ini_file_problems_are_said_exactly(tmp_path):
    path = tmp_path / 'credentials'
    path.write_text('[default]\nsecret_key = k\n')
    with pytest.raises(OptionError) as caught:
        resolve([], {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)})
    assert str(caught.value) == 'profile [default] in %s has no secret_id' % path
    with pytest.raises(OptionError) as caught:
        resolve([], {'TENCENTCLOUD_CREDENTIALS_FILE': str(tmp_path / 'absent')})
    assert str(caught.value) == 'TENCENTCLOUD_CREDENTIALS_FILE names %s, which is not a file' % (tmp_path / 'absent')


def test_whitespace_around_each_credential_is_stripped(tmp_path):
    # A YAML block scalar (|) or a vault file ends the value with a newline.
    sources = [('options', {'secret_id': ' AKIDopt\n', 'secret_key': 'key-opt\n', 'security_token': '\ttok\r\n'})]
    assert resolve(sources, {}) == Credentials('AKIDopt', 'key-opt', 'tok', 'options')
    path = tmp_path / 'credentials'
    path.write_text('[default]\nsecret_id = AKIDfile  \nsecret_key = key-file\t\n')
    assert resolve([], {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)}).secret_key == 'key-file'


@pytest.mark.parametrize('name, value', [
    ('secret_id', 'AKID\u00e9'), ('secret_key', 'key\x00-x'), ('secret_key', 'key with-space'),
    ('security_token', 'tok\nen-SECRET'), ('security_token', 'tok\x1b[31m'), ('secret_key', 'k\x7fy')])
def test_a_credential_unfit_for_a_header_is_named_never_shown(name, value):
    with pytest.raises(OptionError) as caught:
        resolve([('options', dict(OPTIONS, **{name: value}))], {})
    assert str(caught.value) == ('%s from options holds whitespace, control or non-ASCII characters: it cannot be sent '
                                 'to the API' % name)


def test_a_key_made_of_every_printable_ascii_character_is_accepted():
    key = ''.join(chr(code) for code in range(0x21, 0x7f))
    assert resolve([('options', {'secret_id': 'AKIDx', 'secret_key': key})], {}).secret_key == key


def test_a_blank_id_is_refused():
    with pytest.raises(OptionError) as caught:
        resolve([('options', {'secret_id': ' ', 'secret_key': 'k'})], {})
    assert str(caught.value) == 'secret_id from options is blank'


def test_empty_role_settings_count_as_not_set(home):
    # An AWX injector sets every variable of its credential type, the optional ones empty.
    empty = dict(assume_role_arn='', assume_role_session_name='', assume_role_policy='', cam_role_name='')
    chain.check(values(**empty))
    assert resolve([], ENV, **empty).source == 'environment'


def test_temporary_credentials_renew_on_the_clock_of_the_run(home, tmp_path):
    """An assumed role, TKE OIDC and an instance role alike: expiry is judged by the run's clock, not the system's."""
    clock = FakeClock(start=1700000000.0)
    token = tmp_path / 'token'
    token.write_text('eyJ-web-identity')
    environ = {'TKE_PROVIDER_ID': 'tke-oidc', 'TKE_WEB_IDENTITY_TOKEN_FILE': str(token), 'TKE_ROLE_ARN': ROLE_ARN}
    connection = FakeConnection(environ, lifetime=3600, clock=clock)
    pod = resolve([], environ, connection)
    pod.current()
    clock.now += 3600 - 300
    assert pod.current().token == 'tmp-token-2'

    connection = FakeConnection(ENV, lifetime=3600, clock=clock)
    assumed = resolve([('options', {})], ENV, connection, assume_role_arn=ROLE_ARN)
    assumed.current()
    clock.now += 3600 - 300
    assert assumed.current().secret_id == 'AKIDtmp2'
    role = dict(GOOD_ROLE, ExpiredTime=int(clock.now) + 3600)
    connection = FakeConnection({}, metadata={ROLES: (200, b'ops-role\n'), ROLES + 'ops-role': (200, role)},
                                clock=clock)
    found = resolve([], {}, connection)
    found.current()
    clock.now += 3600 - 300
    found.current()
    assert len(connection.metadata_requests) == 3  # the probe, then two fetches
