# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.nearest_name import did_you_mean, nearest_name


@pytest.mark.parametrize('name, nearest', [('wiat_for', 'wait_for'), ('filter', 'filters'), ('region', 'region'),
                                           ('something_else', None)])
def test_the_closest_spelling(name, nearest):
    assert nearest_name(name, ['wait_for', 'filters', 'region', 'regions']) == nearest


def test_another_tools_word_comes_first():
    assert nearest_name('availability-zone', ['zone', 'instance-id'], {'availability-zone': 'zone'}) == 'zone'


def test_the_hint_is_nothing_when_nothing_is_near():
    assert did_you_mean('wiat_for', ['wait_for']) == ' (did you mean wait_for?)'
    assert did_you_mean('zzz', ['wait_for']) == ''
