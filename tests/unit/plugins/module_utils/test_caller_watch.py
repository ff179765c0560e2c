# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Noticing that Ansible no longer reads the module's answer, between polls."""

import os

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils.caller_watch import (
    CallerGone, reader_gone, watched_clock,
)
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


@pytest.fixture
def pipe():
    read_end, write_end = os.pipe()
    reader, writer = os.fdopen(read_end, 'rb'), os.fdopen(write_end, 'wb')
    yield reader, writer
    for end in (reader, writer):
        if not end.closed:
            end.close()


def test_a_pipe_still_read_is_not_gone(pipe):
    assert reader_gone(pipe[1]) is False


@pytest.mark.timeout(10)
def test_a_full_pipe_whose_reader_lives_is_looked_at_without_waiting(pipe):
    os.set_blocking(pipe[1].fileno(), False)
    with pytest.raises(BlockingIOError):
        while True:
            os.write(pipe[1].fileno(), b'x' * 65536)
    assert reader_gone(pipe[1]) is False


def test_a_pipe_whose_reader_closed_is_gone(pipe):
    pipe[0].close()
    assert reader_gone(pipe[1]) is True


def test_a_file_or_something_without_a_descriptor_is_never_gone(tmp_path):
    with open(str(tmp_path / 'out'), 'w') as handle:
        assert reader_gone(handle) is False
    assert reader_gone(object()) is False


def test_watched_sleep_sleeps_the_whole_time_in_short_slices(pipe):
    clock = FakeClock()
    watched_clock(clock, pipe[1]).sleep(2.0)
    assert sum(clock.sleeps) == pytest.approx(2.0) and max(clock.sleeps) <= 0.5


def test_watched_sleep_stops_within_a_slice_of_the_reader_leaving(pipe):
    clock = FakeClock()

    def sleep(seconds):
        FakeClock.sleep(clock, seconds)
        if clock.now >= 1001.0:
            pipe[0].close()
    clock.sleep = sleep
    with pytest.raises(CallerGone):
        watched_clock(clock, pipe[1]).sleep(600.0)
    assert clock.now - 1000.0 <= 1.5


def test_a_watched_clock_reads_the_time_of_the_clock_it_watches_for(pipe):
    clock = FakeClock(1234.5, wall=lambda: 1700000000.0)
    watched = watched_clock(clock, pipe[1])
    assert (watched.wall(), watched.monotonic()) == (1700000000.0, 1234.5)
