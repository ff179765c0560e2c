# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Profiles as the INI file and tccli's files hold them (the order among sources is test_chain's)."""

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import profile_files


@pytest.fixture
def tccli(tmp_path, monkeypatch):
    """An environment with no INI file and an empty tccli directory, and a way to write a file there."""
    monkeypatch.setattr(profile_files, 'DEFAULT_CREDENTIALS_FILES', ())
    environ = {profile_files.TCCLI_DIRECTORY_VARIABLE: str(tmp_path)}

    def write(name, document):
        (tmp_path / name).write_text(json.dumps(document))
        return str(tmp_path / name)
    return environ, write


def test_a_token_in_the_ini_file_rides_with_its_keys(tmp_path):
    ini = tmp_path / 'credentials'
    ini.write_text('[default]\nsecret_id = AKIDini\nsecret_key = key-ini\ntoken = token-ini\n')
    found = profile_files.find('default', {profile_files.CREDENTIALS_FILE_VARIABLE: str(ini)})
    assert found.kind == profile_files.KEYS
    assert (found.keys.secret_id, found.keys.secret_key, found.keys.token) == ('AKIDini', 'key-ini', 'token-ini')


def test_a_cvm_role_profile_may_name_its_role(tccli):
    environ, write = tccli
    write('onvm.credential', {'type': 'cvm-role', 'role-name': 'ops-role'})
    found = profile_files.find('onvm', environ)
    assert (found.kind, found.keys, found.role_name) == (profile_files.CVM_ROLE, None, 'ops-role')


def test_the_places_named_follow_the_credentials_file_variable(tmp_path):
    environ = {profile_files.CREDENTIALS_FILE_VARIABLE: '/srv/keys.ini', profile_files.TCCLI_DIRECTORY_VARIABLE: '/t'}
    assert profile_files.places(environ, ' or ') == '/srv/keys.ini or /t'
    assert profile_files.places({profile_files.TCCLI_DIRECTORY_VARIABLE: '/t'}, ', ') == \
        ', '.join(list(profile_files.DEFAULT_CREDENTIALS_FILES) + ['/t'])


@pytest.mark.parametrize('stored, region', [
    ({'_sys_param': {'region': 'ap-shanghai'}}, 'ap-shanghai'),
    ({'_sys_param': {'region': ''}}, None),
    ({'_sys_param': {'region': 123}}, None),
    ({'_sys_param': None}, None),
    ({}, None),
])
def test_only_a_region_that_is_a_name_is_taken_from_tccli(tccli, stored, region):
    environ, write = tccli
    write('default.configure', stored)
    assert profile_files.tccli_region('default', environ) == region


@pytest.mark.parametrize('error, reason', [(PermissionError(13, 'Permission denied'), 'Permission denied'),
                                           (OSError(), 'OSError')])
def test_a_tccli_file_that_cannot_be_read_says_why(tccli, monkeypatch, error, reason):
    environ, write = tccli
    path = write('default.credential', {'secretId': 'AKIDx', 'secretKey': 'k'})

    def refuse(*args, **kwargs):
        raise error
    monkeypatch.setattr(profile_files, 'open', refuse, raising=False)
    with pytest.raises(OptionError) as caught:
        profile_files.find('default', environ)
    assert str(caught.value) == 'cannot read the tccli file %s: %s' % (path, reason)
