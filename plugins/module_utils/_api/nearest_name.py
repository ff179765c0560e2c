# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The known name a misspelt one most likely means, for the "did you mean" of a message."""

import difflib
from typing import Iterable, Mapping, Optional

# How alike a name must be to a known one to be suggested (difflib's ratio): a typo, not another word.
_CUTOFF = 0.6


def nearest_name(name: object, known: Iterable[str], habits: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The name of ``known`` that ``name`` most likely means: the one ``habits`` gives for it (another tool's word
    for the same thing, such as amazon.aws's ``availability-zone`` for ``zone``), else the closest spelling, else
    ``None``."""
    text = str(name)
    if habits and text in habits:
        return habits[text]
    close = difflib.get_close_matches(text, list(known), n=1, cutoff=_CUTOFF)
    return close[0] if close else None


def did_you_mean(name: object, known: Iterable[str], habits: Optional[Mapping[str, str]] = None) -> str:
    """`` (did you mean X?)`` for ``nearest_name``, or nothing."""
    nearest = nearest_name(name, known, habits)
    return ' (did you mean %s?)' % nearest if nearest else ''
