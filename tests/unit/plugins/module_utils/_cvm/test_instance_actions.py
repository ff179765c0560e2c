# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending the power actions: 100 IDs a call, the stop options where they apply, every call's outcome kept."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import (
    Batch, InstanceActions, refused_for_state, refused_while_busy,
)
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import ScriptedClient

IDS = ['ins-%08d' % n for n in range(250)]


def test_250_instances_go_in_3_calls_of_100_100_and_50():
    client = ScriptedClient(answer=lambda action, params: {})
    batches = InstanceActions(client).send('StartInstances', IDS)
    assert [batch.instance_ids for batch in batches] == [IDS[:100], IDS[100:200], IDS[200:]]
    assert sorted(call['InstanceIds'][0] for call in client.calls) == [IDS[0], IDS[100], IDS[200]]
    assert client.actions == ['StartInstances'] * 3
    assert all(batch.error is None and batch.request_id.startswith('r-') for batch in batches)


def test_the_stop_options_go_only_where_the_api_takes_them():
    client = ScriptedClient(answer=lambda action, params: {})
    actions = InstanceActions(client, stop_type='HARD', stopped_mode='STOP_CHARGING')
    for action in ('StartInstances', 'StopInstances', 'RebootInstances'):
        actions.send(action, IDS[:1])
    assert client.calls == [{'InstanceIds': IDS[:1]},
                            {'InstanceIds': IDS[:1], 'StopType': 'HARD', 'StoppedMode': 'STOP_CHARGING'},
                            {'InstanceIds': IDS[:1], 'StopType': 'HARD'}]


def test_without_stop_options_the_api_defaults_apply():
    client = ScriptedClient(answer=lambda action, params: {})
    InstanceActions(client).send('StopInstances', IDS[:1])
    assert client.calls == [{'InstanceIds': IDS[:1]}]


def test_a_failed_call_is_kept_with_its_batch_and_the_others_still_count():
    refusal = TencentCloudError('UnsupportedOperation.InstanceStateRunning', 'running', 'req-refused')

    def answer(action, params):
        if params['InstanceIds'][0] == IDS[100]:
            raise refusal
        return {}
    batches = InstanceActions(ScriptedClient(answer=answer)).send('StartInstances', IDS)
    assert [batch.error for batch in batches] == [None, refusal, None]
    assert batches[1] == Batch('StartInstances', IDS[100:200], 'req-refused', refusal)


def test_which_refusals_are_decided_again():
    assert refused_for_state(TencentCloudError('UnsupportedOperation.InstanceStateStarting', ''))
    assert not refused_for_state(TencentCloudError('UnsupportedOperation.StoppedModeStopCharging', ''))
    assert refused_while_busy(TencentCloudError('OperationDenied.InstanceOperationInProgress', ''))
    assert not refused_while_busy(TencentCloudError('OperationDenied', ''))


@pytest.mark.parametrize('count, sizes', [(100, [100]), (150, [100, 50]), (250, [100, 100, 50])])
def test_every_call_has_the_deadline_and_every_batch_is_sent(count, sizes):
    client = ScriptedClient(answer=lambda action, params: {})
    deadline = Deadline(1234.5, 'the deadline')
    batches = InstanceActions(client).send('StopInstances', IDS[:count], deadline)
    assert [len(batch.instance_ids) for batch in batches] == sizes
    assert client.deadlines == [deadline] * len(sizes)


def test_a_request_the_client_sent_again_is_reported_before_the_one_that_was_decided():
    throttled = TencentCloudError('RequestLimitExceeded', 'slow down', 'req-throttled')

    class Retrying(ScriptedClient):
        def call(self, action, params, deadline=None, keep=None, retried=None):
            retried.append(throttled)
            return super().call(action, params, deadline, keep, retried)
    batches = InstanceActions(Retrying(answer=lambda action, params: {})).send('StopInstances', ['ins-aaaaaaaa'])
    assert [(batch.action, batch.request_id, batch.applied, batch.retried) for batch in batches] == [
        ('StopInstances', 'req-throttled', False, True), ('StopInstances', 'r-1', True, False)]
    assert batches[0].reported()['error']['code'] == 'RequestLimitExceeded'
