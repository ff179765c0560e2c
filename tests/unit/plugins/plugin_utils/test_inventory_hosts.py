# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An instance as an inventory host."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import inventory_hosts

ITEM = {
    'InstanceId': 'ins-aaaaaaaa', 'InstanceName': 'web-1', 'InstanceType': 'S5.MEDIUM4', 'InstanceState': 'RUNNING',
    'Placement': {'Zone': 'ap-guangzhou-3', 'ProjectId': 0}, 'PrivateIpAddresses': ['10.0.0.7'],
    'PublicIpAddresses': None, 'VirtualPrivateCloud': {'VpcId': 'vpc-1', 'SubnetId': 'subnet-1'},
    'OsName': 'TencentOS', 'Tags': [{'Key': 'env', 'Value': 'prod'}], 'CreatedTime': '2026-01-01T00:00:00Z',
    'LatestOperation': 'StartInstances', 'LatestOperationState': 'SUCCESS', 'LatestOperationRequestId': 'req-1',
    'InstanceChargeType': 'POSTPAID_BY_HOUR', 'CPU': 2, 'Memory': 4, 'ImageId': 'img-1',
    'IPv6Addresses': ['2402:4e00::7'], 'SecurityGroupIds': ['sg-1', 7],
}


def test_the_variables_of_a_host():
    assert inventory_hosts.host_vars('ap-guangzhou', ITEM) == {
        'tencentcloud_instance_id': 'ins-aaaaaaaa', 'tencentcloud_instance_state': 'RUNNING',
        'tencentcloud_instance_name': 'web-1', 'tencentcloud_instance_type': 'S5.MEDIUM4',
        'tencentcloud_region': 'ap-guangzhou', 'tencentcloud_zone': 'ap-guangzhou-3', 'tencentcloud_project_id': 0,
        'tencentcloud_tags': {'env': 'prod'}, 'tencentcloud_private_ip_addresses': ['10.0.0.7'],
        'tencentcloud_public_ip_addresses': [], 'tencentcloud_vpc_id': 'vpc-1', 'tencentcloud_subnet_id': 'subnet-1',
        'tencentcloud_os_name': 'TencentOS', 'tencentcloud_created_time': '2026-01-01T00:00:00Z',
        'tencentcloud_latest_operation': 'StartInstances', 'tencentcloud_latest_operation_state': 'SUCCESS',
        'tencentcloud_latest_operation_request_id': 'req-1', 'tencentcloud_instance_charge_type': 'POSTPAID_BY_HOUR',
        'tencentcloud_cpu': 2, 'tencentcloud_memory': 4, 'tencentcloud_image_id': 'img-1',
        'tencentcloud_ipv6_addresses': ['2402:4e00::7'], 'tencentcloud_security_group_ids': ['sg-1']}


def test_a_sparse_answer_still_makes_a_host():
    found = inventory_hosts.host_vars('ap-guangzhou', {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING',
                                                       'Tags': ['not a tag', {'Key': 'k', 'Value': 'v'}]})
    assert found['tencentcloud_tags'] == {'k': 'v'} and found['tencentcloud_zone'] is None


def test_public_addresses_are_listed_when_the_instance_has_them():
    found = inventory_hosts.host_vars('ap-guangzhou', dict(ITEM, PublicIpAddresses=['203.0.113.7']))
    assert found['tencentcloud_public_ip_addresses'] == ['203.0.113.7']


@pytest.mark.parametrize('addresses', ['203.0.113.7', [], None])
def test_an_address_preference_takes_only_the_first_of_a_list(addresses):
    assert inventory_hosts.host_address(['public-ip-address'], dict(ITEM, PublicIpAddresses=addresses)) == (None, [])


@pytest.mark.parametrize('preferences, expected', [
    (['public-ip-address', 'private-ip-address'], '10.0.0.7'), (['instance-name'], 'web-1'),
    (['public-ip-address'], None), (['instance-id', 'instance-name'], 'ins-aaaaaaaa'),
])
def test_the_first_preference_with_a_value_wins(preferences, expected):
    assert inventory_hosts.host_name(inventory_hosts.checked_hostnames(preferences), ITEM, {}) == (expected, [], None)


@pytest.mark.parametrize('name', ['../../../../tmp/x/evil', '.hidden', 'a\\b', 'web 1', 'web\t1', 'web\n1', 'a,b',
                                  'web[1]', 'web\x1b[2J', 'web\u200b1'])
def test_a_name_that_is_not_a_safe_host_name_falls_to_the_next_preference(name):
    named = inventory_hosts.host_name(inventory_hosts.checked_hostnames(['instance-name', 'private-ip-address']), dict(ITEM, InstanceName=name), {})
    assert named.name == '10.0.0.7'
    assert named.warnings == ["instance 'ins-aaaaaaaa': instance-name %r is not a safe host name (no /, \\, leading "
                              "dot, white space, control characters, comma or brackets): not used" % name]


def test_an_unsafe_name_with_no_other_preference_falls_to_the_instance_id():
    assert inventory_hosts.host_name(inventory_hosts.checked_hostnames(['instance-name']), dict(ITEM, InstanceName='../x'), {}).name == 'ins-aaaaaaaa'


def test_a_name_another_instance_holds_falls_to_the_next_preference_naming_both():
    named = inventory_hosts.host_name(inventory_hosts.checked_hostnames(['instance-name']), ITEM, {'web-1': 'ins-bbbbbbbb'})
    warning = "instance 'ins-aaaaaaaa': instance-name 'web-1' already names instance 'ins-bbbbbbbb': not used for this one"
    assert named == ('ins-aaaaaaaa', [warning], warning)
    # Its own name, met again (the same instance listed twice), is no conflict.
    assert inventory_hosts.host_name(inventory_hosts.checked_hostnames(['instance-name']), ITEM, {'web-1': 'ins-aaaaaaaa'}).name == 'web-1'


def test_an_instance_whose_every_name_is_refused_is_left_out_saying_so():
    named = inventory_hosts.host_name(inventory_hosts.checked_hostnames(['instance-id']), dict(ITEM, InstanceId='../ins'), {})
    assert named.name is None and named.warnings[-1] == "instance '../ins' has no safe host name of its own: left out"


@pytest.mark.parametrize('address, expected', [('10.0.0.7', '10.0.0.7'), ('2001:db8::7', '2001:db8::7'),
                                               ('-oProxyCommand=touch /tmp/x', None), ('host.example', None)])
def test_ansible_host_is_only_ever_an_ip_address(address, expected):
    found, warnings = inventory_hosts.host_address(['private-ip-address'], dict(ITEM, PrivateIpAddresses=[address]))
    assert found == expected
    assert warnings == ([] if expected else ["instance 'ins-aaaaaaaa': private-ip-address %r is not an IP address: "
                                             "not used as ansible_host" % address])


@pytest.mark.parametrize('preferences, message', [
    (['dns-name'], "hostnames: unknown entry 'dns-name'; choose from instance-id, instance-name, private-ip-address, "
                   "public-ip-address"),
    ([], 'hostnames must be a non-empty list of instance-id, instance-name, private-ip-address, public-ip-address'),
    ('instance-id', 'hostnames must be a non-empty list of '),
])
def test_bad_preferences_are_named(preferences, message):
    with pytest.raises(OptionError) as caught:
        inventory_hosts.check_preferences('hostnames', preferences)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('name, shown', [
    ('x' * 57 + '/', repr('x' * 57 + '/')),
    ('x' * 58 + '/', repr('x' * 58 + '/')[:60] + '...'),
])
def test_a_refused_name_is_shown_up_to_60_characters(name, shown):
    _name, warnings, _clash = inventory_hosts.host_name(
        inventory_hosts.checked_hostnames(['instance-name', 'instance-id']), dict(ITEM, InstanceName=name), {})
    assert warnings[0].startswith("instance 'ins-aaaaaaaa': instance-name %s is not a safe host name (" % shown)


def test_an_address_preference_without_a_value_falls_to_the_next():
    found, warnings = inventory_hosts.host_address(['public-ip-address', 'private-ip-address'], ITEM)
    assert (found, warnings) == ('10.0.0.7', [])


def rendered(template):
    """A stand-in for the plugin's rendering: the one template these tests use, over ITEM's variables."""
    assert template == '{{ tencentcloud_instance_name }}.{{ tencentcloud_zone }}'
    return 'web-1.ap-guangzhou-3'


@pytest.mark.parametrize('entries, expected', [
    (['tag:env'], 'prod'),
    (['tag:missing', 'instance-id'], 'ins-aaaaaaaa'),
    (['{{ tencentcloud_instance_name }}.{{ tencentcloud_zone }}'], 'web-1.ap-guangzhou-3'),
    ([{'name': 'instance-name', 'prefix': 'tag:env'}], 'prod_web-1'),
    ([{'name': 'instance-name', 'prefix': 'tag:env', 'separator': '-'}], 'prod-web-1'),
    ([{'name': 'instance-name', 'prefix': 'tag:missing'}], 'web-1'),
    ([{'name': 'tag:missing', 'prefix': 'tag:env'}, 'instance-id'], 'ins-aaaaaaaa'),
])
def test_host_names_from_tags_templates_and_prefixes(entries, expected):
    named = inventory_hosts.host_name(inventory_hosts.checked_hostnames(entries), ITEM, {}, rendered)
    assert named == (expected, [], None)


def test_a_prefixed_name_another_instance_holds_says_which_entry_gave_it():
    preferences = inventory_hosts.checked_hostnames([{'name': 'instance-name', 'prefix': 'tag:env', 'separator': '-'}])
    named = inventory_hosts.host_name(preferences, ITEM, {'prod-web-1': 'ins-bbbbbbbb'})
    assert named.name == 'ins-aaaaaaaa'
    assert named.clash == ("instance 'ins-aaaaaaaa': tag:env-instance-name 'prod-web-1' already names instance "
                           "'ins-bbbbbbbb': not used for this one")


def test_a_template_that_renders_to_nothing_or_a_number():
    preferences = inventory_hosts.checked_hostnames(['{{ x }}', 'instance-id'])
    assert inventory_hosts.host_name(preferences, ITEM, {}, lambda template: None).name == 'ins-aaaaaaaa'
    assert inventory_hosts.host_name(preferences, ITEM, {}, lambda template: 42).name == '42'


@pytest.mark.parametrize('entries, message', [
    ([], 'hostnames must be a non-empty list of instance-id, '),
    ('instance-id', 'hostnames must be a non-empty list of '),
    (['dns-name'], "hostnames: unknown entry 'dns-name'; choose from instance-id, instance-name, private-ip-address, "
                   "public-ip-address, tag:<key>, a template over the tencentcloud_ variables, or {name: <entry>, "
                   "prefix: <entry>, separator: <text>}"),
    (['tag:'], "hostnames: unknown entry 'tag:'"),
    ([{'prefix': 'tag:env'}], 'hostnames: an entry that is a dictionary takes name (required), prefix and separator'),
    ([{'name': 'instance-id', 'suffix': 'x'}], 'hostnames: an entry that is a dictionary takes name'),
    ([{'name': 'instance-id', 'separator': 7}], 'hostnames: an entry that is a dictionary takes name'),
    ([{'name': 'instance-id', 'prefix': 'nope'}], "hostnames: unknown entry 'nope'"),
])
def test_hostnames_that_cannot_be_used_are_refused_naming_the_choices(entries, message):
    with pytest.raises(OptionError) as caught:
        inventory_hosts.checked_hostnames(entries)
    assert str(caught.value).startswith(message)


def test_a_rendered_name_is_a_plain_string_whatever_the_template_gave():
    class Marked(str):
        """As ansible-core before 2.19 marks what comes from unsafe variables."""
    preferences = inventory_hosts.checked_hostnames([{'name': '{{ n }}', 'prefix': '{{ p }}'}])
    name = inventory_hosts.host_name(preferences, ITEM, {}, lambda template: Marked('x')).name
    assert name == 'x_x' and not isinstance(name, Marked)
    name = inventory_hosts.host_name(inventory_hosts.checked_hostnames(['{{ n }}']), ITEM, {}, lambda t: Marked('y')).name
    assert name == 'y' and not isinstance(name, Marked)
