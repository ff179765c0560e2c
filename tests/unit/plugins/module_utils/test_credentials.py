# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

OPTIONS = {'secret_id': 'AKIDopt', 'secret_key': 'key-opt', 'security_token': None}
ENV = {'TENCENTCLOUD_SECRET_ID': 'AKIDenv', 'TENCENTCLOUD_SECRET_KEY': 'key-env', 'TENCENTCLOUD_TOKEN': 'stale-token'}


@pytest.fixture
def profile_file(tmp_path):
    path = tmp_path / 'credentials'
    path.write_text('[default]\nsecret_id = AKIDfile\nsecret_key = key-file\n\n'
                    '[sts]\nsecret_id = AKIDsts\nsecret_key = key-sts\ntoken = tok-sts\n\n[broken]\nsecret_key = x\n')
    return str(path)


def test_options_win_and_no_token_rides_along_from_the_environment():
    found = credentials.resolve([('options', OPTIONS)], 'default', ENV)
    assert found == credentials.Credentials('AKIDopt', 'key-opt', None, 'options')


def test_environment_is_taken_whole():
    found = credentials.resolve([('options', {})], 'default', ENV)
    assert found == credentials.Credentials('AKIDenv', 'key-env', 'stale-token', 'environment')


def test_security_token_spelling_wins_over_the_tccli_one():
    env = dict(ENV, TENCENTCLOUD_SECURITY_TOKEN='tok-new')
    assert credentials.resolve([], 'default', env).token == 'tok-new'


def test_variables_come_between_options_and_environment():
    sources = [('options', {}), ('variables', {'secret_id': 'AKIDvar', 'secret_key': 'key-var'})]
    assert credentials.resolve(sources, 'default', ENV).source == 'variables'


@pytest.mark.parametrize('sources, env, message', [
    ([('options', {'secret_id': 'AKIDopt'})], ENV, 'secret_id is set in options but secret_key is not'),
    ([('options', {'secret_key': 'k'})], ENV, 'secret_key is set in options but secret_id is not'),
    ([], {'TENCENTCLOUD_SECRET_ID': 'AKIDenv'}, 'secret_id is set in environment but secret_key is not'),
])
def test_partial_credentials_name_source_and_missing_part(sources, env, message):
    with pytest.raises(OptionError, match=message):
        credentials.resolve(sources, 'default', env)


def test_profile_file_from_override(profile_file):
    env = {'TENCENTCLOUD_CREDENTIALS_FILE': profile_file}
    assert credentials.resolve([], 'default', env) == credentials.Credentials('AKIDfile', 'key-file', None, 'profile:default')
    assert credentials.resolve([], 'sts', env) == credentials.Credentials('AKIDsts', 'key-sts', 'tok-sts', 'profile:sts')


def test_profile_file_in_home(tmp_path, monkeypatch, profile_file):
    (tmp_path / '.tencentcloud').mkdir()
    os.rename(profile_file, str(tmp_path / '.tencentcloud' / 'credentials'))
    monkeypatch.setenv('HOME', str(tmp_path))
    assert credentials.resolve([], 'default', {}).source == 'profile:default'


@pytest.mark.parametrize('profile, message', [('nope', r'has no profile \[nope\]'), ('broken', 'has no secret_id')])
def test_profile_problems(profile_file, profile, message):
    with pytest.raises(OptionError, match=message):
        credentials.resolve([], profile, {'TENCENTCLOUD_CREDENTIALS_FILE': profile_file})


def test_unreadable_profile_file_does_not_quote_it(tmp_path):
    path = tmp_path / 'credentials'
    path.write_text('secret_key = leaked-if-quoted\n')
    with pytest.raises(OptionError) as caught:
        credentials.resolve([], 'default', {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)})
    assert 'not an INI file' in str(caught.value) and 'leaked-if-quoted' not in str(caught.value)


def test_missing_override_file():
    with pytest.raises(OptionError, match='which is not a file'):
        credentials.resolve([], 'default', {'TENCENTCLOUD_CREDENTIALS_FILE': '/nonexistent/credentials'})


def test_nothing_anywhere(tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setattr(credentials, 'DEFAULT_CREDENTIALS_FILES', ('~/.tencentcloud/credentials',))
    with pytest.raises(OptionError, match='no credentials found'):
        credentials.resolve([('options', {})], 'default', {})


def test_whitespace_around_each_credential_is_stripped(tmp_path):
    # A YAML block scalar (|) or a vault file ends the value with a newline.
    sources = [('options', {'secret_id': ' AKIDopt\n', 'secret_key': 'key-opt\n', 'security_token': '\ttok\r\n'})]
    assert credentials.resolve(sources, 'default', {}) == credentials.Credentials('AKIDopt', 'key-opt', 'tok', 'options')
    path = tmp_path / 'credentials'
    path.write_text('[default]\nsecret_id = AKIDfile  \nsecret_key = key-file\t\n')
    assert credentials.resolve([], 'default', {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)}).secret_key == 'key-file'


@pytest.mark.parametrize('name, value', [
    ('secret_id', 'AKID\u00e9'), ('secret_key', 'key\x00-x'), ('secret_key', 'key with-space'),
    ('security_token', 'tok\nen-SECRET'), ('security_token', 'tok\x1b[31m'), ('secret_id', ' \n')])
def test_a_credential_unfit_for_a_header_is_named_never_shown(name, value):
    values = dict(OPTIONS, **{name: value})
    with pytest.raises(OptionError) as caught:
        credentials.resolve([('options', values)], 'default', {})
    assert name in str(caught.value) and 'options' in str(caught.value)
    assert value.strip() not in str(caught.value) or not value.strip()


def test_a_bad_profile_file_is_raised_without_the_chained_parser_error(tmp_path):
    path = tmp_path / 'credentials'
    path.write_text('secret_key = KEY-IN-A-BROKEN-FILE\n')
    with pytest.raises(OptionError) as caught:
        credentials.resolve([], 'default', {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)})
    # ANSIBLE_DISPLAY_TRACEBACK=always prints the chain; the parser's exception quotes the line with the key.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__ is True


@pytest.mark.parametrize('sources, message', [
    ([('options', {'secret_id': 'AKIDx'})],
     'secret_id is set in options but secret_key is not: set both in the same place'),
    ([('variables', {'secret_key': 'k'})],
     'secret_key is set in variables but secret_id is not: set both in the same place'),
    ([('options', {'secret_id': ' ', 'secret_key': 'k'})], 'secret_id from options is blank'),
    ([('options', {'secret_id': 'AKIDx', 'secret_key': 'k\u00e9y'})],
     'secret_key from options holds whitespace, control or non-ASCII characters: it cannot be sent to the API'),
    ([('options', {'secret_id': 'AKIDx', 'secret_key': 'k\x7fy'})],
     'secret_key from options holds whitespace, control or non-ASCII characters: it cannot be sent to the API'),
])
def test_each_credential_problem_is_said_exactly(sources, message):
    with pytest.raises(OptionError) as caught:
        credentials.resolve(sources, 'default', {})
    assert str(caught.value) == message


def test_a_key_made_of_every_printable_ascii_character_is_accepted():
    key = ''.join(chr(code) for code in range(0x21, 0x7f))
    assert credentials.resolve([('options', {'secret_id': 'AKIDx', 'secret_key': key})], 'default', {}).secret_key == key


def test_the_profile_file_problems_are_said_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setattr(credentials, 'DEFAULT_CREDENTIALS_FILES', ('~/.tencentcloud/credentials',))
    with pytest.raises(OptionError) as caught:
        credentials.resolve([], 'default', {})
    assert str(caught.value) == ('no credentials found: set secret_id and secret_key, the environment variables '
                                 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or a profile in '
                                 '~/.tencentcloud/credentials')
    path = tmp_path / 'credentials'
    path.write_text('[default]\nsecret_key = k\n[other]\nsecret_id = AKIDx\nsecret_key = k\n')
    environ = {'TENCENTCLOUD_CREDENTIALS_FILE': str(path)}
    for profile, message in [('default', 'profile [default] in %s has no secret_id' % path),
                             ('nope', 'the credentials file %s has no profile [nope]' % path)]:
        with pytest.raises(OptionError) as caught:
            credentials.resolve([], profile, environ)
        assert str(caught.value) == message
    with pytest.raises(OptionError) as caught:
        credentials.resolve([], 'default', {'TENCENTCLOUD_CREDENTIALS_FILE': str(tmp_path / 'absent')})
    assert str(caught.value) == 'TENCENTCLOUD_CREDENTIALS_FILE names %s, which is not a file' % (tmp_path / 'absent')


def test_why_a_file_cannot_be_read_is_said_without_its_content(tmp_path):
    broken = tmp_path / 'broken'
    broken.write_text('secret_key = x\n')
    unreadable = tmp_path / 'directory'
    unreadable.mkdir()
    assert credentials._reason(_parse_error(str(broken))) == 'not an INI file (MissingSectionHeaderError)'
    assert credentials._reason(IOError(21, 'Is a directory')) == 'Is a directory'
    assert credentials._reason(UnicodeDecodeError('utf-8', b'\xff', 0, 1, 'invalid start byte')) == 'UnicodeDecodeError'


def _parse_error(path):
    import configparser
    try:
        with open(path) as handle:
            configparser.ConfigParser().read_file(handle)
    except configparser.Error as error:
        return error
    raise AssertionError('parsed')
