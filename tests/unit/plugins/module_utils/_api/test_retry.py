# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import random

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.retry import full_jitter_delay


@pytest.mark.parametrize('attempt, window', [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)])
def test_the_delay_is_a_uniform_draw_over_the_capped_window(attempt, window):
    assert full_jitter_delay(attempt, lambda: 0.0) == 0.0
    assert full_jitter_delay(attempt, lambda: 0.5) == window / 2
    assert full_jitter_delay(attempt, lambda: 0.999) == pytest.approx(window * 0.999)


def test_callers_are_spread_over_the_window_not_in_lock_step():
    draws = [full_jitter_delay(3, random.Random(seed).random) for seed in range(200)]
    assert all(0 <= delay < 4.0 for delay in draws)
    assert len(set(round(delay, 3) for delay in draws)) > 150
    assert min(draws) < 0.5 and max(draws) > 3.5
