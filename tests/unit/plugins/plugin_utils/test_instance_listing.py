# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's one call: which regions are listed, with what, and what is said about it."""

import dataclasses
import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import MAX_CONCURRENT_CALLS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import instance_listing
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.instance_listing import Selection
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import ScriptedClient, paged


def options(**values):
    merged = {name: spec.get('default') for name, spec in COMMON_ARGUMENT_SPEC.items()}
    merged.update(dict(region='ap-guangzhou'), **values)
    return Options(merged, [('options', {'secret_id': None, 'secret_key': None, 'security_token': None})])


@pytest.fixture
def wired(fake_service):
    fake_service.service.states.update({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'})
    return fake_service


ENVIRON = {'TENCENTCLOUD_SECRET_ID': 'AKIDlisting', 'TENCENTCLOUD_SECRET_KEY': 'listing-key'}


def test_every_region_is_listed_in_order_with_the_credentials_found(wired):
    environ = dict(ENVIRON)
    listing = instance_listing.list_instances(options(), Selection(['ap-shanghai', 'ap-guangzhou', 'ap-shanghai']),
                                              environ=environ)
    assert list(listing.instances) == ['ap-shanghai', 'ap-guangzhou']
    assert [len(found) for found in listing.instances.values()] == [2, 2]
    assert listing.credential_source == 'environment'
    sent = wired.sent
    # Read concurrently: in any order, once each.
    assert sorted(request['headers']['X-TC-Region'] for request in sent) == ['ap-guangzhou', 'ap-shanghai']
    assert all(request['headers']['X-TC-Action'] == 'DescribeInstances' and
               request['headers']['X-TC-Version'] == '2017-03-12' and
               'Credential=AKIDlisting/' in request['headers']['Authorization'] for request in sent)
    assert all(kwargs['environ'] is environ and kwargs['pool_size'] == MAX_CONCURRENT_CALLS
               for kwargs in wired.built)


def test_without_regions_the_usual_region_is_listed(wired):
    listing = instance_listing.list_instances(options(region='ap-beijing'), Selection(None), environ=dict(ENVIRON))
    assert list(listing.instances) == ['ap-beijing']
    assert wired.sent[0]['headers']['X-TC-Region'] == 'ap-beijing'


def test_without_a_region_the_one_of_the_tccli_profile_in_the_environment_given_is_listed(wired, tmp_path):
    (tmp_path / 'default.configure').write_text(json.dumps({'_sys_param': {'region': 'ap-shanghai'}}))
    environ = dict(ENVIRON, TENCENTCLOUD_SHARED_CREDENTIALS_DIR=str(tmp_path))
    listing = instance_listing.list_instances(options(region=None), Selection(None), environ=environ)
    assert list(listing.instances) == ['ap-shanghai']


def test_the_first_region_stands_in_for_a_region_set_nowhere(wired):
    listing = instance_listing.list_instances(options(region=None), Selection(['ap-chengdu']), environ=dict(ENVIRON))
    assert list(listing.instances) == ['ap-chengdu']


def test_filters_reach_every_call(wired):
    instance_listing.list_instances(options(), Selection(['ap-guangzhou'], {'instance-state': 'RUNNING'}), environ=dict(ENVIRON))
    (sent,) = wired.sent
    assert json.loads(sent['data'])['Filters'] == [{'Name': 'instance-state', 'Values': ['RUNNING']}]


def test_a_region_the_api_refuses_names_the_region(wired):
    wired.error = ('UnsupportedRegion', 'not here', 'req-1')
    with pytest.raises(instance_listing.ListingFailed, match=r'^regions: ap-guangzhou: UnsupportedRegion: not here'):
        instance_listing.list_instances(options(), Selection(['ap-guangzhou']), environ=dict(ENVIRON))


def test_a_bad_region_fails_before_any_call(wired):
    with pytest.raises(OptionError, match='regions'):
        instance_listing.list_instances(options(), Selection(['Guangzhou']), environ=dict(ENVIRON))
    assert wired.sent == []


def test_without_an_environment_given_the_process_environment_is_read(wired, monkeypatch):
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    assert instance_listing.list_instances(options(), Selection(['ap-guangzhou'])).credential_source == 'environment'


def test_with_no_credentials_anywhere_the_instance_role_is_asked_last(monkeypatch):
    # Nothing listens on port 9 of this host: the metadata service is not there, and says so at once.
    environ = {'TENCENTCLOUD_METADATA_ENDPOINT': 'http://127.0.0.1:9'}
    with pytest.raises(OptionError) as caught:
        instance_listing.list_instances(options(), Selection(['ap-guangzhou']), environ=environ)
    assert str(caught.value).startswith('no credentials found. ')
    assert str(caught.value).endswith('the metadata service at http://127.0.0.1:9 was not reachable (cannot reach '
                                      '127.0.0.1:9: [Errno 111] Connection refused)')


@pytest.mark.parametrize('regions, environ', [([], dict(ENVIRON, TENCENTCLOUD_REGION='ap-beijing')), (None, ENVIRON)])
def test_every_available_region_with_an_empty_list_or_no_region_anywhere(wired, regions, environ):
    listing = instance_listing.list_instances(options(region=None), Selection(regions), environ=dict(environ))
    assert list(listing.instances) == ['ap-guangzhou', 'ap-shanghai']
    actions = [(request['headers']['X-TC-Action'], request['headers'].get('X-TC-Region')) for request in wired.sent]
    assert actions[0] == ('DescribeRegions', environ.get('TENCENTCLOUD_REGION'))
    assert sorted(actions[1:]) == [('DescribeInstances', 'ap-guangzhou'), ('DescribeInstances', 'ap-shanghai')]


def test_regions_that_cannot_be_listed_fail_the_listing_naming_describe_regions(wired):
    wired.refused['DescribeRegions'] = ('UnauthorizedOperation', 'no cvm:DescribeRegions', 'req-r')
    with pytest.raises(instance_listing.ListingFailed, match=r'^regions: cannot list the regions of the account '
                                                             r'\(DescribeRegions\): UnauthorizedOperation'):
        instance_listing.list_instances(options(region=None), Selection([]), environ=dict(ENVIRON))


@pytest.mark.parametrize('code', ['UnauthorizedOperation', 'AuthFailure.UnauthorizedOperation', 'UnsupportedRegion'])
def test_a_region_the_keys_may_not_read_fails_the_listing_or_with_strict_permissions_false_is_skipped(wired, code):
    wired.refused_regions['ap-shanghai'] = (code, 'not for you', 'req-no')
    selection = Selection(['ap-guangzhou', 'ap-shanghai'])
    with pytest.raises(instance_listing.ListingFailed, match='^regions: ap-shanghai: %s' % code):
        instance_listing.list_instances(options(), selection, environ=dict(ENVIRON))
    listing = instance_listing.list_instances(options(), dataclasses.replace(selection, strict_permissions=False),
                                              environ=dict(ENVIRON))
    assert list(listing.instances) == ['ap-guangzhou']
    assert listing.warnings == ['regions: ap-shanghai skipped, the keys may not read it (strict_permissions is false): '
                                '%s: not for you (RequestId: req-no)' % code]


def test_strict_permissions_false_still_fails_on_other_errors(wired):
    wired.refused_regions['ap-shanghai'] = ('AuthFailure.SecretIdNotFound', 'who?', 'req-who')
    with pytest.raises(instance_listing.ListingFailed, match='AuthFailure.SecretIdNotFound'):
        instance_listing.list_instances(options(), Selection(['ap-shanghai'], strict_permissions=False),
                                        environ=dict(ENVIRON))


def test_include_filters_add_to_filters_and_exclude_filters_take_away(wired):
    wired.service.states.update({'ins-cccccccc': 'STOPPED', 'ins-dddddddd': 'PENDING'})
    selection = Selection(['ap-guangzhou'], {'instance-state': 'RUNNING'},
                          include_filters=[{'instance-id': 'ins-dddddddd'}, {'instance-state': 'STOPPED'}],
                          exclude_filters=[{'instance-id': 'ins-cccccccc'}])
    listing = instance_listing.list_instances(options(), selection, environ=dict(ENVIRON))
    assert [item['InstanceId'] for item in listing.instances['ap-guangzhou']] == [
        'ins-aaaaaaaa', 'ins-dddddddd', 'ins-bbbbbbbb']
    assert [json.loads(request['data']).get('Filters') for request in wired.sent] == [
        [{'Name': 'instance-state', 'Values': ['RUNNING']}], [{'Name': 'instance-id', 'Values': ['ins-dddddddd']}],
        [{'Name': 'instance-state', 'Values': ['STOPPED']}], [{'Name': 'instance-id', 'Values': ['ins-cccccccc']}]]


def test_what_the_service_lists_for_an_exclusion_is_excluded_on_its_word():
    # Checking an exclusion's listing again could only let in more than it lists: it errs on the side of less.
    items = [{'InstanceId': 'ins-0000000%d' % n, 'InstanceState': 'RUNNING', 'Placement': {'Zone': 'ap-guangzhou-3'}}
             for n in (1, 2)]
    client = ScriptedClient(answer=lambda action, params: paged(items, params, 'InstanceSet'), scope='listing')
    reader = InstanceReader(client)
    zone = [{'Name': 'zone', 'Values': ['ap-guangzhou-3']}]
    assert [item['InstanceId'] for item in instance_listing.selected(reader, [zone], [])] == [
        'ins-00000001', 'ins-00000002']
    assert instance_listing.selected(reader, [zone], [[{'Name': 'zone', 'Values': ['ap-guangzhou-9']}]]) == []


def test_without_filters_include_filters_alone_select(wired):
    selection = Selection(['ap-guangzhou'], include_filters=[{'instance-state': 'STOPPED'}])
    listing = instance_listing.list_instances(options(), selection, environ=dict(ENVIRON))
    assert [item['InstanceId'] for item in listing.instances['ap-guangzhou']] == ['ins-bbbbbbbb']


@pytest.mark.parametrize('selection, message', [
    (Selection(['ap-guangzhou'], include_filters=[{'state': 'x'}]), "include_filters: unknown filter 'state'"),
    (Selection(['ap-guangzhou'], exclude_filters=['zone']), 'exclude_filters must be a dictionary'),
    (Selection(['ap-guangzhou'], include_filters={'zone': 'x'}), 'include_filters and exclude_filters must be lists'),
])
def test_bad_filter_lists_fail_before_any_call(wired, selection, message):
    with pytest.raises(OptionError, match='^' + message):
        instance_listing.list_instances(options(), selection, environ=dict(ENVIRON))
    assert wired.sent == []


def test_a_region_of_every_region_that_cannot_be_read_is_named_as_one_of_the_regions(wired):
    wired.refused_regions['ap-shanghai'] = ('InternalError', 'down', 'req-down')
    with pytest.raises(instance_listing.ListingFailed) as caught:
        instance_listing.list_instances(options(region=None, max_retries=0), Selection(None), environ=dict(ENVIRON))
    assert str(caught.value) == 'regions: ap-shanghai: InternalError: down (RequestId: req-down)'


def test_the_configured_region_that_cannot_be_read_is_named_with_where_it_came_from(wired):
    wired.refused_regions['ap-beijing'] = ('UnsupportedRegion', 'not here', 'req-1')
    with pytest.raises(instance_listing.ListingFailed,
                       match=r'^region ap-beijing \(from TENCENTCLOUD_REGION\): UnsupportedRegion: not here'):
        instance_listing.list_instances(options(region=None), Selection(None),
                                        environ=dict(ENVIRON, TENCENTCLOUD_REGION='ap-beijing'))


def test_a_cached_listing_is_checked_again_as_a_read_keeps_it():
    good = {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING', 'InstanceName': 'web-1'}
    edited = {'InstanceId': '../../etc', 'InstanceState': 'RUNNING'}
    kept = instance_listing.kept_again({'ap-guangzhou': [good, edited, 'not an item'], 'ap-tokyo': 'not a list',
                                        'ap-beijing': 7})
    assert list(kept) == ['ap-guangzhou', 'ap-tokyo', 'ap-beijing'] and kept['ap-tokyo'] == kept['ap-beijing'] == []
    [item] = kept['ap-guangzhou']
    assert item['InstanceId'] == 'ins-aaaaaaaa' and item['InstanceName'] == 'web-1'
    assert instance_listing.kept_again(['ins-aaaaaaaa']) is None and instance_listing.kept_again(None) is None
