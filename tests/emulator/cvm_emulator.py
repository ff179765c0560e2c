# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for the CVM API's DescribeInstancesStatus, strict where the real service is strict.

It verifies TC3-HMAC-SHA256 signatures with its own implementation (so it cannot agree with a wrong client by
sharing its code), enforces the 5-minute timestamp window and 40 requests per second, pages like the real action,
moves instances through states on a schedule, and injects faults on request. See README.md beside this file.

    python tests/emulator/cvm_emulator.py --port 0 --secret-id ID --secret-key KEY [--scenario FILE]

The first line printed is the URL, once it is ready. It listens on 127.0.0.1 only and exits when its parent does.
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import email.utils
import hashlib
import hmac
import json
import os
import random
import re
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACTION = 'DescribeInstancesStatus'
VERSION = '2017-03-12'
SERVICE = 'cvm'
SIGNATURE_WINDOW_SECONDS = 300
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
AUTHORIZATION = re.compile(
    r'^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/]+)/tc3_request, '
    r'SignedHeaders=(?P<headers>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$')

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


class ScenarioError(ValueError):
    pass


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


class Fault:
    """One injected fault: what happens, to which requests, how often."""

    KINDS = ('api_error', 'http_status', 'reset', 'truncated', 'no_response', 'slow',
             # What a hostile or broken endpoint does; the client must come out of each unharmed.
             'redirect', 'trickle', 'silent', 'gzip_bomb', 'oversized', 'endless', 'duplicate', 'echo', 'escape')
    # Kinds that answer normally, then spoil the answer.
    SPOILERS = ('trickle', 'endless', 'duplicate')

    def __init__(self, spec, rng):
        self.kind = spec['kind']
        if self.kind not in self.KINDS:
            raise ScenarioError('fault kind %r is not one of %s' % (self.kind, ', '.join(self.KINDS)))
        self.spec = spec
        self.remaining = spec.get('count')
        self.rate = spec.get('rate')
        if self.remaining is None and self.rate is None:
            raise ScenarioError('fault %r needs a count or a rate' % spec)
        self._rng = rng

    def matches(self, region, instance_ids):
        if self.spec.get('region') and self.spec['region'] != region:
            return False
        if self.spec.get('instance') and self.spec['instance'] not in instance_ids:
            return False
        return True

    def fire(self):
        """Whether this fault hits the current (matching) request; call under the emulator's lock."""
        if self.remaining is not None:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True
        return self._rng.random() < self.rate


def load_scenario(path):
    if path is None:
        return DEMO_SCENARIO
    with open(path) as handle:
        text = handle.read()
    if path.endswith(('.yml', '.yaml')):
        import yaml  # only needed for YAML scenarios
        return yaml.safe_load(text)
    return json.loads(text)


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


class ApiError(Exception):
    def __init__(self, code, message):
        super(ApiError, self).__init__(code, message)
        self.code = code
        self.message = message


class Emulator:
    def __init__(self, secret_id, secret_key, token, scenario, rate_limit, latency, clock_offset, seed,
                 token_lifetime=None):
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.token = token
        self.token_expires_at = None if token_lifetime is None else time.time() + clock_offset + token_lifetime
        self.instances = build_instances(scenario)
        self.index = dict((instance.id, n) for n, instance in enumerate(self.instances))
        rng = random.Random(seed)
        self.faults = [Fault(spec, rng) for spec in scenario.get('faults', [])]
        self.buckets = {}
        self.rate_limit = rate_limit
        self.latency = latency
        self.clock_offset = clock_offset
        self.lock = threading.Lock()
        self.stats = {'requests': 0, 'throttled': 0}

    def now(self):
        return time.time() + self.clock_offset

    # The checks, in the order the real service applies them: auth first, then the action's parameters.
    def authenticate(self, headers, body):
        authorization = headers.get('Authorization', '')
        match = AUTHORIZATION.match(authorization)
        if not match:
            raise ApiError('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed.')
        try:
            timestamp = int(headers.get('X-TC-Timestamp', ''))
        except ValueError:
            raise ApiError('MissingParameter', 'The request is missing a valid X-TC-Timestamp header.')
        if abs(self.now() - timestamp) > SIGNATURE_WINDOW_SECONDS:
            raise ApiError('AuthFailure.SignatureExpire',
                           'The signature has expired: the timestamp %d is more than 5 minutes from the server time %d.'
                           % (timestamp, int(self.now())))
        if match.group('id') != self.secret_id:
            raise ApiError('AuthFailure.SecretIdNotFound',
                           'The SecretId is not found, please ensure that your SecretId is correct.')
        signed = match.group('headers').split(';')
        if 'content-type' not in signed or 'host' not in signed or signed != sorted(signed):
            raise ApiError('AuthFailure.SignatureFailure', 'SignedHeaders must list content-type and host, sorted.')
        date = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc).strftime('%Y-%m-%d')
        if match.group('date') != date or match.group('service') != SERVICE:
            raise ApiError('AuthFailure.SignatureFailure', 'The credential scope does not match the request.')
        expected = self.signature(headers, signed, body, timestamp, date)
        if not hmac.compare_digest(expected, match.group('signature')):
            raise ApiError('AuthFailure.SignatureFailure',
                           'The provided credentials could not be validated. Please check your signature is correct.')
        if self.token and headers.get('X-TC-Token') != self.token:
            raise ApiError('AuthFailure.TokenFailure', 'The token is invalid or missing.')
        if self.token and self.token_expires_at is not None and self.now() >= self.token_expires_at:
            raise ApiError('AuthFailure.TokenFailure', 'The token has expired.')

    def signature(self, headers, signed, body, timestamp, date):
        lowered = dict((name.lower(), value) for name, value in headers.items())
        canonical_headers = ''.join('%s:%s\n' % (name, lowered.get(name, '').strip().lower()) for name in signed)
        canonical = 'POST\n/\n\n%s\n%s\n%s' % (canonical_headers, ';'.join(signed), hashlib.sha256(body).hexdigest())
        scope = '%s/%s/tc3_request' % (date, SERVICE)
        to_sign = 'TC3-HMAC-SHA256\n%d\n%s\n%s' % (timestamp, scope, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
        key = hmac.new(('TC3' + self.secret_key).encode('utf-8'), date.encode('utf-8'), hashlib.sha256).digest()
        key = hmac.new(key, SERVICE.encode('utf-8'), hashlib.sha256).digest()
        key = hmac.new(key, b'tc3_request', hashlib.sha256).digest()
        return hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()

    def throttle(self):
        with self.lock:
            bucket = self.buckets.setdefault(self.secret_id, TokenBucket(self.rate_limit))
            if not bucket.take():
                self.stats['throttled'] += 1
                raise ApiError('RequestLimitExceeded',
                               'Your current request times equals to `%d` in a second, which exceeds the frequency '
                               'limit `%d` for a second. Please reduce the frequency of calls.'
                               % (self.rate_limit + 1, self.rate_limit))

    def describe(self, headers, body):
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
            matching = [i for i in self.instances if i.region == region]
        else:
            # Answered in the account's order, like the service, not in the order asked.
            found = sorted(self.index[i] for i in set(ids) if i in self.index)
            matching = [self.instances[n] for n in found if self.instances[n].region == region]
        offset, limit = params.get('Offset', 0), params.get('Limit', DEFAULT_LIMIT)
        now = time.monotonic()
        with self.lock:
            states = [(i.id, i.state(now, ids is not None)) for i in matching]
        return {
            'TotalCount': len(matching),
            'InstanceStatusSet': [{'InstanceId': i, 'InstanceState': s} for i, s in states[offset:offset + limit]],
        }

    def pick_fault(self, headers, body):
        try:
            ids = json.loads(body.decode('utf-8')).get('InstanceIds') or []
        except (ValueError, AttributeError, UnicodeDecodeError):
            ids = []
        with self.lock:
            for fault in self.faults:
                if fault.matches(headers.get('X-TC-Region'), ids) and fault.fire():
                    return fault
        return None


def spoil(kind, response):
    """Answers that are well-formed JSON but not to be believed."""
    if kind == 'endless':
        # With Offset ignored (offset_ignored()) and a count that never ends, a client paging blindly never stops.
        response['TotalCount'] = 10 ** 9
    elif kind == 'duplicate' and response.get('InstanceStatusSet'):
        first = dict(response['InstanceStatusSet'][0])
        first['InstanceState'] = 'STOPPED' if first['InstanceState'] != 'STOPPED' else 'RUNNING'
        response['InstanceStatusSet'].append(first)


def offset_ignored(body):
    params = json.loads(body.decode('utf-8'))
    params.pop('Offset', None)
    return json.dumps(params).encode('utf-8')


_BOMBS = {}


def gzip_bomb(size):
    """``size`` bytes of zeros, gzipped (about 1 KiB per MiB), made once per size."""
    if size not in _BOMBS:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = bytes(1 << 20)
        parts = [packer.compress(chunk) for _n in range(size >> 20)]
        _BOMBS[size] = b''.join(parts) + packer.flush()
    return _BOMBS[size]


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


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'cvm-emulator'

    def log_message(self, *args):
        pass  # quiet: the tests read the first line of output for the URL

    def date_time_string(self, timestamp=None):
        # The Date header follows the emulator's clock, shifted or not, as a client correcting its skew reads it.
        return email.utils.formatdate(self.server.emulator.now() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self):
        """``GET /_emulator/stats``: how many requests came and how many were throttled (for tests, not in the API)."""
        if self.path != '/_emulator/stats':
            return self.answer(404, b'{}')
        with self.server.emulator.lock:
            payload = json.dumps(self.server.emulator.stats).encode('utf-8')
        return self.answer(200, payload)

    def do_POST(self):
        emulator = self.server.emulator
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        with emulator.lock:
            emulator.stats['requests'] += 1
        if emulator.latency:
            time.sleep(emulator.latency)
        fault = emulator.pick_fault(self.headers, body)
        kind = fault.kind if fault is not None else None
        if kind not in (None, 'api_error', 'slow', 'echo', 'escape') + Fault.SPOILERS:
            return self.inject(fault)
        if kind == 'slow':
            time.sleep(fault.spec.get('seconds', 5))
        request_id = str(uuid.uuid4())
        try:
            if kind in ('api_error', 'echo', 'escape'):
                raise ApiError(fault.spec.get('code', 'InternalError'), self.fault_message(fault))
            emulator.authenticate(self.headers, body)
            emulator.throttle()
            response = emulator.describe(self.headers, body if kind != 'endless' else offset_ignored(body))
        except ApiError as error:
            response = {'Error': {'Code': error.code, 'Message': error.message}}
        else:
            spoil(kind, response)
        response['RequestId'] = request_id
        payload = json.dumps({'Response': response}).encode('utf-8')
        if kind == 'trickle':
            return self.trickle(payload, fault.spec.get('interval', 1.0))
        self.answer(200, payload)

    def fault_message(self, fault):
        if fault.kind == 'echo':
            # Some gateways quote the request back: every header, the token and the signature included.
            return 'Bad request: ' + '; '.join('%s=%s' % item for item in self.headers.items())
        if fault.kind == 'escape':
            # Terminal escapes that would paint a reassuring lie, then a flood.
            return '\x1b[2J\x1b[32mall instances RUNNING\x1b[0m\r\n' + 'x' * fault.spec.get('size', 5000000)
        return fault.spec.get('message', 'Injected fault.')

    def trickle(self, payload, interval):
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        for byte in payload:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(interval)

    def inject(self, fault):
        if fault.kind == 'reset':
            # SO_LINGER with a zero timeout makes close() send RST: a connection reset, not a clean close.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            self.close_connection = True
            self.connection.close()
        elif fault.kind == 'http_status':
            status = fault.spec.get('status', 502)
            page = '<html><head><title>%d</title></head><body><h1>%d Gateway Error</h1></body></html>' % (status, status)
            self.answer(status, page.encode('utf-8'), 'text/html')
        elif fault.kind == 'truncated':
            whole = json.dumps({'Response': {'TotalCount': 1, 'InstanceStatusSet': [], 'RequestId': str(uuid.uuid4())}})
            self.answer(200, whole[:len(whole) // 2].encode('utf-8'))
        elif fault.kind == 'no_response':
            self.answer(200, b'{"Message": "ok"}')
        elif fault.kind == 'redirect':
            self.send_response(fault.spec.get('status', 307))
            self.send_header('Location', fault.spec.get('location', 'https://elsewhere.invalid/'))
            self.send_header('Content-Length', '0')
            self.end_headers()
        elif fault.kind == 'silent':
            # Take the request and say nothing, until the client gives up or the time is over.
            time.sleep(fault.spec.get('seconds', 120))
            self.close_connection = True
        elif fault.kind == 'gzip_bomb':
            payload = gzip_bomb(fault.spec.get('size', 1 << 30))
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Encoding', 'gzip')
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif fault.kind == 'oversized':
            self.stream_oversized(fault.spec.get('size', 500 * 1024 * 1024))

    def stream_oversized(self, size):
        """A well-formed answer padded with spaces to ``size`` bytes, sent without holding it in memory."""
        head = b'{"Response": {"TotalCount": 0, "InstanceStatusSet": [], "RequestId": "oversized"}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(size))
        self.end_headers()
        self.wfile.write(head)
        padding, left = b' ' * 65536, size - len(head) - 1
        while left > 0:
            self.wfile.write(padding[:min(left, len(padding))])
            left -= len(padding)
        self.wfile.write(b'}')

    def answer(self, status, payload, content_type='application/json'):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up on a slow or broken answer is part of the tests, not an error to print.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super(Server, self).handle_error(request, client_address)


def exit_with_parent(parent):
    # The emulator must not outlive the test or demo that started it, even if that one is killed.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--secret-id', required=True)
    parser.add_argument('--secret-key', required=True)
    parser.add_argument('--token', help='accept only requests carrying this X-TC-Token')
    parser.add_argument('--token-lifetime', type=float, help='seconds after start when --token expires')
    parser.add_argument('--scenario', help='JSON or YAML scenario file (default: the built-in demo scenario)')
    parser.add_argument('--rate-limit', type=int, default=40, help='requests per second (default 40)')
    parser.add_argument('--latency', type=float, default=0.0, help='seconds added to every answer')
    parser.add_argument('--clock-offset', type=float, default=0.0, help='seconds the server clock is ahead')
    parser.add_argument('--seed', type=int, default=0, help='seed for rate-based faults')
    parser.add_argument('--tls-cert', help='serve HTTPS with this PEM certificate (chain)')
    parser.add_argument('--tls-key', help='the private key of --tls-cert')
    args = parser.parse_args(argv)
    try:
        emulator = Emulator(args.secret_id, args.secret_key, args.token, load_scenario(args.scenario), args.rate_limit,
                            args.latency, args.clock_offset, args.seed, args.token_lifetime)
    except (OSError, ValueError, KeyError, TypeError) as error:
        parser.exit(2, 'cvm_emulator: bad scenario: %s\n' % error)
    server = Server(('127.0.0.1', args.port), Handler)
    server.emulator = emulator
    scheme = 'http'
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = 'https'
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
    print('%s://127.0.0.1:%d' % (scheme, server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
