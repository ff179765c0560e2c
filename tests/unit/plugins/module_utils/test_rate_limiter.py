# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils.rate_limiter import RequestSpacer
from ansible_collections.tencentcloud.cloud.tests.unit.plugins.module_utils.fakes import FakeClock


def spacers(tmp_path, count, clock, key='account endpoint action'):
    return [RequestSpacer(40, key, directory=str(tmp_path), clock=clock, sleep=clock.sleep) for _n in range(count)]


def test_callers_sharing_a_key_are_spaced_by_the_rate(tmp_path):
    clock = FakeClock(5000.0)
    first, second = spacers(tmp_path, 2, clock)
    first.acquire()
    second.acquire()
    first.acquire()
    assert clock.sleeps == pytest.approx([0.025, 0.025])


def test_different_keys_do_not_wait_for_each_other(tmp_path):
    clock = FakeClock(5000.0)
    spacers(tmp_path, 1, clock, key='a')[0].acquire()
    spacers(tmp_path, 1, clock, key='b')[0].acquire()
    assert clock.sleeps == []


def test_a_reservation_from_a_clock_that_jumped_back_is_ignored(tmp_path):
    late = FakeClock(9000.0)
    spacers(tmp_path, 1, late)[0].acquire()
    early = FakeClock(5000.0)
    spacers(tmp_path, 1, early)[0].acquire()
    assert early.sleeps == []


def test_unusable_directory_still_spaces_requests(tmp_path):
    clock = FakeClock()
    spacer = RequestSpacer(40, 'k', directory=str(tmp_path / 'absent'), clock=clock, sleep=clock.sleep)
    spacer.acquire()
    assert clock.sleeps == [0.025]
