# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named profiles on disk: the SDK's INI credentials file and tccli's per-profile JSON files.

When both hold the profile, the INI file wins: it is the one the SDKs and Terraform read first.
"""

import collections
import configparser
import json
import os
from typing import Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import keys

CREDENTIALS_FILE_VARIABLE = 'TENCENTCLOUD_CREDENTIALS_FILE'
DEFAULT_CREDENTIALS_FILES = ('~/.tencentcloud/credentials', '/etc/tencentcloud/credentials')
TCCLI_DIRECTORY_VARIABLE = 'TENCENTCLOUD_SHARED_CREDENTIALS_DIR'
DEFAULT_TCCLI_DIRECTORY = '~/.tccli'
# A tccli profile's "type": plain keys (no type), the instance's role, or a role assumed with the file's keys.
KEYS, CVM_ROLE, ASSUME_ROLE = 'keys', 'cvm-role', 'assume-role'

Profile = collections.namedtuple('Profile', ['kind', 'keys', 'role_arn', 'role_session_name', 'role_name'])
Profile.__doc__ = ('A profile found on disk: ``kind`` is one of KEYS, CVM_ROLE, ASSUME_ROLE; ``keys`` the file\'s '
                   '``Credentials`` (``None`` for CVM_ROLE); the role fields as the file gives them.')


def places(environ: Mapping[str, str], separator: str) -> str:
    """Where profiles are looked for, in order, as a message names them."""
    files = [environ[CREDENTIALS_FILE_VARIABLE]] if environ.get(CREDENTIALS_FILE_VARIABLE) else \
        list(DEFAULT_CREDENTIALS_FILES)
    return separator.join(files + [_tccli_directory(environ)])


def find(name: str, environ: Mapping[str, str]) -> Optional['Profile']:
    """The profile ``name`` from the INI file, else from tccli's files, else ``None``."""
    return _from_ini_file(name, environ) or _from_tccli(name, environ)


def tccli_region(name: str, environ: Mapping[str, str]) -> Optional[str]:
    """The region ``tccli configure`` stored for the profile (``_sys_param.region``), or ``None``."""
    path = os.path.join(_tccli_directory(environ), '%s.configure' % name)
    if not os.path.isfile(path):
        return None
    region = (_json_file(path).get('_sys_param') or {}).get('region')
    return region if isinstance(region, str) and region else None


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


def _from_ini_file(name, environ):
    path = _credentials_file(environ)
    if path is None:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path) as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        # Without the chain: the parser's exception quotes the offending line, which could hold a key.
        raise OptionError('cannot read the credentials file %s: %s' % (path, _reason(error))) from None
    if not parser.has_section(name):
        return None
    section = dict(parser.items(name))
    if not section.get('secret_id'):
        raise OptionError('profile [%s] in %s has no secret_id' % (name, path))
    found = keys.complete('profile:%s (credentials file)' % name, {
        'secret_id': section['secret_id'],
        'secret_key': section.get('secret_key'),
        'security_token': section.get('token'),
    })
    return Profile(KEYS, found, None, None, None)


def _tccli_directory(environ):
    return os.path.expanduser(environ.get(TCCLI_DIRECTORY_VARIABLE) or DEFAULT_TCCLI_DIRECTORY)


def _from_tccli(name, environ):
    path = os.path.join(_tccli_directory(environ), '%s.credential' % name)
    if not os.path.isfile(path):
        return None
    document = _json_file(path)
    kind = document.get('type') or KEYS
    if kind not in (KEYS, CVM_ROLE, ASSUME_ROLE):
        raise OptionError('the tccli file %s has type %.40r; this collection reads %s, %s or no type'
                          % (path, kind, CVM_ROLE, ASSUME_ROLE))
    found = None
    if kind != CVM_ROLE:
        if not document.get('secretId'):
            raise OptionError('the tccli file %s has no secretId' % path)
        found = keys.complete('profile:%s (tccli)' % name, {
            'secret_id': document['secretId'],
            'secret_key': document.get('secretKey'),
            'security_token': document.get('token'),
        })
    if kind == ASSUME_ROLE and not document.get('role-arn'):
        raise OptionError('the tccli file %s is of type %s but has no role-arn' % (path, ASSUME_ROLE))
    return Profile(kind, found, document.get('role-arn'), document.get('role-session-name'), document.get('role-name'))


def _json_file(path):
    try:
        with open(path, 'rb') as handle:
            document = json.loads(handle.read().decode('utf-8'))
    except OSError as error:
        raise OptionError('cannot read the tccli file %s: %s' % (path, _reason(error))) from None
    except (ValueError, UnicodeDecodeError):
        # The decoder's message quotes the text around the fault, which could be a key.
        raise OptionError('the tccli file %s is not JSON' % path) from None
    if not isinstance(document, dict):
        raise OptionError('the tccli file %s is not a JSON object' % path)
    return document


def _reason(error):
    # The parser's messages quote the offending line, which could hold a key: keep only the kind of fault.
    if isinstance(error, configparser.Error):
        return 'not an INI file (%s)' % type(error).__name__
    return getattr(error, 'strerror', None) or type(error).__name__
