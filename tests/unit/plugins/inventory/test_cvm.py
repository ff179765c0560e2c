# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin loaded the way Ansible loads it, with only the HTTP session faked."""

import json
import re

import pytest
import yaml
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible_collections.tencentcloud.cloud.plugins.inventory import cvm
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import inventory_hosts

STATES = {'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED', 'ins-cccccccc': 'RUNNING'}
CONFIG = ('plugin: tencentcloud.cloud.cvm\nregion: ap-guangzhou\nsecret_id: AKIDinventory\nsecret_key: inventory-key\n'
          'keyed_groups:\n  - key: tencentcloud_instance_state\n    prefix: state\n')


@pytest.fixture
def session(fake_service):
    fake_service.service.states.update(STATES)
    fake_service.service.operations['ins-bbbbbbbb'] = {'LatestOperation': 'StopInstances',
                                                       'LatestOperationState': 'SUCCESS'}
    return fake_service


def parse(tmp_path, text, name='test_tencentcloud_cvm.yml'):
    path = tmp_path / name
    path.write_text(text)
    inventory = InventoryData()
    plugin = inventory_loader.get('tencentcloud.cloud.cvm')
    assert plugin.verify_file(str(path))
    plugin.parse(inventory, DataLoader(), str(path), cache=False)
    return inventory


def test_each_instance_is_a_host_with_its_state_in_variables_and_groups(session, tmp_path):
    inventory = parse(tmp_path, CONFIG)
    assert sorted(inventory.hosts) == sorted(STATES)
    stopped = inventory.get_host('ins-bbbbbbbb').get_vars()
    assert stopped['tencentcloud_instance_state'] == 'STOPPED' and stopped['tencentcloud_region'] == 'ap-guangzhou'
    assert stopped['tencentcloud_latest_operation'] == 'StopInstances'
    assert sorted(h.name for h in inventory.groups['state_RUNNING'].get_hosts()) == ['ins-aaaaaaaa', 'ins-cccccccc']
    assert [json.loads(sent['data']) for sent in session.sent] == [{'Offset': 0, 'Limit': 100}]
    assert session.sent[0]['headers']['X-TC-Action'] == 'DescribeInstances'


def test_filters_go_to_the_api(session, tmp_path):
    parse(tmp_path, CONFIG + 'filters:\n  instance-state: running\n  "tag:env": [prod, stage]\n')
    assert json.loads(session.sent[0]['data'])['Filters'] == [
        {'Name': 'instance-state', 'Values': ['RUNNING']}, {'Name': 'tag:env', 'Values': ['prod', 'stage']}]


def test_each_region_is_listed(session, tmp_path):
    parse(tmp_path, CONFIG + 'regions: [ap-guangzhou, ap-shanghai, ap-guangzhou]\n')
    assert sorted(sent['headers']['X-TC-Region'] for sent in session.sent) == ['ap-guangzhou', 'ap-shanghai']


@pytest.mark.parametrize('extra, message', [
    ('filters: {state: RUNNING}\n', "tencentcloud.cloud.cvm: filters: unknown filter 'state'"),
    ('hostnames: [dns-name]\n', "tencentcloud.cloud.cvm: hostnames: unknown entry 'dns-name'"),
    ('ansible_host_preferences: [ipv6]\n', "tencentcloud.cloud.cvm: ansible_host_preferences: unknown entry 'ipv6'"),
    ('regions: [Guangzhou]\n', "tencentcloud.cloud.cvm: regions 'Guangzhou' is not a region name"),
    ('validate_certs: perhaps\n', 'tencentcloud.cloud.cvm: validate_certs must be true or false'),
    # Ansible ignores keys a plugin does not have: "filter" would list the whole region, beside a power module.
    ('filter: {instance-state: RUNNING}\n',
     'tencentcloud.cloud.cvm: unknown option filter (did you mean filters?); the options are '),
    ('filters: {instance-state: runing}\n',
     'tencentcloud.cloud.cvm: filters: instance-state: unknown instance state RUNING'),
])
def test_bad_configuration_fails_the_source_naming_the_option_before_any_call(session, tmp_path, extra, message):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, CONFIG + extra)
    assert str(caught.value).startswith(message) and session.sent == []


def test_an_api_error_names_the_region(session, tmp_path):
    session.error = ('UnsupportedRegion', 'The action does not support the region.', 'req-1')
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, CONFIG)
    assert str(caught.value).startswith('tencentcloud.cloud.cvm: region ap-guangzhou (from the region option): '
                                        'UnsupportedRegion: ')


def test_only_files_named_for_the_plugin_are_read(tmp_path):
    (tmp_path / 'hosts.yml').write_text(CONFIG)
    assert not inventory_loader.get('tencentcloud.cloud.cvm').verify_file(str(tmp_path / 'hosts.yml'))


def test_host_names_and_addresses_follow_the_preferences(session, tmp_path):
    inventory = parse(tmp_path, CONFIG + 'hostnames: [public-ip-address, instance-id]\n'
                                         'ansible_host_preferences: [public-ip-address]\n')
    # The fake has no addresses: names fall back to the ID, and no ansible_host is set.
    assert sorted(inventory.hosts) == sorted(STATES)
    assert 'ansible_host' not in inventory.get_host('ins-aaaaaaaa').get_vars()


def test_every_host_is_in_the_instances_group_which_may_be_renamed(session, tmp_path):
    assert sorted(h.name for h in parse(tmp_path, CONFIG).groups['tencentcloud'].get_hosts()) == sorted(STATES)
    inventory = parse(tmp_path, CONFIG + 'instances_group: cvm\n')
    assert sorted(h.name for h in inventory.groups['cvm'].get_hosts()) == sorted(STATES)


def test_host_names_from_a_template_over_the_hosts_variables(session, tmp_path):
    inventory = parse(tmp_path, CONFIG + "hostnames:\n  - name: '{{ tencentcloud_instance_id[-2:] }}'\n"
                                         "    prefix: '{{ tencentcloud_instance_state | lower }}'\n")
    assert sorted(inventory.hosts) == ['running_aa', 'running_cc', 'stopped_bb']


def test_a_template_that_fails_for_a_host_falls_to_the_next_preference_or_with_strict_fails(session, tmp_path):
    hostnames = "hostnames: ['{{ tencentcloud_tags.Name }}', instance-id]\n"
    assert sorted(parse(tmp_path, CONFIG + hostnames).hosts) == sorted(STATES)
    with pytest.raises(AnsibleParserError, match='tencentcloud.cloud.cvm: hostnames: cannot render its template'):
        parse(tmp_path, CONFIG + hostnames + 'strict: true\n')


def test_options_that_are_templates_are_rendered_before_the_listing(session, tmp_path, monkeypatch):
    monkeypatch.setenv('INVENTORY_REGION', 'ap-shanghai')
    monkeypatch.setenv('INVENTORY_ID', 'AKIDfromenv')
    config = CONFIG.replace('secret_id: AKIDinventory', "secret_id: \"{{ lookup('env', 'INVENTORY_ID') }}\"")
    parse(tmp_path, config + "regions: [\"{{ lookup('env', 'INVENTORY_REGION') }}\"]\n")
    assert session.sent[0]['headers']['X-TC-Region'] == 'ap-shanghai'
    assert 'Credential=AKIDfromenv/' in session.sent[0]['headers']['Authorization']


def test_a_rendered_option_that_is_still_not_usable_says_it_was_rendered(session, tmp_path, monkeypatch):
    monkeypatch.setenv('INVENTORY_ID', 'not a key')
    config = CONFIG.replace('secret_id: AKIDinventory', "secret_id: \"{{ lookup('env', 'INVENTORY_ID') }}\"")
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, config)
    assert str(caught.value).endswith('(secret_id rendered from a template)') and 'not a key' not in str(caught.value)
    assert session.sent == []


def test_a_credential_that_renders_empty_fails_the_source_rather_than_fall_back(session, tmp_path, monkeypatch):
    # The next source of the chain (the environment, a profile) may be keys of another account.
    monkeypatch.delenv('INVENTORY_ID', raising=False)
    config = CONFIG.replace('secret_id: AKIDinventory', "secret_id: \"{{ lookup('env', 'INVENTORY_ID') }}\"")
    with pytest.raises(AnsibleParserError, match=r'^tencentcloud.cloud.cvm: secret_id rendered empty from its '
                                                 r'template'):
        parse(tmp_path, config)
    assert session.sent == []


def test_a_template_that_cannot_be_rendered_names_the_option(session, tmp_path):
    with pytest.raises(AnsibleParserError, match=r'^tencentcloud.cloud.cvm: endpoint: cannot render its template'):
        parse(tmp_path, CONFIG + "endpoint: '{{ no_such_variable }}'\n")


def test_instances_that_want_one_name_are_each_named_by_their_id_or_with_strict_fail_the_source(session, tmp_path):
    session.service.operations = {}
    config = CONFIG + "hostnames: ['{{ tencentcloud_region }}', instance-id]\n"
    assert sorted(parse(tmp_path, config).hosts) == sorted(STATES)
    with pytest.raises(AnsibleParserError, match=r"instance ins-aaaaaaaa: \{\{ tencentcloud_region \}\} 'ap-guangzhou' is "
                                                 r"wanted by 3 instances \(ins-aaaaaaaa, ins-bbbbbbbb, ins-cccccccc\).*"
                                                 r"with strict, every instance must have a name of its own"):
        parse(tmp_path, config + 'strict: true\n')


def parse_beside(tmp_path, static, config):
    """The source after a static inventory, as Ansible reads a directory or several -i."""
    inventory = InventoryData()
    static_path = tmp_path / 'hosts.ini'
    static_path.write_text(static)
    loader = DataLoader()
    ini = inventory_loader.get('ansible.builtin.ini')
    ini.parse(inventory, loader, str(static_path), cache=False)
    path = tmp_path / 'test_tencentcloud_cvm.yml'
    path.write_text(config)
    inventory_loader.get('tencentcloud.cloud.cvm').parse(inventory, loader, str(path), cache=False)
    return inventory


def named(session, names):
    for instance_id, name in names.items():
        session.service.operations.setdefault(instance_id, {})['InstanceName'] = name


@pytest.mark.parametrize('name', ['localhost', 'LOCALHOST', '127.0.0.1', '127.1', '0.0.0.0', 'ip6-localhost',
                                  'db.localhost', 'all', 'ungrouped', 'tencentcloud', 'state_RUNNING',
                                  '-oProxyCommand=x', '.hidden', 'ins-bbbbbbbb', "{{ lookup('pipe', 'id') }}",
                                  'web_{{7*7}}', 'web 1', 'web\u00e9', '127.0.0.1.', '2130706433'])
def test_a_name_that_breaks_the_rule_names_the_instance_by_its_id(session, tmp_path, name):
    named(session, {'ins-aaaaaaaa': name})
    inventory = parse(tmp_path, CONFIG + 'hostnames: [instance-name, instance-id]\n')
    assert sorted(inventory.hosts) == sorted(STATES)
    assert inventory.get_host('ins-aaaaaaaa').get_vars()['tencentcloud_instance_name'] == name


def test_a_name_another_source_holds_or_a_group_of_it_leaves_both_alone(session, tmp_path):
    named(session, {'ins-aaaaaaaa': 'bastion', 'ins-bbbbbbbb': 'web', 'ins-cccccccc': 'db'})
    inventory = parse_beside(tmp_path, 'bastion ansible_host=10.9.9.9\n[web]\nweb1\n',
                             CONFIG + 'hostnames: [instance-name, instance-id]\n')
    assert sorted(inventory.hosts) == ['bastion', 'db', 'ins-aaaaaaaa', 'ins-bbbbbbbb', 'web1']
    bastion = inventory.get_host('bastion').get_vars()
    assert bastion['ansible_host'] == '10.9.9.9' and 'tencentcloud_instance_id' not in bastion
    assert [h.name for h in inventory.groups['web'].get_hosts()] == ['web1']
    assert inventory.get_host('ins-aaaaaaaa').get_vars()['tencentcloud_instance_name'] == 'bastion'


def test_a_name_that_a_group_of_this_source_takes_is_not_a_host_too(session, tmp_path):
    # state_STOPPED is a keyed group of this very source: the instance so named gets its ID, the group its members.
    named(session, {'ins-aaaaaaaa': 'state_STOPPED', 'ins-cccccccc': 'web-1'})
    inventory = parse(tmp_path, CONFIG + 'hostnames: [instance-name, instance-id]\n')
    assert sorted(inventory.hosts) == ['ins-aaaaaaaa', 'ins-bbbbbbbb', 'web-1']
    assert [h.name for h in inventory.groups['state_STOPPED'].get_hosts()] == ['ins-bbbbbbbb']
    assert sorted(h.name for h in inventory.groups['state_RUNNING'].get_hosts()) == ['ins-aaaaaaaa', 'web-1']
    web = inventory.get_host('web-1').get_vars()
    assert web['tencentcloud_instance_id'] == 'ins-cccccccc' and web['group_names'] == ['state_RUNNING', 'tencentcloud']
    assert 'tencentcloud_instance_id' not in inventory.groups['state_STOPPED'].get_vars()


def test_the_same_instance_from_two_sources_is_one_host(session, tmp_path):
    named(session, {'ins-aaaaaaaa': 'web-1'})
    config = CONFIG + 'hostnames: [instance-name, instance-id]\n'
    inventory = InventoryData()
    for name in ('a_tencentcloud_cvm.yml', 'b_tencentcloud_cvm.yml'):
        (tmp_path / name).write_text(config)
        inventory_loader.get('tencentcloud.cloud.cvm').parse(inventory, DataLoader(), str(tmp_path / name), cache=False)
    assert sorted(inventory.hosts) == ['ins-bbbbbbbb', 'ins-cccccccc', 'web-1']


def test_an_instance_no_entry_names_is_left_out_with_one_warning_or_with_strict_fails(session, tmp_path, mocker):
    warning = mocker.patch('ansible_collections.tencentcloud.cloud.plugins.plugin_utils.controller_plugin.display.warning')
    named(session, {'ins-aaaaaaaa': 'web-1'})
    config = CONFIG + 'hostnames: [instance-name]\n'
    session.service.operations['ins-bbbbbbbb']['InstanceName'] = None
    session.service.operations['ins-cccccccc'] = {'InstanceName': None}
    assert sorted(parse(tmp_path, config).hosts) == ['web-1']
    assert [call.args[0] for call in warning.call_args_list] == [
        'tencentcloud.cloud.cvm: 2 instance(s) left out, no hostnames entry gives them a name (end the list with '
        'instance-id to name them by ID): ins-bbbbbbbb, ins-cccccccc']
    with pytest.raises(AnsibleParserError, match='2 instance\\(s\\) left out'):
        parse(tmp_path, config + 'strict: true\n')


def test_strict_permissions_must_be_a_clear_yes_or_no(session, tmp_path):
    with pytest.raises(AnsibleParserError, match='strict_permissions must be true or false'):
        parse(tmp_path, CONFIG + 'strict_permissions: perhaps\n')


def test_every_example_configuration_is_one_the_plugin_takes():
    from ansible_collections.tencentcloud.cloud.plugins.inventory import cvm
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import api_filters
    from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.host_names import checked_hostnames
    options = yaml.safe_load(cvm.DOCUMENTATION)['options']
    # One document: ansible-core 2.16's sanity test takes no more (the guide has the other configurations, run as
    # written by the docs_snippets target).
    for example in [yaml.safe_load(cvm.EXAMPLES)]:
        assert example['plugin'] == 'tencentcloud.cloud.cvm'
        # Beside its own options, those of the constructed, inventory_cache and common fragments.
        from_fragments = {'keyed_groups', 'compose', 'groups', 'strict', 'cache', 'cache_plugin', 'cache_connection',
                          'cache_timeout', 'secret_id', 'secret_key'}
        assert set(example) - set(options) - from_fragments == set()
        checked_hostnames(example.get('hostnames', ['instance-id']))
        for filters in [example.get('filters', {})] + example.get('include_filters', []) + example.get('exclude_filters', []):
            api_filters('filters', filters)


def test_an_aws_ec2_expression_undefined_for_every_host_is_warned_of_once_with_the_nearest_variable(
        session, tmp_path, mocker):
    warning = mocker.patch('ansible_collections.tencentcloud.cloud.plugins.plugin_utils.controller_plugin.display.warning')
    config = CONFIG.replace('keyed_groups:\n', 'keyed_groups:\n  - key: tags.role\n')
    inventory = parse(tmp_path, config + 'compose:\n  ansible_host: private_ip_address\n'
                                         '  state: tencentcloud_instance_state\n')
    assert [call.args[0] for call in warning.call_args_list] == [
        "tencentcloud.cloud.cvm: compose.ansible_host: 'private_ip_address' is undefined for every host (did you mean "
        "tencentcloud_private_ip_addresses?)",
        "tencentcloud.cloud.cvm: keyed_groups key: 'tags.role' is undefined for every host (did you mean "
        "tencentcloud_tags.role?)"]
    # What is defined works as ever.
    assert inventory.get_host('ins-aaaaaaaa').get_vars()['state'] == 'RUNNING'
    assert 'state_RUNNING' in inventory.groups


def test_every_host_variable_is_in_the_documentation():
    documentation = yaml.safe_load(cvm.DOCUMENTATION)
    documented = set(re.findall(r'C\((tencentcloud_\w+)\)', ' '.join(documentation['description'])))
    assert documented == set(inventory_hosts.host_vars('ap-guangzhou', {}))
