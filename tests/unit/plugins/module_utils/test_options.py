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
