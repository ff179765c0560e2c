# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One region's change against the emulator: what it reads besides the states, and when."""

import time

import requests
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_power import set_power_state
from ansible_collections.tencentcloud.cloud.plugins.module_utils.power_in_region import _first_read_of
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.plugins.modules.cvm_instance_power import ARGUMENT_SPEC
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import SECRET_ID, SECRET_KEY, running
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import recorded_deadlines

FAST = Clock(wall=time.time, monotonic=time.monotonic, sleep=lambda seconds: time.sleep(min(seconds, 0.1)))


def change(url, ids, **values):
    every = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(ARGUMENT_SPEC.items())}
    every.update(dict({'region': 'ap-guangzhou', 'wait_interval': 0.1, 'wait_timeout': 30, 'endpoint': url}, **values))
    options = Options(every, [('options', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'security_token': None})])
    return set_power_state(options, ids, environ={}, clock=FAST)


def actions(url):
    return requests.get(url + '/_emulator/stats', timeout=5).json()['actions']


def test_a_wait_looks_up_no_operation_of_an_instance_moving_towards_the_target(tmp_path):
    scenario = {'power_seconds': 0.6, 'instances': [{'id': 'ins-stopped1', 'state': 'STOPPED'}]}
    with running(tmp_path, scenario=scenario) as url:
        result = change(url, ['ins-stopped1'], state='running')
        assert result.instance_states == {'ins-stopped1': 'RUNNING'} and result.polls > 1
        # The first read only: a STARTING instance is on its way, and the wait reads the states alone.
        assert actions(url)['DescribeInstances'] == 1


def test_a_lost_start_is_known_by_its_operation_while_the_state_lags(tmp_path):
    # The start was carried out, its answer lost; the instance's operation shows it before its state does.
    scenario = {'power_seconds': 0.3,
                'instances': [{'id': 'ins-delayed1', 'state': 'STOPPED', 'power_delay': 0.5}],
                'faults': [{'kind': 'api_error', 'code': 'InternalError', 'action': 'StartInstances', 'applied': True,
                            'count': 1}]}
    with running(tmp_path, scenario=scenario) as url:
        result = change(url, ['ins-delayed1'], state='running')
        assert [(action['action'], action['applied']) for action in result.actions] == [('StartInstances', True)]
        assert actions(url)['StartInstances'] == 1 and result.instance_states == {'ins-delayed1': 'RUNNING'}


def test_a_reboot_counts_once_its_operation_shows_though_the_state_came_back_before(tmp_path):
    # The instance reads REBOOTING, then RUNNING, a second before its latest operation shows the reboot: the operation
    # the change read first tells the reboot's from the past, and the change waits for it.
    past = {'name': 'StartInstances', 'state': 'SUCCESS', 'request_id': 'req-long-ago'}
    scenario = {'power_seconds': 0.2, 'instances': [
        {'id': 'ins-running1', 'state': 'RUNNING', 'operation': past, 'operation_delay': 1.5}]}
    with running(tmp_path, scenario=scenario) as url:
        result = change(url, ['ins-running1'], state='rebooted')
    assert result.instance_states == {'ins-running1': 'RUNNING'} and result.elapsed >= 1.5


def test_without_describe_instances_the_change_says_so_once_and_every_read_keeps_the_deadline(tmp_path, monkeypatch):
    calls = recorded_deadlines(monkeypatch)
    scenario = {'power_seconds': 0.3, 'instances': [{'id': 'ins-running1', 'state': 'RUNNING'}],
                'faults': [{'kind': 'api_error', 'code': 'UnauthorizedOperation', 'action': 'DescribeInstances',
                            'rate': 1.0}]}
    with running(tmp_path, scenario=scenario) as url:
        result = change(url, ['ins-running1'], state='restarted', wait_timeout=20)
    assert result.instance_states == {'ins-running1': 'RUNNING'}
    said = [warning for warning in result.warnings if "told by the instances' states alone" in warning]
    assert len(said) == 1
    assert {deadline for action, deadline in calls if action != 'DescribeInstances'} == {
        "the task's deadline (wait_timeout 20s + request_timeout 10s)"}


def test_the_operations_before_a_change_are_those_of_its_instances():
    listed = {'ins-a': {'InstanceId': 'ins-a', 'InstanceState': 'RUNNING', 'LatestOperationRequestId': 'req-a'},
              'ins-b': {'InstanceId': 'ins-b', 'InstanceState': 'STOPPED', 'LatestOperationRequestId': 'req-b'}}
    snapshot, before = _first_read_of(['ins-a', 'ins-c'], listed)
    assert snapshot.states == {'ins-a': 'RUNNING'} and snapshot.missing == ['ins-c']
    assert list(before) == ['ins-a'] and before['ins-a'].request_id == 'req-a'
