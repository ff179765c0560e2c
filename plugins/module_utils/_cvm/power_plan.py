# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What brings an instance from the state it is in to the power state asked for: an action, a wait, or nothing."""

import dataclasses
from typing import FrozenSet, Mapping

from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import DEFAULT_FAIL_STATES, MOVING_STATES

START = 'StartInstances'
STOP = 'StopInstances'
REBOOT = 'RebootInstances'
ACTIONS = (STOP, START, REBOOT)
# The state an instance shows while each action runs.
MOVING_STATE_OF = {START: 'STARTING', STOP: 'STOPPING', REBOOT: 'REBOOTING'}

# What is left to do for one instance, when it is not an action.
DONE = 'done'
# Moving towards the target by itself.
WAIT = 'wait'
# Moving elsewhere (STOPPING when RUNNING is asked for): decided again once at rest.
SETTLE = 'settle'
# In a state no action of this module leaves for the target (LAUNCH_FAILED, RESCUE_MODE...).
IMPOSSIBLE = 'impossible'


@dataclasses.dataclass(frozen=True)
class PowerTarget:
    """``name`` as the ``state`` option says it; ``state``, the instance state it ends in; ``actions``, the action
    taken from each state at rest; ``on_the_way``, the moving states that end in ``state`` by themselves; ``after``,
    the action a moving state will need once it comes to rest (what check mode reports)."""

    name: str
    state: str
    actions: Mapping[str, str]
    on_the_way: FrozenSet[str]
    after: Mapping[str, str]


_BOOTING = frozenset(['PENDING', 'STARTING', 'REBOOTING'])
RUNNING = PowerTarget('running', 'RUNNING', {'STOPPED': START}, _BOOTING, {'STOPPING': START})
STOPPED = PowerTarget('stopped', 'STOPPED', {'RUNNING': STOP}, frozenset(['STOPPING']), dict.fromkeys(_BOOTING, STOP))
# An operating-system reboot; an instance already booting (REBOOTING, STARTING) comes up fresh without one of ours.
REBOOTED = PowerTarget('rebooted', 'RUNNING', {'RUNNING': REBOOT, 'STOPPED': START}, _BOOTING, {'STOPPING': START})

# The words of the state option, as amazon.aws.ec2_instance means them: each a sequence of targets, reached one after
# the other. restarted is a stop, then a start (the instance may come back on another host); rebooted is the reboot
# in place (RebootInstances); started is running (CVM has no status checks to wait for besides the state).
TARGETS = {
    'running': (RUNNING,),
    'stopped': (STOPPED,),
    'restarted': (STOPPED, RUNNING),
    'rebooted': (REBOOTED,),
}
STATE_ALIASES = {'started': 'running'}


def decide(target: PowerTarget, state: str, acted: bool) -> str:
    """The action (``START``...), or ``DONE``, ``WAIT``, ``SETTLE`` or ``IMPOSSIBLE``, for an instance in ``state``.

    An instance this run already ``acted`` on is only waited for: a reboot ends where it began, and deciding again
    from its state would reboot it twice.
    """
    if acted:
        return WAIT
    if state in target.actions:
        return target.actions[state]
    if state == target.state:
        return DONE
    if state in target.on_the_way:
        return WAIT
    if state in DEFAULT_FAIL_STATES:
        return IMPOSSIBLE
    if state in MOVING_STATES:
        return SETTLE
    return IMPOSSIBLE
