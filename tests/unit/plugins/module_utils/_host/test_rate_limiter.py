# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import fcntl
import math
import os
import stat

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import rate_limiter
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.rate_limiter import RequestSpacer
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


def spacer(directory, clock, key='account endpoint action', warnings=None, rng=lambda: 0.5):
    """A limiter of 40 requests a second; the middle of the decrease's range (a factor of 0.6) unless told."""
    return RequestSpacer(40, key, PrivateDirectory.open(str(directory)) if directory else None,
                         [] if warnings is None else warnings, clock=clock, rng=rng)


def schedule_file(directory, key='account endpoint action'):
    spacer(directory, FakeClock()).acquire()
    (path,) = [directory / name for name in os.listdir(str(directory))]
    return path


def test_callers_sharing_a_key_are_spaced_by_the_rate(tmp_path):
    clock = FakeClock(5000.0)
    first, second = spacer(tmp_path, clock), spacer(tmp_path, clock)
    first.acquire()
    second.acquire()
    first.acquire()
    assert clock.sleeps == pytest.approx([1 / 20.0, 1 / 20.0])


def test_different_keys_do_not_wait_for_each_other(tmp_path):
    clock = FakeClock(5000.0)
    spacer(tmp_path, clock, key='a').acquire()
    spacer(tmp_path, clock, key='b').acquire()
    assert clock.sleeps == []


def test_a_reservation_from_a_clock_that_jumped_back_is_ignored(tmp_path):
    spacer(tmp_path, FakeClock(9000.0)).acquire()
    early = FakeClock(5000.0)
    spacer(tmp_path, early).acquire()
    assert early.sleeps == []


def test_a_reservation_far_ahead_never_holds_a_caller_past_its_limit(tmp_path):
    clock = FakeClock(5000.0)
    path = schedule_file(tmp_path)
    path.write_text(repr(clock() + 59))
    spacer(tmp_path, clock).acquire(max_wait=2.0)
    assert clock.sleeps == [2.0]


def test_the_schedule_file_is_private(tmp_path):
    path = schedule_file(tmp_path)
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600


def plant(kind, path, tmp_path):
    if kind in ('symlink', 'hard link'):
        victim = tmp_path / 'victim'
        victim.write_text('precious')
        (os.symlink if kind == 'symlink' else os.link)(str(victim), str(path))
        return lambda: victim.read_text() == 'precious'
    if kind == 'dangling symlink':
        target = tmp_path / 'created-elsewhere'
        os.symlink(str(target), str(path))
        return lambda: not target.exists()
    if kind == 'fifo':
        os.mkfifo(str(path))
        return lambda: stat.S_ISFIFO(os.lstat(str(path)).st_mode)
    if kind == 'directory':
        path.mkdir()
        return path.is_dir
    raise AssertionError(kind)


@pytest.mark.parametrize('kind', ['symlink', 'dangling symlink', 'fifo', 'hard link', 'directory'])
def test_a_planted_file_is_neither_written_nor_waited_on(tmp_path, kind):
    directory = tmp_path / 'limits'
    directory.mkdir(mode=0o700)
    path = directory / os.path.basename(str(schedule_file(directory)))
    path.unlink()
    untouched = plant(kind, path, tmp_path)
    clock, warnings = FakeClock(5000.0), []
    for _n in range(3):
        spacer(directory, clock, warnings=warnings).acquire()
    assert untouched()
    # Still spaced, in-process; and said once, not for every request.
    assert clock.sleeps == pytest.approx([1 / 20.0, 1 / 20.0])
    assert len(warnings) == 1 and 'this process spaces its own requests' in warnings[0]


def test_a_file_owned_by_someone_else_is_not_used(tmp_path, monkeypatch):
    path = schedule_file(tmp_path)
    before = path.read_text()
    monkeypatch.setattr(os, 'geteuid', lambda: os.stat(str(path)).st_uid + 1)
    # The directory is someone else's too, so it is not opened at all (private_directory.find says why).
    spacer(tmp_path, FakeClock(9999.0)).acquire()
    assert path.read_text() == before


def test_a_lock_held_elsewhere_costs_a_second_at_most_not_a_hang(tmp_path):
    path = schedule_file(tmp_path)
    holder = os.open(str(path), os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        clock, warnings = FakeClock(5000.0), []
        spacer(tmp_path, clock, warnings=warnings).acquire()
    finally:
        os.close(holder)
    assert sum(clock.sleeps) == pytest.approx(rate_limiter._LOCK_TRIES * rate_limiter._LOCK_RETRY_SECONDS)
    assert warnings and 'lock stayed taken' in warnings[0]


def test_without_a_directory_requests_are_spaced_in_process():
    # The directory's absence is said where it was looked for (private_directory.find).
    clock, warnings = FakeClock(5000.0), []
    for _n in range(3):
        spacer(None, clock, warnings=warnings).acquire()
    assert clock.sleeps == pytest.approx([1 / 20.0, 1 / 20.0]) and warnings == []


def test_a_held_lock_and_a_planted_file_are_said_exactly(tmp_path):
    path = schedule_file(tmp_path)
    holder = os.open(str(path), os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        warnings = []
        spacer(tmp_path, FakeClock(5000.0), warnings=warnings).acquire()
    finally:
        os.close(holder)
    assert warnings == ['the shared request schedule %s cannot be used (its lock stayed taken): this process spaces '
                        'its own requests' % path]
    path.unlink()
    os.mkfifo(str(path))
    warnings = []
    spacer(tmp_path, FakeClock(5000.0), warnings=warnings).acquire()
    assert warnings == ["%s is not a regular file of this user's: not used; this process spaces its own requests" % path]


def test_the_schedule_file_holds_the_next_free_time_the_rate_and_the_last_decrease(tmp_path):
    # Nothing learnt yet: half the documented rate, never lowered (0.0, which also says: slow start), nothing counted.
    clock = FakeClock(5000.0)
    path = schedule_file(tmp_path)
    path.write_text('garbage')
    spacer(tmp_path, clock).acquire()
    assert [float(field) for field in path.read_text().split()] == pytest.approx([5000 + 1 / 20.0, 20.0, 0.0, 0.0, 0.0, 0.0])
    spacer(tmp_path, clock).acquire()
    assert [float(field) for field in path.read_text().split()] == pytest.approx([5000 + 2 / 20.0, 20.0, 0.0, 0.0, 0.0, 0.0])


@pytest.mark.parametrize('content, rate', [
    ('5000 30 4990', 30.0),
    ('5000 80 4990', 20.0),  # above the documented rate: never believed
    ('5000 0.1 4990', 20.0),  # below the floor: a spoiled file, not a lesson
    ('5000 nan 4990', 20.0),
    ('5000', 20.0),  # written before the rate adapted
    ('5000 30 4990 7 0 4999 1 2', 30.0),  # fields more, from who knows where: the known ones still count
    ('5000 1 4990', 1.0),  # the floor itself is a rate
    ('5000 5', 5.0),  # no decrease written: the rate stands, never forgotten as if lowered long ago
])
def test_a_rate_read_from_the_file_is_kept_within_its_bounds(tmp_path, content, rate):
    path = schedule_file(tmp_path)
    path.write_text(content)
    assert spacer(tmp_path, FakeClock(5000.0)).rate == rate


def learnt(tmp_path, clock, rate=40.0, **kwargs):
    """A limiter whose schedule ran at ``rate`` until a refusal a while ago (out of slow start)."""
    limiter = spacer(tmp_path, clock, **kwargs)
    limiter._update(lambda schedule, now: (rate_limiter.Schedule(now, rate, now - 10.0), None))
    return limiter


def test_a_throttled_answer_lowers_the_rate_for_every_process(tmp_path):
    clock = FakeClock(5000.0)
    one, other = learnt(tmp_path, clock), spacer(tmp_path, clock)
    reserved_at = one.acquire()
    one.throttled(reserved_at)
    assert other.rate == pytest.approx(24.0)
    clock.sleep(1.0)
    first = clock()
    other.acquire()
    other.acquire()
    assert clock() - first == pytest.approx(1 / 24.0)


@pytest.mark.parametrize('draw, rate', [(0.0, 20.0), (1.0, 28.0)])
def test_the_decrease_is_jittered_so_that_controllers_do_not_back_off_in_step(tmp_path, draw, rate):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock, rng=lambda: draw)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == pytest.approx(rate)


def test_one_burst_of_refusals_lowers_the_rate_once(tmp_path):
    # Twenty requests sent at 40 a second, all refused: the rate they were sent at was given up once.
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    burst = []
    for _request in range(20):
        burst.append(limiter.acquire())
    clock.sleep(0.1)
    for sent_at in burst:
        limiter.throttled(sent_at)
    assert limiter.rate == pytest.approx(24.0)
    # A request sent well after the decrease and refused, nothing accepted since: the budget leaves this user
    # nothing now, and the rate goes down to the floor.
    clock.sleep(1.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == rate_limiter.MIN_RATE


def counted(tmp_path, clock, accepted, refused):
    """A limiter at 40 a second, out of slow start, whose last second's answers were ``accepted`` and ``refused``."""
    limiter = spacer(tmp_path, clock)
    limiter._update(lambda schedule, now: (
        rate_limiter.Schedule(now, 40.0, now - 10.0, accepted, refused, now), None))
    return limiter


def test_a_decrease_starts_from_what_the_service_accepted_not_from_the_rate_sent_at(tmp_path):
    # Sent at 40 a second, 10 of them accepted and 30 refused: down to 6 (0.6 of 10), not 24.
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=10.0, refused=30.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == pytest.approx(6.0)


def test_a_stray_refusal_among_many_answers_lowers_nothing(tmp_path):
    # The service accepted 40 a second and refused one: its budget is not spent by this user.
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=40.0, refused=0.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == 40.0


def test_a_refusal_after_a_quiet_second_lowers_the_rate_sent_at(tmp_path):
    # Half an answer a second lately says nothing of the budget: 0.6 of the rate, not of that trickle.
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=0.5, refused=0.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == pytest.approx(24.0)


def test_slots_are_reserved_one_horizon_ahead_at_the_most(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock, rate=8.0)
    reserved = [limiter._update(lambda schedule, now: limiter._slot(schedule, now, None)) for _request in range(10)]
    # Eight a second: the slots up to one second ahead are handed out, the next caller is told when to look again.
    assert [slot for _at, slot in reserved[:9]] == [5000.0 + 0.125 * n for n in range(9)]
    assert reserved[9] == (None, 5001.125 - 0.5)


def test_in_slow_start_a_caller_beyond_its_short_horizon_looks_again_later_rather_than_at_once(tmp_path):
    # The next free slot is 0.3 s ahead, beyond slow start's tenth of a second: the caller sleeps until a moment
    # drawn in that tenth before it (here its middle), then takes the slot.
    clock = FakeClock(5000.0)
    path = schedule_file(tmp_path)
    path.write_text('5000.3')
    spacer(tmp_path, clock).acquire()
    assert clock.sleeps == pytest.approx([0.25, 0.05])


def test_callers_beyond_the_horizon_take_slots_at_the_rate_of_when_they_look_again(tmp_path):
    # Seventeen callers hold the next second at 16 a second; the rate has risen to 40 since. Two callers that had
    # queued behind them would go 1/16 s apart; these look again at a moment drawn in the horizon, and the second
    # goes 1/40 s after the first.
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock, rate=16.0, rng=lambda: 0.5)
    for _request in range(17):
        limiter._update(lambda schedule, now: limiter._slot(schedule, now, None))
    limiter._update(lambda schedule, now: (schedule._replace(rate=40.0), None))
    limiter.acquire()
    limiter.acquire()
    assert clock.sleeps == pytest.approx([1.0625 - 0.5, 0.5, 0.025])


def test_a_reservation_gives_up_its_slot_when_the_rate_fell_meanwhile(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    waiting = [limiter._update(lambda schedule, now: limiter._slot(schedule, now, None)) for _request in range(10)]
    limiter.throttled(limiter.acquire())  # a refusal at 5000.25: the rate is now 24
    renewed = [limiter._update(lambda schedule, now: limiter._slot(schedule, now, reserved_at))
               for reserved_at, _slot in waiting]
    # One interval of the new rate after the decrease, then 12 a second, not the old slots.
    assert [slot for _at, slot in renewed] == pytest.approx([5000.25 + n / 24.0 for n in range(1, 11)])


def test_a_request_reserved_after_the_decrease_keeps_its_slot(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    limiter.throttled(limiter.acquire())
    clock.sleep(1.0)
    reserved_at = limiter.acquire()
    assert limiter._update(lambda schedule, now: limiter._slot(schedule, now, reserved_at)) is None


def test_acquire_waits_again_at_the_new_rate_when_the_rate_fell_while_it_waited(tmp_path):
    clock = FakeClock(5000.0)
    limiter, other = learnt(tmp_path, clock), spacer(tmp_path, clock)
    # Another process reserved the slots from 5000.0 to 5000.1; the last of them will be refused.
    refused = [other._update(lambda schedule, now: other._slot(schedule, now, None))[0] for _request in range(5)][-1]
    real_sleep = clock.sleep
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 1:
            # While this caller waits for its slot (5000.125), another process is refused at 5000.1: the rate
            # falls to 24, and the next free slot is one interval of the new rate later.
            real_sleep(0.1)
            other.throttled(refused)
            seconds -= 0.1
        real_sleep(seconds)
    limiter._sleep = sleep
    limiter.acquire()
    assert slept == pytest.approx([0.125, 0.1 + 1 / 24.0 - 0.125]) and clock() == pytest.approx(5000.1 + 1 / 24.0)


def test_until_the_first_refusal_the_rate_grows_fast_from_half_the_documented_rate(tmp_path):
    clock = FakeClock(5000.0)
    limiter = spacer(tmp_path, clock)
    assert limiter.rate == 20.0
    for _success in range(3):
        limiter.succeeded()
    assert limiter.rate == 38.0
    limiter.succeeded()
    assert limiter.rate == 40.0


def test_after_a_refusal_successes_raise_the_rate_slowly_and_never_above_the_documented_rate(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    limiter.throttled(limiter.acquire())
    limiter.succeeded()
    # Half a request a second more for every second of successes at the rate: 24 successes at 24 a second.
    assert limiter.rate == pytest.approx(24 + 0.5 / 24)
    for _success in range(23):
        limiter.succeeded()
    assert limiter.rate == pytest.approx(24.5, abs=0.01)
    for _success in range(5000):
        limiter.succeeded()
    assert limiter.rate == 40.0


def test_a_rate_lowered_long_ago_is_forgotten_and_learnt_again(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    limiter.throttled(limiter.acquire())
    clock.sleep(rate_limiter.FORGET_SECONDS - 1)
    assert limiter.rate == pytest.approx(24.0)
    clock.sleep(2)
    # Back to slow start, from half the documented rate (or more, where it had climbed higher since).
    assert limiter.rate == 24.0
    limiter.succeeded()
    assert limiter.rate == 30.0


def test_without_a_directory_the_rate_adapts_within_the_process():
    clock = FakeClock(5000.0)
    limiter = spacer(None, clock)
    limiter.throttled(limiter.acquire())
    assert spacer(None, clock).rate == pytest.approx(12.0)


def test_a_schedule_file_failing_without_a_reason_is_named_by_the_failure(tmp_path, monkeypatch):
    warnings = []
    limiter = spacer(tmp_path, FakeClock(), warnings=warnings)

    def fail(change):
        raise OSError()
    monkeypatch.setattr(limiter, '_update_shared', fail)
    limiter.acquire()
    assert warnings == ['the shared request schedule %s cannot be used (OSError): this process spaces its own '
                        'requests' % os.path.join(str(tmp_path), limiter._name)]


def behind(tmp_path, clock, seconds):
    """A limiter whose next free slot is ``seconds`` ahead, at 15 requests a second."""
    limiter = spacer(tmp_path, clock)
    limiter._update(lambda schedule, now: (rate_limiter.Schedule(now + seconds, 15.0, now - 10.0), None))
    return limiter


def test_a_caller_out_of_patience_before_any_slot_returns_when_it_gave_up(tmp_path):
    clock = FakeClock(5000.0)
    # The next slot is 4/3 s ahead, beyond the horizon: it looks again 5/6 s later, but may wait only 1/2 s.
    assert behind(tmp_path, clock, 4.0 / 3).acquire(max_wait=0.5) == 5000.5
    assert clock.sleeps == [0.5]


def test_a_caller_out_of_patience_after_reserving_goes_when_it_gave_up(tmp_path):
    clock = FakeClock(5000.0)
    # Looks again after 5/6 s, reserves the slot then 1/2 s ahead, and waits out the 1/6 s of patience left.
    assert behind(tmp_path, clock, 4.0 / 3).acquire(max_wait=1.0) == pytest.approx(5001.0)
    assert clock.sleeps == pytest.approx([5.0 / 6, 1.0 / 6])


def test_a_refusal_of_a_request_reserved_at_the_last_decrease_lowers_nothing_more(tmp_path):
    clock = FakeClock(5000.0)
    limiter = learnt(tmp_path, clock)
    limiter.throttled(clock())
    lowered = limiter.rate
    limiter.throttled(clock())
    assert lowered < 40.0 and limiter.rate == lowered


def test_a_schedule_without_its_last_decrease_is_written_back_whole(tmp_path):
    path = schedule_file(tmp_path)
    path.write_text('5000 5')
    spacer(tmp_path, FakeClock(5000.0)).acquire()
    assert [float(field) for field in path.read_text().split()] == pytest.approx([5000.2, 5.0, 0.0, 0.0, 0.0, 0.0])


def test_a_wall_clock_stepped_back_or_forward_changes_nothing(tmp_path):
    # The schedule is kept on the host's monotonic clock: the wall clock may jump either way.
    steady = FakeClock(5000.0)
    for wall in (1.7e9, 1.7e9 - 59, 1.7e9 + 400, 1.7e9 - 3600):
        clock = Clock(wall=lambda wall=wall: wall, monotonic=steady.monotonic, sleep=steady.sleep)
        spacer(tmp_path, clock).acquire()
    assert sum(steady.sleeps) == pytest.approx(3 / 20.0)


def test_answers_are_counted_as_sums_that_decay_over_a_second():
    schedule = rate_limiter.Schedule(0.0, 40.0, 0.0, 4.0, 2.0, 100.0)
    accepted = schedule.counted(101.0, accepted=1.0)
    expected = (4.0 / math.e + 1.0, 2.0 / math.e, 101.0)
    assert (accepted.accepted, accepted.refused, accepted.counted_at) == pytest.approx(expected)
    refused = schedule.counted(101.0, refused=1.0)
    assert (refused.accepted, refused.refused) == pytest.approx((4.0 / math.e, 2.0 / math.e + 1.0))
    assert schedule.per_second(102.0) == pytest.approx((4.0 / math.e ** 2, 2.0 / math.e ** 2))
    # A reading from before the last count (another process's clock) decays nothing.
    assert schedule.per_second(99.0) == (4.0, 2.0)


def schedule_of(limiter):
    return limiter._update(lambda schedule, now: (schedule, schedule))


def test_a_success_counts_one_answer_accepted_and_none_refused(tmp_path):
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=10.0, refused=5.0)
    limiter.succeeded()
    assert (schedule_of(limiter).accepted, schedule_of(limiter).refused) == (11.0, 5.0)


def test_a_refusal_just_at_the_end_of_the_burst_of_the_last_decrease_lowers_nothing(tmp_path):
    clock = FakeClock(5000.0)
    limiter = spacer(tmp_path, clock)
    decreased_at = clock.now - 1.0
    limiter._update(lambda schedule, now: (rate_limiter.Schedule(now, 40.0, decreased_at), None))
    limiter.throttled(decreased_at + rate_limiter._BURST_SECONDS)
    assert limiter.rate == 40.0


def test_two_answers_a_second_are_enough_to_judge_the_budget_by(tmp_path):
    # One accepted lately, and this refusal: half refused, so the rate goes to what was accepted (the floor here).
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=1.0, refused=0.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == rate_limiter.MIN_RATE


def test_refusals_of_a_fifth_of_the_answers_lower_nothing(tmp_path):
    # Four accepted lately, and this refusal: one in five is a stray, not a spent budget.
    limiter = counted(tmp_path, FakeClock(5000.0), accepted=4.0, refused=0.0)
    limiter.throttled(limiter.acquire())
    assert limiter.rate == 40.0


@pytest.mark.parametrize('content, counts', [
    ('5000 30 4990 80 80 4999', (80.0, 80.0, 4999.0)),  # twice the documented rate is the most believed
    ('5000 30 4990 1 1 5000', (1.0, 1.0, 5000.0)),
    ('5000 30 4990 81 0 4999', (0.0, 0.0, 0.0)),
    ('5000 30 4990 0 81 4999', (0.0, 0.0, 0.0)),
    ('5000 30 4990 -1 0 4999', (0.0, 0.0, 0.0)),
    ('5000 30 4990 1 1 5001', (0.0, 0.0, 0.0)),  # counted in the future: another clock, or a planted file
])
def test_answer_counts_read_from_the_file_are_kept_within_their_bounds(tmp_path, content, counts):
    path = schedule_file(tmp_path)
    path.write_text(content)
    schedule = schedule_of(spacer(tmp_path, FakeClock(5000.0)))
    assert (schedule.accepted, schedule.refused, schedule.counted_at) == counts
