# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils import options
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import check_values, located_region

GOOD = {'region': 'ap-guangzhou', 'request_timeout': 10.0, 'max_retries': 5, 'wait_timeout': 600, 'wait_interval': 5.0,
        'ca_bundle': None}


@pytest.mark.parametrize('name, value', [
    ('request_timeout', 0.1), ('request_timeout', 600), ('max_retries', 0), ('max_retries', 30),
    ('wait_timeout', 0), ('wait_timeout', 604800), ('wait_interval', 0.1), ('wait_interval', 3600),
    ('region', 'ap-shanghai-fsi'), ('region', 'na-siliconvalley'), ('region', 'ab-c')])
def test_the_edges_of_each_range_are_accepted(name, value):
    check_values(dict(GOOD, **{name: value}))


@pytest.mark.parametrize('name, value, message', [
    ('request_timeout', 0.09, 'request_timeout must be a number from 0.1 to 600, not 0.09'),
    ('request_timeout', 600.5, 'request_timeout must be a number from 0.1 to 600, not 600.5'),
    ('max_retries', -1, 'max_retries must be a number from 0 to 30, not -1'),
    ('max_retries', 31, 'max_retries must be a number from 0 to 30, not 31'),
    ('wait_timeout', 604801, 'wait_timeout must be a number from 0 to 604800, not 604801'),
    ('wait_interval', 0.05, 'wait_interval must be a number from 0.1 to 3600, not 0.05'),
    ('wait_interval', float('-inf'), 'wait_interval must be a number from 0.1 to 3600, not -inf'),
    ('wait_interval', float('nan'), 'wait_interval must be a number from 0.1 to 3600, not nan'),
    ('region', None, 'region is required: set the region option (for a host of the tencentcloud.cloud.cvm '
                     'inventory, region: "{{ tencentcloud_region }}"), the environment variable TENCENTCLOUD_REGION, '
                     '(for the lookup) the variable tencentcloud_region, or a region in the tccli profile'),
    ('region', 'a-b', "region 'a-b' is not a region name such as ap-guangzhou"),
    ('region', 'apguangzhou', "region 'apguangzhou' is not a region name such as ap-guangzhou"),
    ('region', 'AP-GUANGZHOU', "region 'AP-GUANGZHOU' is not a region name such as ap-guangzhou"),
    ('ca_bundle', '/nonexistent/ca.pem', 'ca_bundle /nonexistent/ca.pem is not a file of PEM certificates'),
])
def test_each_value_outside_its_range_is_refused_by_name(name, value, message):
    with pytest.raises(OptionError) as caught:
        check_values(dict(GOOD, **{name: value}))
    assert str(caught.value) == message


def test_a_ca_bundle_that_is_a_file_is_accepted(tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    check_values(dict(GOOD, ca_bundle=str(bundle)))


def test_a_long_wrong_region_is_not_repeated_whole():
    with pytest.raises(OptionError) as caught:
        check_values(dict(GOOD, region='AP-' + 'X' * 1000))
    assert str(caught.value) == "region 'AP-%s is not a region name such as ap-guangzhou" % ('X' * 36)


def test_the_profiles_region_fills_in_the_region_and_every_other_value_stays(tmp_path):
    (tmp_path / 'prod.configure').write_text(json.dumps({'_sys_param': {'region': 'ap-singapore'}}))
    found = located_region({'region': None, 'profile': 'prod', 'max_retries': 2},
                           {'TENCENTCLOUD_SHARED_CREDENTIALS_DIR': str(tmp_path)})
    assert found == {'region': 'ap-singapore', 'profile': 'prod', 'max_retries': 2,
                     'region_source': 'the region of tccli profile prod'}


DEFAULTS = dict({name: spec.get('default') for name, spec in options.COMMON_ARGUMENT_SPEC.items()},
                region='ap-guangzhou')


def test_regions_all_is_every_region_for_a_read_and_an_action():
    values = dict(DEFAULTS, regions=['all'])
    assert options.settings_and_regions(values, {})[1] is None
    assert options.settings_and_regions(values, {}, acting=True)[1] is None


def test_an_empty_regions_list_never_widens_an_action():
    values = dict(DEFAULTS, regions=[])
    assert options.settings_and_regions(values, {})[1] is None
    with pytest.raises(OptionError, match=r'^regions is empty: an action is never widened to every region .*'
                                          r'say regions: \[all\]'):
        options.settings_and_regions(values, {}, acting=True)


def test_all_stands_alone_in_regions():
    with pytest.raises(OptionError, match='stands alone'):
        options.settings_and_regions(dict(DEFAULTS, regions=['all', 'ap-guangzhou']), {})


def test_the_region_comes_from_the_option_then_the_environment_then_the_default_profile(tmp_path):
    environ = {'TENCENTCLOUD_REGION': 'ap-beijing'}
    assert located_region({'region': 'ap-guangzhou'}, environ)['region_source'] == 'the region option'
    assert located_region({'region': 'ap-guangzhou', 'region_source': 'the host'}, environ)['region_source'] == \
        'the host'
    assert located_region({'region': None}, environ) == {'region': 'ap-beijing', 'region_source': 'TENCENTCLOUD_REGION'}
    (tmp_path / 'default.configure').write_text(json.dumps({'_sys_param': {'region': 'ap-tokyo'}}))
    assert located_region({'region': None}, {'TENCENTCLOUD_SHARED_CREDENTIALS_DIR': str(tmp_path)}) == {
        'region': 'ap-tokyo', 'region_source': 'the region of tccli profile default'}


def test_a_wrong_region_names_where_it_came_from_unless_it_was_the_option():
    with pytest.raises(OptionError) as caught:
        options.checked_settings(dict(DEFAULTS, region=None), {'TENCENTCLOUD_REGION': 'Guangzhou'})
    assert str(caught.value) == "region 'Guangzhou' (from TENCENTCLOUD_REGION) is not a region name such as ap-guangzhou"
    with pytest.raises(OptionError) as caught:
        check_values(dict(GOOD, region='Guangzhou', region_source='the region option'))
    assert str(caught.value) == "region 'Guangzhou' is not a region name such as ap-guangzhou"


def test_without_a_region_where_one_is_not_required_every_value_is_still_checked():
    check_values(dict(GOOD, region=None), region_required=False)
    with pytest.raises(OptionError, match='^max_retries must be'):
        check_values(dict(GOOD, region=None, max_retries=99), region_required=False)


def test_a_plugin_with_regions_names_that_option_where_the_region_is_required():
    with pytest.raises(OptionError) as caught:
        check_values(dict(GOOD, region=None, regions=None))
    assert 'tencentcloud_region }}"), regions (a list; [all] for every region), the environment variable' in \
        str(caught.value)


def test_regions_are_checked_each_kept_once_in_order_the_first_the_settings_region():
    settings, regions = options.settings_and_regions(
        dict(DEFAULTS, region=None, regions=['ap-tokyo', 'ap-beijing', 'ap-tokyo']), {})
    assert regions == ['ap-tokyo', 'ap-beijing']
    assert (settings.region, settings.region_source) == ('ap-tokyo', 'the regions option')
    with pytest.raises(OptionError) as caught:
        options.settings_and_regions(dict(DEFAULTS, regions=['ap-tokyo', 'Beijing']), {})
    assert str(caught.value) == "regions 'Beijing' is not a region name such as ap-guangzhou"


def test_without_regions_the_usual_region_is_the_one_read_and_none_anywhere_is_every_region(tmp_path):
    values = dict(DEFAULTS, region=None)
    settings, regions = options.checked_regions(values, None, {'TENCENTCLOUD_REGION': 'ap-beijing'})
    assert regions == ['ap-beijing'] and settings.region_source == 'TENCENTCLOUD_REGION'
    empty_home = {'TENCENTCLOUD_SHARED_CREDENTIALS_DIR': str(tmp_path)}
    assert options.checked_regions(values, None, empty_home)[1] is None
    assert options.settings_and_regions(dict(DEFAULTS, region='ap-tokyo'), empty_home)[1] == ['ap-tokyo']


def test_filters_are_refused_beside_ids_and_empty_unless_every_instance_is_allowed():
    assert options.checked_filters({'filters': None}, None) is None
    assert options.checked_filters({'filters': {'tag:role': 'web'}}, None) == [{'Name': 'tag:role', 'Values': ['web']}]
    assert options.checked_filters({'filters': {}}, ['ins-aaaaaaaa'], every_instance_allowed=True) == []
    with pytest.raises(OptionError) as caught:
        options.checked_filters({'filters': {'tag:role': 'web'}}, ['ins-aaaaaaaa'])
    assert str(caught.value) == 'instance_ids and filters are mutually exclusive: name the instances, or select them'
    with pytest.raises(OptionError) as caught:
        options.checked_filters({'filters': {}}, None)
    assert str(caught.value) == ('filters is empty, which would select every instance: give at least one filter '
                                 '(for example tag:role: web), or name the instances in instance_ids')


def test_a_modules_options_carry_its_credential_options_as_their_first_source():
    class Module:
        params = dict(DEFAULTS, secret_id='AKIDexample', secret_key='key', security_token=None)
    handed = options.from_module(Module())
    assert handed.values['secret_id'] == 'AKIDexample' and handed.values is not Module.params
    assert handed.credential_sources == [('options', {'secret_id': 'AKIDexample', 'secret_key': 'key',
                                                      'security_token': None})]


def test_every_region_still_takes_the_settings_region_from_the_environment_given():
    environ = {'TENCENTCLOUD_REGION': 'ap-beijing'}
    for regions in (['all'], []):
        settings, found = options.settings_and_regions(dict(DEFAULTS, region=None, regions=regions), environ)
        assert (settings.region, settings.region_source, found) == ('ap-beijing', 'TENCENTCLOUD_REGION', None)


def test_every_region_needs_no_region_anywhere(tmp_path):
    empty_home = {'TENCENTCLOUD_SHARED_CREDENTIALS_DIR': str(tmp_path)}
    for regions in (['all'], []):
        settings, found = options.settings_and_regions(dict(DEFAULTS, region=None, regions=regions), empty_home)
        assert found is None and not settings.region


def test_the_words_that_refuse_a_list_of_regions():
    with pytest.raises(OptionError) as caught:
        options.settings_and_regions(dict(DEFAULTS, regions=['all', 'ap-guangzhou']), {})
    assert str(caught.value) == 'regions: all means every region the account can use, and stands alone in the list'
    with pytest.raises(OptionError) as caught:
        options.settings_and_regions(dict(DEFAULTS, regions=[]), {}, acting=True)
    assert str(caught.value) == ('regions is empty: an action is never widened to every region by a list that came out '
                                 'empty; name the regions, or say regions: [all] to act in every region the account '
                                 'can use')
