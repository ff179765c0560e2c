# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RunInstances and TerminateInstances, with the service's rules.

``RunInstances`` checks its parameters as the SDK models them (types, ``InstanceCount`` 1 to 100, a ``ClientToken``
of at most 64 ASCII characters, a ``Placement.Zone`` of the request's region), answers ``DryRun`` with
``DryRunOperation`` (creating nothing), and answers a ``ClientToken`` it has seen with that call's ``InstanceIdSet``,
creating nothing. New instances are ``PENDING`` for the scenario's ``launch_seconds``, then ``RUNNING``, or
``LAUNCH_FAILED`` for an image of the scenario's ``failing_images``; ``instance_quota`` caps the instances that exist
(``LimitExceeded.InstanceQuota``). Several instances of one call are named ``InstanceName`` with the suffixes 1..n.

``TerminateInstances`` takes up to 100 IDs of the request's region; the whole call is refused when one instance has
termination protection (``UnsupportedOperation.InstancesProtected``), is moving or already on its way out
(``UnsupportedOperation.InstanceState<State>``). Accepted, a pay-as-you-go instance is ``TERMINATING`` for the
scenario's ``power_seconds`` and then no longer listed; a prepaid one goes to the recycle bin (``SHUTDOWN``).
"""

import time

from . import cvm
from .errors import ApiError

RUN = 'RunInstances'
TERMINATE = 'TerminateInstances'
ACTIONS = (RUN, TERMINATE)
MAX_COUNT = 100
MAX_TOKEN_CHARS = 64
MAX_NAME_CHARS = 60
DEFAULT_LAUNCH_SECONDS = 2.0
CHARGE_TYPES = ('PREPAID', 'POSTPAID_BY_HOUR', 'SPOTPAID', 'CDHPAID', 'CDCPAID')
DISK_TYPES = ('LOCAL_BASIC', 'LOCAL_SSD', 'CLOUD_BASIC', 'CLOUD_SSD', 'CLOUD_PREMIUM', 'CLOUD_BSSD', 'CLOUD_HSSD')
GONE = cvm.GONE
# What each parameter of RunInstances is, as the SDK models it (the ones this emulator knows).
RUN_PARAMS = {
    'Placement': dict, 'ImageId': str, 'InstanceType': str, 'InstanceChargeType': str, 'SystemDisk': dict,
    'DataDisks': list, 'VirtualPrivateCloud': dict, 'SecurityGroupIds': list, 'InternetAccessible': dict,
    'LoginSettings': dict, 'InstanceName': str, 'TagSpecification': list, 'UserData': str,
    'DisableApiTermination': bool, 'ClientToken': str, 'DryRun': bool, 'InstanceCount': int,
}


def answer(emulator, headers, body, request_id):
    action = headers.get('X-TC-Action')
    region = cvm.check_request(headers, action)
    if action == RUN:
        return run_instances(emulator, region, body, request_id)
    return terminate_instances(emulator, region, body, request_id)


def run_instances(emulator, region, body, request_id):
    params = cvm.parse_params(body, extra=tuple(RUN_PARAMS), paged=False)
    cvm.check_permission(emulator, region)
    _check_types(params)
    count = params.get('InstanceCount', 1)
    if not 1 <= count <= MAX_COUNT:
        raise ApiError('InvalidParameterValue.Range', 'InstanceCount must be from 1 to %d.' % MAX_COUNT)
    token = params.get('ClientToken')
    if token is not None and (len(token) > MAX_TOKEN_CHARS or not token.isascii()):
        raise ApiError('InvalidClientToken.TooLong', 'The ClientToken exceeds the maximum length of 64 bytes.')
    zone = (params.get('Placement') or {}).get('Zone')
    if not isinstance(zone, str) or not zone.startswith(region + '-'):
        raise ApiError('InvalidZone.MismatchRegion', 'The zone `%s` is not a zone of region `%s`.' % (zone, region))
    if not params.get('ImageId'):
        raise ApiError('MissingParameter', 'The request is missing a required parameter `ImageId`.')
    if len(params.get('InstanceName', '')) > MAX_NAME_CHARS:
        raise ApiError('InvalidInstanceName.TooLong', 'The InstanceName exceeds the maximum length of 60 bytes.')
    _check_values(params)
    now = time.monotonic()
    with emulator.lock:
        if token is not None and token in emulator.client_tokens:
            emulator.stats['run_calls'].append(_recorded(params, request_id, emulator.client_tokens[token], True))
            return {'InstanceIdSet': list(emulator.client_tokens[token])}
        live = sum(1 for instance in emulator.instances if instance.state(now, True) != GONE)
        if emulator.instance_quota is not None and live + count > emulator.instance_quota:
            raise ApiError('LimitExceeded.InstanceQuota', 'You are short of the instance quota: %d of %d in use.'
                           % (live, emulator.instance_quota))
        if params.get('DryRun'):
            raise ApiError('DryRunOperation', 'The request would have succeeded, but DryRun was set.')
        ids = [_created(emulator, region, params, n, count, request_id, now).id for n in range(count)]
        if token is not None:
            emulator.client_tokens[token] = ids
        emulator.stats['run_calls'].append(_recorded(params, request_id, ids, False))
    return {'InstanceIdSet': ids}


def _check_types(params):
    for name, kind in RUN_PARAMS.items():
        value = params.get(name)
        if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            raise ApiError('InvalidParameter', 'The parameter `%s` must be of type %s.' % (name, kind.__name__))


def _check_values(params):
    if params.get('InstanceChargeType', 'POSTPAID_BY_HOUR') not in CHARGE_TYPES:
        raise ApiError('InvalidParameterValue', 'The InstanceChargeType `%s` is not valid.'
                       % params['InstanceChargeType'])
    for disk in [params.get('SystemDisk') or {}] + list(params.get('DataDisks') or []):
        if not isinstance(disk, dict) or disk.get('DiskType', 'CLOUD_PREMIUM') not in DISK_TYPES \
                or not isinstance(disk.get('DiskSize', 50), int):
            raise ApiError('InvalidParameterValue', 'The disk %r is not valid.' % (disk,))
    for spec in params.get('TagSpecification') or []:
        tags = spec.get('Tags') if isinstance(spec, dict) else None
        if spec.get('ResourceType') != 'instance' or not isinstance(tags, list) or not all(
                isinstance(tag, dict) and isinstance(tag.get('Key'), str) and isinstance(tag.get('Value'), str)
                for tag in tags):
            raise ApiError('InvalidParameter', 'TagSpecification needs ResourceType instance and Tags of Key and '
                                               'Value strings.')


def _created(emulator, region, params, number, count, request_id, now):
    """A new instance, listed from ``now``."""
    name = params.get('InstanceName', 'Unnamed')
    tags = {tag['Key']: tag['Value'] for spec in params.get('TagSpecification') or [] for tag in spec['Tags']}
    vpc = params.get('VirtualPrivateCloud') or {}
    details = {
        'name': name + str(number + 1) if count > 1 else name, 'tags': tags, 'zone': params['Placement']['Zone'],
        'image_id': params['ImageId'], 'type': params.get('InstanceType', 'S5.MEDIUM4'),
        'charge_type': params.get('InstanceChargeType', 'POSTPAID_BY_HOUR'),
        'vpc_id': vpc.get('VpcId', 'vpc-default0'), 'subnet_id': vpc.get('SubnetId', 'subnet-default0'),
        'security_groups': params.get('SecurityGroupIds') or ['sg-default0'],
        'disable_api_termination': bool(params.get('DisableApiTermination')),
    }
    operation = {'name': RUN, 'state': 'OPERATING', 'request_id': request_id}
    failed = params['ImageId'] in emulator.failing_images
    end = ('LAUNCH_FAILED', dict(operation, state='FAILED', error='The instance failed to launch.')) if failed \
        else ('RUNNING', dict(operation, state='SUCCESS'))
    timeline = [{'state': 'PENDING', 'seconds': emulator.launch_seconds, 'operation': operation},
                {'state': end[0], 'operation': end[1]}]
    instance = cvm.Instance(_new_id(emulator), region, timeline, details, len(emulator.instances) + 1)
    instance.first_seen = now
    emulator.index[instance.id] = len(emulator.instances)
    emulator.instances.append(instance)
    return instance


def _new_id(emulator):
    """An unused ID of the service's form (ins- and 8 lower-case letters or digits), in creation order."""
    while True:
        emulator.created += 1
        candidate = 'ins-n%07d' % emulator.created
        if candidate not in emulator.index:
            return candidate


def _recorded(params, request_id, ids, repeated):
    shown = {key: value for key, value in params.items() if key != 'LoginSettings'}
    return dict(shown, request_id=request_id, instance_ids=list(ids), repeated_token=repeated)


def terminate_instances(emulator, region, body, request_id):
    params = cvm.parse_params(body, paged=False)
    ids = params.get('InstanceIds')
    cvm.check_permission(emulator, region, ids)
    if not ids:
        raise ApiError('MissingParameter', 'The request is missing a required parameter `InstanceIds`.')
    now = time.monotonic()
    with emulator.lock:
        instances = [_listed(emulator, region, instance_id, now) for instance_id in dict.fromkeys(ids)]
        protected = [i.id for i in instances if i.details.get('disable_api_termination')]
        if protected:
            raise ApiError('UnsupportedOperation.InstancesProtected', 'The instance `%s` is under termination '
                           'protection and cannot be terminated. Disable the termination protection and try '
                           'again.' % protected[0])
        for instance in instances:
            _check_can_terminate(instance, now)
        for instance in instances:
            instance.act(now, _ending(instance, request_id, emulator.power_seconds))
        emulator.stats['terminate_calls'].append({'InstanceIds': list(ids), 'request_id': request_id})
    return {}


def _listed(emulator, region, instance_id, now):
    number = emulator.index.get(instance_id)
    if number is None or emulator.instances[number].region != region \
            or emulator.instances[number].state(now, True) == GONE:
        raise ApiError('InvalidInstanceId.NotFound', 'The instance `%s` is not found.' % instance_id)
    return emulator.instances[number]


def _check_can_terminate(instance, now):
    state, operation = instance.step(now, True)
    if state in ('PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'TERMINATING', 'SHUTDOWN') \
            or operation.get('state') == 'OPERATING':
        raise ApiError('UnsupportedOperation.InstanceState' + state.title().replace('_', ''),
                       'The instance `%s` is %s: TerminateInstances is not supported in this state.'
                       % (instance.id, state))


def _ending(instance, request_id, seconds):
    operation = {'name': TERMINATE, 'state': 'OPERATING', 'request_id': request_id}
    done = dict(operation, state='SUCCESS')
    if instance.details.get('charge_type', 'POSTPAID_BY_HOUR') == 'PREPAID':
        return [{'state': 'SHUTDOWN', 'operation': done}]
    return [{'state': 'TERMINATING', 'seconds': seconds, 'operation': operation}, {'state': GONE, 'operation': done}]
