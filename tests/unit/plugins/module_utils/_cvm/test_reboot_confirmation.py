# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A reboot counts once it shows: in the state, or in the instance's latest operation."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances_status import Snapshot
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.reboot_confirmation import (
    RebootConfirmation, RebootFailed,
)


def confirmation(*answers):
    asked = []
    answers = list(answers)

    def latest_operations(ids):
        asked.append(list(ids))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer
    warnings = []
    return RebootConfirmation(latest_operations, warnings), asked, warnings


def reboot(state, request_id='req-1', error=None):
    return Operation('RebootInstances', state, request_id, error)


def test_an_instance_seen_rebooting_is_confirmed_by_its_operation_once_running_again():
    confirm, asked, _warnings = confirmation({'ins-a': reboot('SUCCESS')})
    confirm.rebooted(['ins-a'], 'req-1')
    assert confirm(Snapshot({'ins-a': 'REBOOTING'}, [])).states == {'ins-a': 'REBOOTING'}
    assert asked == []
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}
    assert asked == [['ins-a']]


def test_a_reboot_seen_rebooting_that_then_failed_fails_the_wait():
    # RUNNING again after REBOOTING is what a failed reboot looks like too: its operation tells the two apart.
    confirm, _asked, _warnings = confirmation({'ins-a': reboot('FAILED', error='guest agent timed out')})
    confirm.rebooted(['ins-a'], 'req-1')
    confirm(Snapshot({'ins-a': 'REBOOTING'}, []))
    with pytest.raises(RebootFailed, match='ins-a .RebootInstances, RequestId req-1: guest agent timed out'):
        confirm(Snapshot({'ins-a': 'RUNNING'}, []))


def test_a_reboot_whose_operation_shows_late_is_waited_for():
    late = {'ins-a': Operation('StartInstances', 'SUCCESS', 'req-yesterday', None)}
    confirm, asked, _warnings = confirmation(late, late, {'ins-a': reboot('OPERATING')}, {'ins-a': reboot('SUCCESS')})
    confirm.rebooted(['ins-a'], 'req-1', late)
    states = [confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states['ins-a'] for _poll in range(4)]
    assert states == ['REBOOTING', 'REBOOTING', 'REBOOTING', 'RUNNING'] and len(asked) == 4


def test_running_before_the_reboot_shows_reads_rebooting_until_the_operation_succeeded():
    confirm, asked, _warnings = confirmation({'ins-a': reboot('OPERATING')}, {'ins-a': reboot('SUCCESS')})
    confirm.rebooted(['ins-a'], 'req-1')
    running = Snapshot({'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}, ['ins-z'])
    assert confirm(running) == Snapshot({'ins-a': 'REBOOTING', 'ins-b': 'RUNNING'}, ['ins-z'])
    assert confirm(running).states == {'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}
    assert confirm(running).states == {'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}
    # Only the unconfirmed reboots are looked up, and no more once confirmed.
    assert asked == [['ins-a'], ['ins-a']]


def test_an_operation_that_is_not_this_reboot_confirms_nothing_and_each_instance_is_decided_apart():
    confirm, _asked, _warnings = confirmation({'ins-a': reboot('SUCCESS', 'req-older'), 'ins-b': reboot('SUCCESS')},
                                              {'ins-a': reboot('FAILED', 'req-older')})
    confirm.rebooted(['ins-a', 'ins-b'], 'req-1')
    running = Snapshot({'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}, [])
    assert confirm(running).states == {'ins-a': 'REBOOTING', 'ins-b': 'RUNNING'}
    # An older failure is not this reboot's.
    assert confirm(running).states == {'ins-a': 'REBOOTING', 'ins-b': 'RUNNING'}


def test_an_instance_without_a_reported_operation_counts_at_once_when_it_had_none_before():
    nothing = Operation(None, None, None, None)
    confirm, _asked, _warnings = confirmation({'ins-a': nothing})
    confirm.rebooted(['ins-a'], 'req-1', {'ins-a': nothing})
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}


def test_an_instance_without_a_reported_operation_counts_once_seen_in_another_state():
    nothing = Operation(None, None, None, None)
    confirm, _asked, _warnings = confirmation({'ins-a': nothing}, {'ins-a': nothing})
    confirm.rebooted(['ins-a', 'ins-b'], 'req-1')
    # Nothing known of before the reboot: the state must show it. ins-b is not listed by DescribeInstances at all.
    assert confirm(Snapshot({'ins-a': 'RUNNING', 'ins-b': 'REBOOTING'}, [])).states == {
        'ins-a': 'REBOOTING', 'ins-b': 'REBOOTING'}
    assert confirm(Snapshot({'ins-a': 'RUNNING', 'ins-b': 'RUNNING'}, [])).states == {
        'ins-a': 'REBOOTING', 'ins-b': 'RUNNING'}


def test_a_failed_reboot_is_raised():
    confirm, _asked, _warnings = confirmation({'ins-a': reboot('FAILED', error='no answer')})
    confirm.rebooted(['ins-a'], 'req-1')
    with pytest.raises(RebootFailed) as caught:
        confirm(Snapshot({'ins-a': 'RUNNING'}, []))
    assert caught.value.message == ('the reboot failed, so a restart will not come: ins-a (RebootInstances, '
                                    'RequestId req-1: no answer)')


def test_without_permission_for_describe_instances_running_is_taken_at_its_word():
    confirm, asked, warnings = confirmation(TencentCloudError('UnauthorizedOperation', 'no'))
    confirm.rebooted(['ins-a'], 'req-1')
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}
    assert len(asked) == 1 and 'may not call DescribeInstances (UnauthorizedOperation)' in warnings[0]


def test_other_errors_are_the_callers():
    confirm, _asked, _warnings = confirmation(TencentCloudError('InternalError', 'down'))
    confirm.rebooted(['ins-a'], 'req-1')
    with pytest.raises(TencentCloudError):
        confirm(Snapshot({'ins-a': 'RUNNING'}, []))


BEFORE = {'ins-a': Operation('StartInstances', 'SUCCESS', 'req-yesterday', None)}


def test_a_later_operation_that_replaced_the_reboot_unseen_confirms_it_with_a_warning():
    replaced = Operation('RebootInstances', 'SUCCESS', 'req-someone', None)
    confirm, _asked, warnings = confirmation({'ins-a': replaced})
    confirm.rebooted(['ins-a'], 'req-1', BEFORE)
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}
    assert warnings == ["ins-a: RebootInstances (RequestId req-someone) replaced the reboot before a read saw it: taken "
                        "as rebooted, since the service runs one operation at a time on an instance, though the "
                        "reboot's own outcome was not seen"]


def test_the_operation_from_before_the_reboot_is_not_a_sign_of_it():
    confirm, _asked, warnings = confirmation(BEFORE, BEFORE, BEFORE)
    confirm.rebooted(['ins-a'], 'req-1', BEFORE)
    for _poll in range(3):
        assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'REBOOTING'}
    assert warnings == []


def test_an_instance_that_had_no_operation_before_is_replaced_by_any_later_one():
    replaced = Operation('RebootInstances', 'SUCCESS', 'req-someone', None)
    confirm, _asked, warnings = confirmation({'ins-a': replaced})
    confirm.rebooted(['ins-a'], 'req-1', {'ins-a': Operation(None, None, None, None)})
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'} and len(warnings) == 1


def test_without_knowing_the_operation_before_a_later_one_is_not_taken_for_a_replacement():
    confirm, _asked, warnings = confirmation({'ins-a': Operation('StartInstances', 'SUCCESS', 'req-old', None)})
    confirm.rebooted(['ins-a'], 'req-1')
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'REBOOTING'} and warnings == []


def test_a_lost_reboot_seen_rebooting_with_nothing_known_of_before_counts_once_running():
    # Its answer lost (no RequestId) and the operations before it unknown: REBOOTING was seen, which is all there is.
    confirm, _asked, _warnings = confirmation({'ins-a': Operation('StartInstances', 'SUCCESS', 'req-old', None)})
    confirm.rebooted(['ins-a'], None, None, seen_rebooting=True)
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}


def test_a_lost_reboot_replaced_by_another_operation_that_failed_is_taken_as_rebooted_with_a_warning():
    # Its answer lost: only a reboot newer than before it is its own; a stop someone else sent, failed, came after it.
    stop = Operation('StopInstances', 'FAILED', 'req-someone', 'the guest did not shut down')
    confirm, _asked, warnings = confirmation({'ins-a': stop})
    confirm.rebooted(['ins-a'], None, BEFORE)
    assert confirm(Snapshot({'ins-a': 'RUNNING'}, [])).states == {'ins-a': 'RUNNING'}
    assert warnings[0].startswith('ins-a: StopInstances (RequestId req-someone) replaced the reboot')
