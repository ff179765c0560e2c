# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM power actions: StartInstances, StopInstances and RebootInstances, with the service's state rules.

Each takes up to 100 IDs, all of the request's region; the whole call is refused when one instance is in a state the
action does not start from (``UnsupportedOperation.InstanceState<State>``) or has an operation in flight
(``OperationDenied.InstanceOperationInProgress``). Accepted, every instance moves through the action's transition
state for the scenario's ``power_seconds``, then ends in the target state, or back where it was when the scenario
makes that action fail for it (``fails: {StartInstances: message}``); its latest operation says which.
"""

import time
import uuid

from . import cvm
from .errors import ApiError

# The service allows each of these 10 requests a second per account, whatever the describe actions allow.
RATE = 10
DEFAULT_POWER_SECONDS = 2.0


class Action:
    def __init__(self, name, start_state, moving_state, end_state, params):
        self.name = name
        self.start_state = start_state
        self.moving_state = moving_state
        self.end_state = end_state
        self.params = params


ACTIONS = {action.name: action for action in (
    Action('StartInstances', 'STOPPED', 'STARTING', 'RUNNING', ()),
    Action('StopInstances', 'RUNNING', 'STOPPING', 'STOPPED', ('StopType', 'StoppedMode')),
    Action('RebootInstances', 'RUNNING', 'REBOOTING', 'RUNNING', ('StopType',)),
)}
PARAM_VALUES = {
    'StopType': ('SOFT', 'HARD', 'SOFT_FIRST'),
    'StoppedMode': ('KEEP_CHARGING', 'STOP_CHARGING'),
}


def answer(emulator, headers, body, request_id):
    """Check and apply one power call; the answer is just its RequestId (added by the server)."""
    action = ACTIONS[headers.get('X-TC-Action')]
    region = cvm.check_request(headers, action.name)
    params = cvm.parse_params(body, extra=action.params, paged=False)
    ids = params.get('InstanceIds')
    cvm.check_permission(emulator, region, ids)
    if not ids:
        raise ApiError('MissingParameter', 'The request is missing a required parameter `InstanceIds`.')
    _check_values(params)
    instances = _instances(emulator, region, ids)
    now = time.monotonic()
    with emulator.lock:
        _someone_else_acts(emulator, instances, now)
        for instance in instances:
            _check_can(action, instance, params, now)
        for instance in instances:
            instance.act(now, _timeline(action, instance, request_id, emulator.power_seconds))
            _others_act_later(emulator, instance, now)
        emulator.stats['power_calls'].append(dict(params, action=action.name, request_id=request_id))
    return {}


def _others_act_later(emulator, instance, now):
    """Scenario ``others`` entries: ``after`` seconds after the first call of the client that names the instance,
    another party's ``action`` lands on it (if its state then allows it), under a RequestId of its own."""
    for other in emulator.others:
        if other['instance'] != instance.id or other.get('scheduled'):
            continue
        other['scheduled'] = True
        action = ACTIONS[other['action']]

        def apply(at, action=action):
            state, operation = instance.step(at, True)
            if state != action.start_state or operation.get('state') == 'OPERATING':
                return  # refused, as the service refuses it: the instance is elsewhere, or busy
            request_id = 'other-party-%s' % uuid.uuid4()
            instance.act(at, _timeline(action, instance, request_id, emulator.power_seconds))
            emulator.stats['other_party_calls'].append({'action': action.name, 'request_id': request_id,
                                                        'InstanceIds': [instance.id]})
        instance.scheduled.append((now + other.get('after', 1.0), apply))


def _check_values(params):
    for name, allowed in PARAM_VALUES.items():
        if name in params and params[name] not in allowed:
            raise ApiError('InvalidParameterValue', 'The value `%s` of parameter `%s` is not one of %s.'
                           % (params[name], name, ', '.join(allowed)))


def _instances(emulator, region, ids):
    instances = []
    for instance_id in dict.fromkeys(ids):
        number = emulator.index.get(instance_id)
        if number is None or emulator.instances[number].region != region \
                or emulator.instances[number].state(time.monotonic(), True) == cvm.GONE:
            raise ApiError('InvalidInstanceId.NotFound', 'The instance `%s` is not found.' % instance_id)
        instances.append(emulator.instances[number])
    return instances


def _someone_else_acts(emulator, instances, now):
    """Scenario ``raced`` entries: another caller's action lands just before this call names the instance."""
    named = {instance.id: instance for instance in instances}
    for race in emulator.races:
        instance = named.get(race['instance'])
        if instance is not None and not race.get('done'):
            race['done'] = True
            instance.act(now, _timeline(ACTIONS[race['action']], instance, 'someone-else', emulator.power_seconds))


def _check_can(action, instance, params, now):
    state, operation = instance.step(now, True)
    if state != action.start_state:
        raise ApiError('UnsupportedOperation.InstanceState' + state.title().replace('_', ''),
                       'The instance `%s` is %s: %s is not supported in this state.' % (instance.id, state,
                                                                                        action.name))
    if operation.get('state') == 'OPERATING':
        raise ApiError('OperationDenied.InstanceOperationInProgress',
                       'An operation is in progress on the instance `%s`.' % instance.id)
    if params.get('StoppedMode') == 'STOP_CHARGING' and instance.details.get('charge_type', 'POSTPAID_BY_HOUR') \
            != 'POSTPAID_BY_HOUR':
        raise ApiError('UnsupportedOperation.StoppedModeStopCharging',
                       'The instance `%s` is not billed by the hour: it cannot stop charging.' % instance.id)


def _timeline(action, instance, request_id, seconds):
    operation = {'name': action.name, 'state': 'OPERATING', 'request_id': request_id}
    error = instance.fails.get(action.name)
    if error:
        end = (action.start_state, dict(operation, state='FAILED', error=error))
    else:
        end = (action.end_state, dict(operation, state='SUCCESS'))
    # An instance's power_delay: the operation runs, its state not showing it yet.
    delay = [{'state': action.start_state, 'seconds': instance.power_delay, 'operation': operation}]
    return (delay if instance.power_delay else []) + [
        {'state': action.moving_state, 'seconds': seconds, 'operation': operation},
        {'state': end[0], 'operation': end[1]}]
