# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The instance role from the metadata service: the probe, the answer, and what an untrusted answer cannot do."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import instance_role
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeConnection

ROLES = 'latest/meta-data/cam/security-credentials/'
GOOD = {'TmpSecretId': 'AKIDtmp', 'TmpSecretKey': 'tmp-key', 'Token': 'tmp-token', 'ExpiredTime': 4102444800,
        'Expiration': '2100-01-01T00:00:00Z', 'Code': 'Success'}


def role(metadata, name=None, environ=None):
    connection = FakeConnection(environ or {}, metadata=metadata)
    return instance_role.instance_role(name, connection.environ, connection.metadata_transport(), 7.0), connection


def test_the_role_is_discovered_then_its_credentials_fetched_with_the_request_timeout():
    held, connection = role({ROLES: (200, b'CVM_QcsRole\n'), ROLES + 'CVM_QcsRole': (200, GOOD)})
    found = held.current()
    assert (found.secret_id, found.secret_key, found.token, found.source) == (
        'AKIDtmp', 'tmp-key', 'tmp-token', 'cvm-role:CVM_QcsRole')
    assert [(r['url'].split('/', 3)[3], r['timeout'], r['method']) for r in connection.metadata_requests] == [
        (ROLES, 1.0, 'GET'), (ROLES + 'CVM_QcsRole', 7.0, 'GET')]


@pytest.mark.parametrize('metadata, message', [
    (None, 'the metadata service at http://metadata.tencentyun.com was not reachable (cannot reach '
           'metadata.tencentyun.com: name not resolved)'),
    ({}, 'the metadata service at http://metadata.tencentyun.com answered HTTP 404 for /%s: no such CAM role on this '
         'instance' % ROLES),
    ({ROLES: (200, b'  \n')}, 'the metadata service at http://metadata.tencentyun.com names no CAM role for this '
                              'instance'),
    ({ROLES: (200, b'../../etc\n')}, 'the metadata service at http://metadata.tencentyun.com named a role that is '
                                     'not a CAM role name'),
    ({ROLES: (200, b'\xff\xferole\n')}, 'the metadata service at http://metadata.tencentyun.com named a role that '
                                        'is not a CAM role name'),
])
def test_no_role_here_says_why(metadata, message):
    with pytest.raises(instance_role.Unavailable) as caught:
        role(metadata)
    assert str(caught.value) == message


@pytest.mark.parametrize('metadata, says', [
    (None, 'was not reachable'), ({}, 'answered HTTP 404'), ({ROLES: (200, b'  \n')}, 'names no CAM role'),
    ({ROLES: (200, b'../../etc\n')}, 'named a role that is not a CAM role name'),
])
def test_the_metadata_service_is_named_by_its_endpoint_whole(metadata, says):
    with pytest.raises(instance_role.Unavailable) as caught:
        role(metadata, environ={instance_role.ENDPOINT_VARIABLE: 'http://METADATA.BOX'})
    assert str(caught.value).startswith('the metadata service at http://METADATA.BOX ' + says)


@pytest.mark.parametrize('answer', [
    dict(GOOD, Code='Failure'), dict(GOOD, TmpSecretKey=''), dict(GOOD, Token='tok\r\nX-Injected: 1'),
    dict(GOOD, ExpiredTime='soon'), dict(GOOD, ExpiredTime=True), b'<html>not json</html>', b'[]',
])
def test_an_unusable_answer_is_refused_without_being_quoted(answer):
    held, _connection = role({ROLES: (200, b'r'), ROLES + 'r': (200, answer)})
    with pytest.raises(errors.TencentCloudError) as caught:
        held.current()
    assert caught.value.code == errors.INVALID_RESPONSE
    assert 'tmp-key' not in str(caught.value) and 'X-Injected' not in str(caught.value)


@pytest.mark.parametrize('answer, shown', [(dict(GOOD, Code='Failure'), "'Failure'"), (b'[]', 'None')])
def test_an_answer_without_success_names_the_role_and_its_code(answer, shown):
    held, _connection = role({ROLES: (200, b'r'), ROLES + 'r': (200, answer)})
    with pytest.raises(errors.TencentCloudError) as caught:
        held.current()
    assert caught.value.message == ('cannot get credentials from cvm-role:r: the metadata service gave no credentials '
                                    'for role r (Code %s)' % shown)


def test_a_failed_fetch_is_a_connection_failure_named_for_the_role():
    held, connection = role({ROLES: (200, b'r')})
    connection.metadata = None
    with pytest.raises(errors.TencentCloudError) as caught:
        held.current()
    assert caught.value.code == errors.CONNECTION_FAILURE
    assert caught.value.message.startswith('cannot get credentials from cvm-role:r: the metadata service at ')


@pytest.mark.parametrize('endpoint, url', [
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080/'), ('169.254.0.23', 'http://169.254.0.23/'),
])
def test_the_metadata_endpoint_can_be_moved(endpoint, url):
    assert instance_role.metadata_url({'TENCENTCLOUD_METADATA_ENDPOINT': endpoint}) == url


def test_a_malformed_metadata_endpoint_names_the_variable():
    with pytest.raises(OptionError) as caught:
        instance_role.metadata_url({'TENCENTCLOUD_METADATA_ENDPOINT': 'http://x/latest'})
    assert str(caught.value).startswith('TENCENTCLOUD_METADATA_ENDPOINT: endpoint ')
