# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a run's clients are built with: each service's endpoint, version, rate and pool, one private directory."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.service import Service
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.sts import STS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import CVM
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, WAIT_ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, NoLimit, ScriptedTransport, ok

CREDENTIALS = Credentials('AKIDrun', 'run-key', None, 'options')


class FakeDirectory:
    path = '/run/user/1000/tencentcloud.cloud'
    closed = False
    reopened = 0

    def close(self):
        self.closed = True

    def reopen_if_replaced(self):
        self.reopened += 1


DIRECTORY = FakeDirectory()


class Built:
    """Every transport and limiter the clients build, with what it was built with."""

    def __init__(self, monkeypatch):
        self.transports = []
        self.limiters = []
        self.limiter_warnings = []
        self.directories = []
        monkeypatch.setattr(clients, 'HttpTransport', self._transport)
        monkeypatch.setattr(clients, 'RequestSpacer', self._limiter)
        monkeypatch.setattr(clients.private_directory, 'find', self._directory)

    def _transport(self, **kwargs):
        transport = ScriptedTransport(ok())
        transport.built_with = kwargs
        transport.closed = False

        def close():
            transport.closed = True
        transport.close = close
        self.transports.append(transport)
        return transport

    def _limiter(self, rate, key, directory, warnings, clock):
        self.limiters.append((rate, key, directory))
        self.limiter_warnings.append(warnings)
        return NoLimit()

    def _directory(self, environ, warnings=None):
        self.directories.append(environ)
        DIRECTORY.closed = False
        return DIRECTORY


def values(**changed):
    merged = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items())
              + list(WAIT_ARGUMENT_SPEC.items())}
    merged.update(region='ap-guangzhou', **changed)
    return Settings.from_values(merged)


@pytest.fixture
def built(monkeypatch):
    return Built(monkeypatch)


def test_the_sts_client_calls_sts_at_its_endpoint_version_and_rate(built):
    environ = {'HTTPS_PROXY': 'http://proxy.example:3128'}
    run = clients.Clients(values(sts_endpoint='sts.intl.tencentcloudapi.com'), environ)
    client = run.sts_client(CREDENTIALS, region='ap-singapore')
    client.call('AssumeRole', {})
    (sent,) = built.transports[0].sent
    headers = sent['headers']
    assert sent['url'] == 'https://sts.intl.tencentcloudapi.com/'
    assert (headers['Host'], headers['X-TC-Version'], headers['X-TC-Region']) == (
        'sts.intl.tencentcloudapi.com', STS.version, 'ap-singapore')
    assert '/sts/tc3_request' in headers['Authorization']
    assert built.limiters == [
        (10, 'sts.intl.tencentcloudapi.com AKIDrun AssumeRole', DIRECTORY),
        (10, 'sts.intl.tencentcloudapi.com AKIDrun AssumeRoleWithWebIdentity', DIRECTORY)]
    assert built.transports[0].built_with['environ'] is environ
    assert built.transports[0].built_with['pool_size'] == 1  # one STS call at a time


def test_a_client_without_credentials_has_a_rate_budget_of_its_own(built):
    run = clients.Clients(values(), {})
    run.client(Service('sts', '2018-08-13', 'sts.tencentcloudapi.com', {'AssumeRoleWithWebIdentity': 10}),
               'sts.tencentcloudapi.com', None, pool_size=3)
    assert built.limiters[0][1] == 'sts.tencentcloudapi.com unsigned AssumeRoleWithWebIdentity'
    assert built.transports[0].built_with['pool_size'] == 3


def test_the_metadata_transport_never_goes_through_a_proxy(built):
    environ = {'HTTP_PROXY': 'http://proxy.example:3128'}
    clients.Clients(values(), environ).metadata_transport()
    assert built.transports[0].built_with == {'pool_size': 1, 'environ': environ, 'use_proxies': False}


@pytest.mark.parametrize('coalesce', [True, False])
def test_shared_reads_follow_coalesce_and_the_request_timeout(built, coalesce):
    run = clients.Clients(values(coalesce=coalesce, request_timeout=7.0), {})
    shared = run.shared_reads()
    if not coalesce:
        assert shared is None
        return
    assert (shared._directory, shared._lease) == (DIRECTORY, 7.0)
    # A shared call that failed on 6 attempts is what this caller's own would meet; what it must say is the run's.
    assert shared._attempts == 6 and shared._warnings is run.warnings
    # A read without a wait waits for others no longer than its own call could take: 6 attempts and 5 delays.
    assert shared._patience == 7.0 * 6 + 0.5 + 1 + 2 + 4 + 8


def test_the_private_directory_is_looked_up_once_a_run(built):
    environ = {}
    run = clients.Clients(values(), environ)
    run.client(CVM, 'cvm.tencentcloudapi.com', CREDENTIALS)
    run.shared_reads()
    run.sts_client(CREDENTIALS)
    assert built.directories == [environ]


def test_close_closes_every_transport_opened(built):
    run = clients.Clients(values(), {})
    run.client(CVM, 'cvm.tencentcloudapi.com', CREDENTIALS)
    run.metadata_transport()
    run.close()
    assert [transport.closed for transport in built.transports] == [True, True] and DIRECTORY.closed


def test_every_action_of_a_service_has_a_limiter_of_its_own(built):
    run = clients.Clients(values(), {})
    run.client(Service('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', {'DescribeInstancesStatus': 40, 'StartInstances': 10}),
               'cvm.tencentcloudapi.com', CREDENTIALS)
    assert built.limiters == [
        (40, 'cvm.tencentcloudapi.com AKIDrun DescribeInstancesStatus', DIRECTORY),
        (10, 'cvm.tencentcloudapi.com AKIDrun StartInstances', DIRECTORY)]
    assert all(warnings is run.warnings for warnings in built.limiter_warnings)


def test_an_action_the_service_gives_no_rate_is_refused_by_name_before_any_request(built):
    run = clients.Clients(values(), {})
    client = run.client(Service('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', {'DescribeInstancesStatus': 40}),
                        'cvm.tencentcloudapi.com', CREDENTIALS)
    with pytest.raises(ValueError, match='service cvm has no rate for ResizeInstanceDisks'):
        client.call('ResizeInstanceDisks', {})
    assert built.transports[0].sent == []


def test_shared_reads_keep_the_runs_clock(built):
    clock = FakeClock()
    shared = clients.Clients(values(), {}, clock).shared_reads()
    assert (shared._clock, shared._timer, shared._sleep) == (clock.wall, clock.monotonic, clock.sleep)


def test_a_long_run_reopens_the_private_directory_if_replaced_and_without_one_does_nothing(built, monkeypatch):
    run = clients.Clients(values(), {})
    run.shared_reads()
    reopened = DIRECTORY.reopened
    run.reopen_private_directory_if_replaced()
    assert DIRECTORY.reopened == reopened + 1
    monkeypatch.setattr(clients.private_directory, 'find', lambda environ, warnings=None: None)
    without = clients.Clients(values(), {})
    without.shared_reads()
    without.reopen_private_directory_if_replaced()
