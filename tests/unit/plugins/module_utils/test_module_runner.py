# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module does around its one call: requests, a caller gone, one-line failures, warnings, the diff."""

import pytest
from ansible.module_utils.basic import missing_required_lib
from ansible_collections.tencentcloud.cloud.plugins.module_utils import module_runner
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.caller_watch import CallerGone
from ansible_collections.tencentcloud.cloud.plugins.module_utils.power_in_region import PowerResult
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed, StatusResult
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


class Exited(Exception):
    pass


class FakeModule:
    def __init__(self, diff=False):
        self.params = {'instance_ids': ['ins-aaaaaaaa'], 'secret_id': None, 'secret_key': None,
                       'security_token': None}
        self.check_mode = False
        self._diff = diff
        self.warnings = []
        self.answer = None

    def warn(self, warning):
        self.warnings.append(warning)

    def exit_json(self, **answer):
        self.answer = dict(answer, failed=False)
        raise Exited()

    def fail_json(self, **answer):
        self.answer = dict(answer, failed=True)
        raise Exited()


def answered(call, module=None):
    module = module or FakeModule()
    with pytest.raises(Exited):
        module_runner.answer(module, call, FakeClock())
    return module


def test_the_call_gets_the_options_the_ids_check_mode_and_a_watched_clock():
    seen = {}

    def call(options, instance_ids, clock, check_mode):
        seen.update(ids=instance_ids, check_mode=check_mode, sleeps=callable(clock.sleep))
        result = StatusResult(warnings=['careful'])
        result.instance_states = {'ins-aaaaaaaa': 'RUNNING'}
        result.regions = {'ins-aaaaaaaa': 'ap-guangzhou'}
        result.missing = []
        return result
    module = answered(call)
    assert seen == {'ids': ['ins-aaaaaaaa'], 'check_mode': False, 'sleeps': True}
    assert module.answer['ansible_facts'] == {'tencentcloud_cvm_instance_states': {'ins-aaaaaaaa': 'RUNNING'},
                                              'tencentcloud_cvm_instance_regions': {'ins-aaaaaaaa': 'ap-guangzhou'}}
    assert module.answer['changed'] is False and module.warnings == ['careful'] and 'diff' not in module.answer


@pytest.mark.parametrize('error, message', [
    (CallerGone(), 'stopped waiting: Ansible no longer waits for this task'),
    (OptionError('region is required'), 'region is required'),
])
def test_a_failure_is_one_line(error, message):
    def call(*args, **kwargs):
        raise error
    module = answered(call)
    assert module.answer == {'msg': message, 'failed': True}


def test_a_failed_query_keeps_its_result_and_warnings():
    def call(*args, **kwargs):
        raise QueryFailed('timed out', StatusResult(request_ids=['req-1'], warnings=['slow']))
    module = answered(call)
    assert module.answer['msg'] == 'timed out' and module.answer['request_ids'] == ['req-1']
    assert module.warnings == ['slow']


def test_the_diff_only_in_diff_mode_and_only_where_something_can_change():
    def call(*args, **kwargs):
        result = PowerResult(previous_states={'ins-aaaaaaaa': 'STOPPED'})
        result.instance_states, result.missing = {'ins-aaaaaaaa': 'RUNNING'}, []
        return result
    assert answered(call, FakeModule(diff=True)).answer['diff'] == {
        'before': {'instance_states': {'ins-aaaaaaaa': 'STOPPED'}}, 'after': {'instance_states': {'ins-aaaaaaaa': 'RUNNING'}}}
    assert 'diff' not in answered(call, FakeModule(diff=False)).answer


def test_without_requests_nothing_is_called(monkeypatch):
    monkeypatch.setattr(module_runner, 'HAS_REQUESTS', False)
    monkeypatch.setattr(module_runner, 'REQUESTS_IMPORT_ERROR', 'the traceback of the import')
    module = answered(lambda *args, **kwargs: pytest.fail('called'))
    assert module.answer == {'msg': missing_required_lib('requests'), 'exception': 'the traceback of the import',
                             'failed': True}
