# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM instance metadata service's CAM role pages, for an instance whose role the scenario names."""

import json

from .errors import ScenarioError
from .sts import minted

ROLES_PATH = '/latest/meta-data/cam/security-credentials/'


def instance_role_of(scenario):
    """The scenario's ``instance_role`` (``name``, optional ``lifetime`` in seconds), or ``None``: no role."""
    role = scenario.get('instance_role')
    if role is not None and (not isinstance(role, dict) or not role.get('name')):
        raise ScenarioError('instance_role needs a name: %r' % (role,))
    return role


def handles(path):
    return path.startswith('/latest/meta-data/')


def answer(emulator, path):
    """``(HTTP status, body)`` for a GET of ``path``."""
    role = emulator.instance_role
    if role is None or not path.startswith(ROLES_PATH):
        return 404, b'404 - Not Found'
    name = path[len(ROLES_PATH):]
    if not name:
        return 200, role['name'].encode('utf-8')
    if name != role['name']:
        return 404, b'404 - Not Found'
    fresh = minted(emulator, role.get('lifetime', 21600))
    # ``expired_time`` in the scenario answers that instead: what a broken or hostile metadata service might say.
    document = dict(fresh['Credentials'], ExpiredTime=role.get('expired_time', fresh['ExpiredTime']),
                    Expiration=fresh['Expiration'], Code='Success')
    return 200, json.dumps(document).encode('utf-8')
