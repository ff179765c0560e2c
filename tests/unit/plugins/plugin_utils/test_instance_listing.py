# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's one call: which regions are listed, with what, and what is said about it."""

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import MAX_CONCURRENT_CALLS
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import COMMON_ARGUMENT_SPEC, Options
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import instance_listing


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
    listing = instance_listing.list_instances(options(), ['ap-shanghai', 'ap-guangzhou', 'ap-shanghai'], None,
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
    listing = instance_listing.list_instances(options(region='ap-beijing'), None, None, environ=dict(ENVIRON))
    assert list(listing.instances) == ['ap-beijing']
    assert wired.sent[0]['headers']['X-TC-Region'] == 'ap-beijing'


def test_without_a_region_the_one_of_the_tccli_profile_in_the_environment_given_is_listed(wired, tmp_path):
    (tmp_path / 'default.configure').write_text(json.dumps({'_sys_param': {'region': 'ap-shanghai'}}))
    environ = dict(ENVIRON, TENCENTCLOUD_SHARED_CREDENTIALS_DIR=str(tmp_path))
    listing = instance_listing.list_instances(options(region=None), None, None, environ=environ)
    assert list(listing.instances) == ['ap-shanghai']


def test_the_first_region_stands_in_for_a_region_set_nowhere(wired):
    listing = instance_listing.list_instances(options(region=None), ['ap-chengdu'], None, environ=dict(ENVIRON))
    assert list(listing.instances) == ['ap-chengdu']


def test_filters_reach_every_call(wired):
    instance_listing.list_instances(options(), ['ap-guangzhou'], {'instance-state': 'RUNNING'}, environ=dict(ENVIRON))
    (sent,) = wired.sent
    assert json.loads(sent['data'])['Filters'] == [{'Name': 'instance-state', 'Values': ['RUNNING']}]


def test_a_region_the_api_refuses_names_the_region(wired):
    wired.error = ('UnsupportedRegion', 'not here', 'req-1')
    with pytest.raises(instance_listing.ListingFailed, match=r'^regions: ap-guangzhou: UnsupportedRegion: not here'):
        instance_listing.list_instances(options(), ['ap-guangzhou'], None, environ=dict(ENVIRON))


def test_a_bad_region_fails_before_any_call(wired):
    with pytest.raises(OptionError, match='regions'):
        instance_listing.list_instances(options(), ['Guangzhou'], None, environ=dict(ENVIRON))
    assert wired.sent == []


def test_without_an_environment_given_the_process_environment_is_read(wired, monkeypatch):
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    assert instance_listing.list_instances(options(), ['ap-guangzhou'], None).credential_source == 'environment'


def test_with_no_credentials_anywhere_the_instance_role_is_asked_last(monkeypatch):
    # Nothing listens on port 9 of this host: the metadata service is not there, and says so at once.
    environ = {'TENCENTCLOUD_METADATA_ENDPOINT': 'http://127.0.0.1:9'}
    with pytest.raises(OptionError) as caught:
        instance_listing.list_instances(options(), ['ap-guangzhou'], None, environ=environ)
    assert str(caught.value).startswith('no credentials found. ')
    assert str(caught.value).endswith('the metadata service at http://127.0.0.1:9 was not reachable (cannot reach '
                                      '127.0.0.1:9: [Errno 111] Connection refused)')
