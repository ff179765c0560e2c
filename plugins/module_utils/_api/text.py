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


def listed(items: Sequence[str], most: int = 10) -> str:
    """The first ``most`` of ``items``, comma-separated, and how many more: a fleet is not repeated whole."""
    shown = ', '.join(items[:most])
    return shown + (' and %d more' % (len(items) - most) if len(items) > most else '')
