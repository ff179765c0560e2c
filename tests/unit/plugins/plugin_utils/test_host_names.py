# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rule a host name keeps, and how each instance gets its name."""

import socket

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import host_names

ITEM = {
    'InstanceId': 'ins-aaaaaaaa', 'InstanceName': 'web-1', 'InstanceState': 'RUNNING',
    'Placement': {'Zone': 'ap-guangzhou-3'}, 'PrivateIpAddresses': ['10.0.0.7'], 'Tags': [{'Key': 'env', 'Value': 'prod'}],
}


def item(**fields):
    return described_item(dict(ITEM, **fields)).item


def names(entries, *items, render=lambda template, item: None, held=lambda name, instance_id: None):
    return host_names.host_names(list(items), host_names.checked_hostnames(entries), render, held)


def nothing_holds(name, instance_id):
    return None


@pytest.mark.parametrize('name', ['web-1', 'WEB_1', 'web.example.com', '_web', '1web', 'a', 'x' * 253, '10.0.0.7',
                                  'ins-aaaaaaaa', 'localhost-1', 'localhostx', '127.0.0.1.example'])
def test_names_that_keep_the_rule(name):
    assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds) is None


# Every character class a name may not hold: path separators, white space of every kind, control and format
# characters, template and pattern syntax, shell and option syntax, quotes, and letters outside ASCII.
@pytest.mark.parametrize('character', list('/\\ \t\n\r\x0b\x0c\x00\x1b\x7f,[]{}()<>:;!&|*?~^$#%@="\'`+') +
                         ['\u0085', '\u00a0', '\u2028', '\u202e', '\u200b', '\ufeff', '\u3000', '\uff5b', '\u00e9', '网'])
def test_every_character_outside_the_rule_breaks_it(character):
    for name in ('web' + character + '1', character + 'web', 'web' + character):
        assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds).startswith('is not a safe host name (')


@pytest.mark.parametrize('name', ['-oProxyCommand=x', '-web', '.hidden', '.', '..', '', 'x' * 254, 'localhost.',
                                  '127.0.0.1.', 'web.'])
def test_a_leading_dash_or_dot_a_trailing_dot_an_empty_or_a_long_name_breaks_the_rule(name):
    assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds).startswith('is not a safe host name (')


@pytest.mark.parametrize('name', ['localhost', 'LocalHost', 'localhost.localdomain', 'localhost6', 'ip6-localhost',
                                  'ip6-loopback', 'db.localhost', '127.0.0.1', '127.1.2.3', '127.1', '2130706433',
                                  '0x7f.1', '0.0.0.0', '0'])
def test_names_of_the_controller_break_the_rule(name):
    assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds) == 'names the controller'


@pytest.mark.parametrize('name, address', [('42', '0.0.0.42'), ('010.0.0.1', '8.0.0.1'), ('10.1', '10.0.0.1'),
                                           ('0xa.0.0.1', '10.0.0.1')])
def test_an_address_written_in_an_unusual_form_breaks_the_rule(name, address):
    assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds) == \
        'is the IP address %s written in an unusual form' % address


def test_the_controllers_own_host_name_breaks_the_rule(monkeypatch):
    monkeypatch.setattr(socket, 'gethostname', lambda: 'Controller.example.com')
    for name in ('controller', 'controller.example.com', 'CONTROLLER'):
        assert host_names.broken_rule(name, 'ins-aaaaaaaa', nothing_holds) == 'names the controller'


def test_the_shape_of_another_instances_id_groups_and_names_held_elsewhere_break_the_rule():
    assert host_names.broken_rule('ins-bbbbbbbb', 'ins-aaaaaaaa', nothing_holds) == \
        'is shaped like the ID of another instance'
    for group in ('all', 'ungrouped'):
        assert host_names.broken_rule(group, 'ins-aaaaaaaa', nothing_holds) == 'is the name of a group'
    assert host_names.broken_rule('bastion', 'ins-aaaaaaaa', lambda name, instance_id: 'a host of another source') \
        == 'is the name of a host of another source'


@pytest.mark.parametrize('entries, expected', [
    (['instance-name'], 'web-1'), (['tag:env'], 'prod'), (['tag:missing', 'instance-id'], 'ins-aaaaaaaa'),
    (['private-ip-address'], '10.0.0.7'), (['public-ip-address', 'instance-id'], 'ins-aaaaaaaa'),
    ([{'name': 'instance-name', 'prefix': 'tag:env'}], 'prod_web-1'),
    ([{'name': 'instance-name', 'prefix': 'tag:env', 'separator': '-'}], 'prod-web-1'),
    ([{'name': 'instance-name', 'prefix': 'tag:missing'}], 'web-1'),
    ([{'name': 'tag:missing', 'prefix': 'tag:env'}, 'instance-id'], 'ins-aaaaaaaa'),
])
def test_the_first_preference_with_a_value_names_the_instance(entries, expected):
    assert names(entries, item()) == ({'ins-aaaaaaaa': expected}, [])


def test_a_template_entry_is_rendered_over_the_instance_and_its_result_is_a_plain_string():
    class Marked(str):
        """As ansible-core before 2.19 marks what comes from unsafe variables."""
    rendered = []

    def render(template, instance):
        rendered.append((template, instance['InstanceId']))
        return Marked('web')
    naming = names([{'name': '{{ n }}', 'prefix': '{{ p }}'}], item(), render=render)
    assert naming == ({'ins-aaaaaaaa': 'web_web'}, []) and not isinstance(naming.names['ins-aaaaaaaa'], Marked)
    assert rendered == [('{{ n }}', 'ins-aaaaaaaa'), ('{{ p }}', 'ins-aaaaaaaa')]
    assert names(['{{ x }}'], item(), render=lambda t, i: 1000.5).names == {'ins-aaaaaaaa': '1000.5'}


@pytest.mark.parametrize('name', ["{{ lookup('pipe', 'touch PWN') }}", 'localhost', '../../tmp/x', '-oProxyCommand=x',
                                  'ins-bbbbbbbb'])
def test_a_name_that_breaks_the_rule_falls_to_the_instance_id_naming_both(name):
    naming = names(['instance-name', 'private-ip-address'], item(InstanceName=name))
    assert naming.names == {'ins-aaaaaaaa': 'ins-aaaaaaaa'}
    assert len(naming.warnings) == 1 and naming.warnings[0].startswith('instance ins-aaaaaaaa: instance-name %r ' % name)
    assert naming.warnings[0].endswith(': named ins-aaaaaaaa instead')


def test_instances_that_want_one_name_each_get_their_id_whoever_is_listed_first():
    first, second = item(), item(InstanceId='ins-bbbbbbbb')
    for order in ((first, second), (second, first)):
        naming = names(['instance-name'], *order)
        assert naming.names == {'ins-aaaaaaaa': 'ins-aaaaaaaa', 'ins-bbbbbbbb': 'ins-bbbbbbbb'}
        assert sorted(naming.warnings) == [
            "instance %s: instance-name 'web-1' is wanted by 2 instances (%s): each is named by its ID instead"
            % (instance_id, ', '.join(i['InstanceId'] for i in order)) for instance_id in ('ins-aaaaaaaa', 'ins-bbbbbbbb')]


def test_an_instance_named_by_no_entry_is_left_out_and_all_such_are_told_in_one_warning():
    naming = names(['tag:Name'], item(), item(InstanceId='ins-bbbbbbbb'),
                   item(InstanceId='ins-cccccccc', Tags=[{'Key': 'Name', 'Value': 'db-1'}]))
    assert naming == ({'ins-cccccccc': 'db-1'}, [
        '2 instance(s) left out, no hostnames entry gives them a name (end the list with instance-id to name them by '
        'ID): ins-aaaaaaaa, ins-bbbbbbbb'])


def test_an_instance_whose_id_another_source_holds_is_left_out():
    def held(name, instance_id):
        return 'a host of another inventory source' if name == 'ins-aaaaaaaa' else None
    naming = names(['instance-id'], item(), held=held)
    assert naming == ({}, ['instance ins-aaaaaaaa: its ID is the name of a host of another inventory source: left out'])


def test_an_instance_whose_id_is_malformed_is_never_a_host():
    naming = names(['instance-name'], dict(ITEM, InstanceId='../ins'), dict(ITEM, InstanceId='{{ x }}'))
    assert naming == ({}, ["an instance with the malformed ID '../ins' is left out",
                           "an instance with the malformed ID '{{ x }}' is left out"])


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
        host_names.checked_hostnames(entries)
    assert str(caught.value).startswith(message)


def test_a_name_of_unsafe_characters_is_told_the_characters_rule_alone():
    assert host_names.broken_rule('web 1', 'ins-aaaaaaaa', nothing_holds) == (
        'is not a safe host name (ASCII letters, digits, ".", "-" and "_", beginning with a letter, a digit or "_", '
        'not ending with ".", at most 253 characters)')


def test_an_entry_is_written_as_the_option_takes_it():
    assert str(host_names.Preference('instance-name')) == 'instance-name'
    assert str(host_names.Preference('instance-name', 'tag:env', '-')) == 'tag:env-instance-name'
    assert host_names.checked_hostnames([{'name': 'instance-name', 'separator': '-'}]) == [
        host_names.Preference('instance-name', None, '-')]
    assert names([{'name': 'instance-name', 'separator': '-'}], item()).names == {'ins-aaaaaaaa': 'web-1'}


def test_a_dictionary_entry_that_cannot_be_used_is_repeated_in_the_message():
    with pytest.raises(OptionError) as caught:
        host_names.checked_hostnames([{'name': 'instance-id', 'separator': 7}])
    assert str(caught.value) == ("hostnames: an entry that is a dictionary takes name (required), prefix and separator "
                                 "(a string), not {'name': 'instance-id', 'separator': 7}")


def test_a_template_that_renders_no_text_gives_no_name():
    for rendered in (['web'], {'web': 1}, True, ''):
        assert names(['{{ x }}', 'instance-id'], item(), render=lambda t, i, value=rendered: value).names == {
            'ins-aaaaaaaa': 'ins-aaaaaaaa'}


def test_many_instances_that_want_one_name_are_told_three_of_them():
    wanting = [item(InstanceId='ins-%08d' % n) for n in range(5)]
    naming = names(['instance-name'], *wanting)
    assert naming.warnings[0] == ("instance ins-00000000: instance-name 'web-1' is wanted by 5 instances (ins-00000000, "
                                  "ins-00000001, ins-00000002 and 2 more): each is named by its ID instead")


def test_an_id_held_by_the_instance_itself_is_kept_and_one_held_elsewhere_leaves_only_that_instance_out():
    def held(name, instance_id):
        # As the inventory does: a host of this very instance (an earlier listing) is not another holder.
        return None if name == instance_id != 'ins-aaaaaaaa' else 'a host of another inventory source'
    naming = names(['instance-id'], item(InstanceId='ins-aaaaaaaa'), item(InstanceId='ins-bbbbbbbb'),
                   item(InstanceId='ins-cccccccc'), held=held)
    assert naming.names == {'ins-bbbbbbbb': 'ins-bbbbbbbb', 'ins-cccccccc': 'ins-cccccccc'}
    assert naming.warnings == ['instance ins-aaaaaaaa: its ID is the name of a host of another inventory source: left '
                               'out']
