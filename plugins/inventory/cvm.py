# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
name: cvm
short_description: Tencent Cloud CVM instances as inventory hosts, each carrying its state
version_added: 0.1.0
description:
  - Lists the CVM instances of one or more regions with C(DescribeInstances), filtered by the API itself, and adds
    each as a host whose variables (prefixed C(tencentcloud_)) hold its ID, state, name, type, zone, tags, addresses,
    VPC, OS and latest operation.
  - Groups come from O(keyed_groups), O(groups) and O(compose), as in every constructed inventory; for example a group
    per state and one per tag value.
  - 100 instances a call; the pages after the first, and the regions, are read concurrently under the shared rate
    limit, so N instances in a region cost ceil(N/100) calls.
  - The configuration file must end in C(tencentcloud_cvm.yml) or C(tencentcloud_cvm.yaml).
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - tencentcloud.cloud.common
  - tencentcloud.cloud.common.plugins
options:
  plugin:
    description: The name of this plugin, so that Ansible knows the file is for it.
    required: true
    type: str
    choices: [tencentcloud.cloud.cvm]
  regions:
    description:
      - The regions to list, for example V(ap-guangzhou) and V(ap-shanghai).
      - When not set, the one region of O(region) (or E(TENCENTCLOUD_REGION), or the tccli profile).
    type: list
    elements: str
  filters:
    description:
      - C(DescribeInstances) filters, applied by the API, as a dictionary of filter name to a value or a list of
        values; see the examples.
      - Filter names are C(instance-id), C(instance-name), C(instance-state), C(instance-charge-type),
        C(instance-type), C(zone), C(project-id), C(vpc-id), C(subnet-id), C(security-group-id),
        C(private-ip-address), C(public-ip-address), C(tag-key), C(tag-value) and C(tag:<key>).
      - The API takes at most 10 filters of at most 5 values each; more is an error.
    type: dict
    default: {}
  hostnames:
    description:
      - What to name each host, in order of preference; the first the instance has a value for wins, and an instance
        with none is left out.
      - Choices are C(instance-id), C(instance-name), C(private-ip-address) and C(public-ip-address).
      - A value that is not a safe host name (a C(/) or C(\\), a leading dot, white space, control characters, a
        comma or brackets), or that already names another instance, is not used, with a warning; the next preference
        (or the instance ID) names that instance instead.
    type: list
    elements: str
    default: [instance-id]
  ansible_host_preferences:
    description:
      - Where C(ansible_host) comes from, in order of preference, with the same choices as O(hostnames). An instance
        with none of them gets no C(ansible_host).
      - Only an IP address is used; any other value is passed over with a warning.
    type: list
    elements: str
    default: [private-ip-address, public-ip-address]
notes:
  - Instance names, tags and other values come from the API and are never templated.
  - The credentials and connection options are those of every tencentcloud.cloud plugin, from the configuration file
    or the environment; the lookup variables (C(tencentcloud_*)) do not apply to an inventory source.
'''

EXAMPLES = r'''
# web_tencentcloud_cvm.yml: the running web servers of production in two regions, grouped by state and role
plugin: tencentcloud.cloud.cvm
regions: [ap-guangzhou, ap-shanghai]
filters:
  tag:env: prod
  instance-state: RUNNING
hostnames: [instance-name, instance-id]
keyed_groups:
  - key: tencentcloud_instance_state
    prefix: state
  - key: tencentcloud_tags.role | default('none')
    prefix: role
compose:
  zone: tencentcloud_zone

# every instance of the default region, cached for an hour
plugin: tencentcloud.cloud.cvm
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/tencentcloud_cvm
cache_timeout: 3600
'''

from ansible import template
from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_OPTION_NAMES
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import inventory_hosts, plugin_options
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.controller_plugin import ControllerPlugin, display
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.instance_listing import ListingFailed, list_instances

# Since ansible-core 2.19 no string an inventory plugin sets is a template unless trusted as one; before, every string
# was, unless wrapped as unsafe (which costs about as much as the whole listing at 10,000 hosts).
STRINGS_ARE_TEMPLATES = not hasattr(template, 'trust_as_template')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable, ControllerPlugin):
    NAME = 'tencentcloud.cloud.cvm'
    FAILURE = AnsibleParserError

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('tencentcloud_cvm.yml', 'tencentcloud_cvm.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        self.require_requests()
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        try:
            instances = self._cache[cache_key] if use_cache else None
        except KeyError:
            instances = None
        if instances is None:
            instances = self._listed(config)
            if self.get_option('cache'):
                self._cache[cache_key] = instances
        self._populate(instances)

    def _listed(self, config):
        with self.reporting(ListingFailed):
            hostnames = inventory_hosts.check_preferences('hostnames', self.get_option('hostnames'))
            inventory_hosts.check_preferences('ansible_host_preferences', self.get_option('ansible_host_preferences'))
            # Checked as written: the configuration has already turned an unclear boolean into false.
            plugin_options.check_booleans(config)
            given = plugin_options.from_plugin(self, {name: config.get(name) for name in CREDENTIAL_OPTIONS}, {},
                                               COMMON_OPTION_NAMES)
            listing = list_instances(given, self.get_option('regions'), self.get_option('filters'))
        self.warn(listing.warnings)
        display.vvv('%s: credentials from %s, hosts named by %s'
                    % (self.NAME, listing.credential_source, ', '.join(hostnames)))
        return listing.instances

    def _populate(self, instances):
        strict = self.get_option('strict')
        # Host name -> the instance it names: two instances never become one host.
        taken = {}
        for region, listed in instances.items():
            for item in listed:
                name, warnings = inventory_hosts.host_name(self.get_option('hostnames'), item, taken)
                address, address_warnings = inventory_hosts.host_address(self.get_option('ansible_host_preferences'),
                                                                         item)
                self.warn(warnings + address_warnings)
                if not name:
                    continue
                taken[name] = item.get('InstanceId')
                host_vars = _untemplated(inventory_hosts.host_vars(region, item))
                self.inventory.add_host(name)
                for variable, value in host_vars.items():
                    self.inventory.set_variable(name, variable, value)
                if address:
                    self.inventory.set_variable(name, 'ansible_host', address)
                self._set_composite_vars(self.get_option('compose'), host_vars, name, strict=strict)
                self._add_host_to_composed_groups(self.get_option('groups'), host_vars, name, strict=strict)
                self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, name, strict=strict)


def _untemplated(value):
    return wrap_var(value) if STRINGS_ARE_TEMPLATES else value
