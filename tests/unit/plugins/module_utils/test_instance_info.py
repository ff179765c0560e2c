# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the info module: by ID, by filters or both, over regions; a read that sets no facts."""

import json
import re

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import instance_info
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, SELECTION_ARGUMENT_SPEC, Options,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


def options(**values):
    defaults = {name: spec.get('default') for name, spec in list(COMMON_ARGUMENT_SPEC.items())
                + list(SELECTION_ARGUMENT_SPEC.items())}
    defaults.update(region='ap-guangzhou', **values)
    credentials = {'secret_id': 'AKIDaccount', 'secret_key': 'account-key', 'security_token': None}
    return Options(defaults, [('options', credentials)])


@pytest.fixture
def service(fake_service):
    fake_service.service.states.update({'ins-aaaaaaaa': 'RUNNING', 'ins-bbbbbbbb': 'STOPPED'})
    return fake_service


def calls(service):
    return [(sent['headers']['X-TC-Action'], sent['headers']['X-TC-Region'], json.loads(sent['data']))
            for sent in service.sent]


def test_ids_are_described_in_their_order_with_those_not_listed_missing(service):
    result = instance_info.describe_instances(options(), ['ins-bbbbbbbb', 'ins-zzzzzzzz', 'ins-aaaaaaaa'], environ={})
    reported = result.module_result()
    assert [(i['instance_id'], i['instance_state'], i['region']) for i in reported['instances']] == [
        ('ins-bbbbbbbb', 'STOPPED', 'ap-guangzhou'), ('ins-aaaaaaaa', 'RUNNING', 'ap-guangzhou')]
    assert reported['missing'] == ['ins-zzzzzzzz'] and reported['changed'] is False
    assert set(reported['instances'][0]) >= {'instance_name', 'tags', 'private_ip_addresses', 'latest_operation'}
    assert result.facts() is None
    assert [call[:2] for call in calls(service)] == [('DescribeInstances', 'ap-guangzhou')]


def test_filters_are_applied_in_every_region_asked(service):
    service.region_request_ids = True
    result = instance_info.describe_instances(
        options(regions=['ap-guangzhou', 'ap-shanghai'], filters={'instance-state': 'running'}), None, environ={})
    listings = sorted((region, params['Filters']) for _action, region, params in calls(service))
    assert listings == [(region, [{'Name': 'instance-state', 'Values': ['RUNNING']}])
                        for region in ('ap-guangzhou', 'ap-shanghai')]
    # The fake lists every instance in every region: each is kept once, in the first region that lists it.
    assert [(i['instance_id'], i['region']) for i in result.module_result()['instances']] == [
        ('ins-aaaaaaaa', 'ap-guangzhou')]
    assert 'missing' not in result.module_result()
    assert sorted(result.module_result()['request_ids']) == ['r-ap-guangzhou', 'r-ap-shanghai']


def test_ids_and_filters_keep_the_ids_the_filters_select(service):
    result = instance_info.describe_instances(options(filters={'instance-state': 'STOPPED'}),
                                              ['ins-aaaaaaaa', 'ins-bbbbbbbb'], environ={})
    assert [i['instance_id'] for i in result.module_result()['instances']] == ['ins-bbbbbbbb']


def test_neither_ids_nor_filters_is_every_instance_and_an_empty_list_nothing(service):
    every = instance_info.describe_instances(options(filters={}), None, environ={})
    assert [i['instance_id'] for i in every.described] == ['ins-aaaaaaaa', 'ins-bbbbbbbb']
    service.sent.clear()
    nothing = instance_info.describe_instances(options(), [], environ={}).module_result()
    assert nothing['instances'] == [] and nothing['missing'] == []
    assert service.sent == []


@pytest.mark.parametrize('ids, filters, message', [
    (None, {'tag': 'web'}, "filters: unknown filter 'tag'"),
    (['ins-x'], None, 'ins-x'),
    (None, dict(('tag:k%d' % n, 'v') for n in range(11)), 'filters: 11 filters, more than the 10 the API takes'),
])
def test_bad_input_fails_before_any_call(service, ids, filters, message):
    with pytest.raises(OptionError, match=re.escape(message)):
        instance_info.describe_instances(options(filters=filters), ids, environ={})
    assert service.sent == []


def test_a_failed_call_is_reported_with_its_error(service):
    service.error = ('UnauthorizedOperation', 'not allowed')
    with pytest.raises(QueryFailed) as caught:
        instance_info.describe_instances(options(), None, environ={})
    assert caught.value.result.module_result()['error']['code'] == 'UnauthorizedOperation'


def test_the_environment_given_is_the_one_read_and_by_default_the_processs(service, monkeypatch):
    no_region = dict(options().values, region=None)
    given = Options(no_region, options().credential_sources)
    instance_info.describe_instances(given, ['ins-aaaaaaaa'], environ={'TENCENTCLOUD_REGION': 'ap-shanghai'})
    monkeypatch.setenv('TENCENTCLOUD_REGION', 'ap-beijing')
    instance_info.describe_instances(given, ['ins-aaaaaaaa'])
    assert [call[1] for call in calls(service)] == ['ap-shanghai', 'ap-beijing']


def test_what_is_reported_besides_the_instances(service):
    reported = instance_info.describe_instances(
        options(regions=['ap-guangzhou', 'ap-shanghai']), ['ins-aaaaaaaa'], environ={}).module_result()
    # The request of each region's client, the first region's included once.
    assert reported['credential_source'] == 'options' and len(reported['request_ids']) == 2
    assert reported['changed'] is False and reported['missing'] == []


def test_a_failed_call_says_which_and_where(service):
    service.refused_regions['ap-shanghai'] = ('InternalError', 'down', 'req-down')
    with pytest.raises(QueryFailed) as caught:
        instance_info.describe_instances(options(regions=['ap-guangzhou', 'ap-shanghai'], max_retries=0),
                                         ['ins-aaaaaaaa'], environ={})
    assert caught.value.message == 'InternalError: down (region ap-shanghai) (RequestId: req-down)'
    assert caught.value.result.module_result()['error'] == {'code': 'InternalError', 'request_id': 'req-down',
                                                            'message': 'down (region ap-shanghai)'}


def test_every_region_is_those_describe_regions_names_available(service):
    instance_info.describe_instances(options(regions=['all']), ['ins-aaaaaaaa'], environ={})
    assert [call[:2] for call in calls(service)][0] == ('DescribeRegions', 'ap-guangzhou')
    assert sorted(call[1] for call in calls(service)[1:]) == ['ap-guangzhou', 'ap-shanghai']


def test_ids_with_filters_keep_only_those_ids_in_their_order(service):
    both = {'instance-state': ['RUNNING', 'STOPPED']}
    result = instance_info.describe_instances(options(filters=both), ['ins-bbbbbbbb'], environ={})
    assert [i['instance_id'] for i in result.described] == ['ins-bbbbbbbb']
    result = instance_info.describe_instances(options(filters=both), ['ins-bbbbbbbb', 'ins-aaaaaaaa'], environ={})
    assert [i['instance_id'] for i in result.described] == ['ins-bbbbbbbb', 'ins-aaaaaaaa']


def test_a_refused_region_is_named_with_where_it_came_from(service):
    service.error = ('UnsupportedRegion', 'no such region')
    with pytest.raises(QueryFailed) as caught:
        instance_info.describe_instances(options(), ['ins-aaaaaaaa'], environ={})
    assert caught.value.message.startswith('UnsupportedRegion: no such region') and caught.value.message.endswith(
        '(region ap-guangzhou, from the region option)')


def test_credentials_come_from_the_environment_given(service):
    no_keys = Options(dict(options().values), [('options', {'secret_id': None, 'secret_key': None,
                                                            'security_token': None})])
    environ = {'TENCENTCLOUD_SECRET_ID': 'AKIDgiven', 'TENCENTCLOUD_SECRET_KEY': 'given-key'}
    assert instance_info.describe_instances(no_keys, ['ins-aaaaaaaa'], environ=environ).credential_source == \
        'environment'


def test_retries_wait_on_the_clock_given(service):
    service.error = ('RequestLimitExceeded', 'slow down', 'req-throttled')
    clock = FakeClock()
    with pytest.raises(QueryFailed):
        instance_info.describe_instances(options(max_retries=2), ['ins-aaaaaaaa'], environ={}, clock=clock)
    # Two retries, each after a sleep on the clock given (the limiter may space requests on it too).
    assert len(clock.sleeps) >= 2 and len(service.sent) == 3
