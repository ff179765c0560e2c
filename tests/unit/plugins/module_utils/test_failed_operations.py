# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which failed operations end a wait: those that failed during it, not those found failed at the first look."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_instances import Operation
from ansible_collections.tencentcloud.cloud.plugins.module_utils.failed_operations import FailedOperationWatch


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
    watch = FailedOperationWatch(latest)
    assert watch(['ins-aaaaaaaa']) == []
    assert watch(['ins-aaaaaaaa']) == [
        'ins-aaaaaaaa (StartInstances, RequestId req-new: InsufficientResources: no capacity in the zone)']


def test_a_failure_found_at_the_first_look_is_history():
    latest, asked = scripted({'ins-aaaaaaaa': FAILED_BEFORE}, {'ins-aaaaaaaa': FAILED_BEFORE},
                             {'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': FAILED_NOW})
    watch = FailedOperationWatch(latest)
    assert watch(['ins-aaaaaaaa']) == [] and watch(['ins-aaaaaaaa']) == [] and watch(['ins-aaaaaaaa']) == []
    # ...but the retry that then fails is not.
    assert len(watch(['ins-aaaaaaaa'])) == 1


def test_an_instance_first_looked_at_later_has_its_own_first_look():
    latest, asked = scripted({'ins-aaaaaaaa': STARTING}, {'ins-aaaaaaaa': STARTING, 'ins-bbbbbbbb': FAILED_BEFORE})
    watch = FailedOperationWatch(latest)
    assert watch(['ins-aaaaaaaa']) == []
    assert watch(['ins-aaaaaaaa', 'ins-bbbbbbbb']) == []


def test_nothing_is_asked_when_nothing_lags():
    latest, asked = scripted()
    assert FailedOperationWatch(latest)([]) == [] and asked == []


def test_an_operation_without_name_or_message_is_still_described():
    latest, asked = scripted({'ins-aaaaaaaa': Operation(None, None, None, None)},
                             {'ins-aaaaaaaa': Operation(None, 'FAILED', 'req-1', None)})
    watch = FailedOperationWatch(latest)
    watch(['ins-aaaaaaaa'])
    assert watch(['ins-aaaaaaaa']) == ['ins-aaaaaaaa (operation, RequestId req-1: no message)']
