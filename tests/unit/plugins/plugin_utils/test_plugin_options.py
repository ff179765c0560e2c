# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared options as a lookup or an inventory is given them: clear booleans, credentials grouped by source."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import plugin_options


@pytest.mark.parametrize('given', [{'validate_certs': 'no'}, {'coalesce': True}, {'wait_for': 'RUNNING'},
                                   {'validate_certs': None}])
def test_clear_yes_or_no_values_pass_the_boolean_check(given):
    plugin_options.check_booleans(given)


@pytest.mark.parametrize('given', [{'validate_certs': 'perhaps'}, {'fail_on_failed_operation': 2}])
def test_a_boolean_that_is_neither_yes_nor_no_is_refused(given):
    ((name, value),) = given.items()
    with pytest.raises(OptionError) as caught:
        plugin_options.check_booleans(given)
    assert str(caught.value) == '%s must be true or false, not %r' % (name, value)


class Plugin:
    """What from_plugin reads of a lookup or inventory plugin once its options are set."""

    def __init__(self, values, region_origin='Direct'):
        self.values = values
        self.region_origin = region_origin
        self.option_definitions = {name: {'vars': [{'name': 'old_%s' % name}, {'name': 'new_%s' % name}]}
                                   for name in CREDENTIAL_OPTIONS + ('region',)}

    def get_option(self, name):
        return self.values.get(name)

    def get_option_and_origin(self, name):
        assert name == 'region'
        return self.values.get(name), self.region_origin


def test_a_plugins_credentials_are_grouped_by_where_they_were_given():
    found = plugin_options.from_plugin(Plugin({'region': 'ap-guangzhou'}), {'secret_id': 'AKIDdirect'},
                                       {'old_secret_key': 'old-key', 'new_secret_key': 'new-key'})
    assert found.values['region'] == 'ap-guangzhou'
    assert found.credential_sources == [
        ('options', {'secret_id': 'AKIDdirect', 'secret_key': None, 'security_token': None}),
        ('variables', {'secret_id': None, 'secret_key': 'new-key', 'security_token': None})]


@pytest.mark.parametrize('origin, source', [('Direct', None), ('default', None), ('/etc/ansible/ansible.cfg', None),
                                            ('env: TENCENTCLOUD_REGION', 'TENCENTCLOUD_REGION')])
def test_where_ansible_found_the_region_is_said_unless_it_is_the_option(origin, source):
    found = plugin_options.from_plugin(Plugin({'region': 'ap-guangzhou'}, origin), {}, {})
    assert found.values['region_source'] == source


def test_a_region_from_a_variable_names_the_variable_and_one_given_directly_is_the_option():
    plugin = Plugin({'region': 'ap-guangzhou'}, 'env: TENCENTCLOUD_REGION')
    variables = {'old_region': 'ap-shanghai', 'new_region': 'ap-guangzhou'}
    assert plugin_options.from_plugin(plugin, {}, variables).values['region_source'] == 'the variable new_region'
    assert plugin_options.from_plugin(plugin, {'region': 'ap-guangzhou'}, variables).values['region_source'] is None


def test_an_unknown_option_is_refused_naming_the_nearest_known_one():
    with pytest.raises(OptionError) as caught:
        plugin_options.refuse_unknown({'filter': {}, 'regions': [], 'zzz': 1}, ['filters', 'regions', 'plugin'])
    assert str(caught.value) == ('unknown options filter (did you mean filters?), zzz; the options are filters, '
                                 'plugin, regions')
    plugin_options.refuse_unknown({'filters': {}}, ['filters'])
