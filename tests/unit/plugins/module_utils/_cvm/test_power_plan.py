# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each state needs to reach each power target."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import (
    DONE, IMPOSSIBLE, REBOOT, REBOOTED, RUNNING, SETTLE, START, STATE_ALIASES, STOP, STOPPED, TARGETS, WAIT, decide,
)


@pytest.mark.parametrize('target, state, step', [
    ('running', 'STOPPED', START),
    ('running', 'RUNNING', DONE),
    ('running', 'PENDING', WAIT),
    ('running', 'STARTING', WAIT),
    ('running', 'REBOOTING', WAIT),
    ('running', 'STOPPING', SETTLE),
    ('running', 'LAUNCH_FAILED', IMPOSSIBLE),
    ('running', 'TERMINATING', IMPOSSIBLE),
    ('running', 'SHUTDOWN', IMPOSSIBLE),
    ('running', 'RESCUE_MODE', IMPOSSIBLE),
    ('running', 'ENTER_RESCUE_MODE', SETTLE),
    ('running', 'A_STATE_OF_TOMORROW', IMPOSSIBLE),
    ('stopped', 'RUNNING', STOP),
    ('stopped', 'STOPPED', DONE),
    ('stopped', 'STOPPING', WAIT),
    ('stopped', 'PENDING', SETTLE),
    ('stopped', 'STARTING', SETTLE),
    ('stopped', 'REBOOTING', SETTLE),
    ('stopped', 'LAUNCH_FAILED', IMPOSSIBLE),
    ('rebooted', 'RUNNING', REBOOT),
    ('rebooted', 'STOPPED', START),
    ('rebooted', 'REBOOTING', WAIT),
    ('rebooted', 'STARTING', WAIT),
    ('rebooted', 'STOPPING', SETTLE),
    ('rebooted', 'SHUTDOWN', IMPOSSIBLE),
])
def test_what_each_state_needs(target, state, step):
    assert decide(TARGETS_BY_NAME[target], state, acted=False) == step


@pytest.mark.parametrize('state', ['RUNNING', 'STOPPED', 'REBOOTING'])
def test_an_instance_acted_on_is_only_waited_for(state):
    # Read RUNNING again right after its reboot, it must not be rebooted twice.
    assert decide(REBOOTED, state, acted=True) == WAIT


def test_check_mode_knows_what_a_settling_instance_will_need():
    assert RUNNING.after == {'STOPPING': START}
    assert STOPPED.after == {'PENDING': STOP, 'STARTING': STOP, 'REBOOTING': STOP}
    assert {target.name: target.state for target in TARGETS_BY_NAME.values()} == {
        'running': 'RUNNING', 'stopped': 'STOPPED', 'rebooted': 'RUNNING'}


def test_each_word_means_what_amazon_aws_ec2_instance_means():
    # restarted: a stop, then a start; rebooted: the reboot in place; started: running.
    assert {word: [target.name for target in targets] for word, targets in TARGETS.items()} == {
        'running': ['running'], 'stopped': ['stopped'], 'restarted': ['stopped', 'running'], 'rebooted': ['rebooted']}
    assert STATE_ALIASES == {'started': 'running'}


TARGETS_BY_NAME = {target.name: target for target in (RUNNING, STOPPED, REBOOTED)}
