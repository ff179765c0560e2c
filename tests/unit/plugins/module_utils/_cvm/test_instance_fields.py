# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a read keeps of an instance: the documented forms checked, the service's limits applied, nothing else kept."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import instance_fields
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import (
    described_item, details, page_warnings, status_item, tags_of,
)

ITEM = {
    'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING', 'InstanceName': 'web-1', 'InstanceType': 'S5.MEDIUM4',
    'Placement': {'Zone': 'ap-guangzhou-3', 'ProjectId': 0, 'HostId': 'host-1'}, 'PrivateIpAddresses': ['10.0.0.7'],
    'PublicIpAddresses': None, 'VirtualPrivateCloud': {'VpcId': 'vpc-1', 'SubnetId': 'subnet-1'},
    'Tags': [{'Key': 'env', 'Value': 'prod'}], 'LatestOperation': 'StartInstances', 'LatestOperationState': 'SUCCESS',
    'LatestOperationRequestId': '6e8b0b5e-3d3a-4b0e-9f1e-0a9c6c7f2b11', 'CPU': 2, 'Memory': 4,
    'LoginSettings': {'Password': 'never kept'}, 'DataDisks': [{'DiskSize': 50}] * 20,
}


def test_only_the_fields_a_plugin_shows_are_kept():
    kept = described_item(ITEM)
    assert kept.refusal is None and kept.cuts == []
    assert set(kept.item) == set(instance_fields.DESCRIBED_FIELDS) | set(instance_fields.DESCRIBED_OBJECTS) | {'Tags'}
    assert kept.item['Placement'] == {'Zone': 'ap-guangzhou-3', 'ProjectId': 0}
    assert kept.item['Tags'] == [{'Key': 'env', 'Value': 'prod'}] and kept.item['PublicIpAddresses'] == []
    assert status_item(ITEM) == ({'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}, None, [])


@pytest.mark.parametrize('instance_id', ['ins-1122', 'ins-AAAAAAAA', 'ins-aaaaaaaaa', ' ins-aaaaaaaa', 'ins-aaaaaaa\n',
                                         'lhins-aaaaaaaa', '{{ x }}', '', None, 7, ['ins-aaaaaaaa']])
def test_an_id_not_of_the_documented_form_leaves_the_item_out(instance_id):
    for keep in (status_item, described_item):
        kept = keep(dict(ITEM, InstanceId=instance_id))
        assert kept.item is None and kept.refusal.startswith('an item whose InstanceId is ')


@pytest.mark.parametrize('state', ['running', 'RUNNING ', '', 'RUN-NING', '1RUNNING', 'A' * 65, None, {}])
def test_a_state_not_of_the_documented_form_leaves_the_item_out(state):
    assert described_item(dict(ITEM, InstanceState=state)).item is None


def test_a_state_unknown_today_but_of_the_form_is_kept():
    assert described_item(dict(ITEM, InstanceState='HIBERNATING')).item['InstanceState'] == 'HIBERNATING'


@pytest.mark.parametrize('field, value', [
    ('LatestOperation', 'Start Instances'), ('LatestOperation', '{{ x }}'), ('LatestOperationState', 'done'),
    ('LatestOperationRequestId', 'req\n1'), ('LatestOperationRequestId', '{{ x }}'), ('CPU', True), ('CPU', '2'),
    ('Memory', 4.5),
])
def test_a_field_not_of_its_form_is_not_kept(field, value):
    assert described_item(dict(ITEM, **{field: value})).item[field] is None


@pytest.mark.parametrize('address, kept', [('10.0.0.7', ['10.0.0.7']), ('2402:4e00::7', ['2402:4e00::7']),
                                           ('fe80::1%eth0', []), ('fe80::1%{{ x }}', []), ('10.0.0.7 ', []),
                                           ('-oProxyCommand=x', []), (7, []),
                                           # The controller itself, or its own link.
                                           ('127.0.0.1', []), ('127.1.2.3', []), ('::1', []), ('0.0.0.0', []),
                                           ('::', []), ('::ffff:127.0.0.1', []), ('::ffff:0.0.0.0', []),
                                           ('169.254.169.254', []), ('fe80::1', []),
                                           # An address of another host, but with a zone: whose interface is that?
                                           ('2001:db8::7%eth0', []),
                                           ('::ffff:10.0.0.7', ['::ffff:a00:7'])])
def test_an_address_is_the_address_of_another_host(address, kept):
    item = described_item(dict(ITEM, PrivateIpAddresses=[address]))
    assert item.item['PrivateIpAddresses'] == kept
    assert item.cuts == ([] if kept else ['PrivateIpAddresses not the address of another host (an IP address without '
                                          'a zone, not loopback, unspecified or link-local)'])


def test_text_is_printable_and_cut_to_the_services_limits():
    kept = described_item(dict(ITEM, InstanceName='web\x1b[2J' + 'x' * 200, OsName='TencentOS\u202e',
                               LatestOperationErrorMsg='e' * 1000))
    assert kept.item['InstanceName'] == 'web\ufffd[2J' + 'x' * 121
    assert kept.item['OsName'] == 'TencentOS\ufffd' and len(kept.item['LatestOperationErrorMsg']) == 300
    assert kept.cuts == ['a name longer than 128 characters']


def test_tags_are_at_most_50_pairs_of_text_each_cut_to_the_services_limits():
    tags = [{'Key': 'k%03d' % n + 'k' * 200, 'Value': 'v' * 300} for n in range(60)]
    kept = described_item(dict(ITEM, Tags=tags))
    assert len(kept.item['Tags']) == 50
    assert {len(tag['Key']) for tag in kept.item['Tags']} == {127}
    assert {len(tag['Value']) for tag in kept.item['Tags']} == {255}
    assert kept.cuts == ['a tag longer than the 127 characters of a key or 255 of a value',
                         '60 tags, more than the 50 a resource can have']


def test_text_at_the_services_limits_is_kept_whole_and_one_character_more_is_cut():
    at_limits = described_item(dict(ITEM, InstanceName='n' * 128, SecurityGroupIds=['sg-' + 'g' * 252],
                                    Tags=[{'Key': 'k' * 127, 'Value': 'v' * 255}]))
    assert at_limits.cuts == [] and at_limits.item['InstanceName'] == 'n' * 128
    assert at_limits.item['Tags'] == [{'Key': 'k' * 127, 'Value': 'v' * 255}]
    assert at_limits.item['SecurityGroupIds'] == ['sg-' + 'g' * 252]
    for tag in ({'Key': 'k' * 128, 'Value': 'v'}, {'Key': 'k', 'Value': 'v' * 256}):
        assert described_item(dict(ITEM, Tags=[tag])).cuts == [
            'a tag longer than the 127 characters of a key or 255 of a value']
    assert described_item(dict(ITEM, SecurityGroupIds=['sg-' + 'g' * 300])).item['SecurityGroupIds'] == [
        'sg-' + 'g' * 252]


def test_what_is_not_a_tag_is_left_out_and_a_key_keeps_its_first_value():
    tags = ['junk', {'Value': 'no key'}, {'Key': '', 'Value': 'empty key'}, {'Key': 'n', 'Value': 7},
            {'Key': {'nested': 1}, 'Value': 'x'}, {'Key': 'env', 'Value': 'prod'}, {'Key': 'env', 'Value': 'stage'},
            {'Key': 'role\n', 'Value': 'web'}]
    assert tags_of(described_item(dict(ITEM, Tags=tags)).item) == {'env': 'prod', 'role\ufffd': 'web'}


def test_details_are_the_kept_item_in_snake_case():
    found = details('ap-guangzhou', described_item(ITEM).item)
    assert found['instance_id'] == 'ins-aaaaaaaa' and found['region'] == 'ap-guangzhou'
    assert found['tags'] == {'env': 'prod'} and found['zone'] == 'ap-guangzhou-3' and found['public_ip_addresses'] == []
    prepaid = details('ap-guangzhou', described_item(dict(ITEM, ExpiredTime='2027-01-01T00:00:00Z')).item)
    assert prepaid['expired_time'] == '2027-01-01T00:00:00Z' and found['expired_time'] is None


def test_a_page_of_items_left_out_or_cut_is_told_in_one_warning_each():
    refused = [described_item(dict(ITEM, InstanceId='bad-%d' % n)) for n in range(5)]
    cut = [described_item(dict(ITEM, InstanceId='ins-0000000%d' % n, InstanceName='x' * 200)) for n in range(4)]
    warnings = page_warnings('DescribeInstances', refused, cut)
    assert warnings == [
        "DescribeInstances answered 5 item(s) not of the documented form, left out (InvalidResponse): an item whose "
        "InstanceId is 'bad-0'; an item whose InstanceId is 'bad-1'; an item whose InstanceId is 'bad-2'",
        "DescribeInstances answered 4 instance(s) with fields beyond the service's limits or not of their documented "
        "form, kept in part: ins-00000000: a name longer than 128 characters; ins-00000001: a name longer than 128 "
        "characters; ins-00000002: a name longer than 128 characters"]
    assert page_warnings('DescribeInstances', [], []) == []


@pytest.mark.parametrize('instance_id, shown', [
    ('x' * 40, repr('x' * 40)),
    ('x' * 41, repr('x' * 40) + '...'),
    (None, 'missing'),
    (['ins-aaaaaaaa'], 'a list'),
])
def test_a_refused_value_is_shown_escaped_and_cut(instance_id, shown):
    assert described_item(dict(ITEM, InstanceId=instance_id)).refusal == 'an item whose InstanceId is %s' % shown


def test_every_cut_of_an_instance_is_told():
    kept = described_item(dict(ITEM, InstanceName='x' * 200, PrivateIpAddresses=['127.0.0.1']))
    [warning] = page_warnings('DescribeInstances', [], [kept])
    assert warning.endswith('ins-aaaaaaaa: a name longer than 128 characters, PrivateIpAddresses not the address of '
                            'another host (an IP address without a zone, not loopback, unspecified or link-local)')
