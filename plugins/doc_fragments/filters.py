# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  filters:
    description:
      - Selects the instances by C(DescribeInstances) filters, applied by the API in O(region) (or in each of
        O(regions) at once), as a dictionary of filter name to a value or a list of values, as the
        C(tencentcloud.cloud.cvm) inventory takes them; for example the filter C(tag:role) with the value V(web).
      - Filter names are C(instance-id), C(instance-name), C(instance-state), C(instance-charge-type),
        C(instance-type), C(zone), C(project-id), C(vpc-id), C(subnet-id), C(security-group-id),
        C(private-ip-address), C(public-ip-address), C(tag-key), C(tag-value) and C(tag:<key>), the instances whose
        tag C(<key>) has one of the values. An instance is selected when every filter matches it (one of its values).
      - The API takes at most 10 filters of at most 5 values each; an unknown name, or more, fails the task before
        any call. C(instance-state) values may be given in any case (V(running) is C(RUNNING)).
      - Listed 100 instances a call, within the shared rate budget; what the service says of each instance is kept
        as the inventory keeps it (checked against its documented form, cut to the service's limits).
      - Each instance the service lists is checked against the filters again, and left out if they do not select it,
        so that no task reads, stops or terminates an instance on the word of an answer alone. C(instance-name) is
        checked at its loosest, the value being part of the name.
      - Where the task waits or acts (M(tencentcloud.cloud.cvm_instance_status),
        M(tencentcloud.cloud.cvm_instance_power), the lookup), the filters are an alternative to the instance IDs, never beside them, and not empty (that
        would be every instance); the instances they select when the task starts are the ones read, waited for or
        acted on, and the result names them; an instance they would select later is not. Filters that select
        nothing do what C(on_missing) says - nothing is done, with a warning or without one, or (V(error), the
        lookup's default) the task fails.
      - In M(tencentcloud.cloud.cvm_instance_info) they may be given with C(instance_ids), keeping those of the IDs
        the filters select; V({}) selects every instance.
    type: dict
'''
