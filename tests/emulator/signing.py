# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TC3-HMAC-SHA256 as the services check it, with the emulator's own code (so it cannot agree with a wrong client by
sharing the client's), and the keys it accepts: the long-lived one it was started with, and temporary ones it minted.
"""

import collections
import datetime
import hashlib
import hmac
import re
import secrets
import threading

from .errors import ApiError

SIGNATURE_WINDOW_SECONDS = 300
AUTHORIZATION = re.compile(
    r'^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/]+)/tc3_request, '
    r'SignedHeaders=(?P<headers>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$')

Key = collections.namedtuple('Key', ['secret_key', 'token', 'expires_at'])


class Keys:
    """The account's keys: one long-lived, plus the temporary ones STS and the metadata service handed out."""

    def __init__(self, secret_id, secret_key, token=None, token_expires_at=None):
        self._keys = {secret_id: Key(secret_key, token, token_expires_at)}
        self._lock = threading.Lock()

    def get(self, secret_id):
        with self._lock:
            return self._keys.get(secret_id)

    def mint(self, expires_at):
        """New temporary credentials, accepted until ``expires_at``: ``(TmpSecretId, TmpSecretKey, Token)``."""
        minted = ('AKIDtmp' + secrets.token_hex(14), 'tmpkey' + secrets.token_hex(13), 'tmptoken' + secrets.token_hex(24))
        with self._lock:
            self._keys[minted[0]] = Key(minted[1], minted[2], expires_at)
        return minted


def authenticate(keys, headers, body, service, now):
    """Check the request's signature and token as the service does, in its order; raise ``ApiError`` if not good."""
    match = AUTHORIZATION.match(headers.get('Authorization', ''))
    if not match:
        raise ApiError('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed.')
    try:
        timestamp = int(headers.get('X-TC-Timestamp', ''))
    except ValueError:
        raise ApiError('MissingParameter', 'The request is missing a valid X-TC-Timestamp header.')
    if abs(now - timestamp) > SIGNATURE_WINDOW_SECONDS:
        raise ApiError('AuthFailure.SignatureExpire',
                       'The signature has expired: the timestamp %d is more than 5 minutes from the server time %d.'
                       % (timestamp, int(now)))
    key = keys.get(match.group('id'))
    if key is None:
        raise ApiError('AuthFailure.SecretIdNotFound',
                       'The SecretId is not found, please ensure that your SecretId is correct.')
    signed = match.group('headers').split(';')
    if 'content-type' not in signed or 'host' not in signed or signed != sorted(signed):
        raise ApiError('AuthFailure.SignatureFailure', 'SignedHeaders must list content-type and host, sorted.')
    date = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc).strftime('%Y-%m-%d')
    if match.group('date') != date or match.group('service') != service:
        raise ApiError('AuthFailure.SignatureFailure', 'The credential scope does not match the request.')
    expected = signature(key.secret_key, service, headers, signed, body, timestamp, date)
    if not hmac.compare_digest(expected, match.group('signature')):
        raise ApiError('AuthFailure.SignatureFailure',
                       'The provided credentials could not be validated. Please check your signature is correct.')
    if key.token and headers.get('X-TC-Token') != key.token:
        raise ApiError('AuthFailure.TokenFailure', 'The token is invalid or missing.')
    if key.token and key.expires_at is not None and now >= key.expires_at:
        raise ApiError('AuthFailure.TokenFailure', 'The token has expired.')


def signature(secret_key, service, headers, signed, body, timestamp, date):
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical_headers = ''.join('%s:%s\n' % (name, lowered.get(name, '').strip().lower()) for name in signed)
    canonical = 'POST\n/\n\n%s\n%s\n%s' % (canonical_headers, ';'.join(signed), hashlib.sha256(body).hexdigest())
    scope = '%s/%s/tc3_request' % (date, service)
    to_sign = 'TC3-HMAC-SHA256\n%d\n%s\n%s' % (timestamp, scope, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
    key = hmac.new(('TC3' + secret_key).encode('utf-8'), date.encode('utf-8'), hashlib.sha256).digest()
    key = hmac.new(key, service.encode('utf-8'), hashlib.sha256).digest()
    key = hmac.new(key, b'tc3_request', hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
