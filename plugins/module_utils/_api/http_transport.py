# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP exchanges with an endpoint that is not trusted to behave.

One request (a POST to an API, a GET to the metadata service), and its answer as bytes, within one deadline for
the whole exchange (connect, headers, body), never following a redirect, never reading more than ``MAX_BODY_BYTES``
(compressed or not), and never taking credentials from the environment (``~/.netrc``): only the proxy settings are
read from there, explicitly.

requests' own timeout bounds each wait on the socket, so an endpoint that trickles a byte a second holds it forever.
Here a watchdog timer shuts the exchange's socket down when the deadline passes, which ends any read at once.
"""

import collections
import hashlib
import http.client
import os
import re
import traceback
import zlib
from typing import Mapping, Optional
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import sanitize

try:
    import requests
    import urllib3.exceptions
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.watched_connections import (
        DeadlineAdapter, Watchdog, quiet_unverified_warnings,
    )
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

# A page of 100 instance states is about 10 KiB; nothing this client reads comes near this.
MAX_BODY_BYTES = 10 * 1024 * 1024
_CHUNK_BYTES = 64 * 1024
# CA bundles that requests would take from the environment; kept, since only the credential lookup is unwanted.
_CA_BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')
_REASON_CHARS = 200
# Far more than every public CA together (about 200 KiB): a bundle is read this far to name what it trusts.
_MAX_CA_BUNDLE_BYTES = 16 * 1024 * 1024

Answer = collections.namedtuple('Answer', ['status', 'headers', 'body'])
Answer.__doc__ = ('An HTTP answer: ``status`` (int), ``headers`` (case-insensitive mapping), ``body`` (bytes, or the '
                  'bytearray it was read into).')


class HttpTransport:
    """Sends requests over one pool of kept-alive connections.

    ``use_proxies=False`` goes direct whatever the environment says: the metadata service is only reachable from the
    instance itself, never through a proxy.
    """

    def __init__(self, validate_certs: bool = True, ca_bundle: Optional[str] = None, pool_size: int = 10,
                 environ: Optional[Mapping[str, str]] = None, use_proxies: bool = True):
        environ = os.environ if environ is None else environ
        self._use_proxies = use_proxies
        if validate_certs:
            self._verify = ca_bundle or next((environ[n] for n in _CA_BUNDLE_VARIABLES if environ.get(n)), True)
        else:
            self._verify = False
            quiet_unverified_warnings()
        self._trusted = _certificates_trusted(self._verify)
        self._session = requests.Session()
        # No credentials (netrc), CA bundle or proxies picked up behind our back; proxies are read explicitly below.
        self._session.trust_env = False
        adapter = DeadlineAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self._session.mount('https://', adapter)
        self._session.mount('http://', adapter)

    def send(self, url: str, body: Optional[bytes], headers: Mapping[str, str], timeout: float,
             method: str = 'POST') -> 'Answer':
        """The ``Answer`` to a request, all of it within ``timeout`` seconds; raises ``TencentCloudError`` otherwise."""
        host = urlsplit(url).netloc
        watch = Watchdog(timeout)
        try:
            try:
                answer = self._session.request(
                    method, url, data=body, headers=dict(headers, **{'Accept-Encoding': 'identity'}), timeout=timeout,
                    verify=self._verify, allow_redirects=False, stream=True,
                    proxies=self._proxies(url))
            except requests.exceptions.SSLError as error:
                raise errors.TencentCloudError(errors.TLS_FAILURE, 'TLS handshake with %s failed: %s'
                                               % (host, transport_reason(error)), delivered=False)
            except requests.exceptions.Timeout as error:
                raise _timed_out(watch, host, _never_delivered(error))
            except (requests.exceptions.RequestException, OSError) as error:
                raise _failure(watch, host, 'cannot reach %s: %s' % (host, transport_reason(error)),
                               _never_delivered(error))
            try:
                content = _read_body(answer, watch, host)
            finally:
                answer.close()
        finally:
            watch.finish()
        return Answer(answer.status_code, answer.headers, content)

    def trust(self, url: str) -> str:
        """How a connection to ``url`` is made and believed: the certificates trusted and the proxy in effect.

        Two callers may share an answer only where this is equal: one that would refuse the endpoint's certificate
        must never take an answer fetched over a connection it refused, nor one that trusts it another's TLS error.
        """
        # The proxy requests itself would pick for the URL, from the same settings: the scheme's, else ALL_PROXY's,
        # none where NO_PROXY says so.
        return '%s\nproxy %s' % (self._trusted, requests.utils.select_proxy(url, self._proxies(url)) or 'none')

    def close(self) -> None:
        self._session.close()

    def _proxies(self, url):
        return requests.utils.get_environ_proxies(url) if self._use_proxies else {}


def _certificates_trusted(verify):
    """What ``verify`` trusts, as it is now: a bundle is named by its content, which its path alone does not say."""
    if verify is False:
        return 'certificates not verified'
    if verify is True:
        return 'system certificates'
    try:
        with open(verify, 'rb') as handle:
            digest = hashlib.sha256(handle.read(_MAX_CA_BUNDLE_BYTES)).hexdigest()
    except OSError:
        digest = 'unreadable'
    return 'certificates of %s (sha256 %s)' % (verify, digest)


def _read_body(answer, watch, host):
    declared = answer.headers.get('Content-Length', '')
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large(host)
    raw = bytearray()
    try:
        for chunk in answer.raw.stream(_CHUNK_BYTES, decode_content=False):
            raw.extend(chunk)
            if len(raw) > MAX_BODY_BYTES:
                raise _too_large(host)
    except urllib3.exceptions.ReadTimeoutError:
        raise _timed_out(watch, host)
    except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as error:
        raise _failure(watch, host, 'the connection to %s broke while the answer was read: %s'
                       % (host, transport_reason(error)))
    # The bytearray itself, not a copy of it: an answer near the cap would be held twice.
    return _decoded(raw, answer.headers.get('Content-Encoding', ''), host)


def _decoded(raw, encoding, host):
    """The body as sent before compression, inflated at most to ``MAX_BODY_BYTES`` (a gzip bomb stops there)."""
    encoding = encoding.strip().lower()
    if encoding in ('', 'identity'):
        return raw
    if encoding not in ('gzip', 'x-gzip', 'deflate'):
        raise errors.TencentCloudError(errors.INVALID_RESPONSE, 'the answer from %s has a Content-Encoding this '
                                       'client does not read: %s' % (host, sanitize(encoding, 40)))
    # 47 = 32 + 15: take a gzip or a zlib header, whichever the answer has (servers mix up gzip and deflate).
    inflater = zlib.decompressobj(47)
    try:
        body = inflater.decompress(raw, MAX_BODY_BYTES)
    except zlib.error:
        raise errors.TencentCloudError(errors.INVALID_RESPONSE, 'the answer from %s is not valid %s' % (host, encoding))
    if inflater.unconsumed_tail:
        raise _too_large(host)
    return body


def _too_large(host):
    return errors.TencentCloudError(errors.INVALID_RESPONSE, 'the answer from %s is larger than %d MiB: not read'
                                    % (host, MAX_BODY_BYTES // (1024 * 1024)))


def _failure(watch, host, message, never_delivered=False):
    # A socket the watchdog shut down fails like a broken connection: say what really happened.
    if watch.expired:
        return _timed_out(watch, host, never_delivered)
    return errors.TencentCloudError(errors.CONNECTION_FAILURE, message, delivered=False if never_delivered else None)


def _timed_out(watch, host, never_delivered=False):
    return errors.TencentCloudError(errors.REQUEST_TIMEOUT, 'no complete answer from %s within %gs'
                                    % (host, watch.seconds), delivered=False if never_delivered else None)


def _never_delivered(error):
    """Whether a request that failed certainly never left for the endpoint: no connection to it (refused, a name not
    resolved, timed out connecting, refused by the proxy). Anything later (a reset, a timeout reading) may come after
    the endpoint read the request."""
    if isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError)):
        return True
    cause = error.args[0] if error.args else None
    # requests wraps urllib3's MaxRetryError, which holds the cause as its reason.
    cause = getattr(cause, 'reason', cause)
    return isinstance(cause, urllib3.exceptions.NewConnectionError)


def transport_reason(error: BaseException) -> str:
    """The cause of a transport failure without the layers of wrapping requests and urllib3 put around it."""
    text = str(error)
    match = re.search(r'certificate verify failed[^\'")(]*|\[Errno -?\d+\] [^\'")(]+', text)
    if match:
        return match.group(0).strip()
    return sanitize((text.splitlines() or [type(error).__name__])[0] or type(error).__name__, _REASON_CHARS)
