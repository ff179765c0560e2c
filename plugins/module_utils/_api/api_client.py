# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One signed, retried, rate-limited HTTP client for a Tencent Cloud API 3.0 service.

It knows the protocol (signing, headers, answer and error shapes, which faults are worth another attempt), not what a
particular action means.
"""

import contextlib
import email.utils
import hashlib
import hmac
import ipaddress
import json
import random
import re
import threading
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Set
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors, tc3_signer
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.endpoint import parse_endpoint
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.retry import full_jitter_delay
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import sanitize

CONTENT_TYPE = 'application/json'
# How much of what a server says an error repeats: enough to diagnose, never a flood or a terminal escape.
_MESSAGE_CHARS = 300
_CODE_CHARS = 100
_MASK = '********'
_SIGNATURE = re.compile(r'Signature=[0-9A-Fa-f]+')
# RequestIds a client keeps: more than any one run reports (a read of 100,000 instances is 1,000 calls).
KEPT_REQUEST_IDS = 1000
# Answers larger than this are read into objects (and kept, by the caller's ``keep``) only so many at once in a process:
# a parsed answer near the size cap takes about three times its size, and a listing fetches ten pages at a time.
_LARGE_ANSWER_BYTES = 1024 * 1024
_LARGE_ANSWERS_AT_ONCE = threading.BoundedSemaphore(2)


class ApiClient:
    """Calls actions of one service in one region with one set of credentials.

    Every attempt is signed afresh (the service rejects timestamps more than five minutes old) and spaced by the
    shared rate limiter of its action (``limiter_for(action)``). ``request_ids`` collects the RequestId of every answer
    (the latest ``KEPT_REQUEST_IDS`` at the most: a client of a process that runs for months answers millions),
    failed attempts included. A failed call is tried again; a call of one of ``actions`` (those that do something)
    only after an answer that says it was refused before anything was done, never after one that leaves its outcome
    unknown (a server error, a timeout, a broken connection): whether it was done is the caller's to read.
    """

    def __init__(self, credentials, region: Optional[str], endpoint: str, service: str, version: str,
                 limiter_for: Callable[[str], Any], transport, *, language: str, request_timeout: float,
                 max_retries: int, warnings: Optional[List[str]] = None, clock: Clock = SYSTEM_CLOCK,
                 rng: Callable[[], float] = random.random, actions: FrozenSet[str] = frozenset()):
        # keys.Credentials or refreshing.RefreshingCredentials (asked for the current keys at every attempt), or None
        # for the one action sent unsigned (STS AssumeRoleWithWebIdentity).
        self._credentials = credentials
        # Every key and token signed with in this run, to mask should a server echo one back.
        self._secrets: Set[str] = set()
        # None for an action that takes no region (DescribeRegions): no X-TC-Region is sent.
        self._region = region
        self._url, self._host = parse_endpoint(endpoint)
        self._service = service
        self._version = version
        self._limiter_for = limiter_for
        self._language = language
        self._timeout = request_timeout
        self._max_retries = max_retries
        self._actions = actions
        self._transport = transport
        self._clock = clock.wall
        self._timer = clock.monotonic
        self._sleep = clock.sleep
        self._rng = rng
        self._lock = threading.Lock()
        # Seconds to add to the local clock, learnt from the service when it says a signature has expired.
        self._clock_offset = 0.0
        self.request_ids: List[str] = []
        self.warnings = [] if warnings is None else warnings
        if self._url.startswith('http://') and not _is_loopback(self._url):
            self.warnings.append('endpoint %s is plain HTTP: requests and answers cross the network unencrypted'
                                 % self._url)

    @property
    def region(self) -> Optional[str]:
        """The region every call goes to (``None``: an action that takes none)."""
        return self._region

    def call(self, action: str, params: Mapping[str, Any], deadline: Optional[Deadline] = None,
             keep: Optional[Callable[[Dict[str, Any]], Any]] = None,
             retried: Optional[List[errors.TencentCloudError]] = None) -> Any:
        """The ``Response`` object of a successful call, or what ``keep(response)`` makes of it (what the caller
        keeps, made while the answer is held); raises ``TencentCloudError`` once retries are spent.

        With a ``Deadline``, no attempt starts after it and none runs past it. ``retried`` collects the error of each
        attempt that was tried again: a caller that reports every request it sent (an action's) learns of them.
        """
        body = json.dumps(params, separators=(',', ':')).encode('utf-8')
        attempt = 0
        skew_retried = False
        while True:
            offset_used = self._clock_offset
            try:
                return self._attempt(action, self._limiter_for(action), body, deadline, keep)
            except _NotBelieved as not_believed:
                raise not_believed.error from None
            except errors.TencentCloudError as error:
                if not skew_retried and self._corrected_clock(error, offset_used):
                    skew_retried = True
                    continue
                if not error.retryable or (action in self._actions and not error.refused_before_acting):
                    raise
                if attempt >= self._max_retries:
                    if attempt:
                        # Say that it was tried again: a fault met once reads differently from one met six times.
                        error.message = '%s (after %d attempts)' % (error.message, attempt + 1)
                        error.attempts = attempt + 1
                    raise
                if retried is not None:
                    retried.append(error)
                delay = full_jitter_delay(attempt, self._rng)
                if deadline is not None and self._timer() + delay >= deadline.at:
                    if isinstance(error, errors.DeadlineExceeded):
                        raise  # it already says that this deadline ran out
                    raise errors.DeadlineExceeded(
                        errors.REQUEST_TIMEOUT, '%s ran out before the next retry; the last attempt failed with %s: %s'
                        % (deadline.name, error.code, error.message), error.request_id)
            self._sleep(delay)
            attempt += 1

    def answer_scope(self, action: str) -> Optional[str]:
        """A name equal for two clients exactly when ``action`` would answer them alike, or ``None`` (unsigned).

        Same keys (and token), region, endpoint, service, version and language, and the same trust in the endpoint
        (certificates, proxy: ``HttpTransport.trust``). It is keyed with the secret key, so it says nothing of the
        keys, and a caller with the right ID and a wrong key never shares another's answers.
        """
        credentials = self._current_credentials()
        if credentials is None:
            return None
        scope = '\n'.join([credentials.secret_id, credentials.token or '', self._url, self._region or '', self._service,
                           self._version, self._language, action, self._transport.trust(self._url)])
        return hmac.new(credentials.secret_key.encode('utf-8'), scope.encode('utf-8'), hashlib.sha256).hexdigest()[:32]

    def close(self) -> None:
        self._transport.close()

    def _corrected_clock(self, error, offset_used):
        """Whether a SignatureExpire answer was fixed by taking the service's clock; if so, retry once.

        Re-signing with the same wrong clock would fail again, so the offset to the answer's Date header is kept for
        the rest of the run. Concurrent batches that failed with the old offset retry with the corrected one.
        """
        if error.code != errors.SIGNATURE_EXPIRE or error.server_time is None:
            return False
        with self._lock:
            if self._clock_offset == offset_used:
                self._clock_offset = error.server_time - self._clock()
                self.warnings.append(
                    'the local clock is %.0f seconds %s the clock of %s: signing with the service\'s time for this run'
                    % (abs(self._clock_offset), 'behind' if self._clock_offset > 0 else 'ahead of', self._host))
        return True

    def _attempt(self, action, limiter, body, deadline, keep):
        # Before the limiter and the timeout: renewing temporary credentials is a call of its own.
        credentials = self._current_credentials()
        timeout = self._timeout
        if deadline is not None:
            sent_at = limiter.acquire(max_wait=max(0.0, deadline.at - self._timer()))
            timeout = min(timeout, deadline.at - self._timer())
            if timeout <= 0:
                raise errors.DeadlineExceeded(errors.REQUEST_TIMEOUT, '%s ran out before the call could be sent'
                                              % deadline.name, delivered=False)
        else:
            sent_at = limiter.acquire()
        headers = self._signed_headers(action, body, credentials)
        try:
            answer = self._transport.send(self._url, body, headers, timeout)
        except errors.TencentCloudError as error:
            if error.code == errors.REQUEST_TIMEOUT and timeout < self._timeout:
                raise errors.DeadlineExceeded(errors.REQUEST_TIMEOUT, '%s ran out while waiting for an answer from %s'
                                              % (deadline.name, self._host))
            if error.code == errors.REQUEST_TIMEOUT:
                error.message = '%s (request_timeout)' % error.message
            raise
        with _one_of_few_if_large(answer.body):
            try:
                response = self._read_answer(answer)
            except errors.TencentCloudError as error:
                if error.code.startswith(errors.RATE_LIMIT_PREFIX):
                    limiter.throttled(sent_at)
                raise
            limiter.succeeded()
            try:
                return response if keep is None else keep(response)
            except errors.TencentCloudError as error:
                # What the caller makes of an answer it does not believe: asking again would not make it believable.
                raise _NotBelieved(error) from None

    def _current_credentials(self):
        if self._credentials is None:
            return None
        credentials = self._credentials.current()
        with self._lock:
            self._secrets.update(secret for secret in (credentials.secret_key, credentials.token) if secret)
        return credentials

    def _signed_headers(self, action, body, credentials):
        timestamp = int(self._clock() + self._clock_offset)
        signed = {'Content-Type': CONTENT_TYPE, 'Host': self._host}
        headers = dict(signed)
        headers.update({
            'X-TC-Action': action,
            'X-TC-Version': self._version,
            'X-TC-Timestamp': str(timestamp),
            'X-TC-Language': self._language,
        })
        if self._region:
            headers['X-TC-Region'] = self._region
        if credentials is None:
            headers['Authorization'] = 'SKIP'
            return headers
        headers['Authorization'] = tc3_signer.authorization(
            credentials.secret_id, credentials.secret_key, timestamp, self._service, signed, body)
        if credentials.token:
            headers['X-TC-Token'] = credentials.token
        return headers

    def _read_answer(self, answer):
        if 300 <= answer.status < 400:
            # The API never redirects; following one would send the signed request (and the token) elsewhere.
            location = urlsplit(answer.headers.get('Location') or '').netloc.rsplit('@', 1)[-1]
            raise errors.TencentCloudError(
                errors.UNEXPECTED_REDIRECT, 'HTTP %d from %s redirects to %s: not followed' % (
                    answer.status, self._host, self._server_text(location, _CODE_CHARS) or 'nowhere'),
                http_status=answer.status)
        response = _response_of(answer.body)
        if response is not None:
            request_id = self._server_text(response.get('RequestId'), _CODE_CHARS) or None
            if request_id:
                with self._lock:
                    self.request_ids.append(request_id)
                    if len(self.request_ids) > 2 * KEPT_REQUEST_IDS:
                        del self.request_ids[:-KEPT_REQUEST_IDS]
            error = response.get('Error')
            if isinstance(error, dict):
                raise errors.TencentCloudError(
                    self._server_text(error.get('Code'), _CODE_CHARS) or 'UnknownError',
                    self._server_text(error.get('Message'), _MESSAGE_CHARS), request_id,
                    answer.status, _server_time(answer))
            if answer.status == 200:
                # The RequestId as it may be shown: a caller reports it (as the power module does its actions').
                return dict(response, RequestId=request_id)
        summary = self._server_text(re.sub(r'<[^>]*>', ' ', answer.body.decode('utf-8', 'replace')), _MESSAGE_CHARS)
        if answer.status != 200:
            raise errors.TencentCloudError(
                errors.HTTP_ERROR, 'HTTP %s from %s: %s' % (answer.status, self._host, summary or 'empty body'),
                http_status=answer.status)
        raise errors.TencentCloudError(
            errors.INVALID_RESPONSE, 'unreadable answer from %s: %s' % (self._host, summary or 'empty body'))

    def _server_text(self, value, limit):
        """What the server said, safe to show: printable, short, and without our own secrets should it echo them."""
        text = value if isinstance(value, str) else ('' if value is None else str(value))
        with self._lock:
            secrets = list(self._secrets)
        for secret in secrets:
            text = text.replace(secret, _MASK)
        # A quoted signature is good for one request for five minutes: no reason to show it either.
        return sanitize(_SIGNATURE.sub('Signature=' + _MASK, text), limit)


class _NotBelieved(Exception):
    """An answer the caller's ``keep`` refused (``error``): not a fault to retry."""

    def __init__(self, error: errors.TencentCloudError):
        super().__init__(error)
        self.error = error


@contextlib.contextmanager
def _one_of_few_if_large(body):
    if len(body) <= _LARGE_ANSWER_BYTES:
        yield
        return
    with _LARGE_ANSWERS_AT_ONCE:
        yield


def _response_of(body):
    try:
        # From the bytes: a decoded copy of an answer near the cap would be held beside them.
        document = json.loads(body)
    except ValueError:
        return None
    response = document.get('Response') if isinstance(document, dict) else None
    return response if isinstance(response, dict) else None


def _is_loopback(url):
    host = urlsplit(url).hostname or ''
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _server_time(answer):
    try:
        return email.utils.parsedate_to_datetime(answer.headers['Date']).timestamp()
    except (KeyError, TypeError, ValueError, IndexError):
        return None
