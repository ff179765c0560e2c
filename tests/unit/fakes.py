# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for the network, the clock and the rate limiter, so unit tests neither connect nor sleep."""

import email.utils
import json
import threading
import time

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import (
    CONNECTION_FAILURE, TencentCloudError,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import Answer

# The service dates every answer, errors included; fakes do too, so a client that reads Date where it should not
# is caught.
SERVICE_DATE = email.utils.formatdate(1700000000.0, usegmt=True)


def FakeAnswer(status_code=200, body=None, text=None, headers=None):
    """An ``Answer`` with a JSON ``body`` or a raw ``text``, dated like the service's (``headers`` may set a header
    to ``None`` to leave it out)."""
    payload = text if text is not None else json.dumps(body)
    headers = dict({'Date': SERVICE_DATE}, **(headers or {}))
    return Answer(status_code, {k: v for k, v in headers.items() if v is not None}, payload.encode('utf-8'))


def ok(request_id='req-ok', **fields):
    fields['RequestId'] = request_id
    return FakeAnswer(body={'Response': fields})


def api_error(code, message='boom', request_id='req-err', headers=None):
    return FakeAnswer(body={'Response': {'Error': {'Code': code, 'Message': message}, 'RequestId': request_id}},
                      headers=headers)


class ScriptedTransport:
    """Answers each ``send`` with the next scripted item: a ``FakeAnswer`` or an exception to raise."""

    def __init__(self, *script, trust='system certificates'):
        self.script = list(script)
        self.sent = []
        self._trust = trust
        self.trust_asked = []

    def trust(self, url):
        self.trust_asked.append(url)
        return self._trust

    def send(self, url, body, headers, timeout):
        self.sent.append({'url': url, 'data': body, 'headers': headers, 'timeout': timeout})
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self):
        pass


class FakeClock:
    """A ``Clock`` whose time only moves when someone sleeps; ``wall`` (a function) reads the wall clock apart."""

    def __init__(self, start=1000.0, wall=None):
        self.now = start
        self.sleeps = []
        self._wall = wall

    def __call__(self):
        return self.now

    def monotonic(self):
        return self.now

    def wall(self):
        return self.now if self._wall is None else self._wall()

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class RealClock:
    """The system's time, for tests whose threads or processes meet in real time; ``elapsed()`` since it was made."""

    def __init__(self):
        self.started = time.monotonic()

    def __call__(self):
        return time.monotonic()

    wall = staticmethod(time.time)
    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def elapsed(self):
        return time.monotonic() - self.started


class NoLimit:
    """A limiter that never waits, and records what the client tells it."""

    def __init__(self):
        self.max_waits = []
        self.events = []

    def acquire(self, max_wait=None):
        self.max_waits.append(max_wait)
        return len(self.max_waits)

    def throttled(self, sent_at):
        self.events.append(('throttled', sent_at))

    def succeeded(self):
        self.events.append('succeeded')


def paged(items, params, set_key, default_limit=20):
    """A ``Describe*`` answer over ``items`` as the API pages it: by ``InstanceIds``, ``Offset`` and ``Limit``."""
    ids = params.get('InstanceIds')
    chosen = [item for item in items if ids is None or item['InstanceId'] in ids]
    offset = params.get('Offset', 0)
    return {'TotalCount': len(chosen), 'RequestId': 'r', set_key: chosen[offset:offset + params.get('Limit', default_limit)]}


class ScriptedClient:
    """An ``ApiClient`` stand-in answering each call with the next of ``responses``, or with ``answer(action,
    params)`` (a RequestId added); ``calls`` records the parameters of each call, ``actions`` its action,
    ``deadlines`` its deadline."""

    def __init__(self, *responses, answer=None, scope=None):
        self.responses = list(responses)
        self.answer = answer
        self.scope = scope
        self.calls = []
        self.actions = []
        self.deadlines = []
        self.warnings = []
        self._lock = threading.Lock()

    def answer_scope(self, action):
        return self.scope and '%s-%s' % (self.scope, action)

    def call(self, action, params, deadline=None, keep=None, retried=None):
        with self._lock:
            self.calls.append(params)
            self.actions.append(action)
            self.deadlines.append(deadline)
            number = len(self.calls)
            response = self.responses.pop(0) if self.answer is None else None
        if response is None:
            # Outside the lock: calls answered by a function run as concurrently as the caller makes them.
            response = dict(self.answer(action, params), RequestId='r-%d' % number)
        return response if keep is None else keep(response)


class FakeClient:
    """An ``ApiClient`` stand-in serving ``DescribeInstancesStatus`` (and ``DescribeInstances``, with the latest
    operation from ``operations``, filtered by ``instance-id`` and ``instance-state``) from a dict of states, as the
    API pages it; and ``DescribeRegions`` from ``regions``.

    A start, stop or reboot (``power_calls`` records them) shows its moving state at the next read and its end at the
    one after, or its end at once without ``shows_moving``; its operation is the instance's latest, ``FAILED`` with
    the message in ``fails`` for the instances named there, which end where they began.
    """

    # Action -> (the state it starts from, the state it moves through, the state it ends in).
    POWER = {'StartInstances': ('STOPPED', 'STARTING', 'RUNNING'), 'StopInstances': ('RUNNING', 'STOPPING', 'STOPPED'),
             'RebootInstances': ('RUNNING', 'REBOOTING', 'RUNNING')}

    def __init__(self, states, default_limit=20):
        self.states = states
        self.operations = {}
        self.actions = []
        self.default_limit = default_limit
        self.calls = []
        # State changes to apply after each answer, one per call: how a test makes an instance move on.
        self.changes_after_call = []
        self.request_ids = []
        self.power_calls = []
        self.fails = {}
        self.shows_moving = True
        self.regions = [('ap-guangzhou', 'AVAILABLE'), ('ap-shanghai', 'AVAILABLE'), ('ap-beijing', 'UNAVAILABLE')]
        self.warnings = []
        self._lock = threading.Lock()

    def answer_scope(self, action):
        return 'fake-%s' % action

    def call(self, action, params, deadline=None, keep=None, retried=None):
        response = self._answer(action, params)
        return response if keep is None else keep(response)

    def _answer(self, action, params):
        with self._lock:
            self.actions.append(action)
            if action in self.POWER:
                return self._power(action, params)
            if action == 'DescribeInstances':
                return paged([dict(self.operations.get(i, {}), InstanceId=i, InstanceState=s)
                              for i, s in self.states.items() if _passes(i, s, params.get('Filters') or [])],
                             params, 'InstanceSet')
            if action == 'DescribeRegions':
                return {'TotalCount': len(self.regions), 'RequestId': 'r', 'RegionSet': [
                    {'Region': region, 'RegionName': region, 'RegionState': state} for region, state in self.regions]}
            self.calls.append(params)
        answer = paged([{'InstanceId': i, 'InstanceState': s} for i, s in self.states.items()], params,
                       'InstanceStatusSet', self.default_limit)
        if self.changes_after_call:
            self.states.update(self.changes_after_call.pop(0))
        return answer

    def _power(self, action, params):
        self.power_calls.append((action, params))
        request_id = 'power-%d' % len(self.power_calls)
        start, moving, end = self.POWER[action]
        ids = params['InstanceIds']
        for i in ids:
            self.operations[i] = {'LatestOperation': action, 'LatestOperationRequestId': request_id,
                                  'LatestOperationState': 'FAILED' if i in self.fails else 'SUCCESS',
                                  'LatestOperationErrorMsg': self.fails.get(i)}
        ended = {i: start if i in self.fails else end for i in ids}
        if self.shows_moving:
            self.states.update(dict.fromkeys(ids, moving))
            self.changes_after_call.insert(0, ended)
        else:
            self.states.update(ended)
        return {'RequestId': request_id}

    def close(self):
        pass


def _passes(instance_id, state, filters):
    """Whether an instance passes the filters the fake knows (``instance-id``, ``instance-state``); others pass all."""
    fields = {'instance-id': instance_id, 'instance-state': state}
    return all(fields[f['Name']] in f['Values'] for f in filters if f['Name'] in fields)


class FakeApiTransport:
    """An ``HttpTransport`` stand-in answering over the wire format, from a ``FakeClient``'s states.

    ``error`` answers every call with that API error; ``refused`` maps an action to the error it alone gets, and
    ``refused_regions`` a region to the error every call there gets.
    """

    def __init__(self, states, error=None):
        self.service = FakeClient(states)
        self.error = error
        self.refused = {}
        self.refused_regions = {}
        # Whether each answer's RequestId names the region asked (else every call's is the same).
        self.region_request_ids = False
        self.sent = []

    def trust(self, url):
        return 'system certificates'

    def send(self, url, body, headers, timeout, method='POST'):
        if method == 'GET':
            # Only the metadata service is asked with GET; these tests run off a CVM, where it does not answer.
            raise TencentCloudError(CONNECTION_FAILURE, 'cannot reach %s: no such host' % url)
        self.sent.append({'url': url, 'data': body, 'headers': headers, 'timeout': timeout})
        error = (self.error or self.refused.get(headers['X-TC-Action'])
                 or self.refused_regions.get(headers.get('X-TC-Region')))
        if error:
            return api_error(*error)
        response = self.service.call(headers['X-TC-Action'], json.loads(body))
        if self.region_request_ids:
            response = dict(response, RequestId='r-%s' % headers.get('X-TC-Region'))
        return FakeAnswer(body={'Response': response})

    def close(self):
        pass


class FakeStsClient:
    """The STS ``ApiClient`` of a ``FakeConnection``: records each call and answers with fresh credentials."""

    def __init__(self, connection, credentials, region):
        self.connection = connection
        self.credentials = credentials
        self.region = region

    def call(self, action, params, deadline=None):
        self.connection.sts_calls.append({'action': action, 'params': params, 'region': self.region,
                                          'signed_with': self.credentials})
        if self.connection.sts_error:
            raise TencentCloudError(*self.connection.sts_error)
        serial = len(self.connection.sts_calls)
        return {'Credentials': {'TmpSecretId': 'AKIDtmp%d' % serial, 'TmpSecretKey': 'tmp-key-%d' % serial,
                                'Token': 'tmp-token-%d' % serial},
                'ExpiredTime': int(self.connection.clock.wall()) + self.connection.lifetime, 'RequestId': 'sts-%d' % serial}


class FakeMetadataTransport:
    """The metadata service of a ``FakeConnection``: ``{path: (status, body)}``, or unreachable when ``None``."""

    def __init__(self, connection):
        self.connection = connection

    def send(self, url, body, headers, timeout, method='POST'):
        # The real transport adds its own headers to the caller's: they must be a mapping, if an empty one.
        self.connection.metadata_requests.append({'url': url, 'timeout': timeout, 'method': method,
                                                  'headers': dict(headers)})
        pages = self.connection.metadata
        if pages is None:
            raise TencentCloudError(CONNECTION_FAILURE, 'cannot reach metadata.tencentyun.com: name not resolved')
        path = url.split('/', 3)[3]
        status, page = pages.get(path, (404, b'not found'))
        return Answer(status, {}, page if isinstance(page, bytes) else json.dumps(page).encode('utf-8'))


class FakeConnection:
    """A ``clients.Clients`` stand-in for the credential chain: fake STS and metadata, real environment."""

    def __init__(self, environ=None, metadata=None, lifetime=3600, clock=None):
        self.environ = {} if environ is None else environ
        self.metadata = metadata
        self.lifetime = lifetime
        self.clock = clock or SYSTEM_CLOCK
        self.sts_error = None
        self.sts_calls = []
        self.metadata_requests = []

    def sts_client(self, credentials, region=None):
        return FakeStsClient(self, credentials, region)

    def metadata_transport(self):
        return FakeMetadataTransport(self)


def recorded_deadlines(monkeypatch):
    """``[(action, the name of its deadline or None)]`` of every call an ``ApiClient`` makes from now on (each still
    made)."""
    calls = []
    call = ApiClient.call

    def recorded(client, action, params, deadline=None, **kwargs):
        calls.append((action, deadline.name if deadline is not None else None))
        return call(client, action, params, deadline, **kwargs)
    monkeypatch.setattr(ApiClient, 'call', recorded)
    return calls
