#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
module: cvm_instance
short_description: Create, keep a count of, start, stop and terminate Tencent Cloud CVM instances, each exactly once
version_added: 0.2.0
description:
  - Manages CVM instances as C(amazon.aws.ec2_instance) manages EC2 instances - C(RunInstances) creates,
    C(TerminateInstances) terminates, C(StartInstances) and C(StopInstances) bring what is kept to O(state) - and
    waits, through the same gate as M(tencentcloud.cloud.cvm_instance_status), until they are there.
  - "The instances a task manages are O(instance_ids), or those O(filters) select, or else those whose C(Name) tag is
    O(name) (the tag every instance it creates gets: the service suffixes C(InstanceName) with 1..n when one call
    creates several, so the name alone would not find them again). Instances C(TERMINATING) or in the recycle bin
    (C(SHUTDOWN)) are not managed."
  - O(exact_count) keeps that many, creating the difference or terminating the surplus; O(count) creates that many
    more at every run; with neither, at least one exists (one is created when none does). A second run of any task
    that reached its end reports no change and sends no action.
  - "Exactly once: every C(RunInstances) carries a C(ClientToken), which the service answers, when it has seen it, with
    the instances of the first call, creating none. The token is derived from what the task decided - the region,
    the selection, the instances it read, how many it creates and what they are - so a call sent again after a lost
    answer (the client does so, as for a read), or a rerun of the same unfinished decision, creates nothing twice.
    O(client_token) sets it instead."
  - C(TerminateInstances) follows the at-most-once rules of M(tencentcloud.cloud.cvm_instance_power) - a call whose
    answer was lost is never sent again blind; its instances are read, and each is decided by itself.
  - Options that describe new instances (O(image_id), O(instance_type), O(zone)...) never change existing ones; where
    an existing instance differs from them, RV(differences) lists each difference, and a warning spells out the first
    ten.
  - Acts in one region, O(region).
author:
  - tencentcloud.cloud maintainers (@tencentcloud-cloud)
options:
  state:
    description:
      - V(present) - the instances exist; new ones are waited for until C(RUNNING), existing ones are left as they
        are.
      - V(running) - as V(present), and every instance kept is started and waited for until C(RUNNING).
      - V(stopped) - as V(present), and every instance kept is stopped (new ones once C(RUNNING)) and waited for until
        C(STOPPED).
      - V(absent) (or V(terminated)) - every instance selected is terminated and, with O(wait), waited for until no
        longer listed (pay-as-you-go) or in the recycle bin (C(SHUTDOWN), prepaid). An ID already gone is no
        change.
    type: str
    default: present
    choices: [present, running, stopped, absent, terminated]
  instance_ids:
    description:
      - The instances to manage, as IDs like C(ins-r8hr2upy). Nothing is ever created for them; an ID the region
        does not list fails the task before any action, but with V(absent), where it is taken as gone already and
        warned of (it may be an instance of another region).
      - Not with O(filters), O(exact_count) or O(count).
    type: list
    elements: str
  filters:
    description:
      - Selects the instances to manage by C(DescribeInstances) filters, as in M(tencentcloud.cloud.cvm_instance_power)
        (for example the filter C(tag:role) with the value V(web)), instead of the C(Name) tag.
      - Not empty, and not with O(instance_ids).
    type: dict
  name:
    description:
      - The C(Name) tag of the instances the task manages (when neither O(instance_ids) nor O(filters) is given),
        and the C(InstanceName) and C(Name) tag of every instance it creates.
      - Required where the task may create instances.
    type: str
  exact_count:
    description:
      - How many instances to keep. Fewer - the difference is created, in calls of at most 100. More - the surplus
        is terminated, C(LAUNCH_FAILED) ones first, then C(STOPPED) ones, then the newest (by creation time, then
        ID), so the oldest running instances stay.
      - 0 or more. Not with O(count) or O(instance_ids), nor with V(absent).
    type: int
  count:
    description:
      - How many instances to create at every run, as C(amazon.aws.ec2_instance)'s O(count). 1 or more. Not with
        O(exact_count) or O(instance_ids), nor with V(absent).
    type: int
  image_id:
    description: The image of new instances, such as C(img-pmqg1cw7). Required where the task may create instances.
    type: str
  instance_type:
    description: The type of new instances, such as C(S5.MEDIUM4) (a family, a dot, a size); the service's default
      when not set.
    type: str
  zone:
    description: The availability zone of new instances, such as C(ap-guangzhou-3), in O(region). Required where the
      task may create instances.
    type: str
  vpc_id:
    description: The VPC of new instances; with O(subnet_id).
    type: str
  subnet_id:
    description: The subnet of new instances; with O(vpc_id).
    type: str
  security_group_ids:
    description: The security groups of new instances.
    type: list
    elements: str
  key_ids:
    description: The SSH key pairs of new instances, such as C(skey-3glfot13).
    type: list
    elements: str
  password:
    description: The login password of new instances. Never shown in output.
    type: str
  system_disk:
    description: The system disk of new instances.
    type: dict
    suboptions:
      type:
        description: The disk type, such as C(CLOUD_PREMIUM) or C(CLOUD_SSD).
        type: str
      size:
        description: Its size in GB.
        type: int
  data_disks:
    description: The data disks of new instances.
    type: list
    elements: dict
    suboptions:
      type:
        description: The disk type.
        type: str
      size:
        description: Its size in GB.
        type: int
  internet_max_bandwidth_out:
    description: The public bandwidth of new instances, in Mbps; above 0, each gets a public IP.
    type: int
  instance_charge_type:
    description: How new instances are charged; the service's default, C(POSTPAID_BY_HOUR), when not set.
    type: str
    choices: [POSTPAID_BY_HOUR, PREPAID, SPOTPAID]
  tags:
    description: Tags of new instances, set at creation (C(TagSpecification)), beside the C(Name) tag, which they
      must not hold.
    type: dict
  user_data:
    description: The user data of new instances, as text; sent base64-encoded (at most 16 KB so).
    type: str
  disable_api_termination:
    description: Termination protection of new instances; the service then refuses C(TerminateInstances), and the
      task fails with its message.
    type: bool
  client_token:
    description:
      - The C(ClientToken) of the task's C(RunInstances) (1 to 64 printable ASCII characters; a call after the first
        of a task that creates more than 100 gets it with its number). By default one derived from the task's
        decision.
      - The service keeps a token for 48 hours; a token already spent creates nothing.
    type: str
  wait:
    description:
      - Wait until new instances are C(RUNNING) (with V(running) and V(stopped), every instance kept is in the
        target state) and terminated ones are gone. A C(LAUNCH_FAILED) instance fails the task at once, naming it.
    type: bool
    default: true
  wait_timeout:
    description: Seconds for the whole task - acting and waiting. The last read may take one O(request_timeout) more.
    type: int
    default: 600
  wait_interval:
    description: Seconds between reads while waiting, from 0.1 to 3600.
    type: float
    default: 5
  fail_on_failed_operation:
    description: As in M(tencentcloud.cloud.cvm_instance_power) - stop waiting, and fail, when an operation fails or
      another caller's leads away from the target.
    type: bool
    default: true
extends_documentation_fragment:
  - tencentcloud.cloud.common
  - tencentcloud.cloud.attributes.action_group
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
    details:
      - Reads the instances and sends no action. A creation is checked by a C(RunInstances) with C(DryRun) (the
        service checks parameters, permissions and quota, and creates nothing); RV(actions) lists what would be sent.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - The instance IDs and states before and after.
  facts:
    description: Returns an C(ansible_facts) dictionary that updates the host's facts.
    support: full
    details:
      - The states of the instances kept, as C(ansible_facts.tencentcloud_cvm_instance_states), on success.
seealso:
  - module: tencentcloud.cloud.cvm_instance_power
    description: Start, stop, restart or reboot instances without creating or terminating any.
  - module: tencentcloud.cloud.cvm_instance_status
    description: Gate on the states.
'''

EXAMPLES = r'''
- name: Keep three web servers, created in one call, and wait until they are RUNNING
  tencentcloud.cloud.cvm_instance:
    region: ap-guangzhou
    name: web
    exact_count: 3
    image_id: img-pmqg1cw7
    instance_type: S5.MEDIUM4
    zone: ap-guangzhou-3
    tags:
      role: web
  register: web

- name: Gate the deployment on what was created
  tencentcloud.cloud.cvm_instance_status:
    region: ap-guangzhou
    instance_ids: "{{ web.created_instance_ids }}"
    wait_for: [RUNNING]
  when: web.created_instance_ids | length > 0

- name: Scale the web servers down to one (the newest go first)
  tencentcloud.cloud.cvm_instance:
    region: ap-guangzhou
    name: web
    exact_count: 1
    image_id: img-pmqg1cw7
    zone: ap-guangzhou-3

- name: Terminate instances by ID; a second run finds them gone and sends nothing
  tencentcloud.cloud.cvm_instance:
    region: ap-guangzhou
    instance_ids: [ins-r8hr2upy]
    state: absent
'''

RETURN = r'''
changed:
  description: Whether any action may have taken effect (in check mode, whether any would be sent).
  returned: always
  type: bool
instance_ids:
  description: Every instance the task ends with (none with V(absent)).
  returned: always
  type: list
  elements: str
  sample: [ins-n0000001, ins-n0000002]
created_instance_ids:
  description: The instances this task created.
  returned: always
  type: list
  elements: str
  sample: [ins-n0000002]
terminated_instance_ids:
  description: The instances this task terminated (a call reached them, or reads show it did).
  returned: always
  type: list
  elements: str
  sample: []
instances:
  description: Each instance of RV(instance_ids), as M(tencentcloud.cloud.cvm_instance_info) returns it (read
    last); in check mode, their IDs, states and regions.
  returned: when the instances could be read
  type: list
  elements: dict
instance_states:
  description: Instance ID to state, as last read (with V(absent), C(TERMINATED) for an instance no longer listed).
  returned: when the instances could be read
  type: dict
  sample: {"ins-n0000001": "RUNNING"}
previous_states:
  description: Instance ID to state of the instances managed, as first read.
  returned: always
  type: dict
differences:
  description: How existing instances differ from the options that describe new ones (which never change them).
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: The instance.
      type: str
    option:
      description: The option, such as C(image_id).
      type: str
    wanted:
      description: The option's value.
      type: str
    actual:
      description: The instance's.
      type: str
actions:
  description:
    - Each request sent, in order, as M(tencentcloud.cloud.cvm_instance_power) reports them (C(action),
      C(instance_ids), C(request_id), C(error), C(applied), C(retried)). A C(RunInstances) entry also has its
      C(client_token), C(instance_count) and C(dry_run); its C(instance_ids) are those it answered.
    - A request the client sent again (with the same C(ClientToken)) after its answer was lost has C(retried) V(true);
      the next entry is the one that counts.
  returned: always
  type: list
  elements: dict
failed_instances:
  description: The instances that made the task fail, as in M(tencentcloud.cloud.cvm_instance_power).
  returned: when an instance failed
  type: list
  elements: dict
missing:
  description:
    - IDs the region does not list, with a warning; of O(instance_ids) when the task starts, or of the instances it
      keeps when it ends (terminated meanwhile by another caller).
  returned: when the instances could be read
  type: list
  elements: str
elapsed:
  description: Seconds the last wait took.
  returned: when the task waited
  type: float
polls:
  description: Reads during the last wait.
  returned: when the task waited
  type: int
request_ids:
  description: The RequestIds of the last 10 answered calls.
  returned: always
  type: list
  elements: str
credential_source:
  description: Where the credentials came from. Never a key.
  returned: always
  type: str
error:
  description: Why a call failed - C(code), C(message) and C(request_id).
  returned: when a call fails
  type: dict
ansible_facts:
  description: Facts for later tasks.
  returned: success
  type: dict
  contains:
    tencentcloud_cvm_instance_states:
      description: Instance ID to state, as last read.
      type: dict
    tencentcloud_cvm_instance_regions:
      description: Instance ID to its region.
      type: dict
'''

from ansible_collections.tencentcloud.cloud.plugins.module_utils import module_runner, options
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_lifecycle import manage_instances

_DISK = dict(type='dict', options=dict(type=dict(type='str'), size=dict(type='int')))

# This module's own options; the credentials, region and endpoint are every module's (options.COMMON_ARGUMENT_SPEC).
ARGUMENT_SPEC = dict(
    state=dict(type='str', default='present', choices=['present', 'running', 'stopped', 'absent', 'terminated']),
    instance_ids=dict(type='list', elements='str'),
    filters=dict(type='dict'),
    name=dict(type='str'),
    exact_count=dict(type='int'),
    count=dict(type='int'),
    image_id=dict(type='str'),
    instance_type=dict(type='str'),
    zone=dict(type='str'),
    vpc_id=dict(type='str'),
    subnet_id=dict(type='str'),
    security_group_ids=dict(type='list', elements='str'),
    key_ids=dict(type='list', elements='str', no_log=False),
    password=dict(type='str', no_log=True),
    system_disk=_DISK,
    data_disks=dict(_DISK, type='list', elements='dict'),
    internet_max_bandwidth_out=dict(type='int'),
    instance_charge_type=dict(type='str', choices=['POSTPAID_BY_HOUR', 'PREPAID', 'SPOTPAID']),
    tags=dict(type='dict'),
    user_data=dict(type='str'),
    disable_api_termination=dict(type='bool'),
    client_token=dict(type='str', no_log=False),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=600),
    wait_interval=dict(type='float', default=5.0),
    fail_on_failed_operation=dict(type='bool', default=True),
)


def main(clock=SYSTEM_CLOCK):
    argument_spec = dict(ARGUMENT_SPEC, **options.COMMON_ARGUMENT_SPEC)
    module = module_runner.TencentCloudModule(
        argument_spec=argument_spec, supports_check_mode=True,
        mutually_exclusive=[('instance_ids', 'filters'), ('exact_count', 'count'), ('instance_ids', 'exact_count'),
                            ('instance_ids', 'count')],
        required_together=[('vpc_id', 'subnet_id')])
    module_runner.answer(module, manage_instances, clock)


if __name__ == '__main__':
    main()
