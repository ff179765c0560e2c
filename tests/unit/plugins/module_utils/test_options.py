# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import options
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import check_values

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
    ('region', None, 'region is required: set the region option, the environment variable TENCENTCLOUD_REGION, '
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


@pytest.mark.parametrize('given', [{'validate_certs': 'no'}, {'coalesce': True}, {'wait_for': 'RUNNING'},
                                   {'validate_certs': None}])
def test_clear_yes_or_no_values_pass_the_boolean_check(given):
    options.check_booleans(given)


@pytest.mark.parametrize('given', [{'validate_certs': 'perhaps'}, {'fail_on_failed_operation': 2}])
def test_a_boolean_that_is_neither_yes_nor_no_is_refused(given):
    ((name, value),) = given.items()
    with pytest.raises(OptionError) as caught:
        options.check_booleans(given)
    assert str(caught.value) == '%s must be true or false, not %r' % (name, value)


class Plugin:
    """What from_plugin reads of a lookup or inventory plugin once its options are set."""

    def __init__(self, values):
        self.values = values
        self.option_definitions = dict((name, {'vars': [{'name': 'old_%s' % name}, {'name': 'new_%s' % name}]})
                                       for name in options.CREDENTIAL_OPTIONS)

    def get_option(self, name):
        return self.values.get(name)


def test_a_plugins_credentials_are_grouped_by_where_they_were_given():
    found = options.from_plugin(Plugin({'region': 'ap-guangzhou'}), {'secret_id': 'AKIDdirect'},
                                {'old_secret_key': 'old-key', 'new_secret_key': 'new-key'})
    assert found.values['region'] == 'ap-guangzhou'
    assert found.credential_sources == [
        ('options', {'secret_id': 'AKIDdirect', 'secret_key': None, 'security_token': None}),
        ('variables', {'secret_id': None, 'secret_key': 'new-key', 'security_token': None})]
