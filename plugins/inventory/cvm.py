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
  - "Host variables, each prefixed C(tencentcloud_) (an aws_ec2 habit such as C(tags.role) or C(private_ip_address)
    is C(tencentcloud_tags.role) or C(tencentcloud_private_ip_addresses[0]) here; an expression of O(keyed_groups),
    O(groups) or O(compose) that is undefined for every host is warned of, naming the nearest variable):"
  - "C(tencentcloud_instance_id) (str) - the instance's ID, for example V(ins-r8hr2upy)."
  - "C(tencentcloud_instance_state) (str) - its state, for example V(RUNNING), V(STOPPED), V(PENDING)."
  - "C(tencentcloud_instance_name) (str) - its name, for example V(web-1)."
  - "C(tencentcloud_instance_type) (str) - for example V(S5.MEDIUM4)."
  - "C(tencentcloud_instance_charge_type) (str) - for example V(POSTPAID_BY_HOUR) or V(PREPAID)."
  - "C(tencentcloud_cpu) (int) - cores, for example V(2)."
  - "C(tencentcloud_memory) (int) - memory in GB, for example V(4)."
  - "C(tencentcloud_image_id) (str) - for example V(img-eb30mz89)."
  - "C(tencentcloud_os_name) (str) - for example V(TencentOS Server 3.1)."
  - "C(tencentcloud_region) (str) - the region that lists it, for example V(ap-guangzhou)."
  - "C(tencentcloud_zone) (str) - for example V(ap-guangzhou-3)."
  - "C(tencentcloud_project_id) (int) - for example V(0)."
  - "C(tencentcloud_tags) (dict) - tag key to value, for example V({\"role\": \"web\"})."
  - "C(tencentcloud_private_ip_addresses) (list of str) - for example V([\"10.0.0.7\"])."
  - "C(tencentcloud_public_ip_addresses) (list of str) - for example V([\"43.1.2.3\"]); empty without one."
  - "C(tencentcloud_ipv6_addresses) (list of str) - for example V([\"2402:4e00::7\"])."
  - "C(tencentcloud_vpc_id) (str) and C(tencentcloud_subnet_id) (str) - for example V(vpc-2x7lhtse) and
    V(subnet-4ms9ve1x)."
  - "C(tencentcloud_security_group_ids) (list of str) - for example V([\"sg-5275dorp\"])."
  - "C(tencentcloud_created_time) and C(tencentcloud_expired_time) (str) - ISO 8601, for example
    V(2026-01-01T00:00:00Z); the expiry only for prepaid instances."
  - "C(tencentcloud_latest_operation), C(tencentcloud_latest_operation_state) and
    C(tencentcloud_latest_operation_request_id) (str) - for example V(StartInstances), V(SUCCESS) and the RequestId."
  - "C(ansible_host) - from O(ansible_host_preferences): the address of another host only (never loopback,
    unspecified or link-local, never with a zone suffix)."
  - "The names are not offered without the prefix as well: C(tencentcloud_) keeps them apart from Ansible's own
    variables and from other inventory sources' (a tag named C(state) cannot shadow anything)."
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
        anywhere, or with V([all]) (or V([])), every region the account can use (C(RegionState) C(AVAILABLE) in
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
      - Each instance the service lists is checked against the filters again (C(instance-name) at its loosest, the
        value being part of the name) and left out if they do not select it. The same holds for O(include_filters);
        what the service lists for O(exclude_filters) is left out on its word.
    type: dict
    default: {}
  hostnames:
    description:
      - "What to name each host, in order of preference: the first entry that gives the instance a value names it.
        An instance that no entry gives a value is left out, with one warning that counts them and names them (with
        O(strict), an error); end the list with V(instance-id) to name every instance."
      - "An entry is one of V(instance-id), V(instance-name), V(private-ip-address), V(public-ip-address);
        V(tag:<key>), the value of that tag; a template over the host's C(tencentcloud_) variables, such as
        C({{ tencentcloud_tags.Name }}-{{ tencentcloud_zone }}); or a dictionary C({name: <entry>, prefix: <entry>,
        separator: <text>}), which names the host by the prefix's value, the separator (default C(_)) and the
        name's value, or by the name's value alone when the prefix has none (as amazon.aws's aws_ec2 does)."
      - "Whoever may name or tag an instance chooses these values, so a name must keep one rule: ASCII letters,
        digits, C(.), C(-) and C(_), beginning with a letter, a digit or C(_), not ending with C(.), at most 253
        characters; not C(localhost),
        another name of the controller (C(localhost.localdomain), C(ip6-localhost), a name ending in
        C(.localhost), the controller's own host name) or an address of the controller (C(127.0.0.1), C(0.0.0.0),
        or an address written in another form than the usual one, such as C(127.1)); not shaped like the ID of
        another instance; not C(all), C(ungrouped) or another group of the inventory; and not a host that another
        source of the inventory holds already (list such sources before this one: a source read later cannot be
        seen)."
      - "A name that breaks the rule, or that two or more instances would take (whichever is listed first does not
        win it), is not used: each such instance is named by its instance ID instead, with a warning naming both.
        With O(strict), the source fails instead."
      - "Templates here and in O(compose), O(groups) and O(keyed_groups) see the host by its instance ID as
        C(inventory_hostname): names are given once every group of the source is known."
    type: list
    elements: raw
    default: [instance-id]
  ansible_host_preferences:
    description:
      - Where C(ansible_host) comes from, in order of preference, each one of V(private-ip-address),
        V(public-ip-address), V(instance-name) or V(instance-id). An instance with none of them gets no
        C(ansible_host).
      - Only an IP address without a zone suffix (C(fe80::1%eth0) names an interface of the controller) is used,
        any other value is passed over with a warning.
    type: list
    elements: str
    default: [private-ip-address, public-ip-address]
notes:
  - Instance names, tags and other values come from the API and are data, never templates, on every ansible-core
    version; each is kept only in the form the service documents for it (an ID not of the form C(ins-) and 8
    lower-case letters or digits is left out with a warning), with its control characters replaced and cut to the
    service's limits (50 tags of at most 127 characters a key and 255 a value, a name of 128), so that the memory
    the listing takes grows with the number of instances, not with what the endpoint sends.
  - The options of the configuration file may be templates, such as V({{ lookup('env', 'MY_SECRET_ID'\) }}), rendered
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
from ansible.inventory.data import InventoryData
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_OPTION_NAMES
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import (
    host_names, instance_listing, inventory_hosts, plugin_options,
)
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
    # Set by Ansible's parse(), and for a while to an inventory of this source's own (_built_by_id).
    inventory: InventoryData

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('tencentcloud_cvm.yml', 'tencentcloud_cvm.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        self.require_requests()
        with self.reporting(ListingFailed):
            plugin_options.refuse_unknown(config, self.option_definitions)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        try:
            # What a cache holds is kept again: the file may be older than this collection, or not its own.
            instances = instance_listing.kept_again(self._cache[cache_key]) if use_cache else None
        except KeyError:
            instances = None
        if instances is None:
            instances = self._listed(config)
            if self.get_option('cache'):
                self._cache[cache_key] = instances
        self._populate(instances)

    def _listed(self, config):
        with self.reporting(ListingFailed):
            hostnames = host_names.checked_hostnames(self.get_option('hostnames'))
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
                value = self._render(name, value, {})
                if name in CREDENTIAL_OPTIONS and not value:
                    # Empty would let the credential chain go on to the next source: perhaps another account.
                    raise OptionError('%s rendered empty from its template (an unset variable or environment '
                                      'variable?): give it a value, or leave the option out' % name)
                self.set_option(name, value)
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
        """Add the instances as hosts: built under their IDs in an inventory of their own first (variables, composed
        variables, groups), so that every group this source makes is known before any host takes its name."""
        strict = self.get_option('strict')
        items = [item for listed in instances.values() for item in listed]
        variables = {item['InstanceId']: _untemplated(inventory_hosts.host_vars(region, item))
                     for region, listed in instances.items() for item in listed}
        built = self._built_by_id(items, variables, strict)
        if not strict:
            self.warn(self._undefined_everywhere(list(variables.values())))
        naming = host_names.host_names(
            items, host_names.checked_hostnames(self.get_option('hostnames')),
            lambda template, item: self._host_name_of(template, variables[item['InstanceId']], strict),
            lambda name, instance_id: self._holder_of(name, instance_id, built))
        if strict and naming.warnings:
            raise self.FAILURE('%s: %s; with strict, every instance must have a name of its own'
                               % (self.NAME, '; '.join(naming.warnings)))
        self.warn(naming.warnings)
        self._take_over(built, naming.names)

    def _built_by_id(self, items, variables, strict):
        """An inventory of the instances named by their IDs, with ``ansible_host``, variables and groups."""
        built = InventoryData()
        real, self.inventory = self.inventory, built
        try:
            group = built.add_group(self.get_option('instances_group'))
            for item in items:
                instance_id = item['InstanceId']
                address, warnings = inventory_hosts.host_address(self.get_option('ansible_host_preferences'), item)
                self.warn(warnings)
                built.add_host(instance_id, group=group)
                for variable, value in variables[instance_id].items():
                    built.set_variable(instance_id, variable, value)
                if address:
                    built.set_variable(instance_id, 'ansible_host', address)
                host_vars = variables[instance_id]
                self._set_composite_vars(self.get_option('compose'), host_vars, instance_id, strict=strict)
                self._add_host_to_composed_groups(self.get_option('groups'), host_vars, instance_id, strict=strict)
                self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, instance_id, strict=strict)
        finally:
            self.inventory = real
        return built

    def _undefined_everywhere(self, variables):
        """A warning for each expression of ``compose``, ``groups`` and ``keyed_groups`` that no host defines
        (``tags.role`` where the variable is ``tencentcloud_tags.role``), naming the nearest host variable: without
        ``strict`` such an expression would silently give no group and no variable."""
        warnings = []
        for option, expression in _expressions(self.get_option('compose'), self.get_option('groups'),
                                               self.get_option('keyed_groups')):
            if not variables or any(self._defined(expression, host_vars) for host_vars in variables):
                continue
            hint = inventory_hosts.nearest_variable(expression, variables[0])
            warnings.append('%s: %r is undefined for every host%s' % (
                option, expression, ' (did you mean %s?)' % hint if hint else ''))
        return warnings

    def _defined(self, expression, host_vars):
        try:
            self._compose(expression, host_vars)
        except AnsibleError:
            return False
        return True

    def _holder_of(self, name, instance_id, built):
        """What else of the inventory holds ``name`` (``None``: nothing, or this very instance from another source)."""
        if name in self.inventory.groups or name in built.groups:
            return 'a group'
        host = self.inventory.hosts.get(name)
        if host is not None and host.vars.get(inventory_hosts.PREFIX + 'instance_id') != instance_id:
            return 'a host of another inventory source'
        return None

    def _take_over(self, built, names):
        """Add what ``built`` holds to the inventory, each host under its name."""
        groups = [group for name, group in built.groups.items() if name not in host_names.IMPLICIT_GROUPS]
        for group in groups:
            self.inventory.add_group(group.name)
        for group in groups:
            for child in group.child_groups:
                self.inventory.add_child(group.name, child.name)
        for instance_id, name in names.items():
            host = built.hosts[instance_id]
            self.inventory.add_host(name)
            for group in host.get_groups():
                if group.name not in host_names.IMPLICIT_GROUPS:
                    self.inventory.add_host(name, group=group.name)
            for variable, value in host.vars.items():
                self.inventory.set_variable(name, variable, value)

    def _host_name_of(self, text, host_vars, strict):
        """A ``hostnames`` template rendered over the host's variables; one that fails names nothing (with
        ``strict``, it fails the source)."""
        try:
            return self._render('hostnames', text, host_vars)
        except OptionError as error:
            if strict:
                raise self.FAILURE('%s: %s' % (self.NAME, error))
            return None


def _expressions(compose, groups, keyed_groups):
    """``(option, expression)`` of each template the constructed options hold."""
    for name, expression in (compose or {}).items():
        yield 'compose.%s' % name, expression
    for name, expression in (groups or {}).items():
        yield 'groups.%s' % name, expression
    for keyed in keyed_groups or []:
        if isinstance(keyed, dict) and keyed.get('key'):
            yield 'keyed_groups key', keyed['key']


def _is_template(value):
    return isinstance(value, str) and host_names.TEMPLATE_START in value


def _untemplated(value):
    return wrap_var(value) if STRINGS_ARE_TEMPLATES else value
