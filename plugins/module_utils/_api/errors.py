# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two kinds of failure the collection reports: bad input, and a call that did not succeed."""

from typing import Any, Dict, Optional

# The collection's own codes for faults that never reached the API or whose answer could not be read.
CONNECTION_FAILURE = 'ConnectionFailure'
REQUEST_TIMEOUT = 'RequestTimeout'
TLS_FAILURE = 'TLSFailure'
INVALID_RESPONSE = 'InvalidResponse'
HTTP_ERROR = 'HTTPError'
UNEXPECTED_REDIRECT = 'UnexpectedRedirect'
SIGNATURE_EXPIRE = 'AuthFailure.SignatureExpire'
# Temporary credentials that could not be renewed from a file (the OIDC token) during the run.
CREDENTIAL_UNAVAILABLE = 'CredentialUnavailable'

# Answers that say "try again later". Repeating a read is always safe; an action that changes something is repeated
# only after an answer that says it was refused before anything was done (``refused_before_acting``).
_RETRYABLE_CODES = frozenset([
    'InternalError',
    'InternalServerError',
    'ServiceUnavailable',
    'ResourceUnavailable',
    CONNECTION_FAILURE,
    REQUEST_TIMEOUT,
    INVALID_RESPONSE,
])
# The service's answer to more requests than the account's rate for the action: RequestLimitExceeded and its variants.
RATE_LIMIT_PREFIX = 'RequestLimitExceeded'
_RETRYABLE_PREFIXES = (RATE_LIMIT_PREFIX,)
# Answers about the keys themselves, and answers that may be about some of the instances asked for only.
_KEY_VERDICT_PREFIX = 'AuthFailure'
# A CAM refusal: the service's common code is AuthFailure.UnauthorizedOperation, CVM's own UnauthorizedOperation(.*).
# A policy may name single instances, so a refusal of a call that carried several callers' instances may concern only
# some of them, whatever its prefix says.
CAM_DENIAL_CODES = ('AuthFailure.UnauthorizedOperation', 'UnauthorizedOperation')
_INSTANCE_VERDICT_PREFIXES = CAM_DENIAL_CODES + ('InvalidInstanceId', 'ResourceNotFound')
_VERDICT_PREFIXES = (_KEY_VERDICT_PREFIX,) + _INSTANCE_VERDICT_PREFIXES
# Answers that say the request was refused as it stood, before the service did anything: its rate, the keys, the
# permissions, the parameters, the IDs, the instances' states or an operation already running on them. Any other
# answer to an action (InternalError, a 5xx, a timeout, a broken connection) may come after the action was done.
_REFUSAL_PREFIXES = _VERDICT_PREFIXES + (
    RATE_LIMIT_PREFIX, 'InvalidParameter', 'MissingParameter', 'UnknownParameter', 'InvalidAction', 'NoSuchVersion',
    'InvalidFilter', 'UnsupportedRegion', 'UnsupportedOperation', 'OperationDenied', 'LimitExceeded',
    'ResourceNotFound', 'ResourceInsufficient', 'ResourceInUse')


class OptionError(ValueError):
    """Input that is wrong before any call is made; the message names the option."""


class TencentCloudError(Exception):
    """A call that failed: an API error, or a transport fault under one of the codes above."""

    def __init__(self, code: str, message: str, request_id: Optional[str] = None, http_status: Optional[int] = None,
                 server_time: Optional[float] = None, delivered: Optional[bool] = None):
        super().__init__(code, message, request_id)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        # The answer's Date header as a Unix time, when it had one: how far off the local clock is.
        self.server_time = server_time
        # False when the request certainly never reached the endpoint (no connection, no TLS handshake, not sent
        # before the deadline); None when it may have.
        self.delivered = delivered
        # How many attempts failed so, where a call was tried again until its retries were spent.
        self.attempts = 1

    @property
    def retryable(self) -> bool:
        if self.code in _RETRYABLE_CODES or self.code.startswith(_RETRYABLE_PREFIXES):
            return True
        # Gateways in front of the API answer 429 and 5xx with their own pages.
        return self.code == HTTP_ERROR and self.http_status is not None and (self.http_status == 429 or self.http_status >= 500)

    @property
    def same_for_every_caller(self) -> bool:
        """Whether any caller with the same keys, region and action would get this answer, whatever it asked for: a
        verdict on the keys themselves (``AuthFailure.*`` but a signature made with a wrong clock, and a CAM refusal).

        Throttling, faults on the way and timeouts are not: another attempt, another caller's, may well succeed. Nor
        is an answer about some of the instances asked for (``about_some_instances``), a CAM refusal among them.
        """
        return (self.code.startswith(_KEY_VERDICT_PREFIX) and self.code != SIGNATURE_EXPIRE
                and not self.about_some_instances)

    @property
    def about_some_instances(self) -> bool:
        """Whether the answer may be about some of the instances asked for only: one the keys may not read (a CAM
        policy can deny a single instance), one malformed or not found. A call for other instances may succeed."""
        return self.code.startswith(_INSTANCE_VERDICT_PREFIXES)

    @property
    def denied(self) -> bool:
        """Whether CAM refused the call (``AuthFailure.UnauthorizedOperation``, ``UnauthorizedOperation(.*)``): the
        keys are good, but may not do this, here or to these instances."""
        return self.code.startswith(CAM_DENIAL_CODES)

    @property
    def refused_before_acting(self) -> bool:
        """Whether the service certainly did not carry the request out: it never reached the endpoint, or the answer
        refuses it (``_REFUSAL_PREFIXES``; an HTTP 4xx from a gateway on the way). Any other failure of an action
        leaves its outcome unknown: it may have been done, and its answer lost."""
        if self.delivered is False:
            return True
        if self.code == HTTP_ERROR:
            return self.http_status is not None and 400 <= self.http_status < 500
        return self.code.startswith(_REFUSAL_PREFIXES)

    def as_dict(self) -> Dict[str, Any]:
        return {'code': self.code, 'message': self.message, 'request_id': self.request_id}

    def __str__(self) -> str:
        # A failure with no answer (no connection, a redirect, an answer not read) has no RequestId to quote.
        if self.request_id is None:
            return '%s: %s' % (self.code, self.message)
        return '%s: %s (RequestId: %s)' % (self.code, self.message, self.request_id)


class DeadlineExceeded(TencentCloudError):
    """A caller's own deadline ran out (``REQUEST_TIMEOUT``): says nothing of the service, only of this caller."""
