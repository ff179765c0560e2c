# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text from a server, made safe to repeat in a message."""

import re

_CONTROL = re.compile(r'[\x00-\x1f\x7f-\x9f]+')


def sanitize(text: str, limit: int) -> str:
    """Server text made safe to print: control characters (terminal escapes) replaced, cut to ``limit``."""
    flat = ' '.join(_CONTROL.sub(' ', text).split())
    return (flat[:limit] + '...') if len(flat) > limit else flat
