# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An endpoint option, checked and turned into the URL and Host header a request is sent with."""

import re
from typing import Tuple
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors

# A DNS name or a bracketed IPv6 address, matched whole (fullmatch: '$' would let a trailing newline through).
_HOST = re.compile(r'(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)'
                   r'|\[[0-9A-Fa-f:.]+\]')


def parse_endpoint(endpoint: str) -> Tuple[str, str]:
    """``(url, host header)`` for an endpoint given as a bare host (https) or an ``http(s)://host[:port]`` URL.

    Messages quote the endpoint only up to a user part, which could hold a password.
    """
    shown = repr(endpoint.rsplit('@', 1)[-1] if isinstance(endpoint, str) else endpoint)
    if not endpoint or any(char.isspace() or not char.isprintable() for char in endpoint):
        raise errors.OptionError('endpoint %s is empty or holds spaces or control characters' % shown)
    text = endpoint if '://' in endpoint else 'https://' + endpoint
    parts = urlsplit(text)
    if '@' in parts.netloc:
        raise errors.OptionError('endpoint %s: a user part (user@) is not accepted: credentials go in secret_id and '
                                 'secret_key, never in the URL' % shown)
    try:
        port = parts.port
    except ValueError:
        raise errors.OptionError('endpoint %s: the port is not a number from 1 to 65535' % shown)
    if port == 0:
        raise errors.OptionError('endpoint %s: port 0 cannot be connected to' % shown)
    if parts.scheme not in ('http', 'https'):
        raise errors.OptionError('endpoint %s: only http and https are supported' % shown)
    hostname = parts.netloc.rsplit(':', 1)[0] if port else parts.netloc
    if not _HOST.fullmatch(hostname or ''):
        raise errors.OptionError('endpoint %s does not name a valid host' % shown)
    if parts.path not in ('', '/') or parts.query or parts.fragment:
        raise errors.OptionError('endpoint %s must be a host or scheme://host[:port] without path or query' % shown)
    return '%s://%s/' % (parts.scheme, parts.netloc), parts.netloc.lower()
