# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TKE pods with OIDC: the role, provider and token file that TKE injects into the pod's environment."""

import errno
import os
import stat
from typing import Callable, Mapping

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import sts
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.refreshing import RefreshingCredentials

VARIABLES = ('TKE_PROVIDER_ID', 'TKE_WEB_IDENTITY_TOKEN_FILE', 'TKE_ROLE_ARN')
REGION_VARIABLE = 'TKE_REGION'
# A projected service account token is about 1 KiB; anything far larger is not one.
MAX_TOKEN_BYTES = 64 * 1024


def is_configured(environ: Mapping[str, str]) -> bool:
    return any(environ.get(name) for name in VARIABLES)


def web_identity(environ: Mapping[str, str], sts_client: Callable, session: str, duration: int,
                 clock: Clock = SYSTEM_CLOCK) -> RefreshingCredentials:
    """``RefreshingCredentials`` for the pod's role; ``sts_client(region)`` gives an unsigned STS client."""
    missing = [name for name in VARIABLES if not environ.get(name)]
    if missing:
        raise OptionError('TKE OIDC needs %s; %s not set' % (', '.join(VARIABLES), ' and '.join(missing)))
    role_arn = sts.check_role_arn('TKE_ROLE_ARN', environ['TKE_ROLE_ARN'])
    path = environ['TKE_WEB_IDENTITY_TOKEN_FILE']
    _read_token(path, OptionError)

    def read_token():
        return _read_token(path, _unavailable)
    return sts.assume_role_with_web_identity(sts_client(environ.get(REGION_VARIABLE)), environ['TKE_PROVIDER_ID'],
                                             read_token, role_arn, session, duration, clock)


def _unavailable(message):
    return errors.TencentCloudError(errors.CREDENTIAL_UNAVAILABLE, message)


def _read_token(path, failure):
    try:
        token = _regular_file_text(path).decode('ascii').strip()
    except OSError as error:
        raise failure('cannot read the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE): %s'
                      % (path, error.strerror or type(error).__name__))
    except UnicodeDecodeError:
        raise failure('the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE) is not a token' % path)
    if not token or len(token) > MAX_TOKEN_BYTES:
        raise failure('the web identity token file %s (TKE_WEB_IDENTITY_TOKEN_FILE) is empty or too large' % path)
    return token


def _regular_file_text(path):
    """Up to ``MAX_TOKEN_BYTES + 1`` bytes of a regular file. A FIFO or a device would block with no deadline (a FIFO's
    open waits for a writer), so the file is opened without blocking and refused unless it is a regular file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(errno.EINVAL, 'not a regular file')
    with os.fdopen(descriptor, 'rb') as handle:
        return handle.read(MAX_TOKEN_BYTES + 1)
