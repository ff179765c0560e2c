# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the credentials come from.

An ID, its key and its token are always taken together from the first source that has an ID, so that a stale token
in the environment never rides along with keys given as options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import configparser
import os

from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError

Credentials = collections.namedtuple('Credentials', ['secret_id', 'secret_key', 'token', 'source'])

CREDENTIAL_OPTIONS = ('secret_id', 'secret_key', 'security_token')

ENVIRONMENT_NAMES = {
    'secret_id': ('TENCENTCLOUD_SECRET_ID',),
    'secret_key': ('TENCENTCLOUD_SECRET_KEY',),
    'security_token': ('TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN'),
}
CREDENTIALS_FILE_VARIABLE = 'TENCENTCLOUD_CREDENTIALS_FILE'
DEFAULT_CREDENTIALS_FILES = ('~/.tencentcloud/credentials', '/etc/tencentcloud/credentials')


def from_environment(environ):
    """The credential options as the environment spells them, the first set name winning."""
    values = {}
    for option, names in ENVIRONMENT_NAMES.items():
        values[option] = next((environ[name] for name in names if environ.get(name)), None)
    return values


def resolve(explicit_sources, profile, environ):
    """The credentials of the first source with a ``secret_id``.

    ``explicit_sources`` is an ordered list of ``(source name, {option: value})`` checked before the environment and
    the profile file.
    """
    for source, values in list(explicit_sources) + [('environment', from_environment(environ))]:
        if values.get('secret_id'):
            return _complete(source, values)
        if values.get('secret_key'):
            raise OptionError('secret_key is set in %s but secret_id is not: set both in the same place' % source)
    return _from_profile(profile, environ)


def _complete(source, values):
    cleaned = dict((name, _header_safe(source, name, values.get(name))) for name in CREDENTIAL_OPTIONS)
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


def _credentials_file(environ):
    override = environ.get(CREDENTIALS_FILE_VARIABLE)
    if override:
        if not os.path.isfile(override):
            raise OptionError('%s names %s, which is not a file' % (CREDENTIALS_FILE_VARIABLE, override))
        return override
    for candidate in DEFAULT_CREDENTIALS_FILES:
        path = os.path.expanduser(candidate)
        if os.path.isfile(path):
            return path
    return None


def _from_profile(profile, environ):
    path = _credentials_file(environ)
    if path is None:
        raise OptionError(
            'no credentials found: set secret_id and secret_key, the environment variables TENCENTCLOUD_SECRET_ID and '
            'TENCENTCLOUD_SECRET_KEY, or a profile in ~/.tencentcloud/credentials')
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path) as handle:
            parser.read_file(handle)
    except (OSError, IOError, UnicodeDecodeError, configparser.Error) as error:
        # Without the chain: the parser's exception quotes the offending line, which could hold a key.
        raise OptionError('cannot read the credentials file %s: %s' % (path, _reason(error))) from None
    if not parser.has_section(profile):
        raise OptionError('the credentials file %s has no profile [%s]' % (path, profile))
    section = dict(parser.items(profile))
    source = 'profile:%s' % profile
    if not section.get('secret_id'):
        raise OptionError('profile [%s] in %s has no secret_id' % (profile, path))
    return _complete(source, {
        'secret_id': section['secret_id'],
        'secret_key': section.get('secret_key'),
        'security_token': section.get('token'),
    })


def _reason(error):
    # The parser's messages quote the offending line, which could hold a key: keep only the kind of fault.
    if isinstance(error, configparser.Error):
        return 'not an INI file (%s)' % type(error).__name__
    return getattr(error, 'strerror', None) or type(error).__name__
