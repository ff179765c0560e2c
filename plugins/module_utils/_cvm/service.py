# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM service, described once: its name, API version, endpoint, each action's documented request rate, the
instance states and the instance ID rule."""

import re
from typing import Iterable, List

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.service import Service
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import shown

CVM = Service(
    name='cvm',
    version='2017-03-12',
    default_endpoint='cvm.tencentcloudapi.com',
    rates={
        'DescribeInstancesStatus': 40,
        'DescribeInstances': 40,
        'StartInstances': 10,
        'StopInstances': 10,
        'RebootInstances': 10,
        'DescribeRegions': 20,
        'RunInstances': 10,
        'TerminateInstances': 10,
    },
    # None of them takes a client token: the service documents no way to make a second call of one harmless.
    # RunInstances is not among them: it always carries a ClientToken (_cvm/run_instances.py), so a second call of the
    # same request creates nothing more.
    actions=frozenset(['StartInstances', 'StopInstances', 'RebootInstances', 'TerminateInstances']),
)

INSTANCE_STATES = (
    'PENDING', 'LAUNCH_FAILED', 'RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING',
    'ENTER_RESCUE_MODE', 'RESCUE_MODE', 'EXIT_RESCUE_MODE',
    'ENTER_SERVICE_LIVE_MIGRATE', 'SERVICE_LIVE_MIGRATE', 'EXIT_SERVICE_LIVE_MIGRATE',
)
# States an instance never leaves for RUNNING or STOPPED.
DEFAULT_FAIL_STATES = ('LAUNCH_FAILED', 'SHUTDOWN', 'TERMINATING')

# States an instance passes through while an operation runs; any other state (even one unknown today) is at rest.
MOVING_STATES = frozenset([
    'PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'TERMINATING', 'ENTER_RESCUE_MODE', 'EXIT_RESCUE_MODE',
    'ENTER_SERVICE_LIVE_MIGRATE', 'SERVICE_LIVE_MIGRATE', 'EXIT_SERVICE_LIVE_MIGRATE',
])

# Where the power actions take an instance, and where the states moving by themselves end: what tells an operation
# (or a move) that leads away from the state a wait is for.
ACTION_ENDS = {'StartInstances': 'RUNNING', 'StopInstances': 'STOPPED', 'RebootInstances': 'RUNNING'}
MOVING_ENDS = {'PENDING': 'RUNNING', 'STARTING': 'RUNNING', 'REBOOTING': 'RUNNING', 'STOPPING': 'STOPPED'}

_INSTANCE_ID = re.compile(r'ins-[a-z0-9]{8}')
# A region name such as ap-guangzhou or ap-shanghai-fsi.
REGION_NAME = re.compile(r'[a-z]{2,}(?:-[a-z0-9]+)+')
# What the service answers for a region the keys may not read (a CAM policy), or that does not offer CVM to them.
FORBIDDEN_REGION_CODES = ('UnauthorizedOperation', 'AuthFailure.UnauthorizedOperation', 'UnsupportedRegion')
_SHOWN_CHARS = 40


def normalize_instance_ids(instance_ids: Iterable[object]) -> List[str]:
    """The IDs without duplicates, in first-seen order; every malformed one is named before any call is made."""
    instance_ids = list(instance_ids)
    malformed = [shown(value, _SHOWN_CHARS) for value in instance_ids
                 if not isinstance(value, str) or not _INSTANCE_ID.fullmatch(value)]
    if malformed:
        raise OptionError('instance_ids: malformed instance ID %s (expected ins- followed by 8 lower-case letters '
                          'or digits)' % ', '.join(malformed[:10] + (['...'] if len(malformed) > 10 else [])))
    return list(dict.fromkeys(str(i) for i in instance_ids))


def is_instance_id(value: object) -> bool:
    """Whether ``value`` is an instance ID of the documented form (what an answer names is checked too)."""
    return isinstance(value, str) and _INSTANCE_ID.fullmatch(value) is not None


def normalize_states(option: str, states: Iterable[object]) -> List[str]:
    """Upper-cased states without duplicates; unknown names are an error naming the option."""
    normalized = list(dict.fromkeys(str(state).strip().upper() for state in states))
    unknown = [state for state in normalized if state not in INSTANCE_STATES]
    if unknown:
        raise OptionError('%s: unknown instance state %s; known states: %s'
                          % (option, ', '.join(unknown), ', '.join(INSTANCE_STATES)))
    return normalized
