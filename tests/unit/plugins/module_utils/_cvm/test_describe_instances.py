# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeInstances: the filters as the API takes them, paging, and the latest operation of each instance."""

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import describe_instances
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import shared_reads
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import ScriptedClient, paged


def test_filters_take_a_value_or_a_list():
    assert describe_instances.api_filters('filters', {'instance-state': 'RUNNING', 'tag:env': ['prod', 'stage'],
                                                      'project-id': 0}) == [
        {'Name': 'instance-state', 'Values': ['RUNNING']}, {'Name': 'tag:env', 'Values': ['prod', 'stage']},
        {'Name': 'project-id', 'Values': ['0']}]


def test_instance_states_are_matched_by_the_api_as_it_spells_them():
    # The API matches exactly: "running" would select nothing.
    assert describe_instances.api_filters('filters', {'instance-state': ['running', ' Stopped ']}) == [
        {'Name': 'instance-state', 'Values': ['RUNNING', 'STOPPED']}]


@pytest.mark.parametrize('filters, message', [
    ({'state': 'RUNNING'}, "filters: unknown filter 'state' (did you mean instance-state?); known filters: "),
    ({'instance-state': 'RUNING'}, 'filters: instance-state: unknown instance state RUNING; known states: '),
    ({'tag:': 'x'}, "filters: unknown filter 'tag:'"),
    ({'zone': ['a', 'b', 'c', 'd', 'e', 'f']}, 'filters: filter zone has 6 values; the API takes 1 to 5'),
    ({'zone': []}, 'filters: filter zone has 0 values; the API takes 1 to 5'),
    ({'tag:k%d' % n: 'v' for n in range(11)}, 'filters: 11 filters, more than the 10 the API takes'),
    (['zone'], 'filters must be a dictionary of filter names to a value or a list of values'),
])
def test_filters_the_api_would_refuse_are_refused_by_name(filters, message):
    with pytest.raises(OptionError) as caught:
        describe_instances.api_filters('filters', filters)
    assert str(caught.value).startswith(message)


def instance(n, **fields):
    return dict({'InstanceId': 'ins-%08d' % n, 'InstanceState': 'RUNNING'}, **fields)


def listing(items):
    return ScriptedClient(answer=lambda action, params: paged(items, params, 'InstanceSet'), scope='listing')


def test_as_many_filters_and_values_as_the_api_takes_are_taken():
    filters = {'tag:k%d' % n: ['v1', 'v2', 'v3', 'v4', 'v5'] for n in range(describe_instances.MAX_FILTERS)}
    assert len(describe_instances.api_filters('filters', filters)) == describe_instances.MAX_FILTERS


def test_every_matching_instance_in_ceil_n_over_100_calls_with_the_filters_on_each():
    client = listing([instance(n, Placement={'Zone': 'ap-guangzhou-3'}) for n in range(250)])
    found = describe_instances.InstanceReader(client).matching([{'Name': 'zone', 'Values': ['ap-guangzhou-3']}])
    assert [item['InstanceId'] for item in found] == ['ins-%08d' % n for n in range(250)]
    assert sorted(params['Offset'] for params in client.calls) == [0, 100, 200]
    assert all(action == 'DescribeInstances' and params['Limit'] == 100
               and params['Filters'] == [{'Name': 'zone', 'Values': ['ap-guangzhou-3']}] for action, params in zip(client.actions, client.calls))


# An instance every documented filter selects, with the value each filter is given.
SELECTED = instance(
    7, InstanceName='web-frontend-1', InstanceChargeType='POSTPAID_BY_HOUR', InstanceType='S5.MEDIUM4',
    Placement={'Zone': 'ap-guangzhou-3', 'ProjectId': 0}, VirtualPrivateCloud={'VpcId': 'vpc-1', 'SubnetId': 'subnet-1'},
    SecurityGroupIds=['sg-1', 'sg-2'], PrivateIpAddresses=['10.0.0.7'], PublicIpAddresses=['203.0.113.7'],
    Tags=[{'Key': 'env', 'Value': 'prod'}, {'Key': 'Name', 'Value': 'web'}])
SELECTING = {
    'instance-id': 'ins-00000007', 'instance-name': 'frontend', 'instance-state': 'RUNNING',
    'instance-charge-type': 'POSTPAID_BY_HOUR', 'instance-type': 'S5.MEDIUM4', 'zone': 'ap-guangzhou-3',
    'project-id': '0', 'vpc-id': 'vpc-1', 'subnet-id': 'subnet-1', 'security-group-id': 'sg-2',
    'private-ip-address': '10.0.0.7', 'public-ip-address': '203.0.113.7', 'tag-key': 'env', 'tag-value': 'prod',
    'tag:env': 'prod',
}


def kept(item):
    return describe_instances.described_item(item).item


def test_every_documented_filter_is_checked_again_on_what_the_service_lists():
    assert set(SELECTING) == set(describe_instances.FILTER_NAMES) | {'tag:env'}
    for name, value in SELECTING.items():
        assert describe_instances.selects([{'Name': name, 'Values': ['other', value]}], kept(SELECTED)), name
        assert not describe_instances.selects([{'Name': name, 'Values': ['other']}], kept(SELECTED)), name
        assert not describe_instances.selects([{'Name': name, 'Values': [value]}], kept(instance(7))) \
            or name in ('instance-id', 'instance-state'), name


def test_an_instance_without_a_name_or_a_project_is_selected_by_no_name_or_project_filter():
    bare = kept(instance(7, Placement={'Zone': 'ap-guangzhou-3'}))
    assert not describe_instances.selects([{'Name': 'instance-name', 'Values': ['X']}], bare)
    assert not describe_instances.selects([{'Name': 'project-id', 'Values': ['0']}], bare)


def test_every_filter_must_select_an_instance():
    assert describe_instances.selects([{'Name': 'zone', 'Values': ['ap-guangzhou-3']},
                                       {'Name': 'tag:env', 'Values': ['prod']}], kept(SELECTED))
    assert not describe_instances.selects([{'Name': 'zone', 'Values': ['ap-guangzhou-3']},
                                           {'Name': 'tag:env', 'Values': ['stage']}], kept(SELECTED))
    assert not describe_instances.selects([{'Name': 'tag:Name', 'Values': ['prod']}], kept(SELECTED))
    assert describe_instances.selects([], kept(SELECTED))


def test_an_instance_listed_that_the_filters_do_not_select_is_left_out_and_named():
    # The service's word alone never puts an instance among those a task reads, stops or terminates.
    client = listing([SELECTED, instance(8, Tags=[{'Key': 'env', 'Value': 'dev'}]), instance(9)])
    reader = describe_instances.InstanceReader(client)
    filters = [{'Name': 'tag:env', 'Values': ['prod']}]
    assert [item['InstanceId'] for item in reader.matching(filters)] == ['ins-00000007']
    assert reader.unselected == ['ins-00000008', 'ins-00000009']
    assert [item['InstanceId'] for item in reader.listed(filters)] == ['ins-00000007', 'ins-00000008', 'ins-00000009']
    # Each listing says what it left out: a reader that lists for ever keeps no more than the latest.
    reader.matching([{'Name': 'instance-id', 'Values': ['ins-00000008']}])
    assert reader.unselected == ['ins-00000007', 'ins-00000009']


def test_no_filters_sends_none():
    client = listing([instance(1)])
    describe_instances.InstanceReader(client).matching([])
    assert (client.actions, client.calls) == (['DescribeInstances'], [{'Offset': 0, 'Limit': 100}])


def test_latest_operations_batch_100_ids_a_call():
    client = listing([instance(n, LatestOperation='StartInstances', LatestOperationState='FAILED',
                               LatestOperationRequestId='req-%d' % n, LatestOperationErrorMsg='no capacity')
                      for n in range(150)])
    operations = describe_instances.InstanceReader(client).latest_operations(['ins-%08d' % n for n in range(150)], None)
    assert len(client.calls) == 2
    assert operations['ins-00000007'] == describe_instances.Operation('StartInstances', 'FAILED', 'req-7', 'no capacity')


def test_an_instance_without_operation_fields_has_none():
    client = listing([instance(1, LatestOperation='', LatestOperationState=7)])
    operations = describe_instances.InstanceReader(client).latest_operations(['ins-00000001'], None)
    assert operations == {'ins-00000001': describe_instances.Operation(None, None, None, None)}


def test_an_instance_without_a_state_is_left_out_saying_so():
    client = listing([{'InstanceId': 'ins-00000001'}, {'InstanceId': 'ins-00000002', 'InstanceState': 'RUNNING'}])
    assert [item['InstanceId'] for item in describe_instances.InstanceReader(client).matching([])] == ['ins-00000002']
    assert client.warnings == ['DescribeInstances answered 1 item(s) not of the documented form, left out '
                               '(InvalidResponse): an item whose InstanceState is missing']


def test_shared_latest_operations_keep_the_operation_and_nothing_else_of_the_instance(tmp_path):
    place = tmp_path / 'reads-listing-DescribeInstances'
    place.mkdir(mode=0o700)
    (place / 'asked-other').write_text('{"ids": ["ins-00000002"]}')
    client = listing([instance(n, LatestOperation='StopInstances', LatestOperationState='FAILED',
                               LatestOperationRequestId='req-%d' % n, LatestOperationErrorMsg='busy',
                               PrivateIpAddresses=['10.0.0.%d' % n]) for n in range(3)])
    shared = shared_reads.SharedReads(PrivateDirectory.open(str(tmp_path)), lease=10.0, patience=60.0, attempts=1,
                                      warnings=[])
    reader = describe_instances.InstanceReader(client, shared)
    operations = reader.latest_operations(['ins-00000001'], None)
    assert len(client.calls) == 1
    assert operations == {'ins-00000001': describe_instances.Operation('StopInstances', 'FAILED', 'req-1', 'busy')}
    shared = json.loads((place / 'answer-other').read_text())['found']['ins-00000002']
    assert sorted(shared) == sorted(('InstanceId', 'InstanceState') + describe_instances.OPERATION_FIELDS)


@pytest.mark.parametrize('typed, meant', [('instance-state-name', 'instance-state'), ('availability-zone', 'zone'),
                                          ('instance-stat', 'instance-state'), ('tag', 'tag:<key>'),
                                          ('vpcid', 'vpc-id'), ('role', 'tag:role'), ('id', 'tag:id'),
                                          ('name', 'instance-name')])
def test_an_unknown_filter_names_the_one_it_most_likely_means(typed, meant):
    # A bare word no filter is spelt like is the one filter it ends, else most likely a tag key.
    with pytest.raises(OptionError, match=r"^filters: unknown filter '%s' \(did you mean %s\?\); known filters: "
                                          % (typed, meant)):
        describe_instances.api_filters('filters', {typed: 'x'})


@pytest.mark.parametrize('typed', [
    # No hint where none would help: a name with a colon (a tag filter misspelt is another matter), an empty one, one
    # of more than 60 characters (a value pasted as a name), or one that is not text.
    'tags:role', '', 'r' * 61, 7,
])
def test_an_unknown_filter_gets_no_hint_where_none_would_help(typed):
    with pytest.raises(OptionError) as caught:
        describe_instances.api_filters('filters', {typed: 'x'})
    assert str(caught.value).startswith("filters: unknown filter %.60r; known filters: " % (typed,))


def test_a_long_word_is_still_taken_for_a_tag_key_up_to_60_characters():
    with pytest.raises(OptionError, match=r"\(did you mean tag:%s\?\)" % ('r' * 60)):
        describe_instances.api_filters('filters', {'r' * 60: 'x'})


def test_an_operation_field_empty_or_not_text_is_not_given():
    # What another process shared is text or nothing; an empty RequestId would otherwise pass for one.
    shared = {'LatestOperation': '', 'LatestOperationState': 7, 'LatestOperationRequestId': '',
              'LatestOperationErrorMsg': None}
    assert describe_instances.operation_of(shared) == describe_instances.Operation(None, None, None, None)
    given = {'LatestOperation': 'StopInstances', 'LatestOperationState': 'SUCCESS', 'LatestOperationRequestId': 'req-1',
             'LatestOperationErrorMsg': 'no'}
    assert describe_instances.operation_of(given) == ('StopInstances', 'SUCCESS', 'req-1', 'no')


@pytest.mark.parametrize('name', [name for name in describe_instances.FILTER_NAMES
                                  if name != describe_instances.NAME_FILTER])
def test_every_filter_the_options_take_is_checked_again_against_what_is_listed(name):
    item = {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}
    assert not describe_instances.selects([{'Name': name, 'Values': ['no-such-value']}], item)
