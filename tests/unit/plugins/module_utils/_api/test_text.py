# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text a server sent, made safe to repeat: printable, bounded, inert; and long lists cut short."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import (
    TEMPLATE_OPENING_STAND_IN, inert, listed, printable,
)


def test_a_short_list_is_shown_whole():
    assert listed(['ins-a', 'ins-b']) == 'ins-a, ins-b'
    ten = ['ins-%d' % n for n in range(10)]
    assert listed(ten) == ', '.join(ten)


def test_a_long_list_says_how_many_more():
    assert listed(['ins-%d' % n for n in range(250)]) == ', '.join('ins-%d' % n for n in range(10)) + ' and 240 more'
    assert listed(['a', 'b', 'c'], most=2) == 'a, b and 1 more'


@pytest.mark.parametrize('text', ['web-1', 'web 1', '网站-1', 'ａｂｃ', 'a\u3000b', 'café', '{', '}}', 'x%{y'])
def test_printable_text_is_kept_as_it_is(text):
    assert printable(text, 100) == text


# Every kind of character that hides what text says: C0 and C1 controls, DEL, bidirectional and zero-width format
# characters, the byte-order mark, line and paragraph separators, and lone surrogates.
@pytest.mark.parametrize('character', ['\x00', '\x07', '\t', '\n', '\r', '\x1b', '\x7f', '\x85', '\x9b', '\u200b',
                                       '\u200d', '\u202e', '\u2066', '\ufeff', '\u2028', '\u2029', '\ud800'])
def test_a_character_that_hides_text_is_replaced(character):
    assert printable('web%s1' % character, 100) == 'web\ufffd1'


def test_printable_text_is_cut_to_its_limit():
    assert printable('x' * 300, 255) == 'x' * 255


@pytest.mark.parametrize('text, expected', [
    ("{{ lookup('pipe', 'id') }}", "\uff5b{ lookup('pipe', 'id') }}"),
    ('{% if x %}y{% endif %}', '\uff5b% if x %}y\uff5b% endif %}'),
    ('{# note #}', '\uff5b# note #}'), ('{{{', '\uff5b\uff5b{'), ('a{{b', 'a\uff5b{b'),
    ('{x}', '{x}'), ('{', '{'), ('}}', '}}'), ('web-1', 'web-1'), ('#jinja2:variable_start_string:"[["', None),
])
def test_inert_text_opens_no_template(text, expected):
    made = inert(text)
    assert made == (text if expected is None else expected)
    assert not any(opening in made for opening in ('{{', '{%', '{#'))
    assert made.replace(TEMPLATE_OPENING_STAND_IN, '{') == text
