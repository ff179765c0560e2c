#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
module: cvm_instance_info
short_description: Describe Tencent Cloud CVM instances, named by ID or selected by filters
version_added: 0.1.0
description:
  - Describes CVM instances with the C(DescribeInstances) API action - their state, name, type, zone, tags,
    addresses, network, image and latest operation - for a later task to use, as the C(tencentcloud.cloud.cvm)
    inventory describes its hosts.
  - Instances are named by O(instance_ids), selected by O(filters) (C(tag:role=web), say), or both (the IDs the
    filters select); with neither, every instance of O(region) (or of each of O(regions)).
  - Reads 100 instances a call, the regions and pages concurrently within the action's shared rate budget.
  - What the service says of an instance is kept as the inventory keeps it - each field checked against its
    documented form and cut to the service's limits, an instance not of the documented form left out with a warning -
    and returned as data, never as a template.
  - Read-only; never reports a change; sets no facts (register the result).
author:
  - tencentcloud.cloud maintainers (@tencentcloud-cloud)
options:
  instance_ids:
    description:
      - The instances to describe, as IDs like C(ins-r8hr2upy). Duplicates collapse. Any number.
      - Each is looked for in O(region) (or in every one of O(regions) at once, and described as the region that
        lists it describes it); an ID that no region lists is in RV(missing), without a warning.
      - With O(filters) too, those of these instances that the filters select.
      - An empty list describes nothing. A malformed ID fails the task before any call is made.
    type: list
    elements: str
extends_documentation_fragment:
  - tencentcloud.cloud.common
  - tencentcloud.cloud.regions
  - tencentcloud.cloud.filters
  - tencentcloud.cloud.attributes.action_group
attributes:
  check_mode:
    description: Can run in check mode and return the same result as without it.
    support: full
    details:
      - The module only reads, so it reads in check mode too.
  diff_mode:
    description: Returns details on what has changed, in diff mode.
    support: N/A
    details:
      - The module never changes anything, so there is no difference to show.
seealso:
  - module: tencentcloud.cloud.cvm_instance_status
    description: The states alone, and a wait until they are the ones wanted.
  - plugin: tencentcloud.cloud.cvm
    plugin_type: inventory
    description: The same details, as the variables of inventory hosts.
'''

EXAMPLES = r'''
- name: Describe two instances
  tencentcloud.cloud.cvm_instance_info:
    region: ap-guangzhou
    instance_ids: [ins-r8hr2upy, ins-5d8a23rs]
  register: described

- name: Every running web server of two regions
  tencentcloud.cloud.cvm_instance_info:
    regions: [ap-guangzhou, ap-shanghai]
    filters:
      tag:role: web
      instance-state: RUNNING
  register: web

- name: Their private addresses, for a load balancer's configuration
  ansible.builtin.debug:
    msg: "{{ web.instances | map(attribute='private_ip_addresses') | flatten }}"

- name: Every instance of every region the account can use
  tencentcloud.cloud.cvm_instance_info:
    regions: []
  register: everything
'''

RETURN = r'''
instances:
  description:
    - Each instance described, in the order of O(instance_ids); otherwise in the order the API listed them, region
      after region.
    - Text is as the service gave it, less any character that hides what it says, cut to the service's limits
      (a name to 128 characters, a tag's key to 127 and value to 255, other text to 255); an address the service
      gave that is not one is left out, with a warning. Every value is data - a name such as C({{ x }}) stays those
      characters.
  returned: success
  type: list
  elements: dict
  contains:
    instance_id:
      description: The instance ID.
      type: str
      sample: ins-r8hr2upy
    instance_name:
      description: Its name, as its owner gave it.
      type: str
      sample: web-1
    instance_state:
      description: Its state, for example C(RUNNING), C(STOPPED) or C(PENDING).
      type: str
      sample: RUNNING
    instance_type:
      description: Its type.
      type: str
      sample: S5.MEDIUM4
    instance_charge_type:
      description: How it is charged, for example C(POSTPAID_BY_HOUR) or C(PREPAID).
      type: str
      sample: POSTPAID_BY_HOUR
    cpu:
      description: Its CPU cores.
      type: int
      sample: 2
    memory:
      description: Its memory, in GB.
      type: int
      sample: 4
    image_id:
      description: The image it was created from.
      type: str
      sample: img-9qrfy1xt
    os_name:
      description: Its operating system.
      type: str
      sample: TencentOS Server 3.1 (TK4)
    region:
      description: The region that lists it.
      type: str
      sample: ap-guangzhou
    zone:
      description: Its availability zone.
      type: str
      sample: ap-guangzhou-3
    project_id:
      description: Its project.
      type: int
      sample: 0
    tags:
      description: Its tags, key to value (at most 50).
      type: dict
      sample: {"role": "web", "env": "prod"}
    private_ip_addresses:
      description: Its private IP addresses.
      type: list
      elements: str
      sample: ["10.0.0.12"]
    public_ip_addresses:
      description: Its public IP addresses (none for an instance without one).
      type: list
      elements: str
      sample: ["43.135.1.12"]
    ipv6_addresses:
      description: Its IPv6 addresses.
      type: list
      elements: str
      sample: []
    vpc_id:
      description: The VPC it is in.
      type: str
      sample: vpc-2k1h6ucm
    subnet_id:
      description: The subnet it is in.
      type: str
      sample: subnet-3x7ouq9c
    security_group_ids:
      description: Its security groups.
      type: list
      elements: str
      sample: ["sg-6dp3lbgh"]
    created_time:
      description: When it was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-01T00:00:00Z"
    expired_time:
      description: When a prepaid instance expires; null for others.
      type: str
      sample: null
    latest_operation:
      description: The latest operation on it, as its action (C(StartInstances)...); null when none is recorded.
      type: str
      sample: StartInstances
    latest_operation_state:
      description: That operation's state - C(SUCCESS), C(OPERATING) or C(FAILED).
      type: str
      sample: SUCCESS
    latest_operation_request_id:
      description: The RequestId of that operation's call.
      type: str
      sample: 6ef60bec-0242-43af-bb20-270359fb54a7
missing:
  description: IDs of O(instance_ids) that no region lists (unknown, deleted, or in another region).
  returned: when O(instance_ids) is given without O(filters)
  type: list
  elements: str
  sample: []
request_ids:
  description: The RequestIds of the last 10 answered calls this task made, for support tickets.
  returned: always
  type: list
  elements: str
  sample: ["6ef60bec-0242-43af-bb20-270359fb54a7"]
credential_source:
  description: Where the credentials came from, as in M(tencentcloud.cloud.cvm_instance_status). Never a key.
  returned: always
  type: str
  sample: environment
error:
  description: Why a call failed - C(code), C(message) and C(request_id), as in
    M(tencentcloud.cloud.cvm_instance_status).
  returned: when a call fails
  type: dict
'''

from ansible_collections.tencentcloud.cloud.plugins.module_utils import module_runner, options
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK
from ansible_collections.tencentcloud.cloud.plugins.module_utils.instance_info import describe_instances


# This module's own options, beside every module's (options.COMMON_ARGUMENT_SPEC): the selection alone.
ARGUMENT_SPEC = dict(options.SELECTION_ARGUMENT_SPEC)


def main(clock=SYSTEM_CLOCK):
    argument_spec = dict(ARGUMENT_SPEC, **options.COMMON_ARGUMENT_SPEC)
    module = module_runner.TencentCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    module_runner.answer(module, describe_instances, clock)


if __name__ == '__main__':
    main()
