# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which failed operations end a wait: those that failed during it, not those found failed at the first look."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.failed_operations import (
    FailedOperation, FailedOperationWatch,
)


def scripted(*answers):
    asked = []
    answers = list(answers)

    def latest_operations(ids):
        asked.append(list(ids))
        return answers.pop(0)
    return latest_operations, asked


STARTING = Operation('StartInstances', 'OPERATING', 'req-new', None)
FAILED_NOW = Operation('StartInstances', 'FAILED', 'req-new', 'InsufficientResources: no capacity in the zone')
FAILED_BEFORE = Operation('StartInstances', 'FAILED', 'req-old', 'an old failure')


def test_a_start_that_fails_during_the_wait_is_described():
    latest, asked = scripted({'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': FAILED_NOW})
    watch = FailedOperationWatch(latest, [])
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == [FailedOperation('ins-aaaaaaaa', FAILED_NOW)]
    assert str(FailedOperation('ins-aaaaaaaa', FAILED_NOW)) == (
        'ins-aaaaaaaa (StartInstances, RequestId req-new: InsufficientResources: no capacity in the zone)')


def test_a_failure_found_at_the_first_look_is_history():
    latest, asked = scripted({'ins-aaaaaaaa': FAILED_BEFORE}, {'ins-aaaaaaaa': FAILED_BEFORE},
                             {'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': FAILED_NOW})
    watch = FailedOperationWatch(latest, [])
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == [] and watch([('ins-aaaaaaaa', 'STOPPED')]) == [] and watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    # ...but the retry that then fails is not.
    assert len(watch([('ins-aaaaaaaa', 'STOPPED')])) == 1


def test_a_failure_of_an_operation_this_run_sent_is_never_history():
    latest, asked = scripted({'ins-aaaaaaaa': FAILED_NOW}, {'ins-bbbbbbbb': FAILED_BEFORE})
    watch = FailedOperationWatch(latest, [])
    watch.expect(['req-new'])
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == [FailedOperation('ins-aaaaaaaa', FAILED_NOW)]
    # Another failure found at the first look is still history.
    assert watch([('ins-bbbbbbbb', 'STOPPED')]) == []


def test_an_instance_first_looked_at_later_has_its_own_first_look():
    latest, asked = scripted({'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': STARTING, 'ins-bbbbbbbb': FAILED_BEFORE})
    watch = FailedOperationWatch(latest, [])
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    assert watch([('ins-aaaaaaaa', 'STOPPED'), ('ins-bbbbbbbb', 'STOPPED')]) == []


def test_nothing_is_asked_when_nothing_lags():
    latest, asked = scripted()
    assert FailedOperationWatch(latest, [])([]) == [] and asked == []


def test_an_operation_without_name_or_message_is_still_described():
    latest, asked = scripted({'ins-aaaaaaaa': Operation(None, None, None, None)},
                             {'ins-aaaaaaaa': Operation(None, 'FAILED', 'req-1', None)})
    watch = FailedOperationWatch(latest, [])
    watch([('ins-aaaaaaaa', 'STOPPED')])
    assert list(map(str, watch([('ins-aaaaaaaa', 'STOPPED')]))) == [
        'ins-aaaaaaaa (operation, RequestId req-1: no message)']


def test_without_permission_for_describe_instances_it_warns_once_and_stops_watching():
    asked = []

    def latest_operations(ids):
        asked.append(ids)
        raise TencentCloudError('UnauthorizedOperation', 'not allowed', 'req-1')
    warnings = []
    watch = FailedOperationWatch(latest_operations, warnings)
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == [] and watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    assert len(asked) == 1
    assert warnings == ['a failed start or stop is not noticed during this wait: these credentials may not call '
                        'DescribeInstances (UnauthorizedOperation); allow it, or set fail_on_failed_operation to false']


def test_other_errors_end_the_wait_as_any_failed_call_does():
    def latest_operations(ids):
        raise TencentCloudError('InternalError', 'busy', 'req-1')
    with pytest.raises(TencentCloudError):
        FailedOperationWatch(latest_operations, [])([('ins-aaaaaaaa', 'STOPPED')])


def test_moving_instances_are_not_looked_at_until_they_rest_and_then_any_failure_is_new():
    latest, asked = scripted({'ins-bbbbbbbb': FAILED_NOW})
    watch = FailedOperationWatch(latest, [])
    # Seen moving: an operation is moving them, there is no history to learn, and nothing is asked.
    assert watch([('ins-aaaaaaaa', 'PENDING'), ('ins-bbbbbbbb', 'STARTING')]) == []
    assert watch([('ins-aaaaaaaa', 'PENDING'), ('ins-bbbbbbbb', 'STARTING')]) == []
    # One is back at rest, short of the target: it is asked about, and the failure found happened during the wait.
    assert watch([('ins-aaaaaaaa', 'STARTING'), ('ins-bbbbbbbb', 'STOPPED')]) == [
        FailedOperation('ins-bbbbbbbb', FAILED_NOW)]
    assert asked == [['ins-bbbbbbbb']]


def test_an_instance_at_rest_first_and_moving_later_keeps_its_history():
    latest, asked = scripted({'ins-aaaaaaaa': FAILED_BEFORE}, {'ins-aaaaaaaa': FAILED_BEFORE})
    watch = FailedOperationWatch(latest, [])
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    assert watch([('ins-aaaaaaaa', 'STARTING')]) == []
    # Back at rest with the same old failure: the retry did not show yet, still history.
    assert watch([('ins-aaaaaaaa', 'STOPPED')]) == []
    assert asked == [['ins-aaaaaaaa'], ['ins-aaaaaaaa']]


def test_a_state_unknown_today_counts_as_at_rest():
    latest, asked = scripted({'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': STARTING})
    watch = FailedOperationWatch(latest, [])
    watch([('ins-aaaaaaaa', 'HIBERNATING')])
    watch([('ins-aaaaaaaa', 'HIBERNATING')])
    assert len(asked) == 2


STARTED_BY_OTHERS = Operation('StartInstances', 'OPERATING', 'req-other', None)
OUR_STOP = Operation('StopInstances', 'SUCCESS', 'req-ours', None)


def test_another_callers_start_while_waiting_for_stopped_is_a_reversal_seen_while_it_moves():
    latest, asked = scripted({'ins-aaaaaaaa': STARTED_BY_OTHERS})
    watch = FailedOperationWatch(latest, [], targets=('STOPPED',))
    watch.expect(['req-ours'])
    watch.seen_before({'ins-aaaaaaaa': Operation('StartInstances', 'SUCCESS', 'req-long-ago', None)})
    # STOPPING leads to the target: not looked at. STARTING leads away: looked at at once.
    assert watch([('ins-aaaaaaaa', 'STOPPING')]) == [] and asked == []
    assert watch([('ins-aaaaaaaa', 'STARTING')]) == [FailedOperation('ins-aaaaaaaa', STARTED_BY_OTHERS, True)]
    assert str(FailedOperation('ins-aaaaaaaa', STARTED_BY_OTHERS, True)) == (
        'ins-aaaaaaaa (StartInstances by another caller, RequestId req-other, operating)')
    assert str(FailedOperation('ins-aaaaaaaa', Operation('StartInstances', None, 'req-other', None), True)) == (
        'ins-aaaaaaaa (StartInstances by another caller, RequestId req-other, state unknown)')


def test_the_operation_from_before_the_run_and_the_runs_own_are_not_reversals():
    before = Operation('StartInstances', 'SUCCESS', 'req-long-ago', None)
    latest, _asked = scripted({'ins-aaaaaaaa': before}, {'ins-aaaaaaaa': OUR_STOP},
                              {'ins-aaaaaaaa': Operation('RebootInstances', 'OPERATING', 'req-ours-too', None)})
    watch = FailedOperationWatch(latest, [], targets=('STOPPED',))
    watch.seen_before({'ins-aaaaaaaa': before})
    watch.expect(['req-ours', 'req-ours-too'])
    for _poll in range(3):
        assert watch([('ins-aaaaaaaa', 'RUNNING')]) == []


def test_an_operation_that_leads_to_the_target_or_failed_is_no_reversal():
    latest, _asked = scripted({'ins-aaaaaaaa': Operation('StopInstances', 'OPERATING', 'req-other', None)},
                              {'ins-aaaaaaaa': Operation('StartInstances', 'FAILED', 'req-other-2', 'no capacity')})
    watch = FailedOperationWatch(latest, [], targets=('STOPPED',))
    watch.seen_before({'ins-aaaaaaaa': Operation('StartInstances', 'SUCCESS', 'req-long-ago', None)})
    assert watch([('ins-aaaaaaaa', 'RUNNING')]) == []
    # A start that failed moved nothing: it is a failed operation, no reversal.
    assert [failure.reversal for failure in watch([('ins-aaaaaaaa', 'RUNNING')])] == [False]


def test_without_targets_nothing_is_a_reversal_and_moving_instances_are_not_looked_at():
    latest, asked = scripted()
    watch = FailedOperationWatch(latest, [])
    assert watch([('ins-aaaaaaaa', 'STARTING'), ('ins-bbbbbbbb', 'STOPPING')]) == [] and asked == []


def test_an_instance_first_seen_moving_towards_the_target_takes_any_later_reversal_as_news():
    latest, _asked = scripted({'ins-aaaaaaaa': Operation('StartInstances', 'OPERATING', 'req-other', None)})
    watch = FailedOperationWatch(latest, [])
    watch.aim(('STOPPED',))
    assert watch([('ins-aaaaaaaa', 'STOPPING')]) == []
    assert [failure.reversal for failure in watch([('ins-aaaaaaaa', 'STARTING')])] == [True]


def test_an_instance_first_looked_at_moving_away_takes_what_moves_it_as_history():
    # Nothing known of before the run: the operation found at the first look may be older than the run.
    latest, asked = scripted({'ins-aaaaaaaa': STARTED_BY_OTHERS}, {'ins-aaaaaaaa': STARTED_BY_OTHERS})
    watch = FailedOperationWatch(latest, [], targets=('STOPPED',))
    assert watch([('ins-aaaaaaaa', 'STARTING')]) == [] and watch([('ins-aaaaaaaa', 'STARTING')]) == []
    assert asked == [['ins-aaaaaaaa']] * 2
