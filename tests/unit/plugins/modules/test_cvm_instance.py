# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle module's shell in-process: options in, one line out on bad input, no call, no secret shown."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.modules.running import run_main

PASSWORD = 'instance-password-never-shown'
CREDENTIALS = {'secret_id': 'AKIDmodule', 'secret_key': 'module-secret-key', 'region': 'ap-guangzhou'}
LAUNCH = {'name': 'web', 'image_id': 'img-test0001', 'zone': 'ap-guangzhou-3', 'password': PASSWORD}


def run_module(args, capsys):
    return run_main(cvm_instance.main, args, capsys, FakeClock(), PASSWORD)


@pytest.mark.parametrize('args, message', [
    ({'exact_count': -1}, 'exact_count must be 0 or more, not -1'),
    ({'instance_type': 's5 medium'}, "instance_type 's5 medium' is not of the form family.size, such as S5.MEDIUM4"),
    ({'zone': 'ap-shanghai-2'}, 'zone ap-shanghai-2 is not a zone of region ap-guangzhou (from the region option)'),
    ({'exact_count': 1, 'count': 2}, 'parameters are mutually exclusive: exact_count|count'),
    ({'vpc_id': 'vpc-a'}, 'parameters are required together: vpc_id, subnet_id'),
])
def test_bad_input_is_one_line_without_a_call_and_without_the_password(fake_service, capsys, args, message):
    code, result = run_module(dict(CREDENTIALS, **dict(LAUNCH, **args)), capsys)
    assert code == 1 and result['msg'] == message and fake_service.sent == []


def test_a_misspelt_option_is_named_with_the_one_meant(fake_service, capsys):
    code, result = run_module(dict(CREDENTIALS, exact_cuont=2, **LAUNCH), capsys)
    assert code == 1 and "exact_cuont (did you mean exact_count?)" in result['msg']


def test_the_state_words_are_those_of_the_use_case():
    from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_lifecycle import STATE_ALIASES, STATES
    assert cvm_instance.ARGUMENT_SPEC['state']['choices'] == list(STATES) + list(STATE_ALIASES)
