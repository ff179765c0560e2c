# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text for messages: what a server said, made safe to repeat, and long lists cut short."""

import re
from typing import Sequence

_CONTROL = re.compile(r'[\x00-\x1f\x7f-\x9f]+')


def sanitize(text: str, limit: int) -> str:
    """Server text made safe to print: control characters (terminal escapes) replaced, cut to ``limit``."""
    flat = ' '.join(_CONTROL.sub(' ', text).split())
    return (flat[:limit] + '...') if len(flat) > limit else flat


def listed(items: Sequence[str], most: int = 10) -> str:
    """The first ``most`` of ``items``, comma-separated, and how many more: a fleet is not repeated whole."""
    shown = ', '.join(items[:most])
    return shown + (' and %d more' % (len(items) - most) if len(items) > most else '')
