# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
name: cvm_instance_status
short_description: Tencent Cloud CVM instance states, in the order of the IDs given
version_added: 0.1.0
description:
  - Returns the state of each instance ID given as a term, in the order of the terms, for C(when:) conditions and
    templates. Duplicate terms get one result each; the API is asked once per distinct ID.
  - With O(wait_for), polls until every instance is in a target state first, exactly as the
    M(tencentcloud.cloud.cvm_instance_status) module does, and fails as it does.
  - In a dry run (C(ansible-playbook --check)) it reads once and never waits, as the module does, and warns that it
    did not wait - the tasks that would have started or stopped the instances did not run. A lookup cannot see a
    single task's C(check_mode) keyword (Ansible does not tell it), so there it waits as usual.
  - An empty list of terms returns an empty list without any call; waiting on it fails, as there is nothing to gate,
    unless O(on_missing) is V(warn) or V(skip).
  - With O(filters) instead of terms, returns one dictionary per instance the filters select (its C(instance_id),
    C(instance_state) and C(region)), in the order listed, region after region.
  - A lookup in a task's arguments is evaluated once, when the task starts, and never again on C(until:) retries.
    To wait, use O(wait_for) here, or the module with C(until:) - not this lookup inside C(until:), which would run
    again for every host on every retry.
author:
  - tencentcloud.cloud maintainers (@tencentcloud-cloud)
options:
  _terms:
    description: Instance IDs like C(ins-r8hr2upy). Lists are flattened. None with O(filters).
    type: list
    elements: str
  on_missing:
    description:
      - What to do with an ID the API does not return (unknown, deleted, or in another region).
      - V(error) fails; V(warn) returns C(None) in its place and warns; V(skip) returns C(None) in its place;
        V(ignore), the module's word, is V(skip).
      - C(None) keeps the results aligned with the terms.
      - During a wait, an ID still not listed after 20 seconds fails the lookup with V(error) and V(warn), and is no
        longer waited for with V(skip). The message names the regions searched, and where the region came from.
      - With O(filters), filters that select nothing fail the lookup with V(error) (the default, so that a gate on a
        misspelt tag never passes), and return an empty list with V(warn) or V(skip).
    type: str
    choices: [error, warn, skip, ignore]
    default: error
extends_documentation_fragment:
  - tencentcloud.cloud.common
  - tencentcloud.cloud.regions
  - tencentcloud.cloud.filters
  - tencentcloud.cloud.common.plugins
  - tencentcloud.cloud.common.variables
  - tencentcloud.cloud.wait
notes:
  - The credential source (for example V(variables), V(environment), V(profile:<name> (tccli\)), V(cvm-role:<role>)
    or V(assume-role:<role arn> via <source>)) is shown at C(-vvv), never a key or token.
seealso:
  - module: tencentcloud.cloud.cvm_instance_status
'''

EXAMPLES = r'''
- name: Gate on a state read once - deploy only to instances that are running now
  ansible.builtin.include_tasks: deploy.yml
  when: >-
    lookup('tencentcloud.cloud.cvm_instance_status', tencentcloud_instance_id, region=tencentcloud_region)
    == 'RUNNING'

- name: Read several states at once (query() always returns a list, in the order of the terms)
  ansible.builtin.debug:
    msg: "{{ query('tencentcloud.cloud.cvm_instance_status', 'ins-r8hr2upy', 'ins-5d8a23rs', region='ap-guangzhou') }}"

- name: Wait inside the lookup (polls until RUNNING, fails fast on LAUNCH_FAILED), then use the states
  ansible.builtin.set_fact:
    web_states: "{{ query('tencentcloud.cloud.cvm_instance_status', *web_instance_ids, region='ap-guangzhou',
                    wait_for='RUNNING', wait_timeout=300) }}"

- name: Polling the right way with until - the module re-runs on each retry, a lookup in its arguments would not
  tencentcloud.cloud.cvm_instance_status:
    region: ap-guangzhou
    instance_ids: "{{ web_instance_ids }}"
  register: status
  until: status.instance_states.values() | reject('equalto', 'RUNNING') | list | length == 0
  retries: 30
  delay: 10

- name: Instances of several regions, each looked for in all of them
  ansible.builtin.debug:
    msg: "{{ query('tencentcloud.cloud.cvm_instance_status', *ids, regions=['ap-guangzhou', 'ap-shanghai']) }}"

- name: Gate by tag - wait until every instance tagged role=web in two regions is running, then list them
  ansible.builtin.debug:
    msg: "{{ query('tencentcloud.cloud.cvm_instance_status', filters={'tag:role': 'web'},
             regions=['ap-guangzhou', 'ap-shanghai'], wait_for='RUNNING') | map(attribute='instance_id') }}"

- name: Tolerate instances that are gone - None in their place, with a warning
  ansible.builtin.debug:
    msg: "{{ query('tencentcloud.cloud.cvm_instance_status', *old_ids, region='ap-guangzhou', on_missing='warn') }}"

- name: Credentials and region from variables (for example in group_vars, with the key in a vault)
  vars:
    tencentcloud_region: ap-shanghai
    tencentcloud_secret_id: "{{ vault_tencentcloud_secret_id }}"
    tencentcloud_secret_key: "{{ vault_tencentcloud_secret_key }}"
  ansible.builtin.debug:
    msg: "{{ lookup('tencentcloud.cloud.cvm_instance_status', 'ins-r8hr2upy') }}"
'''

RETURN = r'''
_raw:
  description:
    - One state per term, in the order of the terms, for example C(RUNNING) or C(STOPPED).
    - C(None) (not a string) in the place of an ID the API did not return, when O(on_missing) is V(warn) or
      V(skip); so the elements are strings or C(None).
    - With O(filters), one dictionary per instance selected, with its C(instance_id), C(instance_state) and
      C(region).
  contains:
    instance_id:
      description: With O(filters), the instance ID.
      type: str
      sample: ins-r8hr2upy
    instance_state:
      description: With O(filters), the instance state.
      type: str
      sample: RUNNING
    region:
      description: With O(filters), the region that lists the instance.
      type: str
      sample: ap-guangzhou
  type: list
  elements: raw
'''

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.selection import NOTHING_TO_WAIT_FOR, on_missing_rule
from ansible_collections.tencentcloud.cloud.plugins.module_utils.status_query import query_instance_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import plugin_options
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.controller_plugin import ControllerPlugin, display


class LookupModule(LookupBase, ControllerPlugin):
    NAME = 'tencentcloud.cloud.cvm_instance_status'
    FAILURE = AnsibleLookupError

    def run(self, terms, variables=None, **kwargs):
        self.require_requests()
        instance_ids = _flatten(terms)
        with self.reporting(QueryFailed):
            # Ansible ignores keyword arguments a plugin does not declare: a misspelt wait_for would silently not wait.
            plugin_options.refuse_unknown(kwargs, set(self.option_definitions) - {'_terms'})
            selecting = kwargs.get('filters') is not None
            if not instance_ids and not selecting:
                # A wait on a list that came out empty would pass having gated nothing.
                if kwargs.get('wait_for') and on_missing_rule(dict(kwargs, on_missing=self._on_missing(kwargs))) \
                        == 'error':
                    raise OptionError(NOTHING_TO_WAIT_FOR)
                return []
            plugin_options.check_booleans(kwargs)
            own_variables = self._own_variables(variables)
            self.set_options(var_options=own_variables, direct=kwargs)
            # As the module does: in check mode the tasks that would change the states did not run, so never wait.
            check_mode = bool((variables or {}).get('ansible_check_mode'))
            given = plugin_options.from_plugin(self, kwargs, own_variables,
                                               plugin_options.SHARED_OPTION_NAMES
                                               + ('on_missing', 'regions', 'filters'))
            # Terms beside filters are refused by the query: one or the other names the instances.
            named = instance_ids if instance_ids or not selecting else None
            result = query_instance_status(given, named, clock=self.clock, check_mode=check_mode)
        self.warn(result.warnings)
        display.vvv('%s: credentials from %s' % (self.NAME, result.credential_source))
        if named is None:
            return result.instances()
        return self._in_term_order(instance_ids, result)

    def _on_missing(self, kwargs):
        return kwargs.get('on_missing') or self.option_definitions['on_missing']['default']

    def _own_variables(self, variables):
        # Lookups are handed variables untemplated ("{{ vault_secret_key }}"); resolve only those that configure us.
        credential_variables = {entry['name'] for option in CREDENTIAL_OPTIONS
                                for entry in self.option_definitions[option].get('vars', [])}
        own = {}
        for name, value in (variables or {}).items():
            if not name.startswith('tencentcloud_'):
                continue
            own[name] = self._templar.template(value)
            if name in credential_variables and value and not own[name]:
                # Empty would let the credential chain go on to the next source: perhaps another account.
                raise OptionError('%s rendered empty from its template (an unset variable or environment variable?): '
                                  'give it a value, or leave it out' % name)
        return own

    @staticmethod
    def _in_term_order(instance_ids, result):
        return [result.instance_states.get(instance_id) for instance_id in instance_ids]


def _flatten(terms):
    """The terms as one flat list, however deeply lists were nested in them (``query(..., [ids_a, ids_b])``)."""
    flat = []
    for term in terms:
        if isinstance(term, (list, tuple)):
            flat.extend(_flatten(term))
        else:
            flat.append(term)
    return flat
