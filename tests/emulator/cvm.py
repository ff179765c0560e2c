# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM service: DescribeInstancesStatus, strict where the real service is strict, with instances that move
through states on a schedule.
"""

from __future__ import absolute_import, division, print_function

import json
import re
import time

from .errors import ApiError, ScenarioError

ACTION = 'DescribeInstancesStatus'
VERSION = '2017-03-12'
SERVICE = 'cvm'
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_IDS = 100
REGIONS = (
    'ap-bangkok', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-guangzhou', 'ap-hongkong', 'ap-jakarta', 'ap-nanjing',
    'ap-seoul', 'ap-shanghai', 'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-singapore', 'ap-tokyo', 'eu-frankfurt',
    'na-ashburn', 'na-siliconvalley', 'sa-saopaulo',
)
# Regions Tencent Cloud's region list names that this action's reference page does not: a real region it lacks.
REGIONS_WITHOUT_ACTION = ('ap-mumbai', 'eu-moscow', 'na-toronto')
INSTANCE_ID = re.compile(r'^ins-[a-z0-9]{8}$')

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

    Until then, a listing of its region shows it in its first state.
    """

    def __init__(self, instance_id, region, timeline):
        self.id = instance_id
        self.region = region
        self.timeline = timeline
        self.first_seen = None

    def state(self, now, named):
        if self.first_seen is None:
            if not named:
                return self.timeline[0]['state']
            self.first_seen = now
        since_start = now - self.first_seen
        for step in self.timeline:
            seconds = step.get('seconds')
            if seconds is None or since_start < seconds:
                return step['state']
            since_start -= seconds
        return self.timeline[-1]['state']


def build_instances(scenario):
    instances = []
    for spec in scenario.get('instances', []):
        timeline = spec.get('timeline') or [{'state': spec['state']}]
        ids = spec['ids'] if 'ids' in spec else (
            ['%s%0*d' % (spec['id_prefix'], 12 - len(spec['id_prefix']), n) for n in range(spec['count'])]
            if 'count' in spec else [spec['id']])
        for instance_id in ids:
            if not INSTANCE_ID.match(instance_id):
                raise ScenarioError('scenario instance ID %r is malformed' % instance_id)
            instances.append(Instance(instance_id, spec.get('region', 'ap-guangzhou'), timeline))
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


def describe(emulator, headers, body):
    if headers.get('X-TC-Action') != ACTION:
        raise ApiError('InvalidAction', 'The requested action=`%s` does not exist in service=`%s`.'
                       % (headers.get('X-TC-Action'), SERVICE))
    if headers.get('X-TC-Version') != VERSION:
        raise ApiError('NoSuchVersion', 'The specified api version=`%s` does not exist in service=`%s`.'
                       % (headers.get('X-TC-Version'), SERVICE))
    region = headers.get('X-TC-Region')
    check_region(region)
    content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
    if content_type != 'application/json':
        raise ApiError('InvalidParameter', 'The Content-Type `%s` is not supported for a TC3-HMAC-SHA256 POST: '
                       'send application/json.' % content_type)
    params = parse_params(body)
    ids = params.get('InstanceIds')
    if ids is None:
        matching = [i for i in emulator.instances if i.region == region]
    else:
        # Answered in the account's order, like the service, not in the order asked.
        found = sorted(emulator.index[i] for i in set(ids) if i in emulator.index)
        matching = [emulator.instances[n] for n in found if emulator.instances[n].region == region]
    offset, limit = params.get('Offset', 0), params.get('Limit', DEFAULT_LIMIT)
    now = time.monotonic()
    with emulator.lock:
        states = [(i.id, i.state(now, ids is not None)) for i in matching]
    return {
        'TotalCount': len(matching),
        'InstanceStatusSet': [{'InstanceId': i, 'InstanceState': s} for i, s in states[offset:offset + limit]],
    }


def parse_params(body):
    try:
        params = json.loads(body.decode('utf-8')) if body else {}
    except (ValueError, UnicodeDecodeError):
        raise ApiError('InvalidParameter', 'The request body is not valid JSON.')
    if not isinstance(params, dict):
        raise ApiError('InvalidParameter', 'The request body must be a JSON object.')
    unknown = sorted(set(params) - {'InstanceIds', 'Offset', 'Limit'})
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
