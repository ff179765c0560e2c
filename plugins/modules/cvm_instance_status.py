#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
module: cvm_instance_status
short_description: Read Tencent Cloud CVM instance states and wait for them
version_added: 0.1.0
description:
  - Reads the states of CVM instances with the C(DescribeInstancesStatus) API action, as few calls as the API allows
    (100 instances a call, batches fetched concurrently within the action's rate limit).
  - With O(wait_for), polls until every instance is in a target state, failing at once when one enters a state that
    can never reach it (O(fail_states)), or when O(wait_timeout) runs out.
  - With O(filters) instead of O(instance_ids), the instances the filters select when the task starts (for example
    every instance tagged C(role=web)) are read and waited for; the result names them.
  - Read-only; never reports a change.
author:
  - tencentcloud.cloud maintainers (@tencentcloud-cloud)
options:
  instance_ids:
    description:
      - The instances to read, as IDs like C(ins-r8hr2upy). Duplicates collapse. Any number may be given.
      - When omitted (and O(filters) too), every instance in O(region) (or in each of O(regions)) is read; a wait on
        a region that lists none fails, as there is nothing to gate (see O(on_missing)). An empty list reads nothing,
        so a templated list that comes out empty never turns into the whole region; a wait on it fails, as there is
        nothing to gate (see O(on_missing)).
      - A malformed ID fails the task before any call is made.
    type: list
    elements: str
  on_missing:
    description:
      - What to do with an ID of O(instance_ids) that O(region) (or none of O(regions)) lists (an instance of another
        region, or one that no longer exists), as the lookup's option of the same name; and with O(filters) that
        select no instance (V(error) fails; V(warn) succeeds with no instance and warns; V(ignore) only succeeds).
      - V(error) fails the task; V(warn) succeeds, lists it in RV(missing) and warns; V(ignore) only lists it in
        RV(missing); V(skip), the lookup's word, is V(ignore). The message names the IDs, the regions searched, and
        where the region came from (this option, E(TENCENTCLOUD_REGION) or a tccli profile).
      - A read without O(wait_for) applies this at once. A wait gives an ID 20 seconds to be listed (the API may not
        list an instance for a few seconds after C(RunInstances) returned its ID); an ID still not listed then fails
        the task, with V(error) and V(warn) alike, or, with V(ignore), is no longer waited for.
      - The default is V(error) for a wait (O(wait_for)) and V(warn) for a plain read. A gate on filters that select
        nothing, or on an empty list of IDs, fails by default, since passing would let a deployment through having
        gated nothing (a misspelt tag, say); set V(warn) or V(ignore) where an empty selection is fine.
    type: str
    choices: [error, warn, ignore, skip]
extends_documentation_fragment:
  - tencentcloud.cloud.common
  - tencentcloud.cloud.regions
  - tencentcloud.cloud.filters
  - tencentcloud.cloud.attributes.action_group
  - tencentcloud.cloud.wait
attributes:
  check_mode:
    description: Can run in check mode and return the same result as without it.
    support: full
    details:
      - The module only reads, so it reads in check mode too; but there it never waits. The tasks that would have
        started or stopped the instances did not run, so a wait could only run out its O(wait_timeout). With
        O(wait_for) in check mode it reads once, succeeds, returns the states and warns that it did not wait.
  diff_mode:
    description: Returns details on what has changed, in diff mode.
    support: N/A
    details:
      - The module never changes anything, so there is no difference to show.
  facts:
    description: Returns an C(ansible_facts) dictionary that updates the host's facts.
    support: full
    details:
      - The states, as C(ansible_facts.tencentcloud_cvm_instance_states), and the region of each instance, as
        C(ansible_facts.tencentcloud_cvm_instance_regions), set only on success.
seealso:
  - plugin: tencentcloud.cloud.cvm_instance_status
    plugin_type: lookup
    description: The same read and wait as a lookup, for C(when:) conditions.
'''

EXAMPLES = r'''
- name: Read the state of two instances
  tencentcloud.cloud.cvm_instance_status:
    region: ap-guangzhou
    instance_ids:
      - ins-r8hr2upy
      - ins-5d8a23rs
  register: status

- name: Gate a deployment - wait until every new instance is running (fails fast on LAUNCH_FAILED)
  tencentcloud.cloud.cvm_instance_status:
    region: ap-guangzhou
    instance_ids: "{{ created_instance_ids }}"
    wait_for: RUNNING
    wait_timeout: 300
    wait_interval: 5

- name: One call for the whole play - every host's instance in one task instead of one task per host
  tencentcloud.cloud.cvm_instance_status:
    regions: "{{ ansible_play_hosts | map('extract', hostvars, 'tencentcloud_region') | unique | list }}"
    instance_ids: "{{ ansible_play_hosts | map('extract', hostvars, 'tencentcloud_instance_id') | list }}"
    wait_for: [RUNNING]
  run_once: true
  delegate_to: localhost

- name: Wait until instances are stopped before taking a snapshot, credentials set once for the group
  module_defaults:
    group/tencentcloud.cloud.tencentcloud:
      region: ap-shanghai
      endpoint: cvm.ap-shanghai.tencentcloudapi.com
      secret_id: "{{ vault_tencentcloud_secret_id }}"
      secret_key: "{{ vault_tencentcloud_secret_key }}"
  block:
    - name: Wait for STOPPED
      tencentcloud.cloud.cvm_instance_status:
        instance_ids: "{{ maintenance_instance_ids }}"
        wait_for: STOPPED
        wait_timeout: 900

- name: Gate a batch of inventory hosts that live in several regions, each instance read in its own
  tencentcloud.cloud.cvm_instance_status:
    regions: "{{ ansible_play_batch | map('extract', hostvars, 'tencentcloud_region') | unique | list }}"
    instance_ids: "{{ ansible_play_batch | map('extract', hostvars, 'tencentcloud_instance_id') | list }}"
    wait_for: RUNNING
  run_once: true
  delegate_to: localhost

- name: Gate by tag - wait until every instance tagged role=web in two regions is running
  tencentcloud.cloud.cvm_instance_status:
    regions: [ap-guangzhou, ap-shanghai]
    filters:
      tag:role: web
    wait_for: RUNNING
    on_missing: error
  register: web

- name: Use the states the module left as facts in a later task
  ansible.builtin.debug:
    msg: "{{ item.key }} is {{ item.value }}"
  loop: "{{ ansible_facts.tencentcloud_cvm_instance_states | dict2items }}"

- name: Gate the hosts of the tencentcloud.cloud.cvm inventory, in another account, with no key on this CVM
  tencentcloud.cloud.cvm_instance_status:
    regions: "{{ ansible_play_hosts | map('extract', hostvars, 'tencentcloud_region') | unique | list }}"
    instance_ids: "{{ ansible_play_hosts | map('extract', hostvars, 'tencentcloud_instance_id') | list }}"
    assume_role_arn: qcs::cam::uin/100000000001:roleName/deploy
    wait_for: RUNNING
  run_once: true
  delegate_to: localhost
'''

RETURN = r'''
instances:
  description: Each instance found, in the order requested (or as the API listed them when reading the region, or
    selecting by O(filters), region after region).
  returned: success, and on a failed wait
  type: list
  elements: dict
  contains:
    instance_id:
      description: The instance ID.
      type: str
      sample: ins-r8hr2upy
    instance_state:
      description: The instance state, for example C(RUNNING), C(STOPPED) or C(PENDING).
      type: str
      sample: RUNNING
    region:
      description: The region that lists the instance (with O(regions), the one it was found in).
      type: str
      sample: ap-guangzhou
instance_states:
  description: Instance ID to state. On a failed wait, the states of the last poll.
  returned: success, and on a failed wait
  type: dict
  sample: {"ins-r8hr2upy": "RUNNING", "ins-5d8a23rs": "STOPPED"}
missing:
  description: Requested IDs the API did not return (unknown, deleted, or in another region); see O(on_missing).
  returned: success, and on a failed wait
  type: list
  elements: str
  sample: []
elapsed:
  description: Seconds spent waiting.
  returned: when O(wait_for) is set
  type: float
  sample: 12.5
polls:
  description: How many times the states were read while waiting.
  returned: when O(wait_for) is set
  type: int
  sample: 3
request_ids:
  description:
    - The RequestIds of the last 10 answered calls this task made, retried attempts included, for support tickets
      (a long wait makes hundreds of calls; the failing one is in RV(error) too).
    - A read answered by a call another process made for it (O(coalesce)) adds none.
  returned: always
  type: list
  elements: str
  sample: ["6ef60bec-0242-43af-bb20-270359fb54a7"]
credential_source:
  description:
    - Where the credentials came from - V(options), V(environment), V(profile:<name> (credentials file\)),
      V(profile:<name> (tccli\)), V(cvm-role:<role>), V(oidc:<role arn>), or V(assume-role:<role arn> via <source>)
      when O(assume_role_arn) (or a tccli C(assume-role) profile) put a role on top of another source.
    - Never a key or a token.
  returned: always
  type: str
  sample: environment
error:
  description: Why a call failed. For faults before an answer (connection, timeout, unreadable answer) C(code) is the
    collection's own name for the fault and C(request_id) is null.
  returned: when a call fails
  type: dict
  contains:
    code:
      description: The API error code, or C(ConnectionFailure), C(RequestTimeout), C(TLSFailure), C(InvalidResponse),
        C(HTTPError).
      returned: when a call fails
      type: str
      sample: AuthFailure.SignatureFailure
    message:
      description: The error message.
      returned: when a call fails
      type: str
    request_id:
      description: The RequestId of the failed call, if the API answered.
      returned: when a call fails
      type: str
ansible_facts:
  description: Facts for later tasks and hosts.
  returned: success
  type: dict
  contains:
    tencentcloud_cvm_instance_states:
      description: Instance ID to state.
      type: dict
      sample: {"ins-r8hr2upy": "RUNNING"}
    tencentcloud_cvm_instance_regions:
      description: Instance ID to the region that lists it.
      type: dict
      sample: {"ins-r8hr2upy": "ap-guangzhou"}
'''

from ansible_collections.tencentcloud.cloud.plugins.module_utils import module_runner, options
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.module_utils.status_query import query_instance_status


# This module's own options, beside every module's (options.COMMON_ARGUMENT_SPEC), the selection and the wait.
ARGUMENT_SPEC = dict(
    options.SELECTION_ARGUMENT_SPEC,
    # The lookup says skip for what the module calls ignore: either word is taken by both. No default: a wait fails
    # on what is missing, a plain read warns (selection.on_missing_rule).
    on_missing=dict(type='str', choices=['error', 'warn', 'ignore', 'skip']),
    **options.WAIT_ARGUMENT_SPEC
)


def main(clock=SYSTEM_CLOCK):
    argument_spec = dict(ARGUMENT_SPEC, **options.COMMON_ARGUMENT_SPEC)
    module = module_runner.TencentCloudModule(argument_spec=argument_spec, supports_check_mode=True,
                                              mutually_exclusive=options.SELECTION_EXCLUSIVE)
    module_runner.answer(module, query_instance_status, clock)


if __name__ == '__main__':
    main()
