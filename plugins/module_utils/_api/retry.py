# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long to wait before the next attempt of a call."""

import random
from typing import Callable

BASE_DELAY = 0.5
MAX_DELAY = 8.0


def full_jitter_delay(attempt: int, rng: Callable[[], float] = random.random, base: float = BASE_DELAY,
                      cap: float = MAX_DELAY) -> float:
    """Capped exponential backoff with full jitter, for the retry after failed attempt number ``attempt`` (0-based).

    Full jitter spreads many throttled callers (every fork of a play) over the whole window instead of letting them
    come back in lock step and be throttled again.
    """
    return rng() * min(cap, base * (2 ** attempt))


def longest_call_seconds(request_timeout: float, max_retries: int, base: float = BASE_DELAY,
                         cap: float = MAX_DELAY) -> float:
    """The longest a call retried ``max_retries`` times can take: every attempt timed out, every delay the longest."""
    return request_timeout * (max_retries + 1) + sum(min(cap, base * (2 ** attempt)) for attempt in range(max_retries))
