# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info module end to end in-process: options in, JSON out, with only the HTTP session faked."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_info
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.modules.running import run_main

SECRET_KEY = 'module-secret-key-never-shown'
CREDENTIALS = {'secret_id': 'AKIDmodule', 'secret_key': SECRET_KEY, 'region': 'ap-guangzhou'}


@pytest.fixture
def session(fake_service):
    fake_service.service.states.update({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'})
    return fake_service


def run_module(args, capsys):
    return run_main(cvm_instance_info.main, args, capsys, FakeClock(), SECRET_KEY)


def test_describes_without_a_change_or_facts(session, capsys):
    code, result = run_module(dict(CREDENTIALS, filters={'instance-state': 'stopped'}, _ansible_check_mode=True),
                              capsys)
    assert code == 0 and result['changed'] is False and 'ansible_facts' not in result
    assert [(i['instance_id'], i['instance_state'], i['region']) for i in result['instances']] == [
        ('ins-bbbbbbbb', 'STOPPED', 'ap-guangzhou')]


def test_bad_filters_are_one_line_without_a_call(session, capsys):
    code, result = run_module(dict(CREDENTIALS, filters={'state': 'RUNNING'}), capsys)
    assert code == 1 and result['msg'].startswith(
        "filters: unknown filter 'state' (did you mean instance-state?); known filters: instance-id,")
    assert session.sent == []
