# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The shared options, declared once, and how a module or a plugin hands them over.

Modules get them from ``AnsibleModule.params`` (argument spec below); lookups get them from Ansible's plugin
configuration (declared in the ``tencentcloud.cloud.common`` doc fragment). Both end as one plain ``Options`` value,
so everything after this point is written once.
"""

import dataclasses
import math
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible.module_utils.basic import env_fallback
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import chain, profile_files
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.sts import STS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import api_filters
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import (
    CVM, DEFAULT_FAIL_STATES, REGION_NAME,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings


@dataclasses.dataclass(frozen=True)
class Options:
    """The options as given: ``values``, every option by name, unchecked; ``credential_sources``, ``(source,
    {credential option: value})`` in precedence order, before the environment and the profile file."""

    values: Mapping[str, Any]
    credential_sources: List[Tuple[str, Mapping[str, Any]]]


# An argument spec as AnsibleModule takes it: option name -> its spec.
ArgumentSpec = Dict[str, Dict[str, Any]]

# Credentials have no environment fallback here on purpose: the credential chain reads the environment itself, so
# that an ID, key and token always come from one source.
COMMON_ARGUMENT_SPEC: ArgumentSpec = dict(
    secret_id=dict(type='str', no_log=False),
    secret_key=dict(type='str', no_log=True),
    security_token=dict(type='str', no_log=True),
    # Required, but checked by check_values(), whose message names every place a region can come from. Its environment
    # variable is read by located_region(), which also says where the region came from.
    region=dict(type='str'),
    # No default: a profile named anywhere wins over the environment keys, the default profile comes after them.
    profile=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_PROFILE'])),
    cam_role_name=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_CAM_ROLE_NAME'])),
    assume_role_arn=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_ASSUME_ROLE_ARN'])),
    assume_role_session_name=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME'])),
    assume_role_duration=dict(type='int', default=7200,
                              fallback=(env_fallback, ['TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION'])),
    assume_role_external_id=dict(type='str', no_log=True,
                                 fallback=(env_fallback, ['TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID'])),
    assume_role_policy=dict(type='str'),
    sts_endpoint=dict(type='str', default=STS.default_endpoint, fallback=(env_fallback, ['TENCENTCLOUD_STS_ENDPOINT'])),
    endpoint=dict(type='str', default=CVM.default_endpoint, fallback=(env_fallback, ['TENCENTCLOUD_CVM_ENDPOINT'])),
    validate_certs=dict(type='bool', default=True),
    ca_bundle=dict(type='path'),
    request_timeout=dict(type='float', default=10.0),
    max_retries=dict(type='int', default=5),
    language=dict(type='str', default='en-US', choices=['en-US', 'zh-CN']),
)

WAIT_ARGUMENT_SPEC: ArgumentSpec = dict(
    wait_for=dict(type='list', elements='str'),
    wait_timeout=dict(type='int', default=600),
    wait_interval=dict(type='float', default=5.0),
    fail_states=dict(type='list', elements='str', default=list(DEFAULT_FAIL_STATES)),
    fail_on_failed_operation=dict(type='bool', default=True),
    coalesce=dict(type='bool', default=True),
)

# The instances a task is about: named by ID, or selected by DescribeInstances filters when it starts.
SELECTION_ARGUMENT_SPEC: ArgumentSpec = dict(
    instance_ids=dict(type='list', elements='str'),
    filters=dict(type='dict'),
    regions=dict(type='list', elements='str'),
)
# The modules that act on (or wait for) a selection take one or the other; the info module may take both.
SELECTION_EXCLUSIVE = [('instance_ids', 'filters')]

COMMON_OPTION_NAMES = tuple(COMMON_ARGUMENT_SPEC)
SHARED_OPTION_NAMES = COMMON_OPTION_NAMES + tuple(WAIT_ARGUMENT_SPEC)

# Sane ranges: beyond them a value is a typo (or nan/inf), and some would overflow a timer or hammer the API.
NUMBER_BOUNDS = {
    'request_timeout': (0.1, 600),
    'max_retries': (0, 30),
    'wait_timeout': (0, 7 * 24 * 3600),
    'wait_interval': (0.1, 3600),
}


REGION_VARIABLE = 'TENCENTCLOUD_REGION'
# regions: [all] - every region the account can use, said in so many words (the one way an action reaches them all).
EVERY_REGION = 'all'
REGION_OPTION = 'the region option'


def located_region(values: Mapping[str, Any], environ: Mapping[str, str]) -> Mapping[str, Any]:
    """``values`` with ``region`` and ``region_source`` (where it came from, for messages): the option (or what the
    plugin that set it says in ``region_source``), else ``TENCENTCLOUD_REGION``, else the region ``tccli configure``
    stored for the profile."""
    if values.get('region'):
        return dict(values, region_source=values.get('region_source') or REGION_OPTION)
    if environ.get(REGION_VARIABLE):
        return dict(values, region=environ[REGION_VARIABLE], region_source=REGION_VARIABLE)
    profile = values.get('profile') or 'default'
    return dict(values, region=profile_files.tccli_region(profile, environ),
                region_source='the region of tccli profile %s' % profile)


def checked_settings(values: Mapping[str, Any], environ: Mapping[str, str], region_required: bool = True) -> Settings:
    """The settings of option ``values``, once every value is checked (the region may come from the tccli profile)."""
    values = located_region(values, environ)
    check_values(values, region_required)
    settings = Settings.from_values(values)
    chain.check(settings.credentials)
    return settings


def checked_regions(values: Mapping[str, Any], regions: Optional[List[str]], environ: Mapping[str, str],
                    acting: bool = False) -> Tuple[Settings, Optional[List[str]]]:
    """The settings of a plugin that reads several regions, and which: ``regions`` as given (each checked; the
    settings' region is the first); when omitted, the region of the usual sources; ``None`` for every region the
    account can use, when ``regions`` is V([all]), V([]) (not when ``acting``: a list templated empty must not widen
    an action to every region), or omitted with no region anywhere."""
    if regions == [EVERY_REGION]:
        return checked_settings(values, environ, region_required=False), None
    if EVERY_REGION in (regions or ()):
        raise OptionError('regions: %s means every region the account can use, and stands alone in the list'
                          % EVERY_REGION)
    if regions == [] and acting:
        raise OptionError('regions is empty: an action is never widened to every region by a list that came out '
                          'empty; name the regions, or say regions: [%s] to act in every region the account can use'
                          % EVERY_REGION)
    if regions:
        regions = list(dict.fromkeys(regions))
        for region in regions:
            check_region('regions', region)
        return checked_settings(dict(values, region=regions[0], region_source='the regions option'), environ), regions
    every_region = regions == [] or not located_region(values, environ).get('region')
    settings = checked_settings(values, environ, region_required=not every_region)
    return settings, None if every_region else [settings.region]


def settings_and_regions(values: Mapping[str, Any], environ: Mapping[str, str],
                         acting: bool = False) -> Tuple[Settings, Optional[List[str]]]:
    """The settings of a plugin that takes ``regions`` beside ``region``, and the regions to look in: ``regions``
    when given (``None`` for every region, ``checked_regions``), else the one region of the usual sources."""
    if values.get('regions') is not None:
        return checked_regions(values, values['regions'], environ, acting)
    settings = checked_settings(values, environ)
    return settings, [settings.region]


def checked_filters(values: Mapping[str, Any], instance_ids: Optional[List[Any]],
                    every_instance_allowed: bool = False) -> Optional[List[Dict[str, Any]]]:
    """The ``filters`` option as the API takes them (``None``: not given), checked before any call.

    Beside ``instance_ids``, and empty, they are refused where the task waits or acts (unless
    ``every_instance_allowed``): no filter selects every instance, and a templated dictionary that comes out empty
    must not turn into the whole region.
    """
    filters = values.get('filters')
    if filters is None:
        return None
    if every_instance_allowed:
        return api_filters('filters', filters)
    if instance_ids is not None:
        raise OptionError('instance_ids and filters are mutually exclusive: name the instances, or select them')
    if isinstance(filters, dict) and not filters:
        raise OptionError('filters is empty, which would select every instance: give at least one filter '
                          '(for example tag:role: web), or name the instances in instance_ids')
    return api_filters('filters', filters)


def check_values(values: Mapping[str, Any], region_required: bool = True) -> None:
    """Refuse values no call should be made with; each message names the option and where it can be set."""
    region = values.get('region')
    if not region and region_required:
        raise OptionError('region is required: set the region option (for a host of the tencentcloud.cloud.cvm '
                          'inventory, region: "{{ tencentcloud_region }}"), %sthe environment variable '
                          'TENCENTCLOUD_REGION, (for the lookup) the variable tencentcloud_region, or a region in the '
                          'tccli profile' % ('regions (a list; [all] for every region), ' if 'regions' in values
                                             else ''))
    if region:
        # A region given as the option is named as such already.
        source = values.get('region_source')
        check_region('region', region, None if source == REGION_OPTION else source)
    for name, (low, high) in NUMBER_BOUNDS.items():
        value = values.get(name)
        if value is not None and not (math.isfinite(value) and low <= value <= high):
            raise OptionError('%s must be a number from %g to %g, not %s' % (name, low, high, value))
    ca_bundle = values.get('ca_bundle')
    if ca_bundle and not os.path.isfile(ca_bundle):
        raise OptionError('ca_bundle %s is not a file of PEM certificates' % ca_bundle)


def check_region(option: str, region: object, source: Optional[str] = None) -> None:
    """Refuse what is not a region name, naming ``option`` and, when it was not the option, where it came from."""
    if not isinstance(region, str) or not REGION_NAME.fullmatch(region):
        raise OptionError('%s %.40r%s is not a region name such as ap-guangzhou'
                          % (option, region, ' (from %s)' % source if source else ''))


def from_module(module) -> Options:
    params = dict(module.params)
    return Options(params, [('options', {name: params.get(name) for name in CREDENTIAL_OPTIONS})])
