# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Acting only where needed, deciding again after a refusal, then waiting: against a small cloud on a fake clock."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import (
    FailedOperation, FailedOperationWatch,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_actions import Batch
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_change import (
    MAX_STATE_REFUSALS, PowerFailed, PowerSettings, Watchers, _Lost, _newer, change_power,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import TARGETS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import RebootConfirmation
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock

MOVES = {'StartInstances': ('STARTING', 'RUNNING'), 'StopInstances': ('STOPPING', 'STOPPED'),
         'RebootInstances': ('REBOOTING', 'RUNNING')}


class Cloud:
    """Instance states that move on at each read: an accepted action shows its moving state at the next read and its
    end state at the one after; ``later`` holds changes of other callers, one list entry per read."""

    def __init__(self, states, later=()):
        self.states = dict(states)
        self.later = list(later)
        self.ending = {}
        self.pending = {}
        self.reads = 0
        self.sent = []
        # Action -> errors to answer its next calls with, in order.
        self.refusals = {}

    def read(self):
        self.reads += 1
        self.states.update(self.ending)
        self.ending, self.pending = self.pending, {}
        if self.later:
            self.states.update(self.later.pop(0))
        return Snapshot(dict(self.states), [])

    def send(self, action, ids):
        refusals = self.refusals.get(action)
        if refusals:
            return [Batch(action, ids, 'req-refused', refusals.pop(0))]
        self.sent.append((action, list(ids)))
        moving, end = MOVES[action]
        self.states.update(dict.fromkeys(ids, moving))
        self.pending.update(dict.fromkeys(ids, end))
        return [Batch(action, ids, 'req-%d' % len(self.sent), None)]


def settings(target='running', wait=True, timeout=60, interval=5):
    return PowerSettings(TARGETS[target], wait, timeout, interval)


def change(cloud, target='running', clock=None, **kwargs):
    return change_power(cloud.read(), cloud.read, cloud.send, kwargs.pop('settings', settings(target)),
                        clock or FakeClock(), **kwargs)


def refusal(code='UnsupportedOperation.InstanceStateStarting'):
    return TencentCloudError(code, 'refused', 'req-refused')


def test_instances_at_the_target_cost_no_action_and_no_wait():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'RUNNING'})
    record = change(cloud)
    assert record.batches == [] and cloud.sent == [] and cloud.reads == 1
    assert record.polls is None and record.snapshot == record.previous


def test_the_stopped_start_in_one_call_and_are_waited_for():
    cloud = Cloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPED', 'ins-c': 'RUNNING'})
    clock = FakeClock()
    record = change(cloud, clock=clock)
    assert cloud.sent == [('StartInstances', ['ins-a', 'ins-b'])]
    assert record.batches == [Batch('StartInstances', ['ins-a', 'ins-b'], 'req-1', None)]
    assert record.previous.states == {'ins-a': 'STOPPED', 'ins-b': 'STOPPED', 'ins-c': 'RUNNING'}
    assert record.snapshot.states == dict.fromkeys(['ins-a', 'ins-b', 'ins-c'], 'RUNNING')
    # The wait's first read shows STARTING, the next RUNNING.
    assert record.polls == 2 and clock.sleeps == [5] and record.elapsed == 5


def test_a_stopping_instance_is_started_once_it_has_stopped_with_the_fewest_calls():
    cloud = Cloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPING', 'ins-c': 'STOPPING', 'ins-d': 'STARTING'},
                  later=[{}, {'ins-b': 'STOPPED', 'ins-c': 'STOPPED', 'ins-d': 'RUNNING'}])
    record = change(cloud)
    assert cloud.sent == [('StartInstances', ['ins-a']), ('StartInstances', ['ins-b', 'ins-c'])]
    assert set(record.snapshot.states.values()) == {'RUNNING'}


def test_stopped_is_the_mirror_image():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'STARTING', 'ins-c': 'STOPPING'},
                  later=[{}, {'ins-b': 'RUNNING', 'ins-c': 'STOPPED'}])
    record = change(cloud, 'stopped')
    assert cloud.sent == [('StopInstances', ['ins-a']), ('StopInstances', ['ins-b'])]
    assert set(record.snapshot.states.values()) == {'STOPPED'}


def test_a_restart_reboots_the_running_once_and_starts_the_stopped():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'STOPPED', 'ins-c': 'REBOOTING'}, later=[{}, {'ins-c': 'RUNNING'}])
    record = change(cloud, 'rebooted')
    assert cloud.sent == [('StartInstances', ['ins-b']), ('RebootInstances', ['ins-a'])]
    assert set(record.snapshot.states.values()) == {'RUNNING'}


def test_a_call_refused_for_a_state_changed_by_someone_else_is_decided_again():
    cloud = Cloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPED'}, later=[{}, {'ins-a': 'STARTING'}, {'ins-a': 'RUNNING'}])
    cloud.refusals['StartInstances'] = [refusal()]
    record = change(cloud)
    assert cloud.sent == [('StartInstances', ['ins-b'])]
    # Every call is reported: the refused one, known not to have been carried out, and the one that went through.
    assert [(batch.instance_ids, batch.applied) for batch in record.batches] == [(['ins-a', 'ins-b'], False),
                                                                                 (['ins-b'], True)]
    assert record.changed and set(record.snapshot.states.values()) == {'RUNNING'}


def test_refusals_for_state_are_bounded():
    cloud = Cloud({'ins-a': 'STOPPED'})
    cloud.refusals['StartInstances'] = [refusal() for _n in range(MAX_STATE_REFUSALS + 1)]
    with pytest.raises(PowerFailed) as caught:
        change(cloud)
    assert caught.value.message == ('StartInstances failed for ins-a: UnsupportedOperation.InstanceStateStarting: '
                                    'refused (RequestId: req-refused)')
    assert caught.value.error.code == 'UnsupportedOperation.InstanceStateStarting'
    assert cloud.reads == MAX_STATE_REFUSALS + 1


def test_an_operation_in_progress_is_waited_out_however_many_times():
    cloud = Cloud({'ins-a': 'RUNNING'})
    cloud.refusals['StopInstances'] = [refusal('OperationDenied.InstanceOperationInProgress')
                                       for _n in range(MAX_STATE_REFUSALS + 3)]
    clock = FakeClock()
    record = change(cloud, 'stopped', clock=clock)
    assert cloud.sent == [('StopInstances', ['ins-a'])]
    assert record.snapshot.states == {'ins-a': 'STOPPED'}


def test_an_operation_in_progress_until_the_deadline_fails_naming_the_instance():
    cloud = Cloud({'ins-a': 'RUNNING'})
    cloud.refusals['StopInstances'] = [refusal('OperationDenied.InstanceOperationInProgress') for _n in range(100)]
    clock = FakeClock()
    with pytest.raises(PowerFailed) as caught:
        change(cloud, clock=clock, settings=settings('stopped', timeout=12))
    assert caught.value.message == 'timed out after 12s before ins-a could be acted on: ins-a (RUNNING)'
    assert str(caught.value) == caught.value.message and caught.value.record.previous.states == {'ins-a': 'RUNNING'}
    # The last sleep ends at the deadline, not an interval past it.
    assert cloud.sent == [] and clock.sleeps == [5, 5, 2]


def test_the_wait_gets_what_is_left_of_the_timeout_after_acting():
    cloud = Cloud({'ins-a': 'STOPPING'}, later=[{}, {}, {'ins-a': 'STOPPED'}])
    with pytest.raises(PowerFailed) as caught:
        change(cloud, settings=settings(timeout=10))
    # Started at the deadline, after waiting for the stop: one read, no more time.
    assert caught.value.message == 'timed out after 0s waiting for RUNNING: ins-a (STARTING)'
    assert caught.value.record.elapsed == 10 and caught.value.record.polls == 1


def test_an_instance_rebooted_and_read_running_again_is_not_rebooted_twice():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'STOPPING'}, later=[{}, {'ins-b': 'STOPPED'}])

    def send(action, ids):
        # The reboot does not show at the next read: ins-a still reads RUNNING while ins-b settles.
        cloud.sent.append((action, list(ids)))
        if action == 'StartInstances':
            cloud.states.update(dict.fromkeys(ids, 'RUNNING'))
        return [Batch(action, ids, 'req-%d' % len(cloud.sent), None)]
    change_power(cloud.read(), cloud.read, send, settings('rebooted'), FakeClock())
    assert cloud.sent == [('RebootInstances', ['ins-a']), ('StartInstances', ['ins-b'])]


def test_polls_fall_on_the_interval_while_others_poll_too():
    cloud = Cloud({'ins-a': 'STOPPED'})
    clock = FakeClock(start=1001.0)
    change(cloud, clock=clock, watchers=Watchers(aligned=lambda: True))
    assert clock.sleeps == [4.0]


def test_an_instance_that_cannot_reach_the_target_fails_before_any_action():
    cloud = Cloud({'ins-a': 'STOPPED', 'ins-b': 'LAUNCH_FAILED'})
    with pytest.raises(PowerFailed) as caught:
        change(cloud)
    assert caught.value.message == ('instances are in a state from which they cannot be brought to RUNNING: '
                                    'ins-b (LAUNCH_FAILED)')
    assert caught.value.stuck == ['ins-b'] and cloud.sent == []


def test_another_error_fails_and_keeps_what_was_sent_before_it():
    cloud = Cloud({'ins-a': 'STOPPED', 'ins-b': 'RUNNING'})
    cloud.refusals['RebootInstances'] = [refusal('UnauthorizedOperation')]
    with pytest.raises(PowerFailed) as caught:
        change(cloud, 'rebooted')
    assert [(batch.action, batch.applied) for batch in caught.value.record.batches] == [
        ('StartInstances', True), ('RebootInstances', False)]
    assert caught.value.error.code == 'UnauthorizedOperation'


def test_a_read_that_fails_after_an_action_keeps_the_action():
    cloud = Cloud({'ins-a': 'STOPPED'})
    reads = [cloud.read()]

    def read():
        raise TencentCloudError('InternalError', 'down', 'req-read')
    with pytest.raises(PowerFailed) as caught:
        change_power(reads[0], read, cloud.send, settings(), FakeClock())
    assert [batch.action for batch in caught.value.record.batches] == ['StartInstances']
    assert caught.value.error.request_id == 'req-read'
    assert caught.value.message == 'InternalError: down (RequestId: req-read)'


def test_without_wait_the_states_are_read_once_after_the_actions():
    cloud = Cloud({'ins-a': 'STOPPED'})
    clock = FakeClock()
    record = change(cloud, clock=clock, settings=settings(wait=False))
    assert record.snapshot.states == {'ins-a': 'STARTING'} and cloud.reads == 2
    assert clock.sleeps == [] and record.polls is None


def test_without_wait_a_stopping_instance_is_still_waited_for_until_it_can_be_started():
    cloud = Cloud({'ins-a': 'STOPPING'}, later=[{'ins-a': 'STOPPED'}])
    record = change(cloud, settings=settings(wait=False))
    assert cloud.sent == [('StartInstances', ['ins-a'])] and record.snapshot.states == {'ins-a': 'STARTING'}


def test_check_mode_sends_nothing_and_plans_in_batches_of_100():
    ids = ['ins-%05d' % n for n in range(150)]
    cloud = Cloud(dict(dict.fromkeys(ids, 'STOPPED'), **{'ins-moving': 'STOPPING', 'ins-up': 'RUNNING',
                                                         'ins-rescue': 'ENTER_RESCUE_MODE'}))
    record = change(cloud, check_mode=True)
    assert cloud.sent == [] and cloud.reads == 1
    assert [(batch.action, len(batch.instance_ids), batch.request_id) for batch in record.batches] == [
        ('StartInstances', 100, None), ('StartInstances', 51, None)]
    assert record.batches[1].instance_ids[-1] == 'ins-moving'


def test_check_mode_counts_what_a_moving_instance_will_need():
    record = change(Cloud({'ins-a': 'STARTING', 'ins-b': 'STOPPED'}), 'stopped', check_mode=True)
    assert record.batches == [Batch('StopInstances', ['ins-a'], None, None, applied=False)]


def test_check_mode_fails_as_the_real_run_would():
    with pytest.raises(PowerFailed) as caught:
        change(Cloud({'ins-a': 'SHUTDOWN'}), check_mode=True)
    assert caught.value.record.previous.states == {'ins-a': 'SHUTDOWN'}


def test_a_failure_of_a_sent_operation_counts_even_when_first_seen_at_rest():
    cloud = Cloud({'ins-a': 'STOPPED'})
    failed = Operation('StartInstances', 'FAILED', 'req-1', 'no capacity')

    def send(action, ids):
        cloud.sent.append(action)
        return [Batch(action, ids, 'req-1', None)]
    watch = FailedOperationWatch(lambda ids: {'ins-a': failed}, [])
    with pytest.raises(PowerFailed) as caught:
        change_power(cloud.read(), cloud.read, send, settings(), FakeClock(), watchers=Watchers(watch=watch))
    assert caught.value.failed_operations == [FailedOperation('ins-a', failed)]
    assert caught.value.record.polls == 1


def test_an_instance_that_enters_a_fail_state_during_the_wait_is_named():
    cloud = Cloud({'ins-a': 'STOPPED'}, later=[{}, {'ins-a': 'SHUTDOWN'}])
    with pytest.raises(PowerFailed) as caught:
        change(cloud)
    assert caught.value.stuck == ['ins-a'] and 'cannot reach RUNNING' in caught.value.message


def test_a_wait_on_what_others_move_has_the_whole_timeout_left():
    cloud = Cloud({'ins-a': 'STARTING'}, later=[{}] * 30)
    clock = FakeClock()
    with pytest.raises(PowerFailed) as caught:
        change(cloud, clock=clock, settings=settings(timeout=20))
    assert caught.value.message == 'timed out after 20s waiting for RUNNING: ins-a (STARTING)'
    assert sum(clock.sleeps) == 20


def test_a_reboot_not_yet_begun_is_not_taken_for_a_restart():
    cloud = Cloud({'ins-a': 'RUNNING'})
    asked = []

    def send(action, ids):
        # The service answers before the instance shows REBOOTING: the next reads still say RUNNING.
        cloud.sent.append(action)
        return [Batch(action, ids, 'req-reboot', None)]

    def latest_operations(ids):
        asked.append(list(ids))
        state = 'OPERATING' if len(asked) < 3 else 'SUCCESS'
        return {'ins-a': Operation('RebootInstances', state, 'req-reboot', None)}
    reboots = RebootConfirmation(latest_operations, [])
    record = change_power(cloud.read(), cloud.read, send, settings('rebooted'), FakeClock(),
                          watchers=Watchers(reboots=reboots))
    assert cloud.sent == ['RebootInstances'] and record.polls == 3 and len(asked) == 3
    assert record.snapshot.states == {'ins-a': 'RUNNING'}


def test_a_reboot_that_fails_fails_the_restart():
    cloud = Cloud({'ins-a': 'RUNNING'})
    failed = Operation('RebootInstances', 'FAILED', 'req-reboot', 'the guest did not answer')
    reboots = RebootConfirmation(lambda ids: {'ins-a': failed}, [])
    with pytest.raises(PowerFailed) as caught:
        change_power(cloud.read(), cloud.read, lambda action, ids: [Batch(action, ids, 'req-reboot', None)],
                     settings('rebooted'), FakeClock(), watchers=Watchers(reboots=reboots))
    assert caught.value.failed_operations == [FailedOperation('ins-a', failed)]
    assert caught.value.message == ('the reboot failed, so a restart will not come: ins-a (RebootInstances, '
                                    'RequestId req-reboot: the guest did not answer)')
    assert [batch.action for batch in caught.value.record.batches] == ['RebootInstances']


# -- calls whose answer was lost -------------------------------------------------------------------------------------

class LossyCloud(Cloud):
    """A ``Cloud`` whose instances have latest operations, and that can lose answers: ``lose[action]`` lists, for
    each next call of the action, ``(error, carried_out)``: the call answers the error, and is done or not."""

    def __init__(self, states, later=()):
        super().__init__(states, later)
        self.operations = {i: Operation('StartInstances', 'SUCCESS', 'req-long-ago', None) for i in states}
        self.lose = {}
        self.carried_out = []
        # Reads of the operations that still show them as before the latest call: an operation visible late.
        self.hidden_reads = 0
        self._shown = dict(self.operations)
        # Operations of other callers, one dict per read of the states (as ``later`` for the states).
        self.later_operations = []

    def read(self):
        for i, operation in self.operations.items():
            if operation.state == 'OPERATING' and i not in self.pending:
                self.operations[i] = operation._replace(state='SUCCESS')
        if self.later_operations:
            self.operations.update(self.later_operations.pop(0))
        return super().read()

    def send(self, action, ids):
        lost = self.lose.get(action)
        error, carried_out = lost.pop(0) if lost else (None, True)
        # carried_out: True, False, or the IDs of the batch the service acted on before the answer was lost.
        done = list(ids) if carried_out is True else [i for i in ids if carried_out and i in carried_out]
        if not done:
            return [Batch(action, ids, error.request_id, error)]
        [batch] = super().send(action, done)
        self.carried_out.append((action, done))
        request_id = error.request_id if error is not None and error.request_id else batch.request_id
        self.operations.update(dict.fromkeys(done, Operation(action, 'OPERATING', request_id, None)))
        if error is None:
            return [Batch(action, ids, batch.request_id, None)]
        return [Batch(action, ids, error.request_id, error)]

    def latest(self, ids):
        if self.hidden_reads:
            self.hidden_reads -= 1
            return {i: self._shown[i] for i in ids}
        self._shown.update(self.operations)
        return {i: self.operations[i] for i in ids}


def lossy_change(cloud, target='running', operations=True, **kwargs):
    reboots = RebootConfirmation(cloud.latest, [])
    watchers = Watchers(operations=cloud.latest if operations else (lambda ids: None), reboots=reboots)
    return change_power(cloud.read(), cloud.read, cloud.send, settings(target), FakeClock(), watchers=watchers,
                        before=cloud.latest(list(cloud.states)) if operations else None, **kwargs)


def lost(code='InternalError', request_id='req-lost'):
    return TencentCloudError(code, 'lost', request_id)


def test_a_stop_carried_out_whose_answer_is_an_internal_error_is_never_sent_again():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['StopInstances'] = [(lost(), True)]
    record = lossy_change(cloud, 'stopped')
    assert cloud.carried_out == [('StopInstances', ['ins-a'])] and len(record.batches) == 1
    assert record.batches[0].applied is True and record.changed
    assert record.snapshot.states == {'ins-a': 'STOPPED'}


def test_a_start_whose_answer_is_lost_without_a_request_id_is_known_by_a_newer_start():
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(TencentCloudError('ConnectionFailure', 'reset', None), True)]
    record = lossy_change(cloud)
    assert cloud.carried_out == [('StartInstances', ['ins-a'])]
    assert [(batch.request_id, batch.applied) for batch in record.batches] == [(None, True)]


def test_a_start_that_shows_nothing_is_sent_once_more_where_the_state_still_asks_for_it():
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(TencentCloudError('HTTPError', 'HTTP 502', None), False)]
    record = lossy_change(cloud)
    assert cloud.carried_out == [('StartInstances', ['ins-a'])]
    assert [batch.applied for batch in record.batches] == ['unknown', True]
    assert record.snapshot.states == {'ins-a': 'RUNNING'}


def test_a_start_lost_twice_is_not_sent_a_third_time():
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), False), (lost(request_id=None), False)]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud)
    assert len(caught.value.record.batches) == 2 and cloud.carried_out == []
    assert caught.value.message == (
        'StartInstances for ins-a: 2 calls in a row had their answers lost (the last: InternalError: lost), and the '
        'instance shows none of them (applied: unknown): not sent again')
    assert caught.value.error.code == 'InternalError' and caught.value.record.changed


def test_a_reboot_carried_out_whose_answer_is_lost_is_confirmed_by_its_operation_and_sent_once():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(), True)]
    record = lossy_change(cloud, 'rebooted')
    assert cloud.carried_out == [('RebootInstances', ['ins-a'])]
    assert [(batch.applied, batch.error.code) for batch in record.batches] == [(True, 'InternalError')]
    assert record.snapshot.states == {'ins-a': 'RUNNING'}


def test_a_reboot_that_never_shows_is_never_sent_again_and_ends_the_run():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(request_id=None), False)]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud, 'rebooted')
    assert len(caught.value.record.batches) == 1 and cloud.carried_out == []
    assert caught.value.message == (
        'the answer to RebootInstances for ins-a was lost (InternalError: lost), and no read until the deadline (60s) '
        'showed whether it was carried out (applied: unknown): not sent again; read the instances (their latest '
        'operation) before acting on them again')
    assert 'run the task again' not in caught.value.message
    assert caught.value.error.code == 'InternalError'
    assert caught.value.record.batches[0].applied == 'unknown' and caught.value.record.changed
    # Looked for at every interval until the deadline, never guessed after a few reads.
    assert cloud.reads == 1 + 60 // 5


def test_a_reboot_whose_operation_shows_late_is_waited_for_and_sent_once():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(request_id=None), True)]
    cloud.hidden_reads = 5
    record = lossy_change(cloud, 'rebooted')
    assert cloud.carried_out == [('RebootInstances', ['ins-a'])] and len(record.batches) == 1
    # Seen rebooting, then RUNNING: counted only once the reboot's operation showed it succeeded.
    assert record.snapshot.states == {'ins-a': 'RUNNING'} and cloud.hidden_reads == 0


@pytest.mark.parametrize('action, target, start, reversal', [
    ('StartInstances', 'running', 'STOPPED', ('StopInstances', 'STOPPED')),
    ('StopInstances', 'stopped', 'RUNNING', ('StartInstances', 'RUNNING')),
])
def test_a_reversal_after_a_lost_answer_fails_naming_it_and_nothing_is_sent_again(action, target, start, reversal):
    cloud = LossyCloud({'ins-a': start})
    cloud.lose[action] = [(lost(request_id=None), True)]
    other, end = reversal
    # Someone else reverses the instance before the first read after the lost answer.
    cloud.later = [{}, {'ins-a': end}]
    cloud.later_operations = [{}, {'ins-a': Operation(other, 'SUCCESS', 'req-other-party', None)}]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud, target)
    assert cloud.carried_out == [(action, ['ins-a'])] and len(caught.value.record.batches) == 1
    assert 'another caller\'s operation leads away' in caught.value.message
    assert 'ins-a (%s by another caller, RequestId req-other-party' % other in caught.value.message
    assert [(failure.instance_id, failure.operation.request_id, failure.reversal)
            for failure in caught.value.failed_operations] == [('ins-a', 'req-other-party', True)]
    assert caught.value.error.code == 'InternalError'


@pytest.mark.parametrize('name, shown', [('ModifyInstanceAttribute', 'ModifyInstanceAttribute'),
                                         (None, 'another operation')])
def test_any_newer_operation_after_a_lost_answer_stops_a_resend(name, shown):
    # Not the call's action, nor a reversal: the call is not sent again over it, and its outcome stays unknown.
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), False)]
    cloud.later_operations = [{}, {'ins-a': Operation(name, 'SUCCESS', 'req-rename', None)}]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud)
    assert caught.value.message == (
        'the answer to StartInstances for ins-a was lost (InternalError: lost), and %s (RequestId req-rename) came '
        'after it: whether it was carried out is unknown (applied: unknown), and it is not sent again over another '
        'operation' % shown)
    assert caught.value.error.code == 'InternalError' and caught.value.record.batches[0].applied == 'unknown'
    assert cloud.carried_out == []


def test_a_lost_start_followed_by_another_operation_is_only_waited_for_where_the_state_shows_it():
    # The start was carried out, then someone renamed the instance: starting, it is waited for, never sent again.
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), True)]
    cloud.later_operations = [{}, {'ins-a': Operation('ModifyInstanceAttribute', 'SUCCESS', 'req-rename', None)}]
    record = lossy_change(cloud)
    assert cloud.carried_out == [('StartInstances', ['ins-a'])] and len(record.batches) == 1
    assert record.snapshot.states == {'ins-a': 'RUNNING'}


def test_without_an_operations_reader_a_lost_start_is_decided_by_the_state():
    cloud = LossyCloud({'ins-a': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(), True)]
    record = change_power(cloud.read(), cloud.read, cloud.send, settings(), FakeClock())
    assert cloud.carried_out == [('StartInstances', ['ins-a'])] and record.snapshot.states == {'ins-a': 'RUNNING'}
    assert [batch.applied for batch in record.batches] == ['unknown']


def test_a_batch_carried_out_for_some_of_its_instances_is_decided_instance_by_instance():
    cloud = LossyCloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPED', 'ins-c': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), ['ins-a'])]
    record = lossy_change(cloud)
    # The service acted on ins-a before the answer was lost: ins-b and ins-c are sent once more, ins-a never.
    assert cloud.carried_out == [('StartInstances', ['ins-a']), ('StartInstances', ['ins-b', 'ins-c'])]
    assert [(batch.instance_ids, batch.applied) for batch in record.batches] == [
        (['ins-a', 'ins-b', 'ins-c'], 'unknown'), (['ins-b', 'ins-c'], True)]
    assert record.batches[0].reported()['applied_instance_ids'] == ['ins-a']
    assert record.snapshot.states == dict.fromkeys(['ins-a', 'ins-b', 'ins-c'], 'RUNNING')


def test_a_request_the_client_sent_again_is_reported_and_not_decided_on():
    cloud = Cloud({'ins-a': 'STOPPED'})
    send = cloud.send

    def send_after_a_throttled_attempt(action, ids):
        throttled = Batch(action, ids, 'req-throttled', refusal('RequestLimitExceeded'), retried=True)
        return [throttled] + send(action, ids)
    record = change_power(cloud.read(), cloud.read, send_after_a_throttled_attempt, settings(), FakeClock())
    assert [(batch.request_id, batch.applied, batch.retried) for batch in record.batches] == [
        ('req-throttled', False, True), ('req-1', True, False)]


def test_without_operations_a_lost_stop_is_decided_by_the_state_and_a_lost_reboot_is_not_sent_again():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['StopInstances'] = [(lost(), True)]
    record = lossy_change(cloud, 'stopped', operations=False)
    assert cloud.carried_out == [('StopInstances', ['ins-a'])] and record.snapshot.states == {'ins-a': 'STOPPED'}
    assert record.batches[0].applied == 'unknown'
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(), False)]
    record = lossy_change(cloud, 'rebooted', operations=False)
    assert len(record.batches) == 1 and record.snapshot.states == {'ins-a': 'RUNNING'}


def test_a_call_refused_before_acting_is_known_not_to_have_been_done():
    assert Batch('StopInstances', ['ins-a'], 'r', refusal('RequestLimitExceeded')).applied is False
    assert Batch('StopInstances', ['ins-a'], 'r', refusal('OperationDenied.InstanceOperationInProgress')).applied is False
    never_sent = TencentCloudError('ConnectionFailure', 'refused', None, delivered=False)
    assert Batch('StopInstances', ['ins-a'], None, never_sent).applied is False
    unknown = (lost(), TencentCloudError('RequestTimeout', 'no answer'),
               TencentCloudError('HTTPError', '502', None, http_status=502))
    for error in unknown:
        assert Batch('StopInstances', ['ins-a'], None, error).applied == 'unknown'


def test_restarted_stops_then_starts_each_once_and_waits_for_the_stop_between():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'STOPPED'})
    record = change(cloud, 'restarted')
    assert cloud.sent == [('StopInstances', ['ins-a']), ('StartInstances', ['ins-a', 'ins-b'])]
    assert record.snapshot.states == {'ins-a': 'RUNNING', 'ins-b': 'RUNNING'} and record.changed


def test_restarted_in_check_mode_lists_the_stop_and_the_start():
    cloud = Cloud({'ins-a': 'RUNNING', 'ins-b': 'STOPPED'})
    record = change(cloud, 'restarted', check_mode=True)
    assert [(batch.action, batch.instance_ids) for batch in record.batches] == [
        ('StopInstances', ['ins-a']), ('StartInstances', ['ins-a', 'ins-b'])]
    assert cloud.sent == []


def test_a_lost_start_after_this_runs_own_stop_is_no_reversal():
    # The start's answer is lost; the stop before it is this run's own, and the start is known by its operation.
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), True)]
    record = lossy_change(cloud, 'restarted')
    assert cloud.carried_out == [('StopInstances', ['ins-a']), ('StartInstances', ['ins-a'])]
    assert [batch.applied for batch in record.batches] == [True, True]
    assert record.snapshot.states == {'ins-a': 'RUNNING'}


def test_what_tells_a_lost_call_by_the_latest_operation():
    lost_start = Batch('StartInstances', ['ins-a'], 'req-lost', lost())
    earlier = Operation('StopInstances', 'SUCCESS', 'req-earlier', None)
    start = Operation('StartInstances', 'SUCCESS', 'req-other', None)
    # Nothing to tell by: no operation, or one without a RequestId.
    assert _newer(None, _Lost(lost_start, earlier)) is None
    assert _newer(start._replace(request_id=None), _Lost(lost_start, earlier)) is None
    # The call itself, whatever was before it.
    assert _newer(start._replace(request_id='req-lost'), _Lost(lost_start, None)).request_id == 'req-lost'
    # With what was before known: anything else than it is newer.
    assert _newer(earlier, _Lost(lost_start, earlier)) is None
    assert _newer(start, _Lost(lost_start, earlier)) is start
    # Without it, only an operation of the call's action counts: another may be history.
    assert _newer(start, _Lost(lost_start, None)) is start
    assert _newer(earlier, _Lost(lost_start, None)) is None


def test_a_lost_start_the_state_shows_is_never_sent_again_though_someone_stops_the_instance_after():
    # Without operations, the state tells: ins-a reads STARTING after the lost start, then another caller stops it
    # while ins-b still settles. ins-a is only waited for; starting it again would act over the other caller.
    cloud = LossyCloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPING'},
                       later=[{}, {}, {'ins-a': 'STOPPED', 'ins-b': 'STOPPED'}])
    cloud.lose['StartInstances'] = [(lost(), True)]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud, operations=False)
    assert cloud.carried_out == [('StartInstances', ['ins-a']), ('StartInstances', ['ins-b'])]
    assert caught.value.message == 'timed out after 50s waiting for RUNNING: ins-a (STOPPED)'
    assert caught.value.record.snapshot.states == {'ins-a': 'STOPPED', 'ins-b': 'RUNNING'}


def test_a_lost_reboot_seen_rebooting_counts_once_read_running_where_no_operation_is_reported():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(request_id=None), True)]
    unreported = Operation(None, None, None, None)
    watchers = Watchers(operations=lambda ids: dict.fromkeys(ids, unreported),
                        reboots=RebootConfirmation(lambda ids: dict.fromkeys(ids, unreported), []))
    record = change_power(cloud.read(), cloud.read, cloud.send, settings('rebooted'), FakeClock(), watchers=watchers)
    assert cloud.carried_out == [('RebootInstances', ['ins-a'])] and len(record.batches) == 1
    assert record.snapshot.states == {'ins-a': 'RUNNING'} and record.polls == 1


def test_a_reboot_counts_once_seen_moving_where_the_service_reports_no_operation():
    # RUNNING twice before the reboot shows: the reboot has not begun, and nothing but the state can tell.
    cloud = Cloud({'ins-a': 'RUNNING'}, later=[{}, {}, {'ins-a': 'REBOOTING'}, {'ins-a': 'RUNNING'}])
    unreported = Operation(None, None, None, None)
    reboots = RebootConfirmation(lambda ids: dict.fromkeys(ids, unreported), [])
    record = change_power(cloud.read(), cloud.read, lambda action, ids: [Batch(action, ids, 'req-reboot', None)],
                          settings('rebooted'), FakeClock(), watchers=Watchers(reboots=reboots),
                          before={'ins-a': Operation('StartInstances', 'SUCCESS', 'req-long-ago', None)})
    assert record.polls == 3 and record.snapshot.states == {'ins-a': 'RUNNING'}


def test_a_lost_start_followed_by_a_rename_is_never_sent_again_though_someone_stops_the_instance_after():
    cloud = LossyCloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPING'},
                       later=[{}, {}, {'ins-a': 'STOPPED', 'ins-b': 'STOPPED'}])
    cloud.lose['StartInstances'] = [(lost(request_id=None), True)]
    cloud.later_operations = [{}, {'ins-a': Operation('ModifyInstanceAttribute', 'SUCCESS', 'req-rename', None)}]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud)
    assert cloud.carried_out == [('StartInstances', ['ins-a']), ('StartInstances', ['ins-b'])]
    assert caught.value.message == 'timed out after 50s waiting for RUNNING: ins-a (STOPPED)'


def test_lost_calls_of_several_instances_are_all_decided_at_the_first_read_after():
    cloud = LossyCloud({'ins-a': 'STOPPED', 'ins-b': 'STOPPED'})
    cloud.lose['StartInstances'] = [(lost(), True)]
    record = lossy_change(cloud, operations=False)
    assert cloud.carried_out == [('StartInstances', ['ins-a', 'ins-b'])]
    # Both read STARTING after the lost call: only waited for, and the wait reads them RUNNING.
    assert record.polls == 1 and record.snapshot.states == {'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}


def test_a_lost_reboot_its_operation_shows_is_confirmed_by_it_with_nothing_known_of_before():
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['RebootInstances'] = [(lost(), True)]
    watchers = Watchers(operations=cloud.latest, watch=FailedOperationWatch(cloud.latest, []),
                        reboots=RebootConfirmation(cloud.latest, []))
    record = change_power(cloud.read(), cloud.read, cloud.send, settings('rebooted'), FakeClock(), watchers=watchers)
    assert cloud.carried_out == [('RebootInstances', ['ins-a'])] and record.batches[0].applied is True
    assert record.snapshot.states == {'ins-a': 'RUNNING'} and record.polls == 1


def test_restarted_without_wait_still_waits_for_the_stop_before_the_start():
    cloud = Cloud({'ins-a': 'RUNNING'})
    record = change(cloud, settings=settings('restarted', wait=False))
    assert cloud.sent == [('StopInstances', ['ins-a']), ('StartInstances', ['ins-a'])]
    # The stop's wait (STOPPING, STOPPED), then one read after the start, not waited for.
    assert record.polls == 2 and record.snapshot.states == {'ins-a': 'STARTING'}


def test_a_lost_start_of_a_restart_is_told_from_what_came_after_this_runs_own_stop():
    # The stop's operation is what the start's stage knows of before: a rename after it is newer, and the start is
    # not sent again over it.
    cloud = LossyCloud({'ins-a': 'RUNNING'})
    cloud.lose['StartInstances'] = [(lost(request_id=None), False)]
    cloud.later_operations = [{}, {}, {}, {'ins-a': Operation('ModifyInstanceAttribute', 'SUCCESS', 'req-rename', None)}]
    with pytest.raises(PowerFailed) as caught:
        lossy_change(cloud, 'restarted')
    assert 'ModifyInstanceAttribute (RequestId req-rename) came after it' in caught.value.message
    assert cloud.carried_out == [('StopInstances', ['ins-a'])]
