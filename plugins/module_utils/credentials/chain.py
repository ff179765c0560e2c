# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential chain: the first source that has credentials wins, and AssumeRole goes on top when asked.

1. options (direct lookup arguments), 2. lookup variables, 3. a profile named explicitly, 4. the environment keys,
5. the ``default`` profile, 6. TKE OIDC, 7. the CVM instance role. Each source is a small provider beside this file;
what they give signs requests through ``current()`` (see ``keys.Credentials`` and ``refreshing``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import instance_role
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import keys
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import oidc
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import profile_files
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import sts
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

DEFAULT_PROFILE = 'default'


def check_values(values):
    """Refuse malformed role settings before anything is read or sent.

    An empty value counts as not set: an AWX injector sets every variable of its credential type, filled in or not.
    """
    if values.get('assume_role_arn'):
        sts.check_role_arn('assume_role_arn', values['assume_role_arn'])
    sts.session_name('assume_role_session_name', values.get('assume_role_session_name'))
    sts.check_duration('assume_role_duration', values.get('assume_role_duration'))
    sts.encoded_policy(values.get('assume_role_policy'))
    if values.get('cam_role_name'):
        instance_role.check_role_name('cam_role_name', values['cam_role_name'])


def resolve(values, explicit_sources, environ, connection):
    """What to sign with: ``keys.Credentials`` or ``RefreshingCredentials``, each with ``source`` and ``current()``.

    ``explicit_sources`` are ``(name, {credential option: value})`` in order (options, then lookup variables);
    ``connection`` builds the STS client and the metadata transport that some sources need.
    """
    base = _first_source(values, explicit_sources, environ, connection)
    if not values.get('assume_role_arn'):
        return base
    return _assumed(values, connection, base, values['assume_role_arn'], values.get('assume_role_session_name'))


def _first_source(values, explicit_sources, environ, connection):
    found = keys.first_with_an_id(explicit_sources)
    if found:
        return found
    if values.get('profile'):
        profile = profile_files.find(values['profile'], environ)
        if profile is None:
            raise OptionError('profile %s is in none of %s' % (values['profile'], profile_files.places(environ, ', ')))
        return _from_profile(values, connection, values['profile'], profile)
    found = keys.first_with_an_id([('environment', keys.from_environment(environ))])
    if found:
        return found
    profile = profile_files.find(DEFAULT_PROFILE, environ)
    if profile is not None:
        return _from_profile(values, connection, DEFAULT_PROFILE, profile)
    if oidc.is_configured(environ):
        return oidc.web_identity(environ, lambda region: connection.sts_client(None, region),
                                 _session_named(values.get('assume_role_session_name')), values['assume_role_duration'])
    try:
        return _instance_role(values, connection, values.get('cam_role_name') or None)
    except instance_role.Unavailable as reason:
        raise OptionError(
            'no credentials found. Tried: %s; the environment variables TENCENTCLOUD_SECRET_ID and '
            'TENCENTCLOUD_SECRET_KEY; the profile %s in %s; TKE OIDC (TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and '
            'TKE_ROLE_ARN are not set); the CVM instance role: %s'
            % (' and '.join(name for name, _values in explicit_sources) or 'options', DEFAULT_PROFILE,
               profile_files.places(environ, ' or '), reason))


def _from_profile(values, connection, name, profile):
    if profile.kind == profile_files.CVM_ROLE:
        try:
            return _instance_role(values, connection, profile.role_name or values.get('cam_role_name') or None)
        except instance_role.Unavailable as reason:
            raise OptionError('profile %s is of type %s, but %s' % (name, profile.kind, reason))
    if profile.kind == profile_files.ASSUME_ROLE:
        role_arn = sts.check_role_arn('role-arn of profile %s' % name, profile.role_arn)
        # The option was checked with the others; the profile's own name is checked here, under its own name.
        session = (sts.session_name('role-session-name of profile %s' % name, profile.role_session_name)
                   if profile.role_session_name else values.get('assume_role_session_name'))
        return _assumed(values, connection, profile.keys, role_arn, session)
    return profile.keys


def _instance_role(values, connection, role_name):
    return instance_role.instance_role(role_name, connection.environ, connection.metadata_transport(),
                                       values['request_timeout'])


def _assumed(values, connection, base, role_arn, session):
    return sts.assume_role(
        connection.sts_client(base), base.source, role_arn, _session_named(session), values['assume_role_duration'],
        values.get('assume_role_external_id'), sts.encoded_policy(values.get('assume_role_policy')))


def _session_named(name):
    return sts.session_name('assume_role_session_name', name)
