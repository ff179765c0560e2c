# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The shared options as a lookup or an inventory is given them (Ansible's plugin configuration, declared in the
``tencentcloud.cloud.common`` doc fragment), turned into the ``Options`` the module gets from its parameters."""

from typing import Any, Iterable, Mapping, Optional, Sequence

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.nearest_name import did_you_mean
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, SHARED_OPTION_NAMES, WAIT_ARGUMENT_SPEC, Options,
)


def check_booleans(values: Mapping[str, Any], also: Sequence[str] = ()) -> None:
    """Refuse a boolean option that is not a clear yes or no.

    Plugin options are converted leniently (anything unknown is false), so a typo in ``validate_certs`` would
    quietly turn certificate checks off.
    """
    booleans = [name for name, spec in list(COMMON_ARGUMENT_SPEC.items()) + list(WAIT_ARGUMENT_SPEC.items())
                if spec['type'] == 'bool'] + list(also)
    for name in booleans:
        if values.get(name) is not None:
            try:
                boolean(values[name], strict=True)
            except TypeError:
                raise OptionError('%s must be true or false, not %r' % (name, values[name]))


def from_plugin(plugin, direct: Mapping[str, Any], variables: Mapping[str, Any],
                option_names: Sequence[str] = SHARED_OPTION_NAMES) -> Options:
    """The shared options of a plugin whose ``set_options(var_options=variables, direct=direct)`` has run.

    Ansible merges direct arguments, variables and the environment option by option, which would let a key from one
    source join an ID from another; so the credentials are grouped by source here, from what the plugin was given.
    The environment is left to the credential chain, which reads it after every explicit source.
    """
    values = {name: plugin.get_option(name) for name in option_names}
    values['region_source'] = _region_source(plugin, direct, variables)
    from_variables = {}
    for name in CREDENTIAL_OPTIONS:
        declared = [entry['name'] for entry in plugin.option_definitions[name].get('vars', [])]
        # As in Ansible's own resolution, the last declared variable that is set wins.
        from_variables[name] = next((variables[v] for v in reversed(declared) if variables.get(v)), None)
    from_direct = {name: direct.get(name) for name in CREDENTIAL_OPTIONS}
    return Options(values, [('options', from_direct), ('variables', from_variables)])


def _region_source(plugin, direct: Mapping[str, Any], variables: Mapping[str, Any]) -> Optional[str]:
    """Where the plugin's region came from, when not from its options: for the messages that name the region.

    The variables are looked at here, as for the credentials (ansible-core 2.16 does not tell their origin).
    """
    if direct.get('region'):
        return None
    declared = [entry['name'] for entry in plugin.option_definitions['region'].get('vars', [])]
    variable = next((name for name in reversed(declared) if variables.get(name)), None)
    if variable:
        return 'the variable %s' % variable
    _value, origin = plugin.get_option_and_origin('region')
    return origin[len('env: '):] if origin.startswith('env: ') else None


def refuse_unknown(given: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse options a plugin does not have, naming the nearest it has: Ansible ignores them, and a misspelt
    ``filter`` would silently list the whole region."""
    known = sorted(known)
    unknown = sorted(str(name) for name in given if name not in known)
    if not unknown:
        return
    hints = [name + did_you_mean(name, known) for name in unknown]
    raise OptionError('unknown option%s %s; the options are %s'
                      % ('s' if len(unknown) > 1 else '', ', '.join(hints), ', '.join(known)))
