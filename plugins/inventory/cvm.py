# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r'''
name: cvm
short_description: Tencent Cloud CVM instances as inventory hosts, each carrying its state
version_added: 0.1.0
description:
  - Lists the CVM instances of one or more regions (or of every region the account can use) with
    C(DescribeInstances), filtered by the API itself, and adds each as a host whose variables (prefixed
    C(tencentcloud_)) hold its ID, state, name, type, charge type, CPU and memory, image, zone, tags, addresses (IPv4
    and IPv6), VPC, security groups, OS and latest operation.
  - Every host is in the group O(instances_group) (V(tencentcloud) by default).
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
      - The regions to list, for example V(ap-guangzhou) and V(ap-shanghai), read concurrently.
      - When not set, the one region of O(region) (or E(TENCENTCLOUD_REGION), or the tccli profile); when none is set
        anywhere, or with V([]), every region the account can use (C(RegionState) C(AVAILABLE) in
        C(DescribeRegions)), at the cost of one C(DescribeRegions) call more.
    type: list
    elements: str
  strict_permissions:
    description:
      - With V(false), a region the keys may not read (C(UnauthorizedOperation), C(AuthFailure.UnauthorizedOperation),
        C(UnsupportedRegion)) is left out, with a warning naming it, instead of failing the source.
    type: bool
    default: true
  include_filters:
    description:
      - More filter dictionaries, as O(filters); an instance any of them (or O(filters)) selects is listed. Each costs
        one listing of each region.
      - With neither O(filters) nor O(include_filters), every instance is listed.
    type: list
    elements: dict
    default: []
  exclude_filters:
    description:
      - Filter dictionaries, as O(filters); an instance any of them selects is left out, whatever selected it. Each
        costs one listing of each region.
    type: list
    elements: dict
    default: []
  instances_group:
    description:
      - The group every host of this source is in.
    type: str
    default: tencentcloud
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
      - "An entry is one of C(instance-id), C(instance-name), C(private-ip-address), C(public-ip-address);
        C(tag:<key>), the value of that tag; a template over the host's C(tencentcloud_) variables, such as
        C({{ tencentcloud_tags.Name }}-{{ tencentcloud_zone }}); or a dictionary C({name: <entry>, prefix: <entry>,
        separator: <text>}), which names the host by the prefix's value, the separator (default C(_)) and the name's
        value, or by the name's value alone when the prefix has none (as amazon.aws's aws_ec2 does)."
      - A value that is not a safe host name (a C(/) or C(\\), a leading dot, white space, control characters, a
        comma or brackets), or that already names another instance, is not used, with a warning naming both instances;
        the next preference (or the instance ID) names that instance instead, so two instances never become one host.
        With O(strict), a name that already names another instance fails the source instead.
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
  - The options of the configuration file may be templates, such as V({{ lookup('env', 'MY_SECRET_ID') }}), rendered
    once when the source is read (credentials, endpoints, regions, profile, roles).
  - The credentials and connection options are those of every tencentcloud.cloud plugin, from the configuration file
    or the environment, as listed with each option; unlike the lookup, an inventory source reads no variables.
'''

EXAMPLES = r'''
# One configuration file per source; more (every region, keys from templates, a cache) in the collection's user guide,
# "From inventory to gate".
# web_tencentcloud_cvm.yml: the running web servers of production in two regions, grouped by state and role
plugin: tencentcloud.cloud.cvm
regions: [ap-guangzhou, ap-shanghai]
filters:
  tag:env: prod
  instance-state: RUNNING
hostnames:
  - tag:Name
  - name: instance-name
    prefix: "{{ tencentcloud_region }}"
    separator: '-'
  - instance-id
keyed_groups:
  - key: tencentcloud_instance_state
    prefix: state
  - key: tencentcloud_tags.role | default('none')
    prefix: role
compose:
  zone: tencentcloud_zone
'''

from ansible import template
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_OPTION_NAMES
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import inventory_hosts, plugin_options
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.controller_plugin import ControllerPlugin, display
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.instance_listing import (
    ListingFailed, Selection, list_instances,
)

# Since ansible-core 2.19 no string an inventory plugin sets is a template unless trusted as one; before, every string
# was, unless wrapped as unsafe (which costs about as much as the whole listing at 10,000 hosts).
STRINGS_ARE_TEMPLATES = not hasattr(template, 'trust_as_template')
# The options of a configuration file that may be templates, rendered once before the listing.
TEMPLATED_OPTIONS = CREDENTIAL_OPTIONS + (
    'region', 'regions', 'profile', 'endpoint', 'sts_endpoint', 'ca_bundle', 'cam_role_name', 'assume_role_arn',
    'assume_role_session_name', 'assume_role_external_id', 'assume_role_policy')


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
            hostnames = inventory_hosts.checked_hostnames(self.get_option('hostnames'))
            inventory_hosts.check_preferences('ansible_host_preferences', self.get_option('ansible_host_preferences'))
            # Checked as written: the configuration has already turned an unclear boolean into false.
            plugin_options.check_booleans(config, also=('strict_permissions',))
            rendered = self._rendered_options(config)
            try:
                given = plugin_options.from_plugin(self, {name: self.get_option(name) if name in config else None
                                                          for name in CREDENTIAL_OPTIONS}, {}, COMMON_OPTION_NAMES)
                listing = list_instances(given, Selection(
                    self.get_option('regions'), self.get_option('filters'), self.get_option('include_filters'),
                    self.get_option('exclude_filters'), self.get_option('strict_permissions')))
            except OptionError as error:
                if not rendered:
                    raise
                raise OptionError('%s (%s rendered from a template)' % (error, ', '.join(rendered)))
        self.warn(listing.warnings)
        display.vvv('%s: credentials from %s, hosts named by %s'
                    % (self.NAME, listing.credential_source, ', '.join(map(str, hostnames))))
        return listing.instances

    def _rendered_options(self, config):
        """Render the options of the file that are templates (a vaulted or looked-up secret, say), as hcloud renders
        its token; the names of those rendered."""
        rendered = []
        for name in TEMPLATED_OPTIONS:
            value = config.get(name)
            if _is_template(value) or (isinstance(value, list) and any(_is_template(item) for item in value)):
                self.set_option(name, self._render(name, value, {}))
                rendered.append(name)
        return rendered

    def _render(self, name, value, variables):
        """``value`` (a template, or a list of them) rendered over ``variables``; ``OptionError`` naming ``name``."""
        if isinstance(value, list):
            return [self._render(name, item, variables) for item in value]
        if not _is_template(value):
            return value
        self.templar.available_variables = variables
        try:
            return self.templar.template(value if STRINGS_ARE_TEMPLATES else template.trust_as_template(value))
        except AnsibleError as error:
            raise OptionError('%s: cannot render its template: %s' % (name, to_native(error)))

    def _populate(self, instances):
        strict = self.get_option('strict')
        hostnames = inventory_hosts.checked_hostnames(self.get_option('hostnames'))
        group = self.inventory.add_group(self.get_option('instances_group'))
        # Host name -> the instance it names: two instances never become one host.
        taken = {}
        for region, listed in instances.items():
            for item in listed:
                host_vars = _untemplated(inventory_hosts.host_vars(region, item))
                name, warnings, clash = inventory_hosts.host_name(
                    hostnames, item, taken, lambda text: self._host_name_of(text, host_vars, strict))
                if clash and strict:
                    raise self.FAILURE('%s: %s; with strict, two instances of one name are an error'
                                       % (self.NAME, clash))
                address, address_warnings = inventory_hosts.host_address(self.get_option('ansible_host_preferences'),
                                                                         item)
                self.warn(warnings + address_warnings)
                if not name:
                    continue
                taken[name] = item.get('InstanceId')
                self.inventory.add_host(name, group=group)
                for variable, value in host_vars.items():
                    self.inventory.set_variable(name, variable, value)
                if address:
                    self.inventory.set_variable(name, 'ansible_host', address)
                self._set_composite_vars(self.get_option('compose'), host_vars, name, strict=strict)
                self._add_host_to_composed_groups(self.get_option('groups'), host_vars, name, strict=strict)
                self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, name, strict=strict)

    def _host_name_of(self, text, host_vars, strict):
        """A ``hostnames`` template rendered over the host's variables; one that fails names nothing (with
        ``strict``, it fails the source)."""
        try:
            return self._render('hostnames', text, host_vars)
        except OptionError as error:
            if strict:
                raise self.FAILURE('%s: %s' % (self.NAME, error))
            return None


def _is_template(value):
    return isinstance(value, str) and inventory_hosts.TEMPLATE_START in value


def _untemplated(value):
    return wrap_var(value) if STRINGS_ARE_TEMPLATES else value
