# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Terminating instances: at rest at once, moving once at rest, a lost answer read back per instance, never sent
again over another operation, termination protection refused with the service's message."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import Batch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.termination import (
    GONE, TERMINATE, TerminationFailed, TerminationSettings, planned, terminate,
)
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock

SETTINGS = TerminationSettings(wait=True, timeout=60, interval=5)


class Account:
    """Instances as ``DescribeInstances`` describes them, changed by the scripted answers to each call."""

    def __init__(self, states, operations=None):
        self.items = {i: {'InstanceId': i, 'InstanceState': s} for i, s in states.items()}
        for i, (name, request_id) in (operations or {}).items():
            self.items[i].update(LatestOperation=name, LatestOperationRequestId=request_id)
        self.sent = []
        self.answers = []
        self.after_read = []

    def described(self, ids):
        if self.after_read:
            self.after_read.pop(0)(self)
        return {i: dict(self.items[i]) for i in ids if i in self.items}

    def send(self, action, ids):
        self.sent.append((action, list(ids)))
        error = self.answers.pop(0) if self.answers else None
        if error is None or error.code == 'InternalError':
            for i in ids:
                self.items[i].update(InstanceState='TERMINATING', LatestOperation=TERMINATE,
                                     LatestOperationRequestId='r-%d' % len(self.sent))
        return [Batch(action, list(ids), None if error else 'r-%d' % len(self.sent), error)]


def run(account, ids, settings=SETTINGS):
    return terminate(ids, account.described, account.send, settings, FakeClock())


def gone(account):
    account.items.clear()


def test_instances_at_rest_are_terminated_in_one_call_and_waited_for_until_gone():
    account = Account({'ins-a0000001': 'RUNNING', 'ins-a0000002': 'STOPPED', 'ins-a0000003': 'TERMINATING'})
    account.after_read = [lambda a: None, gone]
    record = run(account, list(account.items))
    assert account.sent == [(TERMINATE, ['ins-a0000001', 'ins-a0000002'])]
    assert record.terminated == ['ins-a0000001', 'ins-a0000002'] and record.changed
    assert record.states == dict.fromkeys(['ins-a0000001', 'ins-a0000002', 'ins-a0000003'], GONE)


def test_a_moving_instance_is_terminated_once_at_rest():
    account = Account({'ins-a0000001': 'PENDING'})
    account.after_read = [lambda a: None, lambda a: a.items['ins-a0000001'].update(InstanceState='RUNNING')]
    run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    assert account.sent == [(TERMINATE, ['ins-a0000001'])]


def test_a_lost_answer_that_shows_is_carried_out_and_not_sent_again():
    account = Account({'ins-a0000001': 'RUNNING'})
    account.answers = [TencentCloudError('InternalError', 'lost')]
    record = run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    assert len(account.sent) == 1 and record.batches[0].applied is True and record.terminated == ['ins-a0000001']


def test_a_lost_answer_that_shows_nothing_is_sent_once_more_then_fails():
    account = Account({'ins-a0000001': 'RUNNING'}, {'ins-a0000001': ('StartInstances', 'before')})

    def lost_before_reaching_it(action, ids):
        account.sent.append((action, list(ids)))
        return [Batch(action, list(ids), None, TencentCloudError('RequestTimeout', 'no answer'))]
    account.send = lost_before_reaching_it
    with pytest.raises(TerminationFailed) as caught:
        run(account, ['ins-a0000001'])
    assert len(account.sent) == 2
    assert str(caught.value) == ('TerminateInstances for ins-a0000001: 2 calls in a row had their answers lost (the '
                                 'last: RequestTimeout: no answer), and the instance shows none of them (applied: '
                                 'unknown): not sent again')
    assert caught.value.batch is caught.value.record.batches[-1] and len(caught.value.record.batches) == 2


@pytest.mark.parametrize('name, said', [('StopInstances', 'StopInstances'), (None, 'another operation')])
def test_another_operation_after_a_lost_answer_is_never_sent_over(name, said):
    account = Account({'ins-a0000001': 'RUNNING'}, {'ins-a0000001': ('StartInstances', 'before')})

    def someone_else(action, ids):
        account.sent.append((action, list(ids)))
        account.items['ins-a0000001'].update(InstanceState='STOPPING', LatestOperation=name,
                                             LatestOperationRequestId='theirs')
        return [Batch(action, list(ids), None, TencentCloudError('RequestTimeout', 'no answer'))]
    account.send = someone_else
    with pytest.raises(TerminationFailed) as caught:
        run(account, ['ins-a0000001'])
    assert len(account.sent) == 1
    assert str(caught.value) == (
        'the answer to TerminateInstances for ins-a0000001 was lost (RequestTimeout: no answer), and %s (RequestId '
        'theirs) came after it: whether it was carried out is unknown (applied: unknown), and it is not sent again '
        'over another operation' % said)
    assert caught.value.batch is caught.value.record.batches[0] and caught.value.record.batches[0].applied == 'unknown'


@pytest.mark.parametrize('state', ['TERMINATING', 'SHUTDOWN'])
def test_a_lost_answer_is_known_carried_out_by_an_ending_state_alone(state):
    # No operation shows the call (the service may not record one), but the instance is ending: it was carried out.
    account = Account({'ins-a0000001': 'RUNNING'})

    def ended_quietly(action, ids):
        account.sent.append((action, list(ids)))
        account.items['ins-a0000001'].update(InstanceState=state)
        return [Batch(action, list(ids), None, TencentCloudError('RequestTimeout', 'no answer'))]
    account.send = ended_quietly
    record = run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    assert len(account.sent) == 1 and record.terminated == ['ins-a0000001'] and record.batches[0].applied is True


def test_what_check_mode_would_terminate():
    assert planned({'ins-a0000001': 'RUNNING', 'ins-a0000002': 'SHUTDOWN', 'ins-a0000003': GONE,
                    'ins-a0000004': 'PENDING'}) == ['ins-a0000001', 'ins-a0000004']


def test_an_instance_that_never_ends_fails_at_the_deadline_naming_its_state():
    account = Account({'ins-a0000001': 'RUNNING', 'ins-a0000002': 'RUNNING'})
    with pytest.raises(TerminationFailed) as caught:
        run(account, ['ins-a0000001', 'ins-a0000002'])
    # Sent once, then read at every interval until the deadline: TERMINATING for ever.
    assert account.sent == [(TERMINATE, ['ins-a0000001', 'ins-a0000002'])]
    assert str(caught.value) == ('timed out after 60s waiting for ins-a0000001, ins-a0000002 to be terminated: '
                                 'ins-a0000001 (TERMINATING), ins-a0000002 (TERMINATING)')
    record = caught.value.record
    assert record.polls == 60 // 5 and record.terminated == ['ins-a0000001', 'ins-a0000002']


def test_a_lost_answer_that_no_read_shows_until_the_deadline_is_not_sent_again():
    account = Account({'ins-a0000001': 'PENDING', 'ins-a0000002': 'RUNNING'})

    def lost_while_the_other_settles(action, ids):
        account.sent.append((action, list(ids)))
        return [Batch(action, list(ids), None, TencentCloudError('RequestTimeout', 'no answer'))]
    account.send = lost_while_the_other_settles
    with pytest.raises(TerminationFailed) as caught:
        run(account, ['ins-a0000001', 'ins-a0000002'], TerminationSettings(True, 5, 5))
    # Shown nothing at the first read, it was sent once more; lost again, the deadline came before the next read.
    assert account.sent == [(TERMINATE, ['ins-a0000002'])] * 2
    assert str(caught.value) == (
        'the answer to TerminateInstances for ins-a0000002 was lost, and no read until the deadline (5s) showed '
        'whether it was carried out (applied: unknown): not sent again; read the instances before acting on them '
        'again')
    assert len(caught.value.record.batches) == 2


@pytest.mark.parametrize('code, sent', [
    # Busy with another operation: tried again once it is over, however many times.
    ('OperationDenied.InstanceOperationInProgress', 7),
    # Refused for a state someone else changed: decided again a bounded number of times.
    ('UnsupportedOperation.InstanceStateRunning', 6),
])
def test_a_refused_termination_is_decided_again_a_bounded_number_of_times(code, sent):
    account = Account({'ins-a0000001': 'RUNNING'})
    account.answers = [TencentCloudError(code, 'refused', 'r')] * 6
    if sent == 7:
        run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    else:
        with pytest.raises(TerminationFailed, match='TerminateInstances failed for ins-a0000001: %s' % code):
            run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    assert len(account.sent) == sent


def refused_once(code, message, request_id):
    """The failure of a termination whose one call the service refused, sent once."""
    account = Account({'ins-a0000001': 'RUNNING'})
    account.answers = [TencentCloudError(code, message, request_id)]
    with pytest.raises(TerminationFailed) as caught:
        run(account, ['ins-a0000001'])
    assert len(account.sent) == 1
    return caught.value


def test_a_refusal_of_another_kind_fails_at_once_with_the_services_message():
    failure = refused_once('InvalidInstanceId.NotFound', 'no such instance', 'r')
    assert str(failure) == ('TerminateInstances failed for ins-a0000001: InvalidInstanceId.NotFound: no such '
                            'instance (RequestId: r)')
    assert failure.batch.error.code == 'InvalidInstanceId.NotFound'
    assert failure.record.batches == [failure.batch]


def test_a_read_just_made_is_the_first_and_the_states_before_are_kept():
    account = Account({'ins-a0000001': 'RUNNING'})
    reads = []
    described = account.described
    account.described = lambda ids: reads.append(list(ids)) or described(ids)
    first = {'ins-a0000001': {'InstanceId': 'ins-a0000001', 'InstanceState': 'RUNNING'}}
    record = terminate(['ins-a0000001'], account.described, account.send, TerminationSettings(False, 60, 5),
                       FakeClock(), first=first)
    assert reads == [] and account.sent == [(TERMINATE, ['ins-a0000001'])]
    assert record.previous == {'ins-a0000001': 'RUNNING'} and record.states == {'ins-a0000001': 'RUNNING'}


def test_an_instance_moving_beside_one_terminated_at_once_is_waited_for_then_terminated():
    account = Account({'ins-a0000001': 'PENDING', 'ins-a0000002': 'RUNNING'})
    account.after_read = [lambda a: None, lambda a: a.items['ins-a0000001'].update(InstanceState='RUNNING')]
    record = run(account, ['ins-a0000001', 'ins-a0000002'], TerminationSettings(False, 60, 5))
    assert account.sent == [(TERMINATE, ['ins-a0000002']), (TERMINATE, ['ins-a0000001'])]
    assert record.terminated == ['ins-a0000002', 'ins-a0000001']


def test_an_instance_that_never_comes_to_rest_fails_at_the_deadline_the_last_read_shortened_to_it():
    account = Account({'ins-a0000001': 'PENDING'})
    clock = FakeClock()
    with pytest.raises(TerminationFailed) as caught:
        terminate(['ins-a0000001'], account.described, account.send, TerminationSettings(False, 12, 5), clock)
    assert str(caught.value) == 'timed out after 12s waiting for ins-a0000001 to be terminated: ins-a0000001 (PENDING)'
    assert clock.sleeps == [5, 5, 2] and account.sent == [] and caught.value.record.polls == 3


def test_a_request_the_client_sent_again_is_reported_and_the_one_after_it_decided_on():
    account = Account({'ins-a0000001': 'RUNNING'})

    def sent_twice(action, ids):
        account.sent.append((action, list(ids)))
        return [Batch(action, list(ids), None, TencentCloudError('InternalError', 'lost'), retried=True),
                Batch(action, list(ids), 'r-2')]
    account.send = sent_twice
    record = run(account, ['ins-a0000001'], TerminationSettings(False, 60, 5))
    assert record.terminated == ['ins-a0000001'] and [batch.retried for batch in record.batches] == [True, False]


def test_termination_protection_fails_with_the_services_message_and_what_was_done():
    failure = refused_once('UnsupportedOperation.InstancesProtected', 'protected, really', 'r-p')
    assert str(failure) == ('TerminateInstances was refused for ins-a0000001: termination protection is on '
                            '(UnsupportedOperation.InstancesProtected: protected, really (RequestId: r-p))')
    assert failure.record.previous == {'ins-a0000001': 'RUNNING'} and len(failure.record.batches) == 1
