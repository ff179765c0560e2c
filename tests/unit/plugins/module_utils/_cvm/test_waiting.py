# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import FailedOperation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import waiting
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import DEFAULT_FAIL_STATES
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


def timeline(*polls):
    """A read() that returns one snapshot per poll (the last one repeats), given as ({id: state}, [missing])."""
    remaining = list(polls)

    def read():
        states, missing = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return Snapshot(states, missing)
    return read


def settings(targets=('RUNNING',), fail_states=DEFAULT_FAIL_STATES, timeout=60, interval=5):
    return waiting.WaitSettings(tuple(targets), tuple(fail_states), timeout, interval)


def wait(read, clock, **given):
    return waiting.wait_for_states(read, settings(**given), clock)


def test_reaches_the_target():
    clock = FakeClock()
    read = timeline(({'ins-a': 'PENDING'}, []), ({'ins-a': 'STARTING'}, []), ({'ins-a': 'RUNNING'}, []))
    outcome = wait(read, clock)
    assert outcome.polls == 3 and outcome.elapsed == 10 and clock.sleeps == [5, 5]
    assert outcome.snapshot.states == {'ins-a': 'RUNNING'}


def test_any_of_several_targets():
    outcome = wait(timeline(({'ins-a': 'RUNNING', 'ins-b': 'STOPPED'}, [])), FakeClock(), targets=('RUNNING', 'STOPPED'))
    assert outcome.polls == 1


def test_missing_instance_keeps_waiting_until_it_appears():
    read = timeline(({}, ['ins-a']), ({'ins-a': 'RUNNING'}, []))
    assert wait(read, FakeClock()).polls == 2


def test_fails_fast_on_launch_failed():
    clock = FakeClock()
    read = timeline(({'ins-a': 'PENDING', 'ins-b': 'PENDING'}, []), ({'ins-a': 'LAUNCH_FAILED', 'ins-b': 'PENDING'}, []))
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(read, clock, timeout=600)
    assert caught.value.polls == 2 and clock.sleeps == [5]
    assert 'ins-a (LAUNCH_FAILED)' in caught.value.message
    assert caught.value.snapshot.states['ins-b'] == 'PENDING'


def test_a_fail_state_that_is_also_a_target_is_not_a_failure():
    outcome = wait(timeline(({'ins-a': 'SHUTDOWN'}, [])), FakeClock(), targets=('SHUTDOWN',))
    assert outcome.polls == 1


def test_timeout_names_every_laggard_and_never_sleeps_past_the_deadline():
    clock = FakeClock()
    read = timeline(({'ins-a': 'RUNNING', 'ins-b': 'PENDING'}, ['ins-c']))
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(read, clock, timeout=12, interval=5)
    assert clock.sleeps == [5, 5, 2]
    assert caught.value.polls == 4 and caught.value.elapsed == 12
    assert caught.value.message == 'timed out after 12s waiting for RUNNING: ins-b (PENDING), ins-c (not found)'


def test_zero_timeout_polls_once():
    clock = FakeClock()
    with pytest.raises(waiting.WaitFailed):
        wait(timeline(({'ins-a': 'PENDING'}, [])), clock, timeout=0)
    assert clock.sleeps == []


@pytest.mark.parametrize('state', ['LAUNCH_FAILED', 'SHUTDOWN', 'TERMINATING'])
def test_each_default_fail_state_ends_a_wait_at_the_first_poll(state):
    clock = FakeClock()
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(timeline(({'ins-aaaaaaaa': state}, [])), clock)
    assert caught.value.polls == 1 and clock.sleeps == [] and state in caught.value.message


def test_a_state_the_collection_does_not_know_is_neither_target_nor_failure():
    clock = FakeClock()
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(timeline(({'ins-aaaaaaaa': 'HIBERNATING'}, [])), clock, timeout=10, interval=5)
    assert caught.value.message == 'timed out after 10s waiting for RUNNING: ins-aaaaaaaa (HIBERNATING)'
    assert caught.value.polls == 3


def test_a_failed_operation_ends_the_wait_naming_it():
    clock = FakeClock()
    seen = []

    def failed_operations(lagging):
        seen.append(lagging)
        failed = FailedOperation('ins-bbbbbbbb', Operation('StartInstances', 'FAILED', 'r-1', 'no capacity'))
        return [failed] if len(seen) == 2 else []
    reads = iter([Snapshot({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'}, ['ins-cccccccc'])] * 3)
    with pytest.raises(waiting.WaitFailed) as caught:
        waiting.wait_for_states(lambda: next(reads), settings(fail_states=(), timeout=600), clock,
                                failed_operations=failed_operations)
    assert caught.value.message == ('the latest operation failed during the wait, so RUNNING will not come: '
                                    'ins-bbbbbbbb (StartInstances, RequestId r-1: no capacity)')
    assert caught.value.polls == 2 and clock.sleeps == [5] and caught.value.elapsed == 5
    # Only the laggards that exist are asked about, with their states: neither the running one nor the missing one.
    assert seen == [[('ins-bbbbbbbb', 'STOPPED')], [('ins-bbbbbbbb', 'STOPPED')]]


def test_failed_operations_are_not_asked_once_every_instance_is_there():
    asked = []
    outcome = waiting.wait_for_states(lambda: Snapshot({'ins-aaaaaaaa': 'RUNNING'}, []),
                                      settings(fail_states=(), timeout=600), FakeClock(), failed_operations=asked.append)
    assert outcome.polls == 1 and asked == []


def test_aligned_polls_fall_on_the_multiples_of_the_interval_so_that_other_processes_poll_with_them():
    clock = FakeClock(1000.75)
    read = timeline(({'ins-a': 'PENDING'}, []), ({'ins-a': 'PENDING'}, []), ({'ins-a': 'RUNNING'}, []))
    waiting.wait_for_states(read, settings(fail_states=(), interval=2), clock, aligned=lambda: True)
    # First poll at once, then at 1002 and 1004: never further apart than the interval.
    assert clock.sleeps == [pytest.approx(1.25), pytest.approx(2.0)]


def test_aligned_polls_still_end_at_the_deadline():
    clock = FakeClock(1000.5)
    with pytest.raises(waiting.WaitFailed):
        waiting.wait_for_states(timeline(({'ins-a': 'PENDING'}, [])), settings(fail_states=(), timeout=1, interval=2),
                                clock, aligned=lambda: True)
    assert clock.sleeps == [pytest.approx(1.0)]


def test_polls_align_only_while_aligned_says_so():
    clock = FakeClock(1000.75)
    company = iter([True, False])
    read = timeline(({'ins-a': 'PENDING'}, []), ({'ins-a': 'PENDING'}, []), ({'ins-a': 'RUNNING'}, []))
    waiting.wait_for_states(read, settings(fail_states=(), interval=2), clock, aligned=lambda: next(company))
    assert clock.sleeps == [pytest.approx(1.25), 2]


def test_a_failure_reports_the_seconds_waited_and_reads_as_its_message():
    clock = FakeClock()
    read = timeline(({'ins-a': 'PENDING'}, []), ({'ins-a': 'LAUNCH_FAILED'}, []))
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(read, clock, interval=5)
    assert (caught.value.elapsed, caught.value.polls) == (5, 2)
    assert str(caught.value) == caught.value.message


def test_a_wait_for_either_of_two_states_says_so_when_it_times_out():
    with pytest.raises(waiting.WaitFailed) as caught:
        wait(timeline(({'ins-a': 'STOPPING'}, [])), FakeClock(), targets=('RUNNING', 'STOPPED'), timeout=0)
    assert caught.value.message == 'timed out after 0s waiting for RUNNING or STOPPED: ins-a (STOPPING)'


@pytest.mark.parametrize('failures, states, message', [
    ([FailedOperation('ins-a', Operation('StartInstances', 'FAILED', 'r-1', 'no capacity')),
      FailedOperation('ins-b', Operation('StartInstances', 'FAILED', 'r-2', 'quota'))],
     {'ins-a': 'STOPPED', 'ins-b': 'STOPPED'},
     'the latest operation failed during the wait, so RUNNING will not come: '
     'ins-a (StartInstances, RequestId r-1: no capacity); ins-b (StartInstances, RequestId r-2: quota)'),
    ([FailedOperation('ins-a', Operation('StopInstances', 'OPERATING', 'r-1', None), reversal=True),
      FailedOperation('ins-b', Operation('StopInstances', 'SUCCESS', 'r-2', None), reversal=True)],
     {'ins-a': 'STOPPING', 'ins-b': 'STOPPED'},
     "another caller's operation leads away from RUNNING, so it will not come: "
     'ins-a (StopInstances by another caller, RequestId r-1, operating); '
     'ins-b (StopInstances by another caller, RequestId r-2, success)'),
])
def test_every_failed_operation_and_every_reversal_is_named_apart(failures, states, message):
    with pytest.raises(waiting.WaitFailed) as caught:
        waiting.wait_for_states(timeline((states, [])), settings(), FakeClock(), failed_operations=lambda lagging: failures)
    assert caught.value.message == message


def test_another_callers_operation_that_leads_away_is_named_first():
    failures = [FailedOperation('ins-a', Operation('StartInstances', 'FAILED', 'r-1', 'no capacity')),
                FailedOperation('ins-b', Operation('StopInstances', 'OPERATING', 'r-2', None), reversal=True)]
    with pytest.raises(waiting.WaitFailed) as caught:
        waiting.wait_for_states(timeline(({'ins-a': 'STOPPED', 'ins-b': 'STOPPING'}, [])), settings(), FakeClock(),
                                failed_operations=lambda lagging: failures)
    assert caught.value.message == ("another caller's operation leads away from RUNNING, so it will not come: "
                                    'ins-b (StopInstances by another caller, RequestId r-2, operating)')
    assert caught.value.failed_operations == failures


def grace(read, clock, ignore_missing=False):
    wait_settings = waiting.WaitSettings(('RUNNING',), DEFAULT_FAIL_STATES, 60, 5, missing_grace=20,
                                         ignore_missing=ignore_missing)
    return waiting.wait_for_states(read, wait_settings, clock)


def test_an_instance_listed_within_the_grace_is_waited_for():
    clock = FakeClock()
    read = timeline(*[({}, ['ins-a'])] * 4 + [({'ins-a': 'RUNNING'}, [])])
    assert grace(read, clock).polls == 5 and clock.sleeps == [5, 5, 5, 5]


def test_an_instance_still_not_listed_after_the_grace_ends_the_wait():
    clock = FakeClock()
    with pytest.raises(waiting.WaitFailed) as caught:
        grace(timeline(({'ins-b': 'PENDING'}, ['ins-a'])), clock)
    assert caught.value.message == 'not listed after 20s: ins-a'
    assert caught.value.not_listed == ['ins-a'] and caught.value.polls == 5 and caught.value.elapsed == 20


def test_with_ignore_missing_an_instance_not_listed_after_the_grace_is_no_longer_waited_for():
    clock = FakeClock()
    outcome = grace(timeline(({'ins-b': 'PENDING'}, ['ins-a']), ({'ins-b': 'RUNNING'}, ['ins-a'])), clock,
                    ignore_missing=True)
    # Waited for within the grace, as an instance just created would be; then left out.
    assert outcome.polls == 5 and outcome.elapsed == 20 and outcome.snapshot.missing == ['ins-a']


def test_with_no_grace_every_instance_not_listed_ends_the_wait_at_once_each_named():
    no_grace = waiting.WaitSettings(('RUNNING',), DEFAULT_FAIL_STATES, 60, 5, missing_grace=0)
    with pytest.raises(waiting.WaitFailed) as caught:
        waiting.wait_for_states(timeline(({'ins-c': 'PENDING'}, ['ins-a', 'ins-b'])), no_grace, FakeClock())
    assert caught.value.message == 'not listed after 0s: ins-a, ins-b' and caught.value.polls == 1
