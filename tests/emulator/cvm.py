# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM service: DescribeInstancesStatus and DescribeInstances, strict where the real service is strict, with
instances that move through states (and operations) on a schedule; the power actions are in ``power.py``.
"""

import json
import re
import time

from .errors import ApiError, ScenarioError

ACTION = 'DescribeInstancesStatus'
DESCRIBE_INSTANCES = 'DescribeInstances'
DESCRIBE_REGIONS = 'DescribeRegions'
VERSION = '2017-03-12'
SERVICE = 'cvm'
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_IDS = 100
# The state of an instance terminated and gone: no read lists it (lifecycle.py ends a termination in it).
GONE = 'GONE'
REGIONS = (
    'ap-bangkok', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-guangzhou', 'ap-hongkong', 'ap-jakarta', 'ap-nanjing',
    'ap-seoul', 'ap-shanghai', 'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-singapore', 'ap-tokyo', 'eu-frankfurt',
    'na-ashburn', 'na-siliconvalley', 'sa-saopaulo',
)
# Regions Tencent Cloud's region list names that this action's reference page does not: a real region it lacks.
REGIONS_WITHOUT_ACTION = ('ap-mumbai', 'eu-moscow', 'na-toronto')
INSTANCE_ID = re.compile(r'^ins-[a-z0-9]{8}$')
MAX_FILTERS = 10
MAX_FILTER_VALUES = 5
# DescribeInstances filters, each a function of the instance's description (tag:<key> is handled apart).
FILTERS = {
    'instance-id': lambda d: [d['InstanceId']],
    'instance-name': lambda d: [d['InstanceName']],
    'instance-state': lambda d: [d['InstanceState']],
    'instance-type': lambda d: [d['InstanceType']],
    'instance-charge-type': lambda d: [d['InstanceChargeType']],
    'zone': lambda d: [d['Placement']['Zone']],
    'project-id': lambda d: [str(d['Placement']['ProjectId'])],
    'vpc-id': lambda d: [d['VirtualPrivateCloud']['VpcId']],
    'subnet-id': lambda d: [d['VirtualPrivateCloud']['SubnetId']],
    'security-group-id': lambda d: d['SecurityGroupIds'],
    'private-ip-address': lambda d: d['PrivateIpAddresses'],
    'public-ip-address': lambda d: d['PublicIpAddresses'] or [],
    'tag-key': lambda d: [tag['Key'] for tag in d['Tags']],
    'tag-value': lambda d: [tag['Value'] for tag in d['Tags']],
}

DEMO_SCENARIO = {
    'instances': [
        {'id': 'ins-web00001', 'region': 'ap-guangzhou', 'timeline': [{'state': 'RUNNING'}]},
        {'id': 'ins-web00002', 'region': 'ap-guangzhou',
         'timeline': [{'state': 'PENDING', 'seconds': 2}, {'state': 'STARTING', 'seconds': 2}, {'state': 'RUNNING'}]},
        {'id': 'ins-web00003', 'region': 'ap-guangzhou',
         'timeline': [{'state': 'PENDING', 'seconds': 4}, {'state': 'RUNNING'}]},
        {'id': 'ins-batch001', 'region': 'ap-guangzhou',
         'timeline': [{'state': 'STOPPING', 'seconds': 3}, {'state': 'STOPPED'}]},
        {'id': 'ins-slow0001', 'region': 'ap-guangzhou', 'timeline': [{'state': 'PENDING'}]},
        {'id': 'ins-broken01', 'region': 'ap-guangzhou',
         'timeline': [{'state': 'PENDING', 'seconds': 2}, {'state': 'LAUNCH_FAILED'}]},
        {'id': 'ins-sh000001', 'region': 'ap-shanghai', 'timeline': [{'state': 'RUNNING'}]},
    ],
    'faults': [],
}


class Instance:
    """An instance whose timeline starts the first time a request names it by ID, so a test sees every step.

    Until then, a listing of its region shows it in its first step. A step may carry the latest operation
    (``operation: {name, state, request_id, error}``); it stays the latest until a later step names another.
    """

    def __init__(self, instance_id, region, timeline, details, number, fails=None, starts_when_listed=False,
                 power_delay=0.0, operation_delay=0.0):
        self.id = instance_id
        self.region = region
        self.timeline = timeline
        self.details = details
        self.number = number
        # Power action name -> the error message it fails with on this instance.
        self.fails = fails or {}
        self.starts_when_listed = starts_when_listed
        # Seconds an accepted power action runs before the state shows it (the service answers before it shows).
        self.power_delay = power_delay
        # Seconds an accepted action's operation stays out of DescribeInstances, the one before it shown meanwhile
        # (a control plane whose reads lag its writes).
        self.operation_delay = operation_delay
        self._hidden_until = None
        self._shown_operation = {}
        self.first_seen = None
        # (when, apply(when)): what others do to the instance later (power.py schedules it), applied once due.
        self.scheduled = []

    def act(self, now, timeline):
        """A power action was accepted: the instance follows ``timeline`` from ``now``."""
        if self.operation_delay:
            self._shown_operation = self.step(now, True)[1]
            self._hidden_until = now + self.operation_delay
        self.timeline = timeline
        self.first_seen = now

    def step(self, now, named):
        """``(state, latest operation or {})`` now."""
        for due in [entry for entry in self.scheduled if entry[0] <= now]:
            self.scheduled.remove(due)
            due[1](due[0])
        if self.first_seen is None:
            if not (named or self.starts_when_listed):
                return self.timeline[0]['state'], self.timeline[0].get('operation') or {}
            self.first_seen = now
        since_start = now - self.first_seen
        operation = {}
        for step in self.timeline:
            operation = step.get('operation') or operation
            seconds = step.get('seconds')
            if seconds is None or since_start < seconds:
                return step['state'], operation
            since_start -= seconds
        return self.timeline[-1]['state'], operation

    def state(self, now, named):
        return self.step(now, named)[0]

    def describe(self, now, named):
        """The instance as ``DescribeInstances`` lists it."""
        state, operation = self.step(now, named)
        if self._hidden_until is not None and now < self._hidden_until:
            operation = self._shown_operation
        details = self.details
        octets = (self.number >> 16) & 255, (self.number >> 8) & 255, self.number & 255
        return {
            'InstanceId': self.id,
            'InstanceName': details.get('name', self.id),
            'InstanceType': details.get('type', 'S5.MEDIUM4'),
            'InstanceState': state,
            'InstanceChargeType': details.get('charge_type', 'POSTPAID_BY_HOUR'),
            'Placement': {'Zone': details.get('zone', self.region + '-3'), 'ProjectId': details.get('project_id', 0)},
            'PrivateIpAddresses': [details.get('private_ip', '10.%d.%d.%d' % octets)],
            'PublicIpAddresses': ['43.%d.%d.%d' % octets] if details.get('public_ip') else None,
            'VirtualPrivateCloud': {'VpcId': details.get('vpc_id', 'vpc-default0'),
                                    'SubnetId': details.get('subnet_id', 'subnet-default0')},
            'SecurityGroupIds': details.get('security_groups', ['sg-default0']),
            'CPU': details.get('cpu', 2),
            'Memory': details.get('memory', 4),
            'ImageId': details.get('image_id', 'img-default0'),
            'IPv6Addresses': details.get('ipv6'),
            'OsName': details.get('os_name', 'TencentOS Server 3.1 (TK4)'),
            'Tags': [{'Key': k, 'Value': v} for k, v in sorted(details.get('tags', {}).items())],
            'CreatedTime': details.get('created_time', '2026-01-01T00:00:00Z'),
            'LatestOperation': operation.get('name'),
            'LatestOperationState': operation.get('state'),
            'LatestOperationRequestId': operation.get('request_id'),
            'LatestOperationErrorMsg': operation.get('error'),
        }


DETAILS = ('name', 'type', 'charge_type', 'zone', 'project_id', 'private_ip', 'public_ip', 'vpc_id', 'subnet_id',
           'security_groups', 'os_name', 'tags', 'created_time', 'cpu', 'memory', 'image_id', 'ipv6',
           'disable_api_termination')


def build_instances(scenario):
    instances = []
    for spec in scenario.get('instances', []):
        timeline = spec.get('timeline') or [{'state': spec['state'], 'operation': spec.get('operation')}]
        ids = spec['ids'] if 'ids' in spec else (
            ['%s%0*d' % (spec['id_prefix'], 12 - len(spec['id_prefix']), n) for n in range(spec['count'])]
            if 'count' in spec else [spec['id']])
        details = {key: spec[key] for key in DETAILS if key in spec}
        for instance_id in ids:
            if not INSTANCE_ID.match(instance_id):
                raise ScenarioError('scenario instance ID %r is malformed' % instance_id)
            named = dict(details, name=details.get('name', instance_id))
            # A timeline starts when a request first names the instance, or (timeline_from: listed) lists it at all:
            # what a watch of a filtered listing sees change by itself.
            instances.append(Instance(instance_id, spec.get('region', 'ap-guangzhou'), timeline, named,
                                      len(instances) + 1, spec.get('fails'), spec.get('timeline_from') == 'listed',
                                      spec.get('power_delay', 0.0), spec.get('operation_delay', 0.0)))
    return instances


class TokenBucket:
    """The service's limit: ``rate`` requests a second, with a burst of the same size."""

    def __init__(self, rate, clock=time.monotonic):
        self.rate = rate
        self.tokens = float(rate)
        self.clock = clock
        self.updated = clock()

    def take(self):
        now = self.clock()
        self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def signed_id(headers):
    """The SecretId a (verified) request was signed with: the service's rate limit is per account."""
    return headers.get('Authorization', '').split('Credential=', 1)[-1].split('/', 1)[0]


def check_request(headers, action, region_required=True):
    """The checks every CVM action shares: action, version, region (optional for some), Content-Type."""
    if headers.get('X-TC-Action') != action:
        raise ApiError('InvalidAction', 'The requested action=`%s` does not exist in service=`%s`.'
                       % (headers.get('X-TC-Action'), SERVICE))
    if headers.get('X-TC-Version') != VERSION:
        raise ApiError('NoSuchVersion', 'The specified api version=`%s` does not exist in service=`%s`.'
                       % (headers.get('X-TC-Version'), SERVICE))
    region = headers.get('X-TC-Region')
    if region or region_required:
        check_region(region)
    content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
    if content_type != 'application/json':
        raise ApiError('InvalidParameter', 'The Content-Type `%s` is not supported for a TC3-HMAC-SHA256 POST: '
                       'send application/json.' % content_type)
    return region


def answer(emulator, headers, body):
    """The answer to a CVM action, by ``X-TC-Action``."""
    if headers.get('X-TC-Action') == DESCRIBE_INSTANCES:
        return describe_instances(emulator, headers, body)
    if headers.get('X-TC-Action') == DESCRIBE_REGIONS:
        return describe_regions(emulator, headers, body)
    return describe(emulator, headers, body)


def region_states_of(scenario):
    """``{region: RegionState}`` that ``DescribeRegions`` answers: the scenario's, else every region ``AVAILABLE``."""
    states = scenario.get('region_states') or dict.fromkeys(REGIONS, 'AVAILABLE')
    unknown = sorted(set(states) - set(REGIONS + REGIONS_WITHOUT_ACTION))
    if unknown:
        raise ScenarioError('region_states names unknown regions: %s' % ', '.join(unknown))
    return states


def check_permission(emulator, region, ids=None):
    """A region the scenario forbids (``forbidden_regions``): the keys may not read or act there. An instance it denies
    (``denied_instances``, as a CAM policy with a resource condition does): a call that names it is refused whole."""
    if region in emulator.forbidden_regions:
        raise ApiError('UnauthorizedOperation', 'You are not authorized to perform this operation in region `%s`.'
                       % region)
    denied = sorted(set(ids or ()) & emulator.denied_instances)
    if denied:
        raise ApiError(emulator.denial_code, 'You are not authorized to perform this operation on resource '
                       '`qcs::cvm:%s::instance/%s`.' % (region, denied[0]))


def describe_regions(emulator, headers, body):
    """``DescribeRegions``: the one CVM action whose ``Region`` is optional; it takes no parameters."""
    check_request(headers, DESCRIBE_REGIONS, region_required=False)
    if parse_params(body, paged=False).get('InstanceIds') is not None:
        raise ApiError('UnknownParameter', 'The parameter `InstanceIds` is not recognized.')
    regions = [{'Region': name, 'RegionName': name, 'RegionState': state}
               for name, state in emulator.region_states.items()]
    return {'TotalCount': len(regions), 'RegionSet': regions}


def _in_region(emulator, region, ids, now):
    """The instances of ``region`` (of ``ids``, when given) that exist: a terminated one is no longer listed."""
    if ids is None:
        candidates = [i for i in emulator.instances if i.region == region]
    else:
        # Answered in the account's order, like the service, not in the order asked.
        found = sorted(emulator.index[i] for i in set(ids) if i in emulator.index)
        candidates = [emulator.instances[n] for n in found if emulator.instances[n].region == region]
    with emulator.lock:
        return [i for i in candidates if i.state(now, ids is not None) != GONE]


def describe(emulator, headers, body):
    region = check_request(headers, ACTION)
    params = parse_params(body)
    ids = params.get('InstanceIds')
    check_permission(emulator, region, ids)
    now = time.monotonic()
    matching = _in_region(emulator, region, ids, now)
    offset, limit = params.get('Offset', 0), params.get('Limit', DEFAULT_LIMIT)
    with emulator.lock:
        states = [(i.id, i.state(now, ids is not None)) for i in matching]
    return {
        'TotalCount': len(matching),
        'InstanceStatusSet': [{'InstanceId': i, 'InstanceState': s} for i, s in states[offset:offset + limit]],
    }


def describe_instances(emulator, headers, body):
    region = check_request(headers, DESCRIBE_INSTANCES)
    params = parse_params(body, ('Filters',))
    ids = params.get('InstanceIds')
    check_permission(emulator, region, ids)
    filters = params.get('Filters')
    if ids is not None and filters is not None:
        raise ApiError('InvalidParameter', 'InstanceIds and Filters cannot be given together.')
    wanted = check_filters(filters or [])
    offset, limit = params.get('Offset', 0), params.get('Limit', DEFAULT_LIMIT)
    now = time.monotonic()
    candidates = _in_region(emulator, region, ids, now)
    with emulator.lock:
        if not wanted:
            # Only the page is described: a listing of 10,000 instances stays cheap for the emulator.
            return {'TotalCount': len(candidates),
                    'InstanceSet': [i.describe(now, ids is not None) for i in candidates[offset:offset + limit]]}
        described = [i.describe(now, ids is not None) for i in candidates]
    matching = [d for d in described if all(_passes(d, name, values) for name, values in wanted)]
    return {'TotalCount': len(matching), 'InstanceSet': matching[offset:offset + limit]}


def check_filters(filters):
    if not isinstance(filters, list) or len(filters) > MAX_FILTERS:
        raise ApiError('InvalidParameterValue.LimitExceeded', 'Filters must be an array of at most %d filters.'
                       % MAX_FILTERS)
    wanted = []
    for item in filters:
        if not isinstance(item, dict) or not isinstance(item.get('Name'), str) \
                or not isinstance(item.get('Values'), list) or not all(isinstance(v, str) for v in item['Values']):
            raise ApiError('InvalidParameter', 'Each filter needs a Name and an array of string Values.')
        name = item['Name']
        if name not in FILTERS and not (name.startswith('tag:') and len(name) > 4):
            raise ApiError('InvalidFilter', 'The filter `%s` is not supported.' % name)
        if not 1 <= len(item['Values']) <= MAX_FILTER_VALUES:
            raise ApiError('InvalidParameterValue.LimitExceeded', 'The filter `%s` takes 1 to %d values.'
                           % (name, MAX_FILTER_VALUES))
        wanted.append((name, item['Values']))
    return wanted


def _passes(described, name, values):
    if name.startswith('tag:'):
        return any(tag['Key'] == name[4:] and tag['Value'] in values for tag in described['Tags'])
    return any(value in values for value in FILTERS[name](described))


def parse_params(body, extra=(), paged=True):
    try:
        params = json.loads(body.decode('utf-8')) if body else {}
    except (ValueError, UnicodeDecodeError):
        raise ApiError('InvalidParameter', 'The request body is not valid JSON.')
    if not isinstance(params, dict):
        raise ApiError('InvalidParameter', 'The request body must be a JSON object.')
    known = {'InstanceIds', 'Offset', 'Limit'} if paged else {'InstanceIds'}
    unknown = sorted(set(params) - known - set(extra))
    if unknown:
        raise ApiError('UnknownParameter', 'The parameter `%s` is not recognized.' % unknown[0])
    ids = params.get('InstanceIds')
    if ids is not None:
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ApiError('InvalidParameter', 'InstanceIds must be an array of strings.')
        if len(ids) > MAX_IDS:
            raise ApiError('InvalidParameterValue.LimitExceeded',
                           'The number of InstanceIds (%d) exceeds the limit of %d.' % (len(ids), MAX_IDS))
        malformed = [i for i in ids if not INSTANCE_ID.match(i)]
        if malformed:
            raise ApiError('InvalidInstanceId.Malformed', 'The instance ID %r is malformed.' % malformed[0])
    for name, minimum, maximum in (('Offset', 0, None), ('Limit', 1, MAX_LIMIT)):
        value = params.get(name)
        if value is None:
            continue
        # JSON true is not the integer 1 to the service, though Python's bool is an int.
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum or (maximum and value > maximum):
            raise ApiError('InvalidParameterValue', 'The value of %s is invalid.' % name)
    return params


def check_region(region):
    """Missing, not a region at all, or a region this action does not serve: three different answers."""
    if not region:
        raise ApiError('MissingParameter', 'The request is missing a required parameter `Region`.')
    if region not in REGIONS + REGIONS_WITHOUT_ACTION:
        raise ApiError('InvalidParameterValue', 'The value `%s` of parameter `Region` is not valid.' % region)
    if region not in REGIONS:
        raise ApiError('UnsupportedRegion', 'The action does not support the region `%s`.' % region)
