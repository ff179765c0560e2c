# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text for messages: long lists cut short."""

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed


def test_a_short_list_is_shown_whole():
    assert listed(['ins-a', 'ins-b']) == 'ins-a, ins-b'
    ten = ['ins-%d' % n for n in range(10)]
    assert listed(ten) == ', '.join(ten)


def test_a_long_list_says_how_many_more():
    assert listed(['ins-%d' % n for n in range(250)]) == ', '.join('ins-%d' % n for n in range(10)) + ' and 240 more'
    assert listed(['a', 'b', 'c'], most=2) == 'a, b and 1 more'
