# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text a server sent, made safe to repeat: printable, bounded, inert; and long lists cut short."""

import itertools

import pytest
from jinja2.nativetypes import NativeEnvironment
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import (
    LITERAL_MARK, event_text,
    TEMPLATE_OPENING_STAND_IN, inert, listed, printable, shown,
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


# What an instance's owner may write as a name or a tag, by family: every one must reach a playbook as text.
HOSTILE = {
    'template': ["{{ lookup('pipe', 'id') }}", "{% if 1 %}x{% endif %}", "{# c #}", 'web-{{7*7}}'],
    'jinja2 header': ["#jinja2:variable_start_string:'@',variable_end_string:'@'@ lookup('pipe', 'id') @",
                      "x #jinja2:block_start_string:'<'"],
    'line statement or comment': ['% if True %', '## comment', '#!'],
    'string literal': ["'\\x7b\\x7b lookup(\"pipe\", \"id\") }}'", "'{' '{ lookup(1) }}'", '"{{ 1 }}"',
                       "b'x'", "r'x'"],
    'number': ['123', '-1', '1.5', '.5', '1e5', '0x1f', '1j', '1_000', '+7', ' 42', '1,2'],
    'container': ["{'injected': ['a', 1]}", '[1, 2]', '(1,)', '{1, 2}', 'set()', '()'],
    'name of a literal': ['True', 'False', 'None', 'Tr', 'No', 'se'],
    'brace at an end': ['web{', '{web', 'web}', '}web', '{', '}'],
}
SAMPLES = [text for family in HOSTILE.values() for text in family] + ['web-1', 'db.prod', 'Tomcat 9', 'server']


@pytest.mark.parametrize('family', sorted(HOSTILE))
def test_each_hostile_family_stays_a_string_through_a_native_rendering(family):
    # ansible-rulebook renders action arguments with Jinja's native environment, which decodes Python literals.
    native = NativeEnvironment()
    for text in HOSTILE[family]:
        kept = event_text(text)
        rendered = native.from_string('{{ name }}').render(name=kept)
        assert rendered == kept and isinstance(rendered, str), (text, rendered)
        assert not _opens_template(kept) and not kept.startswith(('#', '%'))


def test_two_fields_joined_stay_a_string_and_open_no_template():
    native = NativeEnvironment()
    joined = native.from_string('{{ a }}{{ b }}')
    for first, second in itertools.product(SAMPLES, repeat=2):
        a, b = event_text(first), event_text(second)
        rendered = joined.render(a=a, b=b)
        assert rendered == a + b and isinstance(rendered, str), (first, second, rendered)
        assert not _opens_template(a + b), (first, second)


def test_ordinary_names_are_kept_as_they_are():
    for text in ['web-1', 'db.prod', 'Tomcat 9', 'server', 'nginx (blue)', '中文名称', 'a{b}c', 'x: 1',
                 '6ef60bec-0242-43af-bb20-270359fb54a7']:
        assert event_text(text) == text


@pytest.mark.parametrize('text, expected', [
    ('123', LITERAL_MARK + '123'),
    ('None', LITERAL_MARK + 'None'),
    ("it's", 'it\uff07s'),
    ('C:\\temp', 'C:\uff3ctemp'),
    ('web{', 'web\uff5b'),
    ('}web', '\uff5dweb'),
    ('{web', '\uff5bweb'),
    ('web}', 'web\uff5d'),
    ('{', '\uff5b'),
    ('}', '\uff5d'),
    ('a{', 'a\uff5b'),
    ('{}', '\uff5b\uff5d'),
    ('#1 db', '\uff031 db'),
    ('x #jinja2:', 'x \uff03jinja2:'),
])
def test_what_the_change_costs_a_legitimate_name(text, expected):
    assert event_text(text) == expected


def _opens_template(text):
    return any(opening in text for opening in ('{{', '{%', '{#')) or '#jinja2:' in text


@pytest.mark.parametrize('value, limit, text', [
    ('ins-1', 7, "'ins-1'"),
    ('ins-12', 7, "'ins-12..."),
    (None, 4, 'None'),
    (12345, 4, '1234...'),
    ('a\x1b[2Jb', 60, "'a\\x1b[2Jb'"),
])
def test_a_wrong_value_is_shown_as_python_writes_it_up_to_the_limit(value, limit, text):
    assert shown(value, limit) == text
