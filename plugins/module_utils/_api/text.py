# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text a server sent, made safe to repeat: in a message, as a value handed on, or where a template engine may read
it; and long lists cut short."""

import re
import unicodedata
from typing import Sequence

_CONTROL = re.compile(r'[\x00-\x1f\x7f-\x9f]+')
# Characters that make text show something other than what it holds: control characters (terminal escapes, line
# breaks), format characters (bidirectional overrides, zero-width joiners and spaces), line and paragraph separators,
# and halves of surrogate pairs.
_HIDING_CATEGORIES = frozenset(['Cc', 'Cf', 'Zl', 'Zp', 'Cs'])
REPLACEMENT = '\ufffd'
# What opens a Jinja2 expression, statement or comment: a '{' before '{', '%' or '#'.
_TEMPLATE_OPENING = re.compile(r'\{(?=[{%#])')
# What takes that '{' (FULLWIDTH LEFT CURLY BRACKET): it reads alike and opens nothing.
TEMPLATE_OPENING_STAND_IN = '\uff5b'


def sanitize(text: str, limit: int) -> str:
    """Server text made safe to print: control characters (terminal escapes) replaced, cut to ``limit``."""
    flat = ' '.join(_CONTROL.sub(' ', text).split())
    return (flat[:limit] + '...') if len(flat) > limit else flat


def printable(text: str, limit: int) -> str:
    """A value as a server sent it, cut to ``limit`` characters, each character that hides what the text says (see
    ``_HIDING_CATEGORIES``) replaced by U+FFFD; white space and every script are kept as they are."""
    text = text[:limit]
    if text.isprintable():
        return text
    return ''.join(REPLACEMENT if unicodedata.category(char) in _HIDING_CATEGORIES else char for char in text)


def inert(text: str) -> str:
    """``text`` that no template engine reads as a template: each ``{`` that would open one (``{{``, ``{%``, ``{#``)
    becomes ``TEMPLATE_OPENING_STAND_IN``. Text without such an opening comes back unchanged."""
    return _TEMPLATE_OPENING.sub(TEMPLATE_OPENING_STAND_IN, text)


# What a rulebook's native Jinja rendering (ansible-rulebook) would read as Python source: quotes, which make a string
# literal whose escapes decode (a name written '\x7b\x7b ... }}' would come out as a template), and the backslash.
_LITERAL_QUOTES = {"'": '\uff07', '"': '\uff02', '\\': '\uff3c'}
# A Jinja header that changes the delimiters of what follows (ansible-core 2.16 honours it in any value it templates).
_JINJA_HEADER = re.compile(r'#(?=jinja2:)')
# How a Python literal may begin, after white space: a number, a sign, a container, or one of the literal names
# (whole, or cut short, since two fields joined make one text).
_LITERAL_START = re.compile(r'\s*(?:[0-9.+\-(\[{]|(?:T(?:r(?:ue?)?)?|F(?:a(?:l(?:se?)?)?)?|N(?:o(?:ne?)?)?|s(?:et?)?)'
                            r'(?![A-Za-z0-9_]))')
_REQUEST_ID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
# Set before a text that a native rendering could decode into another type (``'123'`` into a number): it can stand
# nowhere in Python source, so the text stays text, visibly marked.
LITERAL_MARK = '\u2039'
_FULL_WIDTH_OFFSET = 0xFEE0


def event_text(text: str) -> str:
    """``text`` (printable already) that stays text through any rulebook: the whole event passed on, one field, or
    two fields joined in one template, rendered by ansible-rulebook's native Jinja (which decodes what reads as a
    Python literal) and then by ansible-core 2.16 or 2.21 (which renders what reads as a template).

    - ``inert``, and a ``{`` or ``}`` at either end in its full-width form: no two fields join into ``{{``;
    - a ``#`` or ``%`` at the start, and the ``#`` of ``#jinja2:`` anywhere, full-width: no header, no line statement;
    - quotes and the backslash full-width: no string literal, so no escape decodes;
    - ``LITERAL_MARK`` before a text that could begin a Python literal (a number, a sign, a bracket, ``True``,
      ``None``... or the start of one): nothing decodes into a number, a list, a boolean or ``None``. A RequestId
      of the service's form is left as it is: it reads as no literal.
    """
    text = _ends_full_width(inert(text))
    text = _JINJA_HEADER.sub('\uff03', text)
    if text[:1] in ('#', '%'):
        text = _full_width(text[0]) + text[1:]
    text = ''.join(_LITERAL_QUOTES.get(char, char) for char in text)
    if _LITERAL_START.match(text) and not _REQUEST_ID.fullmatch(text):
        return LITERAL_MARK + text
    return text


def _ends_full_width(text):
    if text[:1] in ('{', '}'):
        text = _full_width(text[0]) + text[1:]
    if len(text) > 1 and text[-1] in ('{', '}'):
        text = text[:-1] + _full_width(text[-1])
    return text


def _full_width(char):
    return chr(ord(char) + _FULL_WIDTH_OFFSET)


def shown(value: object, limit: int) -> str:
    """Enough of a wrong value to recognise it, as Python writes it (``repr`` escapes what would hide text), cut to
    ``limit`` characters: a 1 MB "ID" is not repeated whole."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '...'


def listed(items: Sequence[str], most: int = 10) -> str:
    """The first ``most`` of ``items``, comma-separated, and how many more: a fleet is not repeated whole."""
    shown = ', '.join(items[:most])
    return shown + (' and %d more' % (len(items) - most) if len(items) > most else '')
