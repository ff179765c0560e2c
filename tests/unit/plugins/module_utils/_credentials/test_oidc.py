# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TKE OIDC: what the pod's environment must hold, and the token file read again at every refresh."""

import os

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import oidc
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, FakeConnection

ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/pods'


def environment(token_path):
    return {'TKE_PROVIDER_ID': 'tke-oidc', 'TKE_WEB_IDENTITY_TOKEN_FILE': str(token_path), 'TKE_ROLE_ARN': ROLE_ARN}


def web_identity(environ, clock=None):
    connection = FakeConnection(environ, lifetime=60, clock=clock)
    return (oidc.web_identity(environ, lambda region: connection.sts_client(None, region), 'pod', 3600,
                              connection.clock), connection)


def test_the_rotated_token_is_read_at_each_refresh(tmp_path):
    token = tmp_path / 'token'
    token.write_text('first-token')
    clock = FakeClock(start=1000000.0)
    held, connection = web_identity(environment(token), clock=clock)
    held.current()
    token.write_text('second-token')
    clock.now += 30
    held.current()
    assert [call['params']['WebIdentityToken'] for call in connection.sts_calls] == ['first-token', 'second-token']
    assert connection.sts_calls[0]['region'] is None


def test_a_partial_environment_names_what_is_missing():
    with pytest.raises(OptionError) as caught:
        web_identity({'TKE_ROLE_ARN': ROLE_ARN})
    assert str(caught.value) == ('TKE OIDC needs TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN; '
                                 'TKE_PROVIDER_ID and TKE_WEB_IDENTITY_TOKEN_FILE not set')


def test_an_unreadable_token_file_is_named(tmp_path):
    with pytest.raises(OptionError) as caught:
        web_identity(environment(tmp_path / 'absent'))
    assert str(caught.value) == ('cannot read the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE): No such file '
                                 'or directory' % (tmp_path / 'absent'))
    (tmp_path / 'binary').write_bytes(b'\xff\xfe')
    with pytest.raises(OptionError) as caught:
        web_identity(environment(tmp_path / 'binary'))
    assert str(caught.value) == ('the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE) is not a token'
                                 % (tmp_path / 'binary'))
    (tmp_path / 'empty').write_text('\n')
    with pytest.raises(OptionError) as caught:
        web_identity(environment(tmp_path / 'empty'))
    assert str(caught.value) == ('the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE) is empty or too large'
                                 % (tmp_path / 'empty'))


@pytest.mark.parametrize('make', ['fifo', 'directory'])
def test_a_token_file_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, make):
    # A FIFO's open waits for a writer: it would hold the task with no deadline.
    path = tmp_path / 'token'
    if make == 'fifo':
        os.mkfifo(str(path), 0o600)
    else:
        path.mkdir()
    with pytest.raises(OptionError) as caught:
        web_identity(environment(path))
    assert str(caught.value) == ('cannot read the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE): not a '
                                 'regular file' % path)


def test_a_token_of_the_largest_size_is_sent_whole_one_byte_more_is_refused(tmp_path):
    (tmp_path / 'token').write_text('t' * oidc.MAX_TOKEN_BYTES + '\n')
    held, connection = web_identity(environment(tmp_path / 'token'))
    held.current()
    assert connection.sts_calls[0]['params']['WebIdentityToken'] == 't' * oidc.MAX_TOKEN_BYTES
    (tmp_path / 'token').write_text('t' * (oidc.MAX_TOKEN_BYTES + 1))
    with pytest.raises(OptionError, match='is empty or too large'):
        web_identity(environment(tmp_path / 'token'))


def test_a_token_file_failing_without_a_reason_is_named_by_the_failure(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError()
    monkeypatch.setattr(oidc.os, 'open', refuse)
    with pytest.raises(OptionError) as caught:
        web_identity(environment(tmp_path / 'token'))
    assert str(caught.value) == ('cannot read the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE): OSError'
                                 % (tmp_path / 'token'))


def test_the_credentials_are_named_for_the_role(tmp_path):
    (tmp_path / 'token').write_text('a-token')
    held, _connection = web_identity(environment(tmp_path / 'token'))
    assert held.current().source == 'oidc:%s' % ROLE_ARN


def test_a_token_file_gone_at_refresh_fails_the_call_by_name(tmp_path):
    token = tmp_path / 'token'
    token.write_text('t')
    held, _connection = web_identity(environment(token))
    token.unlink()
    with pytest.raises(errors.TencentCloudError) as caught:
        held.current()
    assert caught.value.code == errors.CREDENTIAL_UNAVAILABLE and 'TKE_WEB_IDENTITY_TOKEN_FILE' in caught.value.message


def test_a_malformed_role_arn_is_named(tmp_path):
    token = tmp_path / 'token'
    token.write_text('t')
    with pytest.raises(OptionError, match='^TKE_ROLE_ARN '):
        web_identity(dict(environment(token), TKE_ROLE_ARN='pods'))
