# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a run's clients are built with: each service's endpoint, version, rate and pool, one private directory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import connection
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import sts
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, WAIT_ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import NoLimit, ScriptedTransport, ok

CREDENTIALS = Credentials('AKIDrun', 'run-key', None, 'options')


class FakeDirectory:
    path = '/run/user/1000/tencentcloud.cloud'
    closed = False

    def close(self):
        self.closed = True


DIRECTORY = FakeDirectory()


class Built:
    """Every transport and limiter the connection builds, with what it was built with."""

    def __init__(self, monkeypatch):
        self.transports = []
        self.limiters = []
        self.directories = []
        monkeypatch.setattr(connection, 'HttpTransport', self._transport)
        monkeypatch.setattr(connection, 'RequestSpacer', self._limiter)
        monkeypatch.setattr(connection.private_directory, 'find', self._directory)

    def _transport(self, **kwargs):
        transport = ScriptedTransport(ok())
        transport.built_with = kwargs
        transport.closed = False

        def close():
            transport.closed = True
        transport.close = close
        self.transports.append(transport)
        return transport

    def _limiter(self, rate, key, directory, warnings):
        self.limiters.append((rate, key, directory))
        return NoLimit()

    def _directory(self, environ):
        self.directories.append(environ)
        DIRECTORY.closed = False
        return DIRECTORY


def values(**changed):
    merged = dict((name, spec.get('default')) for name, spec in list(COMMON_ARGUMENT_SPEC.items())
                  + list(WAIT_ARGUMENT_SPEC.items()))
    merged.update(region='ap-guangzhou', **changed)
    return merged


@pytest.fixture
def built(monkeypatch):
    return Built(monkeypatch)


def test_the_sts_client_calls_sts_at_its_endpoint_version_and_rate(built):
    environ = {'HTTPS_PROXY': 'http://proxy.example:3128'}
    run = connection.Connection(values(sts_endpoint='sts.intl.tencentcloudapi.com'), environ)
    client = run.sts_client(CREDENTIALS, region='ap-singapore')
    client.call('AssumeRole', {})
    (sent,) = built.transports[0].sent
    headers = sent['headers']
    assert sent['url'] == 'https://sts.intl.tencentcloudapi.com/'
    assert (headers['Host'], headers['X-TC-Version'], headers['X-TC-Region']) == (
        'sts.intl.tencentcloudapi.com', sts.API_VERSION, 'ap-singapore')
    assert '/sts/tc3_request' in headers['Authorization']
    assert built.limiters == [
        (10, 'sts.intl.tencentcloudapi.com AKIDrun AssumeRole', DIRECTORY),
        (10, 'sts.intl.tencentcloudapi.com AKIDrun AssumeRoleWithWebIdentity', DIRECTORY)]
    assert built.transports[0].built_with['environ'] is environ
    assert built.transports[0].built_with['pool_size'] == 1  # one STS call at a time


def test_a_client_without_credentials_has_a_rate_budget_of_its_own(built):
    run = connection.Connection(values(), {})
    run.client('sts', sts.API_VERSION, 'sts.tencentcloudapi.com', None, {'AssumeRoleWithWebIdentity': 10},
               pool_size=3)
    assert built.limiters[0][1] == 'sts.tencentcloudapi.com unsigned AssumeRoleWithWebIdentity'
    assert built.transports[0].built_with['pool_size'] == 3


def test_the_metadata_transport_never_goes_through_a_proxy(built):
    environ = {'HTTP_PROXY': 'http://proxy.example:3128'}
    connection.Connection(values(), environ).metadata_transport()
    assert built.transports[0].built_with == {'pool_size': 1, 'environ': environ, 'use_proxies': False}


@pytest.mark.parametrize('coalesce', [True, False])
def test_shared_reads_follow_coalesce_and_the_request_timeout(built, coalesce):
    run = connection.Connection(values(coalesce=coalesce, request_timeout=7.0), {})
    shared = run.shared_reads()
    if not coalesce:
        assert shared is None
        return
    assert (shared._directory, shared._lease) == (DIRECTORY, 7.0)
    # A read without a wait waits for others no longer than its own call could take: 6 attempts and 5 delays.
    assert shared._patience == 7.0 * 6 + 0.5 + 1 + 2 + 4 + 8


def test_the_private_directory_is_looked_up_once_a_run(built):
    environ = {}
    run = connection.Connection(values(), environ)
    run.client('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', CREDENTIALS, {'DescribeInstancesStatus': 40})
    run.shared_reads()
    run.sts_client(CREDENTIALS)
    assert built.directories == [environ]


def test_close_closes_every_transport_opened(built):
    run = connection.Connection(values(), {})
    run.client('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', CREDENTIALS, {'DescribeInstancesStatus': 40})
    run.metadata_transport()
    run.close()
    assert [transport.closed for transport in built.transports] == [True, True] and DIRECTORY.closed


def test_every_action_of_a_service_has_a_limiter_of_its_own(built):
    run = connection.Connection(values(), {})
    run.client('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', CREDENTIALS,
               {'DescribeInstancesStatus': 40, 'StartInstances': 10})
    assert built.limiters == [
        (40, 'cvm.tencentcloudapi.com AKIDrun DescribeInstancesStatus', DIRECTORY),
        (10, 'cvm.tencentcloudapi.com AKIDrun StartInstances', DIRECTORY)]
