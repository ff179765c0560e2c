# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the one call behind both plugins wires the shared pieces: the limiter's budget, the transport, deadlines."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import instance_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, WAIT_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import FakeApiTransport


def options(**values):
    defaults = dict((name, spec.get('default')) for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(WAIT_ARGUMENT_SPEC.items()))
    defaults.update(region='ap-guangzhou', **values)
    credentials = {'secret_id': 'AKIDaccount', 'secret_key': 'account-key', 'security_token': None}
    return Options(defaults, [('options', credentials)])


@pytest.fixture
def wired(monkeypatch, tmp_path):
    seen = {'spacers': [], 'transports': []}
    transport = FakeApiTransport({'ins-aaaaaaaa': 'RUNNING'})

    class RecordingSpacer:
        def __init__(self, rate, key, directory, warnings):
            seen['spacers'].append((rate, key))

        def acquire(self, max_wait=None):
            pass

    def make_transport(**kwargs):
        seen['transports'].append(kwargs)
        return transport
    monkeypatch.setattr(instance_status, 'RequestSpacer', RecordingSpacer)
    monkeypatch.setattr(instance_status, 'HttpTransport', make_transport)
    seen['transport'] = transport
    return seen


def test_one_budget_of_40_a_second_per_account_endpoint_and_action(wired):
    instance_status.query_instance_status(options(endpoint='cvm.example.com'), ['ins-aaaaaaaa'], environ={})
    assert wired['spacers'] == [(40, 'cvm.example.com AKIDaccount DescribeInstancesStatus')]


def test_the_transport_gets_the_certificate_settings(wired, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    instance_status.query_instance_status(options(validate_certs=False, ca_bundle=str(bundle)), ['ins-aaaaaaaa'],
                                          environ={})
    assert wired['transports'][0]['validate_certs'] is False and wired['transports'][0]['ca_bundle'] == str(bundle)


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
