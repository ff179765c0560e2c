# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for the Tencent Cloud services the collection talks to, strict where they are strict.

One HTTP server on 127.0.0.1 answers the CVM API (``cvm``), STS (``sts``) and the instance metadata service
(``metadata``), each in its own module beside this one. See README.md.

    python tests/emulator --port 0 --secret-id ID --secret-key KEY [--scenario FILE]

The first line printed is the URL, once it is ready. It exits when its parent does.
"""

import argparse
import email.utils
import json
import os
import random
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import certificates, cvm, lifecycle, metadata, power, sts
from .errors import ApiError, ScenarioError
from .faults import Fault, gzip_bomb, offset_ignored, spoil
from .signing import Keys, authenticate


def load_scenario(path):
    if path is None:
        return cvm.DEMO_SCENARIO
    with open(path) as handle:
        text = handle.read()
    if path.endswith(('.yml', '.yaml')):
        try:
            import yaml  # only needed for YAML scenarios
        except ImportError:
            raise ScenarioError('%s is YAML, which needs PyYAML: pip install pyyaml (or give the scenario as JSON)'
                                % path) from None
        return yaml.safe_load(text)
    return json.loads(text)


class Emulator:
    """The account's state: its keys, instances, roles, faults and rate buckets, and what it has been asked."""

    def __init__(self, secret_id, secret_key, token, scenario, rate_limit, latency, clock_offset, seed,
                 token_lifetime=None):
        self.clock_offset = clock_offset
        self.keys = Keys(secret_id, secret_key, token, None if token_lifetime is None else self.now() + token_lifetime)
        self.instances = cvm.build_instances(scenario)
        self.region_states = cvm.region_states_of(scenario)
        self.forbidden_regions = frozenset(scenario.get('forbidden_regions', ()))
        self.denied_instances = frozenset(scenario.get('denied_instances', ()))
        # The code a denied instance is refused with: CVM's own, or the common AuthFailure.UnauthorizedOperation.
        self.denial_code = scenario.get('denial_code', 'UnauthorizedOperation')
        self.index = {instance.id: n for n, instance in enumerate(self.instances)}
        self.roles = sts.roles_of(scenario)
        self.instance_role = metadata.instance_role_of(scenario)
        rng = random.Random(seed)
        self.faults = [Fault(spec, rng) for spec in scenario.get('faults', [])]
        self.races = [dict(race) for race in scenario.get('raced', [])]
        self.others = [dict(other) for other in scenario.get('others', [])]
        self.power_seconds = scenario.get('power_seconds', power.DEFAULT_POWER_SECONDS)
        self.launch_seconds = scenario.get('launch_seconds', lifecycle.DEFAULT_LAUNCH_SECONDS)
        self.failing_images = frozenset(scenario.get('failing_images', ()))
        self.instance_quota = scenario.get('instance_quota')
        # ClientToken -> the InstanceIdSet of the call that first carried it.
        self.client_tokens = {}
        self.created = 0
        self.buckets = {}
        self.rate_limit = rate_limit
        self.latency = latency
        self.lock = threading.Lock()
        self.stats = {'requests': 0, 'throttled': 0, 'sts_requests': 0, 'metadata_requests': 0, 'connections': 0,
                      'actions': {}, 'power_calls': [], 'other_party_calls': [], 'run_calls': [],
                      'terminate_calls': []}

    def now(self):
        return time.time() + self.clock_offset

    def count(self, name):
        with self.lock:
            self.stats[name] += 1

    def count_action(self, action):
        """CVM requests by action (as the request says, checked or not), for what each part of a run costs."""
        with self.lock:
            actions = self.stats['actions']
            actions[action] = actions.get(action, 0) + 1

    def throttle(self, secret_id, action):
        """The service's limit is per account and action: a call of one action never spends another's budget."""
        rate = power.RATE if action in ACTIONS_AT_TEN else self.rate_limit
        with self.lock:
            bucket = self.buckets.setdefault((secret_id, action), cvm.TokenBucket(rate))
            if not bucket.take():
                self.stats['throttled'] += 1
                raise ApiError('RequestLimitExceeded',
                               'Your current request times equals to `%d` in a second, which exceeds the frequency '
                               'limit `%d` for a second. Please reduce the frequency of calls.' % (rate + 1, rate))

    def pick_fault(self, headers, body):
        try:
            ids = json.loads(body.decode('utf-8')).get('InstanceIds') or []
        except (ValueError, AttributeError, UnicodeDecodeError):
            ids = []
        with self.lock:
            for fault in self.faults:
                if fault.matches(headers.get('X-TC-Region'), ids, headers.get('X-TC-Action')) and fault.fire():
                    return fault
        return None


# The actions that do something, each allowed 10 requests a second; what answers each.
ACTIONS_AT_TEN = tuple(power.ACTIONS) + lifecycle.ACTIONS


def act(emulator, headers, body, request_id):
    """Carry out an action that does something, by ``X-TC-Action``."""
    if headers.get('X-TC-Action') in lifecycle.ACTIONS:
        return lifecycle.answer(emulator, headers, body, request_id)
    return power.answer(emulator, headers, body, request_id)


def carried_out_part(fault, body):
    """The request as the service carried it out before its answer was lost: with the fault's ``applied_to``, for
    those of its instances only (a batch the service acted on in part): a list of IDs, or how many of the first."""
    applied_to = fault.spec.get('applied_to')
    if applied_to is None:
        return body
    params = json.loads(body.decode('utf-8'))
    ids = params.get('InstanceIds') or []
    params['InstanceIds'] = ids[:applied_to] if isinstance(applied_to, int) else [i for i in ids if i in applied_to]
    return json.dumps(params).encode('utf-8')


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'cvm-emulator'

    def log_message(self, *args):
        pass  # quiet: the tests read the first line of output for the URL

    def date_time_string(self, timestamp=None):
        # The Date header follows the emulator's clock, shifted or not, as a client correcting its skew reads it.
        return email.utils.formatdate(self.server.emulator.now() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self):
        """The metadata service, and ``GET /_emulator/stats``: what was asked (for tests, not in any API)."""
        emulator = self.server.emulator
        if metadata.handles(self.path):
            emulator.count('metadata_requests')
            status, page = metadata.answer(emulator, self.path)
            return self.answer(status, page, 'text/plain' if status != 200 or self.path.endswith('/') else
                               'application/json')
        if self.path != '/_emulator/stats':
            return self.answer(404, b'{}')
        with emulator.lock:
            payload = json.dumps(emulator.stats).encode('utf-8')
        return self.answer(200, payload)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        if self.headers.get('X-TC-Action') in sts.ACTIONS:
            return self.sts(body)
        return self.cvm(body)

    def sts(self, body):
        self.server.emulator.count('sts_requests')
        try:
            response = sts.answer(self.server.emulator, self.headers, body)
        except ApiError as error:
            response = {'Error': {'Code': error.code, 'Message': error.message}}
        response['RequestId'] = str(uuid.uuid4())
        self.answer(200, json.dumps({'Response': response}).encode('utf-8'))

    def cvm(self, body):
        emulator = self.server.emulator
        emulator.count('requests')
        emulator.count_action(str(self.headers.get('X-TC-Action'))[:64])
        if emulator.latency:
            time.sleep(emulator.latency)
        fault = emulator.pick_fault(self.headers, body)
        kind = fault.kind if fault is not None else None
        if fault is not None and fault.applied:
            return self.answer_lost(fault, body)
        if kind not in (None, 'api_error', 'slow', 'echo', 'escape') + Fault.SPOILERS:
            return self.inject(fault)
        if kind == 'slow':
            time.sleep(fault.spec.get('seconds', 5))
        request_id = str(uuid.uuid4())
        try:
            if kind in ('api_error', 'echo', 'escape'):
                raise ApiError(fault.spec.get('code', 'InternalError'), self.fault_message(fault))
            authenticate(emulator.keys, self.headers, body, cvm.SERVICE, emulator.now())
            emulator.throttle(cvm.signed_id(self.headers), self.headers.get('X-TC-Action'))
            if self.headers.get('X-TC-Action') in ACTIONS_AT_TEN:
                response = act(emulator, self.headers, body, request_id)
            else:
                response = cvm.answer(emulator, self.headers, body if kind != 'endless' else offset_ignored(body))
        except ApiError as error:
            response = {'Error': {'Code': error.code, 'Message': error.message}}
        else:
            spoil(fault, response)
        response['RequestId'] = request_id
        payload = json.dumps({'Response': response}).encode('utf-8')
        if kind == 'trickle':
            return self.trickle(payload, fault.spec.get('interval', 1.0))
        self.answer(200, payload)

    def answer_lost(self, fault, body):
        """Carry the request out, then answer with the fault instead: an error (under the request's own RequestId,
        as the service's own errors are), a gateway's page, a reset or silence."""
        emulator = self.server.emulator
        request_id = str(uuid.uuid4())
        try:
            authenticate(emulator.keys, self.headers, body, cvm.SERVICE, emulator.now())
            emulator.throttle(cvm.signed_id(self.headers), self.headers.get('X-TC-Action'))
            if self.headers.get('X-TC-Action') in ACTIONS_AT_TEN:
                act(emulator, self.headers, carried_out_part(fault, body), request_id)
            else:
                cvm.answer(emulator, self.headers, body)
        except ApiError:
            pass  # refused after all: the fault still stands in for the answer
        if fault.kind != 'api_error':
            return self.inject(fault)
        error = {'Code': fault.spec.get('code', 'InternalError'), 'Message': self.fault_message(fault)}
        self.answer(200, json.dumps({'Response': {'Error': error, 'RequestId': request_id}}).encode('utf-8'))

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

    def get_request(self):
        # Every connection is counted, before any TLS handshake: a client that gives up on the certificate shows too.
        self.emulator.count('connections')
        return super().get_request()

    def handle_error(self, request, client_address):
        # A client that gave up on a slow or broken answer is part of the tests, not an error to print.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


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
    parser.add_argument('--tls-self-signed', metavar='DIR',
                        help='serve HTTPS with a certificate of a throwaway authority, written as DIR/ca.pem')
    args = parser.parse_args(argv)
    if args.tls_self_signed:
        args.tls_cert, args.tls_key, _authority = certificates.self_signed(args.tls_self_signed)
    try:
        emulator = Emulator(args.secret_id, args.secret_key, args.token, load_scenario(args.scenario), args.rate_limit,
                            args.latency, args.clock_offset, args.seed, args.token_lifetime)
    except (OSError, ValueError, KeyError, TypeError) as error:
        parser.exit(2, 'emulator: bad scenario: %s\n' % error)
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
