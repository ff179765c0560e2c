# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One signed, retried, rate-limited HTTP client for a Tencent Cloud API 3.0 service.

It knows the protocol (signing, headers, answer and error shapes, which faults are worth another attempt), not what a
particular action means.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import ipaddress
import json
import random
import re
import threading
import time
import traceback
import warnings
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.cloud.plugins.module_utils import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils import tc3_signer
from ansible_collections.tencentcloud.cloud.plugins.module_utils.retry import full_jitter_delay

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

CONTENT_TYPE = 'application/json'
# A DNS name or a bracketed IPv6 address, matched whole (fullmatch: '$' would let a trailing newline through).
_HOST = re.compile(r'(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)'
                   r'|\[[0-9A-Fa-f:.]+\]')
_ERROR_BODY_CHARS = 200


def parse_endpoint(endpoint):
    """``(url, host header)`` for an endpoint given as a bare host (https) or an ``http(s)://host[:port]`` URL."""
    if not endpoint or any(char.isspace() or not char.isprintable() for char in endpoint):
        raise errors.OptionError('endpoint %r is empty or holds spaces or control characters' % endpoint)
    text = endpoint if '://' in endpoint else 'https://' + endpoint
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise errors.OptionError('endpoint %r is not a host or URL: %s' % (endpoint, error))
    if parts.scheme not in ('http', 'https'):
        raise errors.OptionError('endpoint %r: only http and https are supported' % endpoint)
    hostname = parts.netloc.rsplit(':', 1)[0] if port else parts.netloc
    if not _HOST.fullmatch(hostname or ''):
        raise errors.OptionError('endpoint %r does not name a valid host' % endpoint)
    if parts.path not in ('', '/') or parts.query or parts.fragment or '@' in parts.netloc:
        raise errors.OptionError('endpoint %r must be a host or scheme://host[:port] without path, query or user' % endpoint)
    return '%s://%s/' % (parts.scheme, parts.netloc), parts.netloc.lower()


class ApiClient:
    """Calls actions of one service in one region with one set of credentials.

    Every attempt is signed afresh (the service rejects timestamps more than five minutes old) and spaced by the
    shared rate limiter. ``request_ids`` collects the RequestId of every answer, failed attempts included.
    """

    def __init__(self, credentials, region, endpoint, service, version, limiter, language='en-US',
                 validate_certs=True, ca_bundle=None, request_timeout=10.0, max_retries=5, pool_size=10,
                 session=None, clock=time.time, sleep=time.sleep, rng=random.random):
        self._credentials = credentials
        self._region = region
        self._url, self._host = parse_endpoint(endpoint)
        self._service = service
        self._version = version
        self._limiter = limiter
        self._language = language
        self._verify = (ca_bundle or True) if validate_certs else False
        if not validate_certs:
            _quiet_unverified_warnings()
        self._timeout = request_timeout
        self._max_retries = max_retries
        self._session = session or _pooled_session(pool_size)
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        self._lock = threading.Lock()
        # Seconds to add to the local clock, learnt from the service when it says a signature has expired.
        self._clock_offset = 0.0
        self.request_ids = []
        self.warnings = []
        if self._url.startswith('http://') and not _is_loopback(self._url):
            self.warnings.append('endpoint %s is plain HTTP: requests and answers cross the network unencrypted'
                                 % self._url)

    def call(self, action, params):
        """The ``Response`` object of a successful call; raises ``TencentCloudError`` once retries are spent."""
        body = json.dumps(params, separators=(',', ':')).encode('utf-8')
        attempt = 0
        skew_retried = False
        while True:
            offset_used = self._clock_offset
            try:
                return self._attempt(action, body)
            except errors.TencentCloudError as error:
                if not skew_retried and self._corrected_clock(error, offset_used):
                    skew_retried = True
                    continue
                if not error.retryable or attempt >= self._max_retries:
                    raise
            self._sleep(full_jitter_delay(attempt, self._rng))
            attempt += 1

    def close(self):
        self._session.close()

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

    def _attempt(self, action, body):
        self._limiter.acquire()
        headers = self._signed_headers(action, body)
        try:
            answer = self._session.post(self._url, data=body, headers=headers, timeout=self._timeout, verify=self._verify)
        except requests.exceptions.SSLError as error:
            raise errors.TencentCloudError(errors.TLS_FAILURE, 'TLS handshake with %s failed: %s' % (self._host, _transport_reason(error)))
        except requests.exceptions.Timeout:
            raise errors.TencentCloudError(errors.REQUEST_TIMEOUT, 'no answer from %s within %s seconds' % (self._host, self._timeout))
        except requests.exceptions.RequestException as error:
            raise errors.TencentCloudError(errors.CONNECTION_FAILURE, 'cannot reach %s: %s' % (self._host, _transport_reason(error)))
        return self._read_answer(answer)

    def _signed_headers(self, action, body):
        timestamp = int(self._clock() + self._clock_offset)
        signed = {'Content-Type': CONTENT_TYPE, 'Host': self._host}
        headers = dict(signed)
        headers.update({
            'X-TC-Action': action,
            'X-TC-Version': self._version,
            'X-TC-Timestamp': str(timestamp),
            'X-TC-Region': self._region,
            'X-TC-Language': self._language,
            'Authorization': tc3_signer.authorization(
                self._credentials.secret_id, self._credentials.secret_key, timestamp, self._service, signed, body),
        })
        if self._credentials.token:
            headers['X-TC-Token'] = self._credentials.token
        return headers

    def _read_answer(self, answer):
        try:
            document = answer.json()
        except ValueError:
            document = None
        response = document.get('Response') if isinstance(document, dict) else None
        if isinstance(response, dict):
            request_id = response.get('RequestId')
            if request_id:
                with self._lock:
                    self.request_ids.append(request_id)
            error = response.get('Error')
            if isinstance(error, dict):
                raise errors.TencentCloudError(
                    str(error.get('Code') or 'UnknownError'), str(error.get('Message') or ''), request_id,
                    answer.status_code, _server_time(answer))
            if answer.status_code == 200:
                return response
        if answer.status_code != 200:
            raise errors.TencentCloudError(
                errors.HTTP_ERROR, 'HTTP %s from %s: %s' % (answer.status_code, self._host, _summary(answer.text)),
                http_status=answer.status_code)
        raise errors.TencentCloudError(
            errors.INVALID_RESPONSE, 'unreadable answer from %s: %s' % (self._host, _summary(answer.text)))


def _is_loopback(url):
    host = urlsplit(url).hostname or ''
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _quiet_unverified_warnings():
    # validate_certs=false is the user's explicit choice (documented as such); urllib3 would otherwise print a
    # warning to stderr for every request, which Ansible reports as a worker writing to stderr behind its back.
    warnings.filterwarnings('ignore', category=InsecureRequestWarning)


def _pooled_session(pool_size):
    # One pool sized for the poll's concurrent batches, so every batch reuses a kept-alive connection.
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    return session


def _server_time(answer):
    try:
        return email.utils.parsedate_to_datetime(answer.headers['Date']).timestamp()
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _summary(text):
    flat = ' '.join(re.sub(r'<[^>]*>', ' ', text or '').split())
    return (flat[:_ERROR_BODY_CHARS] + '...') if len(flat) > _ERROR_BODY_CHARS else (flat or 'empty body')


def _transport_reason(error):
    """The cause of a transport failure without the layers of wrapping requests and urllib3 put around it."""
    text = str(error)
    match = re.search(r'certificate verify failed[^\'")(]*|\[Errno -?\d+\] [^\'")(]+', text)
    if match:
        return match.group(0).strip()
    return (text.splitlines() or [type(error).__name__])[0][:_ERROR_BODY_CHARS]
