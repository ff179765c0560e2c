# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TC3-HMAC-SHA256 signing for Tencent Cloud API 3.0 (standard library only, nothing Ansible).

The signature covers the exact body bytes that are sent, and the credential scope uses the UTC date of the
timestamp: a local date breaks signatures for hours every day.
"""

import datetime
import hashlib
import hmac
from typing import Mapping

ALGORITHM = 'TC3-HMAC-SHA256'


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _hmac_sha256(key, message):
    return hmac.new(key, message.encode('utf-8'), hashlib.sha256)


def utc_date(timestamp: int) -> str:
    """The YYYY-MM-DD UTC date of a Unix timestamp, as the credential scope needs it."""
    moment = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.timezone.utc)
    return moment.strftime('%Y-%m-%d')


def credential_scope(timestamp: int, service: str) -> str:
    return '%s/%s/tc3_request' % (utc_date(timestamp), service)


def canonical_request(signed_headers: Mapping[str, str], payload: bytes) -> str:
    """The canonical request of a ``POST /`` with no query string.

    ``signed_headers`` maps header names to the values sent; ``payload`` is the exact body as bytes.
    """
    names = sorted(name.lower() for name in signed_headers)
    values = {name.lower(): value for name, value in signed_headers.items()}
    canonical_headers = ''.join('%s:%s\n' % (name, values[name].strip().lower()) for name in names)
    return '\n'.join(['POST', '/', '', canonical_headers, ';'.join(names), _sha256_hex(payload)])


def string_to_sign(timestamp: int, service: str, canonical: str) -> str:
    hashed = _sha256_hex(canonical.encode('utf-8'))
    return '\n'.join([ALGORITHM, str(int(timestamp)), credential_scope(timestamp, service), hashed])


def signature(secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    key = _hmac_sha256(('TC3' + secret_key).encode('utf-8'), utc_date(timestamp)).digest()
    key = _hmac_sha256(key, service).digest()
    key = _hmac_sha256(key, 'tc3_request').digest()
    return _hmac_sha256(key, to_sign).hexdigest()


def authorization(secret_id: str, secret_key: str, timestamp: int, service: str, signed_headers: Mapping[str, str],
                  payload: bytes) -> str:
    """The ``Authorization`` header value for one request; call it afresh for every attempt."""
    canonical = canonical_request(signed_headers, payload)
    to_sign = string_to_sign(timestamp, service, canonical)
    return '%s Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM,
        secret_id,
        credential_scope(timestamp, service),
        ';'.join(sorted(name.lower() for name in signed_headers)),
        signature(secret_key, timestamp, service, to_sign),
    )
