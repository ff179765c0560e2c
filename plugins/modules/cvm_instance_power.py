#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
module: cvm_instance_power
short_description: Start, stop, restart or reboot Tencent Cloud CVM instances, then wait for them
version_added: 0.1.0
description:
  - Brings CVM instances to a power state with C(StartInstances), C(StopInstances) and C(RebootInstances), and waits
    until every one is there.
  - Reads the instances first (C(DescribeInstances), their states and each one's latest operation) and acts only
    where needed, so a second run reports no change and sends no action. Instances already in the target state cost
    no action call.
  - Sends 100 instances a call, the calls of each action paced by that action's budget (10 requests a second),
    shared with the other processes of the same user on the controller.
  - A call the service refuses because an instance changed state since it was read (someone else started it, say)
    is followed by a new read and a new decision, at most 5 times. A call refused because an instance is busy with
    another operation (C(OperationDenied.InstanceOperationInProgress)) is sent again every O(wait_interval) until
    O(wait_timeout) runs out.
  - "An action is not a read: each call is sent once. One refused before anything was done (throttling,
    C(OperationDenied.InstanceOperationInProgress), a state refusal, bad parameters, a connection never made) is
    handled as above. One whose answer is lost or is an error that does not refuse it (a timeout after the request
    was sent, a connection reset, an HTTP 5xx, C(InternalError)) may have been carried out: it is never sent again
    blind. The instances are read instead, and their latest operations tell whether it was (its RequestId, or an
    operation of its action newer than the one the instance had before). A start or stop that shows nothing is sent
    once more where the state still asks for it (the service refuses one that lands on an instance already moving,
    so it is never carried out twice); a second lost answer fails the task. A reboot is sent at most once per
    instance per run, whatever happens to its answer: one that shows nothing after two reads fails the task, saying
    so. None of these actions takes a client token, so there is no other way to make a second call harmless."
  - While waiting, another caller's operation that leads away from the target (a C(StartInstances) while waiting for
    C(STOPPED), a C(StopInstances) while waiting for C(RUNNING)) fails the task within two polls, naming the
    instance, the operation and its RequestId, rather than waiting out O(wait_timeout) on a target someone else is
    undoing.
  - With O(filters) instead of O(instance_ids), acts on the instances the filters select when the task starts (for
    example every instance tagged C(env=staging)); the result names them, and in check mode RV(actions) lists the
    calls that would be sent to each.
  - Nothing is ever terminated; there is no C(absent) state.
author:
  - tencentcloud.cloud maintainers (@tencentcloud-cloud)
options:
  instance_ids:
    description:
      - The instances, as IDs like C(ins-r8hr2upy). Duplicates collapse. At least one; any number.
      - A malformed ID fails the task before any call is made; an ID the region does not list fails it after the
        first read, before any action.
      - One of O(instance_ids) and O(filters) is required.
    type: list
    elements: str
  on_missing:
    description:
      - What to do when O(filters) select no instance. V(warn) succeeds without a change, and warns; V(ignore) (or
        V(skip)) succeeds without a change; V(error) fails the task, naming the regions searched.
      - An ID of O(instance_ids) that no region lists always fails the task, before any action.
    type: str
    choices: [error, warn, ignore, skip]
    default: warn
  state:
    description:
      - V(running) starts the C(STOPPED) instances and waits for C(RUNNING). Instances already starting are waited
        for; a C(STOPPING) one is waited for until C(STOPPED), then started.
      - V(stopped) stops the C(RUNNING) instances and waits for C(STOPPED). Instances already stopping are waited for;
        a C(PENDING), C(STARTING) or C(REBOOTING) one is waited for until C(RUNNING), then stopped.
      - V(restarted) is a stop, then a start, as C(amazon.aws.ec2_instance) means it - each at most once; the
        C(RUNNING) instances are stopped and waited for until C(STOPPED) (whatever O(wait) says), then every instance
        is started and, with O(wait), waited for until C(RUNNING). Always a change. A stopped instance may start on
        another physical host, and what it is charged while stopped follows O(stopped_mode).
      - V(rebooted) reboots the operating system in place (C(RebootInstances)), as C(amazon.aws.ec2_instance)'s
        V(rebooted) does - the C(RUNNING) instances are rebooted (always a change) and the C(STOPPED) ones started,
        then waited for until C(RUNNING). Instances already booting (C(PENDING), C(STARTING), C(REBOOTING)) are only
        waited for. A rebooted instance counts as C(RUNNING) once its latest operation is that reboot, succeeded (one
        that failed fails the task, even if a read saw C(REBOOTING)), or a later operation that replaced the reboot
        before any read saw it (the service runs one operation at a time on an instance; a warning names it).
      - V(started) is V(running), the word of C(amazon.aws.ec2_instance); CVM has no status checks to wait for beyond
        the state.
      - An instance in a state from which the target cannot be reached (C(LAUNCH_FAILED), C(SHUTDOWN),
        C(TERMINATING), C(RESCUE_MODE)...) fails the task before any action.
    type: str
    required: true
    choices: [running, stopped, restarted, rebooted, started]
  stop_type:
    description:
      - How instances are shut down, for V(stopped), V(restarted) and V(rebooted) only; refused with V(running).
      - V(soft) asks the operating system to shut down; V(hard) cuts the power; V(soft_first) tries soft, then hard.
      - When not set, the API's default, V(soft).
    type: str
    choices: [soft, hard, soft_first]
  stopped_mode:
    description:
      - Whether stopped instances keep being charged, for V(stopped) and V(restarted) only; refused otherwise.
      - V(stop_charging) applies to pay-as-you-go instances on cloud disks only; the service refuses it for others.
      - When not set, the API's default, V(keep_charging).
    type: str
    choices: [keep_charging, stop_charging]
  wait:
    description:
      - Wait until every instance is in the target state. Without it, the task ends once the actions are sent (an
        instance that must first come to rest, such as a C(STOPPING) one to be started, is still waited for until it
        can be acted on), and returns the states read just after.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds for the whole task - acting and waiting - before it fails naming every instance not yet in the
        target state. At most 604800 (a week).
      - The last read happens at this deadline and may take one O(request_timeout) more.
      - The module stops when Ansible stops the task (a task C(timeout:), a stopped play).
    type: int
    default: 600
  wait_interval:
    description:
      - Seconds between reads while waiting, from 0.1 to 3600.
    type: float
    default: 5
  fail_on_failed_operation:
    description:
      - Stop waiting at once, and fail, when an instance's latest operation fails during the wait - one this task
        sent, whenever its failure shows, or another one - or when another caller's operation leads away from the
        target. A failed start leaves an instance C(STOPPED), which no state check can tell from a slow one; the
        message names each instance, the operation, its RequestId and its error, and RV(failed_instances) lists
        them.
      - Costs one C(DescribeInstances) call per 100 instances at rest short of the target, or moving away from it, at
        each poll.
    type: bool
    default: true
  coalesce:
    description:
      - Share reads by ID with the other processes of the same user on this controller (the forks of a play), as in
        M(tencentcloud.cloud.cvm_instance_status). Actions are never shared.
    type: bool
    default: true
extends_documentation_fragment:
  - tencentcloud.cloud.common
  - tencentcloud.cloud.regions
  - tencentcloud.cloud.filters
  - tencentcloud.cloud.attributes.action_group
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
    details:
      - Reads the states once, sends no action and does not wait; RV(actions) lists the calls that would be sent
        (with a null C(request_id)) and C(changed) says whether any would.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - The states before, and after (in check mode, the states the task would end in).
  facts:
    description: Returns an C(ansible_facts) dictionary that updates the host's facts.
    support: full
    details:
      - The states after, as C(ansible_facts.tencentcloud_cvm_instance_states), and each instance's region, as
        C(ansible_facts.tencentcloud_cvm_instance_regions), set only on success.
seealso:
  - module: tencentcloud.cloud.cvm_instance_status
    description: Read the states, and wait for them, without acting.
'''

EXAMPLES = r'''
- name: Start a standby pool and wait until every instance is RUNNING
  tencentcloud.cloud.cvm_instance_power:
    region: ap-guangzhou
    instance_ids: "{{ standby_instance_ids }}"
    state: running

- name: Stop instances for a maintenance window, cutting the power of any that do not shut down in time
  tencentcloud.cloud.cvm_instance_power:
    region: ap-guangzhou
    instance_ids: "{{ maintenance_instance_ids }}"
    state: stopped
    stop_type: soft_first
    wait_timeout: 900

- name: Stop pay-as-you-go instances without charging while they are stopped, and do not wait
  tencentcloud.cloud.cvm_instance_power:
    region: ap-guangzhou
    instance_ids: [ins-r8hr2upy]
    state: stopped
    stopped_mode: stop_charging
    wait: false

- name: Staged stop by tag - see what would be stopped (check mode), then stop every env=staging instance
  block:
    - name: The instances a stop would act on, and the calls it would send
      tencentcloud.cloud.cvm_instance_power:
        regions: [ap-guangzhou, ap-shanghai]
        filters:
          tag:env: staging
        state: stopped
      check_mode: true
      register: planned

    - name: Stop them
      tencentcloud.cloud.cvm_instance_power:
        regions: [ap-guangzhou, ap-shanghai]
        instance_ids: "{{ planned.instances | map(attribute='instance_id') | list }}"
        state: stopped
      when: planned.instances | length > 0

# In a play over hosts of the tencentcloud.cloud.cvm inventory with serial: 2 - a rolling reboot, two at a time.
- name: Reboot this batch in place and wait until it is RUNNING again
  tencentcloud.cloud.cvm_instance_power:
    regions: "{{ ansible_play_batch | map('extract', hostvars, 'tencentcloud_region') | unique | list }}"
    instance_ids: "{{ ansible_play_batch | map('extract', hostvars, 'tencentcloud_instance_id') | list }}"
    state: rebooted
  run_once: true
  delegate_to: localhost

- name: Restart as amazon.aws.ec2_instance does - a stop, then a start (the instance may move to another host)
  tencentcloud.cloud.cvm_instance_power:
    region: ap-guangzhou
    instance_ids: [ins-r8hr2upy]
    state: restarted
    stop_type: soft_first
'''

RETURN = r'''
changed:
  description:
    - Whether any action may have taken effect - one the service took, or one whose answer was lost - on success and
      on failure alike. In check mode, whether any would be sent.
  returned: always
  type: bool
actions:
  description:
    - Each request sent, in order, whatever became of it, a request the client sent again after the service refused
      it (throttled, say) included. In check mode, the calls that would be sent, with a null C(request_id) and
      C(applied) V(false).
  returned: always
  type: list
  elements: dict
  contains:
    action:
      description: C(StartInstances), C(StopInstances) or C(RebootInstances).
      type: str
      sample: StartInstances
    instance_ids:
      description: The instances of the call, at most 100.
      type: list
      elements: str
      sample: [ins-r8hr2upy]
    request_id:
      description:
        - The RequestId of the call's answer (of its error, for one that failed); null when no answer came. Its
          outcome shows as the instances' latest operation.
      type: str
      sample: 6ef60bec-0242-43af-bb20-270359fb54a7
    error:
      description: Why the call failed - C(code), C(message), C(request_id) - or null when the service took it.
      type: dict
      sample: {"code": "InternalError", "message": "An internal error occurred.", "request_id": "6ef60bec-..."}
    applied:
      description:
        - V(true) when the service took the call, or its answer was lost and the instances show it was carried out;
          V(false) when the service refused it before doing anything (or, in check mode, nothing was sent); V(unknown)
          when its answer was lost and nothing tells whether it was done for all of its instances.
        - A call whose outcome is unknown is never sent again blind. Its instances are read and each is decided by
          itself - carried out (see C(applied_instance_ids)), not carried out and still asking for it (sent once more,
          as a new request), or unknown (the task fails, naming it).
      type: raw
      sample: true
    applied_instance_ids:
      description: Of a call whose C(applied) is V(unknown), the instances whose reads show it was carried out.
      returned: when C(applied) is V(unknown)
      type: list
      elements: str
      sample: [ins-r8hr2upy]
    retried:
      description: Whether the client sent the same request again after this one was refused (the next entry).
      type: bool
      sample: false
previous_states:
  description: Instance ID to state, as first read.
  returned: when the states could be read
  type: dict
  sample: {"ins-r8hr2upy": "STOPPED"}
instance_states:
  description:
    - Instance ID to state, as last read - after the wait, or just after the actions without O(wait). On failure,
      the last states read.
  returned: when the states could be read
  type: dict
  sample: {"ins-r8hr2upy": "RUNNING"}
instances:
  description: Each instance of RV(instance_states), in the order requested (with O(filters), the instances they
    selected, in the order listed, region after region).
  returned: when the states could be read
  type: list
  elements: dict
  contains:
    instance_id:
      description: The instance ID.
      type: str
    instance_state:
      description: The instance state.
      type: str
    region:
      description: The instance's region (O(region), or the one of O(regions) that lists it).
      type: str
missing:
  description: Requested IDs the API did not list; any fails the task before an action is sent.
  returned: when the states could be read
  type: list
  elements: str
  sample: []
failed_instances:
  description:
    - The instances that made the task fail - in a state that cannot reach the target, whose operation failed, or on
      which another caller's operation leads away from the target.
  returned: when an instance failed
  type: list
  elements: dict
  contains:
    instance_id:
      description: The instance ID.
      type: str
    instance_state:
      description: Its state as last read.
      type: str
    operation:
      description: The operation that failed, such as C(StartInstances). Absent for a state that cannot reach the
        target.
      type: str
    request_id:
      description: The RequestId of the operation that failed.
      type: str
    error:
      description: The operation's error message.
      type: str
    by_another_caller:
      description:
        - True when the operation is another caller's that leads away from the target (the task did not wait it
          out); false for one that failed. Absent for a state that cannot reach the target.
      type: bool
elapsed:
  description: Seconds from the first read to the end of the wait.
  returned: when the task waited
  type: float
  sample: 32.5
polls:
  description: How many times the states were read while waiting for the target, after the last action.
  returned: when the task waited
  type: int
  sample: 7
request_ids:
  description:
    - The RequestIds of the last 10 answered calls this task made, reads and actions, for support tickets (each
      action's is also in RV(actions), the failing call's in RV(error)).
  returned: always
  type: list
  elements: str
credential_source:
  description: Where the credentials came from, as in M(tencentcloud.cloud.cvm_instance_status). Never a key.
  returned: always
  type: str
  sample: environment
error:
  description: Why a call failed - C(code), C(message) and C(request_id), as in M(tencentcloud.cloud.cvm_instance_status).
  returned: when a call fails
  type: dict
ansible_facts:
  description: Facts for later tasks and hosts.
  returned: success
  type: dict
  contains:
    tencentcloud_cvm_instance_states:
      description: Instance ID to state, as last read.
      type: dict
      sample: {"ins-r8hr2upy": "RUNNING"}
    tencentcloud_cvm_instance_regions:
      description: Instance ID to its region.
      type: dict
      sample: {"ins-r8hr2upy": "ap-guangzhou"}
'''

from ansible_collections.tencentcloud.cloud.plugins.module_utils import module_runner, options
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_power import set_power_state


# This module's own options, beside every module's (options.COMMON_ARGUMENT_SPEC) and the selection; its wait takes
# the wait's timing options, not its targets.
ARGUMENT_SPEC = dict(
    options.SELECTION_ARGUMENT_SPEC,
    # Of filters that select nothing; an ID no region lists always fails the task, before any action.
    on_missing=dict(type='str', default='warn', choices=['error', 'warn', 'ignore', 'skip']),
    # The words of power_plan.TARGETS and STATE_ALIASES (a unit test keeps them the same).
    state=dict(type='str', required=True, choices=['running', 'stopped', 'restarted', 'rebooted', 'started']),
    # No defaults here: a value given where it does not apply is refused (the API's defaults are soft, keep_charging).
    stop_type=dict(type='str', choices=['soft', 'hard', 'soft_first']),
    stopped_mode=dict(type='str', choices=['keep_charging', 'stop_charging']),
    wait=dict(type='bool', default=True),
    **{name: options.WAIT_ARGUMENT_SPEC[name] for name in ('wait_timeout', 'wait_interval',
                                                           'fail_on_failed_operation', 'coalesce')}
)


def main(clock=SYSTEM_CLOCK):
    argument_spec = dict(ARGUMENT_SPEC, **options.COMMON_ARGUMENT_SPEC)
    module = module_runner.TencentCloudModule(argument_spec=argument_spec, supports_check_mode=True,
                                              mutually_exclusive=options.SELECTION_EXCLUSIVE,
                                              required_one_of=options.SELECTION_EXCLUSIVE)
    module_runner.answer(module, set_power_state, clock)


if __name__ == '__main__':
    main()
