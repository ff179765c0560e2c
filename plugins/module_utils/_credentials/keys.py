# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""API keys as they are given: what a set of credentials is, and the checks every source's keys pass.

An ID, its key and its token are always taken together from one source, so that a stale token in the environment
never rides along with keys given as options.
"""

import collections
from typing import Any, Dict, Iterable, Mapping, Optional, Protocol, Tuple

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError

CREDENTIAL_OPTIONS = ('secret_id', 'secret_key', 'security_token')

ENVIRONMENT_NAMES = {
    'secret_id': ('TENCENTCLOUD_SECRET_ID',),
    'secret_key': ('TENCENTCLOUD_SECRET_KEY',),
    'security_token': ('TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN'),
}


class CredentialProvider(Protocol):
    """What a request is signed with: ``Credentials`` themselves, or temporary ones renewed as they near expiry
    (``refreshing.RefreshingCredentials``)."""

    source: str

    @property
    def identity(self) -> str:
        """What tells one account's requests from another's, without being a secret."""

    def current(self) -> 'Credentials':
        """The keys to sign with now."""


class Credentials(collections.namedtuple('Credentials', ['secret_id', 'secret_key', 'token', 'source'])):
    """Keys that do not change during a run; ``source`` says where they came from, for the result."""

    __slots__ = ()

    def current(self):
        """The keys to sign with now: these (temporary credentials answer afresh, see ``refreshing``)."""
        return self

    @property
    def identity(self):
        """What tells one account's requests from another's (for the shared rate), without being a secret."""
        return self.secret_id


def from_environment(environ: Mapping[str, str]) -> Dict[str, Optional[str]]:
    """The credential options as the environment spells them, the first set name winning."""
    values = {}
    for option, names in ENVIRONMENT_NAMES.items():
        values[option] = next((environ[name] for name in names if environ.get(name)), None)
    return values


def first_with_an_id(sources: Iterable[Tuple[str, Mapping[str, Any]]]) -> Optional['Credentials']:
    """The credentials of the first ``(source name, {option: value})`` with a ``secret_id``, else ``None``."""
    for source, values in sources:
        if values.get('secret_id'):
            return complete(source, values)
        if values.get('secret_key'):
            raise OptionError('secret_key is set in %s but secret_id is not: set both in the same place' % source)
    return None


def complete(source: str, values: Mapping[str, Any]) -> 'Credentials':
    """``Credentials`` from ``{secret_id, secret_key, security_token}``, refusing a part that is missing or unsafe."""
    cleaned = {name: _header_safe(source, name, values.get(name)) for name in CREDENTIAL_OPTIONS}
    if not cleaned['secret_id']:
        raise OptionError('secret_id from %s is blank' % source)
    if not cleaned['secret_key']:
        raise OptionError('secret_id is set in %s but secret_key is not: set both in the same place' % source)
    return Credentials(cleaned['secret_id'], cleaned['secret_key'], cleaned['security_token'], source)


def _header_safe(source, name, value):
    """The value without the whitespace a YAML block or a vault file leaves around it, fit to travel in a header.

    The message names the option and its source, never the value: it is, or is next to, a secret.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not all(' ' < char < '\x7f' for char in text):
        raise OptionError('%s from %s holds whitespace, control or non-ASCII characters: it cannot be sent to the API'
                          % (name, source))
    return text or None
