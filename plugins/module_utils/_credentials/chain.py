# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential chain: the first source that has credentials wins, and AssumeRole goes on top when asked.

1. options (direct lookup arguments), 2. lookup variables, 3. a profile named explicitly, 4. the environment keys,
5. the ``default`` profile, 6. TKE OIDC, 7. the CVM instance role. Each source is a small provider beside this file;
what they give signs requests through ``current()`` (see ``keys.Credentials`` and ``refreshing``).
"""

import dataclasses
from typing import Any, Dict, Mapping, Optional, Protocol

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import (
    instance_role, keys, oidc, profile_files, sts,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CredentialProvider

DEFAULT_PROFILE = 'default'


@dataclasses.dataclass(frozen=True)
class CredentialSettings:
    """The options that say where the keys come from, beyond the keys themselves."""

    profile: Optional[str]
    cam_role_name: Optional[str]
    assume_role_arn: Optional[str]
    assume_role_session_name: Optional[str]
    assume_role_duration: int
    assume_role_external_id: Optional[str]
    assume_role_policy: Optional[str]
    # How long the metadata service may take to answer (the instance role).
    request_timeout: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> 'CredentialSettings':
        given: Dict[str, Any] = {field.name: values.get(field.name) for field in dataclasses.fields(cls)}
        return cls(**given)


class ClientSource(Protocol):
    """What builds the clients some sources call (``clients.Clients``); its ``clock`` times temporary credentials."""

    environ: Mapping[str, str]
    clock: Clock

    def sts_client(self, credentials, region=None):
        """An STS client signing with ``credentials`` (``None``: unsigned)."""

    def metadata_transport(self):
        """A transport to the metadata service, never through a proxy."""


def check(settings: CredentialSettings) -> None:
    """Refuse malformed role settings before anything is read or sent.

    An empty value counts as not set: an AWX injector sets every variable of its credential type, filled in or not.
    """
    if settings.assume_role_arn:
        sts.check_role_arn('assume_role_arn', settings.assume_role_arn)
    sts.session_name('assume_role_session_name', settings.assume_role_session_name)
    sts.check_duration('assume_role_duration', settings.assume_role_duration)
    sts.encoded_policy(settings.assume_role_policy)
    if settings.cam_role_name:
        instance_role.check_role_name('cam_role_name', settings.cam_role_name)


def resolve(settings: CredentialSettings, explicit_sources, environ, clients: ClientSource) -> CredentialProvider:
    """What to sign with: ``keys.Credentials`` or ``RefreshingCredentials``, each with ``source`` and ``current()``.

    ``explicit_sources`` are ``(name, {credential option: value})`` in order (options, then lookup variables);
    ``clients`` builds the STS client and the metadata transport that some sources need.
    """
    base = _first_source(settings, explicit_sources, environ, clients)
    if not settings.assume_role_arn:
        return base
    return _assumed(settings, clients, base, settings.assume_role_arn, settings.assume_role_session_name)


def _first_source(settings, explicit_sources, environ, clients):
    found = keys.first_with_an_id(explicit_sources)
    if found:
        return found
    if settings.profile:
        profile = profile_files.find(settings.profile, environ)
        if profile is None:
            raise OptionError('profile %s is in none of %s' % (settings.profile, profile_files.places(environ, ', ')))
        return _from_profile(settings, clients, settings.profile, profile)
    found = keys.first_with_an_id([('environment', keys.from_environment(environ))])
    if found:
        return found
    profile = profile_files.find(DEFAULT_PROFILE, environ)
    if profile is not None:
        return _from_profile(settings, clients, DEFAULT_PROFILE, profile)
    if oidc.is_configured(environ):
        return oidc.web_identity(environ, lambda region: clients.sts_client(None, region),
                                 _session_named(settings.assume_role_session_name), settings.assume_role_duration,
                                 clients.clock)
    try:
        return _instance_role(settings, clients, settings.cam_role_name or None)
    except instance_role.Unavailable as reason:
        raise OptionError(
            'no credentials found. Tried: %s; the environment variables TENCENTCLOUD_SECRET_ID and '
            'TENCENTCLOUD_SECRET_KEY; the profile %s in %s; TKE OIDC (TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and '
            'TKE_ROLE_ARN are not set); the CVM instance role: %s'
            % (' and '.join(name for name, _values in explicit_sources) or 'options', DEFAULT_PROFILE,
               profile_files.places(environ, ' or '), reason))


def _from_profile(settings, clients, name, profile):
    if profile.kind == profile_files.CVM_ROLE:
        try:
            return _instance_role(settings, clients, profile.role_name or settings.cam_role_name or None)
        except instance_role.Unavailable as reason:
            raise OptionError('profile %s is of type %s, but %s' % (name, profile.kind, reason))
    if profile.kind == profile_files.ASSUME_ROLE:
        role_arn = sts.check_role_arn('role-arn of profile %s' % name, profile.role_arn)
        # The option was checked with the others; the profile's own name is checked here, under its own name.
        session = (sts.session_name('role-session-name of profile %s' % name, profile.role_session_name)
                   if profile.role_session_name else settings.assume_role_session_name)
        return _assumed(settings, clients, profile.keys, role_arn, session)
    return profile.keys


def _instance_role(settings, clients, role_name):
    return instance_role.instance_role(role_name, clients.environ, clients.metadata_transport(),
                                       settings.request_timeout, clients.clock)


def _assumed(settings, clients, base, role_arn, session):
    return sts.assume_role(
        clients.sts_client(base), base.source, role_arn, _session_named(session), settings.assume_role_duration,
        settings.assume_role_external_id, sts.encoded_policy(settings.assume_role_policy), clients.clock)


def _session_named(name):
    return sts.session_name('assume_role_session_name', name)
