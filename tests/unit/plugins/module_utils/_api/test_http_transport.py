# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport against a real socket on 127.0.0.1 that misbehaves on purpose."""

import gzip
import socket
import threading
import time
import zlib

import pytest
import requests
import urllib3.exceptions
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors, http_transport, watched_connections
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import HttpTransport

BODY = b'{"Response": {"RequestId": "r"}}'


class Server:
    """Accepts connections on 127.0.0.1 and hands each to ``behave(connection, request bytes)``."""

    def __init__(self, behave, tls=None):
        self.behave = behave
        self.requests = []
        self.connections = 0
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(8)
        if tls is not None:
            self.listener = tls.wrap_socket(self.listener, server_side=True)
        self.url = '%s://127.0.0.1:%d/' % ('https' if tls else 'http', self.listener.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _peer = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection):
        self.connections += 1
        with connection:
            try:
                while self._serve_one(connection):
                    pass
            except OSError:
                pass  # the client hung up: that is what some tests want

    def _serve_one(self, connection):
        """One request on a kept-alive connection; False once the client has closed it."""
        request = b''
        while b'\r\n\r\n' not in request:
            chunk = connection.recv(65536)
            if not chunk:
                return False
            request += chunk
        head, _sep, rest = request.partition(b'\r\n\r\n')
        length = int(next((line.split(b':')[1] for line in head.split(b'\r\n')
                           if line.lower().startswith(b'content-length:')), b'0'))
        while len(rest) < length:
            rest += connection.recv(65536)
        self.requests.append(head.decode('latin-1'))
        self.behave(connection)
        return True

    def close(self):
        self.listener.close()


@pytest.fixture
def serve():
    servers = []

    def start(behave, tls=None):
        servers.append(Server(behave, tls))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def answer(status=200, body=BODY, headers=()):
    head = ['HTTP/1.1 %d X' % status, 'Content-Length: %d' % len(body)] + list(headers)
    return ('\r\n'.join(head) + '\r\n\r\n').encode('latin-1') + body


def send(url, timeout=2.0, **kwargs):
    transport = HttpTransport(**kwargs)
    try:
        return transport.send(url, b'{}', {'Content-Type': 'application/json'}, timeout)
    finally:
        transport.close()


def failure(url, timeout=2.0, **kwargs):
    with pytest.raises(errors.TencentCloudError) as caught:
        send(url, timeout, **kwargs)
    return caught.value


def test_a_plain_answer_is_read_whole(serve):
    server = serve(lambda c: c.sendall(answer()))
    result = send(server.url)
    assert (result.status, result.body) == (200, BODY)
    assert 'accept-encoding: identity' in server.requests[0].lower()


@pytest.mark.parametrize('trickled', ['headers', 'body'])
def test_an_endpoint_that_trickles_is_cut_off_at_the_deadline(serve, trickled):
    def trickle(connection):
        whole = answer(body=b' ' * 100 + BODY)
        split = 5 if trickled == 'headers' else len(whole) - len(BODY)
        connection.sendall(whole[:split])
        for byte in whole[split:]:
            connection.sendall(bytes([byte]))
            time.sleep(0.2)  # each byte well inside any per-read timeout
    server = serve(trickle)
    started = time.monotonic()
    error = failure(server.url, timeout=1.0)
    assert error.code == errors.REQUEST_TIMEOUT and 'within 1s' in error.message
    assert time.monotonic() - started < 1.8


def test_a_silent_endpoint_times_out(serve):
    server = serve(lambda c: time.sleep(5))
    started = time.monotonic()
    error = failure(server.url, timeout=0.5)
    assert error.code == errors.REQUEST_TIMEOUT and error.delivered is None
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_a_redirect_is_returned_not_followed(serve, status):
    elsewhere = serve(lambda c: c.sendall(answer()))
    server = serve(lambda c: c.sendall(answer(status, b'', ['Location: %s' % elsewhere.url])))
    assert send(server.url).status == status
    assert elsewhere.requests == []


def test_a_body_over_the_cap_is_refused_while_read(serve, monkeypatch):
    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 1000)
    server = serve(lambda c: c.sendall(b'HTTP/1.1 200 X\r\nConnection: close\r\n\r\n' + b' ' * 100000))
    error = failure(server.url)
    assert error.code == errors.INVALID_RESPONSE and 'larger than' in error.message


def test_a_declared_length_over_the_cap_is_refused_before_reading(serve, monkeypatch):
    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 1000)
    server = serve(lambda c: c.sendall(b'HTTP/1.1 200 X\r\nContent-Length: 999999999\r\n\r\n'))
    assert 'larger than' in failure(server.url).message


def test_the_cap_is_said_in_whole_mebibytes(serve):
    server = serve(lambda c: c.sendall(b'HTTP/1.1 200 X\r\nContent-Length: 999999999\r\n\r\n'))
    assert failure(server.url).message.endswith(' is larger than 10 MiB: not read')


def test_a_gzip_bomb_is_not_inflated_past_the_cap(serve, monkeypatch):
    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 100000)
    bomb = gzip.compress(b'0' * 10000000)
    server = serve(lambda c: c.sendall(answer(body=bomb, headers=['Content-Encoding: gzip'])))
    error = failure(server.url)
    assert error.code == errors.INVALID_RESPONSE and 'larger than' in error.message


def test_a_small_gzip_answer_is_still_read(serve):
    server = serve(lambda c: c.sendall(answer(body=gzip.compress(BODY), headers=['Content-Encoding: gzip'])))
    assert send(server.url).body == BODY


def test_an_unknown_encoding_is_named(serve):
    server = serve(lambda c: c.sendall(answer(headers=['Content-Encoding: br\x1b[31m'])))
    error = failure(server.url)
    assert error.code == errors.INVALID_RESPONSE and '\x1b' not in error.message


def test_a_connection_cut_mid_answer_says_so(serve):
    def cut(connection):
        connection.sendall(b'HTTP/1.1 200 X\r\nContent-Length: 1000\r\n\r\n{"Resp')
        connection.shutdown(socket.SHUT_RDWR)
    server = serve(cut)
    error = failure(server.url)
    assert error.code == errors.CONNECTION_FAILURE and 'broke while the answer was read' in error.message
    # The request was read: whatever it asked may have been done.
    assert error.delivered is None and not error.refused_before_acting


def test_connection_refused_says_cannot_reach():
    with socket.socket() as unused:
        unused.bind(('127.0.0.1', 0))
        port = unused.getsockname()[1]
    error = failure('http://127.0.0.1:%d/' % port)
    assert error.code == errors.CONNECTION_FAILURE and error.message.startswith('cannot reach 127.0.0.1:')
    assert error.delivered is False and error.refused_before_acting


def test_netrc_credentials_are_never_sent(serve, tmp_path, monkeypatch):
    netrc = tmp_path / '.netrc'
    netrc.write_text('default login someone password hunter2\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('NETRC', str(netrc))
    server = serve(lambda c: c.sendall(answer()))
    send(server.url)
    assert 'authorization' not in server.requests[0].lower()


def test_proxies_still_come_from_the_environment(serve, monkeypatch):
    proxy = serve(lambda c: c.sendall(answer(body=b'via proxy')))
    monkeypatch.setenv('HTTP_PROXY', proxy.url)
    monkeypatch.setenv('NO_PROXY', '')
    monkeypatch.delenv('no_proxy', raising=False)
    assert send('http://cvm.example.invalid/').body == b'via proxy'
    assert proxy.requests[0].startswith('POST http://cvm.example.invalid/ ')


def test_the_metadata_service_is_asked_directly_with_a_get_whatever_the_proxy_settings(serve, monkeypatch):
    proxy = serve(lambda c: c.sendall(answer(body=b'via proxy')))
    metadata = serve(lambda c: c.sendall(answer(body=b'CVM_QcsRole')))
    monkeypatch.setenv('HTTP_PROXY', proxy.url)
    monkeypatch.setenv('NO_PROXY', '')
    monkeypatch.delenv('no_proxy', raising=False)
    transport = HttpTransport(use_proxies=False)
    try:
        got = transport.send(metadata.url + 'latest/meta-data/cam/security-credentials/', None, {}, 2.0, method='GET')
    finally:
        transport.close()
    assert got.body == b'CVM_QcsRole' and proxy.requests == []
    assert metadata.requests[0].startswith('GET /latest/meta-data/cam/security-credentials/ ')


@pytest.mark.parametrize('validate_certs, ca_bundle, environ, verify', [
    (True, None, {}, True),
    (True, '/etc/ca.pem', {'REQUESTS_CA_BUNDLE': '/env/ca.pem'}, '/etc/ca.pem'),
    (True, None, {'REQUESTS_CA_BUNDLE': '/env/ca.pem'}, '/env/ca.pem'),
    (True, None, {'CURL_CA_BUNDLE': '/curl/ca.pem'}, '/curl/ca.pem'),
    (False, '/etc/ca.pem', {}, False),
    (False, None, {'REQUESTS_CA_BUNDLE': '/env/ca.pem'}, False),
])
def test_certificate_verification(validate_certs, ca_bundle, environ, verify):
    transport = HttpTransport(validate_certs=validate_certs, ca_bundle=ca_bundle, environ=environ)
    assert transport._verify == verify


def trust_of(url='https://cvm.example.invalid/', **settings):
    transport = HttpTransport(environ={}, **settings)
    try:
        return transport.trust(url)
    finally:
        transport.close()


def test_the_trust_in_an_endpoint_names_the_certificates_and_the_proxy(tmp_path, monkeypatch):
    for name in ('HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)
    bundle = tmp_path / 'ca.pem'
    bundle.write_bytes(b'one CA')
    system = trust_of()
    unverified = trust_of(validate_certs=False)
    own_bundle = trust_of(ca_bundle=str(bundle))
    assert system == 'system certificates\nproxy none'
    assert unverified == 'certificates not verified\nproxy none'
    assert own_bundle.startswith('certificates of %s (sha256 ' % bundle)
    # The same path with other certificates in it is another trust.
    bundle.write_bytes(b'another CA')
    assert trust_of(ca_bundle=str(bundle)) != own_bundle
    assert trust_of(ca_bundle=str(tmp_path / 'gone.pem')).endswith('(sha256 unreadable)\nproxy none')
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', 'direct.example')
    assert trust_of() == 'system certificates\nproxy http://proxy.example:3128'
    assert trust_of('https://direct.example/') == system
    assert trust_of(use_proxies=False) == system


@pytest.mark.parametrize('text, reason', [
    ("HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: / (Caused by NewConnectionError("
     "'<urllib3.connection.HTTPConnection object>: Failed to establish a new connection: [Errno 111] Connection "
     "refused'))", '[Errno 111] Connection refused'),
    ("HTTPSConnectionPool(host='x', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, "
     "'[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate "
     "(_ssl.c:1000)')))", 'certificate verify failed: unable to get local issuer certificate'),
    ('first line\x1b[31m red\nsecond line', 'first line [31m red'),
])
def test_transport_reasons_say_the_cause_not_the_wrapping(text, reason):
    assert http_transport.transport_reason(Exception(text)) == reason


@pytest.mark.parametrize('encoding, packed', [
    ('gzip', gzip.compress(BODY, mtime=0)), ('x-gzip', gzip.compress(BODY, mtime=0)), (' GZIP ', gzip.compress(BODY, mtime=0)),
    ('deflate', zlib.compress(BODY)), ('deflate', gzip.compress(BODY, mtime=0)), ('gzip', zlib.compress(BODY)),
    ('identity', BODY), ('', BODY)])
def test_each_encoding_a_server_may_use_anyway_is_read(encoding, packed):
    assert http_transport._decoded(packed, encoding, 'h') == BODY


@pytest.mark.parametrize('encoding', ['gzip', 'deflate'])
def test_a_body_that_is_not_what_its_encoding_says_is_an_invalid_response(encoding):
    with pytest.raises(errors.TencentCloudError) as caught:
        http_transport._decoded(b'plain text, not compressed', encoding, 'h')
    assert caught.value.code == errors.INVALID_RESPONSE
    assert caught.value.message == 'the answer from h is not valid %s' % encoding


def test_inflating_exactly_to_the_cap_is_fine_one_byte_more_is_not(monkeypatch):
    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 1000)
    assert len(http_transport._decoded(gzip.compress(b'0' * 1000), 'gzip', 'h')) == 1000
    with pytest.raises(errors.TencentCloudError) as caught:
        http_transport._decoded(gzip.compress(b'0' * 1001), 'gzip', 'h')
    assert caught.value.message == 'the answer from h is larger than 0 MiB: not read'


def test_a_body_exactly_at_the_cap_is_read(serve, monkeypatch):
    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 1000)
    server = serve(lambda c: c.sendall(answer(body=b' ' * 1000)))
    assert len(send(server.url).body) == 1000


def test_the_answer_carries_status_and_headers(serve):
    server = serve(lambda c: c.sendall(answer(503, headers=['Date: Tue, 14 Nov 2023 22:23:20 GMT'])))
    result = send(server.url)
    assert result.status == 503 and result.headers['date'] == 'Tue, 14 Nov 2023 22:23:20 GMT'


def test_the_request_goes_out_as_given(serve):
    server = serve(lambda c: c.sendall(answer()))
    transport = HttpTransport()
    try:
        transport.send(server.url, b'{"Limit":1}', {'Content-Type': 'application/json', 'X-TC-Action': 'A'}, 2.0)
    finally:
        transport.close()
    head = server.requests[0].lower()
    assert head.startswith('post / http/1.1') and 'x-tc-action: a' in head and 'content-length: 11' in head


def test_connections_are_kept_alive_between_exchanges(serve):
    # A new connection per request would cost a TCP and a TLS handshake each: ten batches, ten handshakes.
    server = serve(lambda c: c.sendall(answer()))
    transport = HttpTransport()
    try:
        for _n in range(3):
            transport.send(server.url, b'{}', {}, 2.0)
    finally:
        transport.close()
    assert len(server.requests) == 3 and server.connections == 1


@pytest.fixture(scope='module')
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 that is its own authority: (certificate file, key file)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, '127.0.0.1')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                           critical=False).sign(key, hashes.SHA256()))
    directory = tmp_path_factory.mktemp('tls')
    (directory / 'cert.pem').write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / 'key.pem').write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return str(directory / 'cert.pem'), str(directory / 'key.pem')


@pytest.fixture
def tls_server(serve, certificate):
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return serve(lambda c: c.sendall(answer()), context)


def test_an_untrusted_certificate_is_a_tls_failure_naming_the_cause(tls_server):
    error = failure(tls_server.url, environ={})
    assert error.code == errors.TLS_FAILURE
    assert error.message.startswith('TLS handshake with %s failed: certificate verify failed: '
                                    % tls_server.url.split('//')[1].rstrip('/'))
    # Refused before the request was sent: nothing it asked for can have been done.
    assert error.delivered is False and error.refused_before_acting


def test_a_ca_bundle_or_no_verification_lets_the_answer_through(tls_server, certificate):
    assert send(tls_server.url, ca_bundle=certificate[0], environ={}).body == BODY
    assert send(tls_server.url, validate_certs=False, environ={}).body == BODY


def test_a_trickling_tls_endpoint_is_cut_off_at_the_deadline_too(serve, certificate):
    # https:// connections are the watched ones as well, whose socket the watchdog can shut down mid-read.
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)

    def trickle(connection):
        for byte in answer(body=b' ' * 100 + BODY):
            connection.sendall(bytes([byte]))
            time.sleep(0.2)
    server = serve(trickle, context)
    started = time.monotonic()
    error = failure(server.url, timeout=1.0, ca_bundle=certificate[0], environ={})
    assert error.code == errors.REQUEST_TIMEOUT
    assert time.monotonic() - started < 1.8


@pytest.fixture
def full_listener():
    """The port of a listener whose accept queue is full: a connection to it hangs before it is made."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(0)
    waiting = []
    for _n in range(3):
        waiting.append(socket.socket())
        waiting[-1].setblocking(False)
        waiting[-1].connect_ex(listener.getsockname())
    yield listener.getsockname()[1]
    for sock in waiting + [listener]:
        sock.close()


@pytest.mark.timeout(10)
def test_a_connection_that_cannot_be_made_times_out(full_listener):
    # No socket to shut down yet: only the timeout given to requests ends the wait.
    started = time.monotonic()
    error = failure('http://127.0.0.1:%d/' % full_listener, timeout=0.5)
    assert (error.code, error.message) == (errors.REQUEST_TIMEOUT,
                                           'no complete answer from 127.0.0.1:%d within 0.5s' % full_listener)
    assert time.monotonic() - started < 1.5
    # Never connected: nothing was sent.
    assert error.delivered is False


def test_every_failure_names_the_endpoint_and_its_cause(serve, monkeypatch):
    silent = serve(lambda c: time.sleep(5))
    host = silent.url.split('//')[1].rstrip('/')
    assert failure(silent.url, timeout=0.5).message == 'no complete answer from %s within 0.5s' % host

    declared = serve(lambda c: c.sendall(b'HTTP/1.1 200 X\r\nContent-Length: 999999999\r\n\r\n'))
    host = declared.url.split('//')[1].rstrip('/')
    assert failure(declared.url).message == 'the answer from %s is larger than 10 MiB: not read' % host

    encoded = serve(lambda c: c.sendall(answer(headers=['Content-Encoding: br\x1b[31m'])))
    host = encoded.url.split('//')[1].rstrip('/')
    assert failure(encoded.url).message == ('the answer from %s has a Content-Encoding this client does not read: '
                                            'br [31m' % host)

    def cut(connection):
        connection.sendall(b'HTTP/1.1 200 X\r\nContent-Length: 1000\r\n\r\n{"Resp')
        connection.shutdown(socket.SHUT_RDWR)
    broken = serve(cut)
    host = broken.url.split('//')[1].rstrip('/')
    message = failure(broken.url).message
    assert message.startswith('the connection to %s broke while the answer was read: ' % host)
    assert 'IncompleteRead' in message

    monkeypatch.setattr(http_transport, 'MAX_BODY_BYTES', 1000)
    endless = serve(lambda c: c.sendall(b'HTTP/1.1 200 X\r\nConnection: close\r\n\r\n' + b' ' * 100000))
    host = endless.url.split('//')[1].rstrip('/')
    assert failure(endless.url).message == 'the answer from %s is larger than 0 MiB: not read' % host


def test_a_refused_connection_names_the_cause():
    with socket.socket() as unused:
        unused.bind(('127.0.0.1', 0))
        port = unused.getsockname()[1]
    assert failure('http://127.0.0.1:%d/' % port).message == \
        'cannot reach 127.0.0.1:%d: [Errno 111] Connection refused' % port


def test_a_long_encoding_name_is_cut_in_the_message():
    with pytest.raises(errors.TencentCloudError) as caught:
        http_transport._decoded(b'', 'x' * 50, 'h')
    assert caught.value.message.endswith(': %s...' % ('x' * 40))


@pytest.mark.parametrize('text, shown', [('a' * 40, 'a' * 40), ('a' * 41, 'a' * 40 + '...')])
def test_sanitize_cuts_only_what_is_longer_than_the_limit(text, shown):
    assert http_transport.sanitize(text, 40) == shown


@pytest.mark.parametrize('error, reason', [(OSError(), 'OSError'), (ValueError('\nsecond line'), 'ValueError')])
def test_a_transport_failure_without_words_is_named_by_its_type(error, reason):
    assert http_transport.transport_reason(error) == reason


def test_the_pool_keeps_at_most_pool_size_connections(serve):
    # Four exchanges at once, twice: two connections are kept between the rounds, two are made again.
    together = threading.Barrier(4, timeout=5)

    def answer_together(connection):
        together.wait()
        connection.sendall(answer())
    server = serve(answer_together)
    transport = HttpTransport(pool_size=2)
    try:
        for _round in range(2):
            exchanges = [threading.Thread(target=transport.send, args=(server.url, b'{}', {}, 5.0)) for _n in range(4)]
            for exchange in exchanges:
                exchange.start()
            for exchange in exchanges:
                exchange.join()
    finally:
        transport.close()
    assert len(server.requests) == 8 and server.connections == 6


def test_a_watchdog_that_fires_before_a_connection_is_attached_only_marks_the_exchange(monkeypatch):
    failures = []
    monkeypatch.setattr(threading, 'excepthook', failures.append)
    watch = watched_connections.Watchdog(0.0)
    watch._timer.join(5)
    watch.finish()
    assert watch.expired and failures == []


def test_a_watchdog_whose_exchange_finished_does_nothing_when_it_fires_late():
    # The timer may already be running when the exchange finishes: cancel() cannot stop it then.
    watch = watched_connections.Watchdog(60.0)
    watch.finish()
    watch._expire()
    assert not watch.expired


def test_not_verifying_certificates_silences_only_that_warning():
    import warnings

    from urllib3.exceptions import InsecureRequestWarning
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        HttpTransport(validate_certs=False).close()
        warnings.warn('unverified', InsecureRequestWarning)
        with pytest.raises(UserWarning):
            warnings.warn('anything else', UserWarning)


class Streaming:
    """An answer whose body fails with ``error`` while it is read."""

    headers = {}

    def __init__(self, error):
        self.raw = self
        self._error = error

    def stream(self, *args, **kwargs):
        raise self._error


@pytest.mark.parametrize('error, expired', [(urllib3.exceptions.ReadTimeoutError(None, None, 'read timed out'), False),
                                            (urllib3.exceptions.ProtocolError('connection broken'), True)])
def test_a_body_cut_off_by_a_timeout_says_so_naming_the_endpoint(error, expired):
    watch = watched_connections.Watchdog(60.0)
    watch.finish()
    watch.expired = expired
    with pytest.raises(errors.TencentCloudError) as caught:
        http_transport._read_body(Streaming(error), watch, '127.0.0.1:9000')
    assert (caught.value.code, caught.value.message) == (errors.REQUEST_TIMEOUT,
                                                         'no complete answer from 127.0.0.1:9000 within 60s')
    # The request went out: the endpoint may have read it.
    assert caught.value.delivered is None


PROXY_VARIABLES = ('HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY',
                   'no_proxy')


@pytest.mark.parametrize('url, variable', [
    ('https://cvm.example.invalid/', 'HTTPS_PROXY'), ('https://cvm.example.invalid/', 'https_proxy'),
    ('https://cvm.example.invalid/', 'ALL_PROXY'), ('https://cvm.example.invalid/', 'all_proxy'),
    ('http://cvm.example.invalid/', 'HTTP_PROXY'), ('http://cvm.example.invalid/', 'http_proxy'),
    ('http://cvm.example.invalid/', 'ALL_PROXY'), ('http://cvm.example.invalid/', 'all_proxy'),
])
def test_every_proxy_variable_the_connection_honours_is_in_the_trust(monkeypatch, url, variable):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    direct = trust_of(url)
    monkeypatch.setenv(variable, 'http://proxy.example:3128')
    proxied = trust_of(url)
    assert proxied != direct and proxied.endswith('\nproxy http://proxy.example:3128')
    # What the connection would use: requests' own choice from the same settings.
    transport = HttpTransport(environ={})
    assert requests.utils.select_proxy(url, transport._proxies(url)) == 'http://proxy.example:3128'
    transport.close()
    for no_proxy in ('NO_PROXY', 'no_proxy'):
        monkeypatch.setenv(no_proxy, 'cvm.example.invalid')
        assert trust_of(url) == direct
        monkeypatch.delenv(no_proxy)


def test_only_a_connection_never_made_is_known_not_to_have_delivered_the_request():
    refused = urllib3.exceptions.NewConnectionError(None, 'Connection refused')
    assert http_transport._never_delivered(requests.exceptions.ConnectionError(refused))
    wrapped = urllib3.exceptions.MaxRetryError(None, '/', refused)
    assert http_transport._never_delivered(requests.exceptions.ConnectionError(wrapped))
    assert not http_transport._never_delivered(requests.exceptions.ConnectionError())
    assert not http_transport._never_delivered(requests.exceptions.ConnectionError('reset by peer'))
