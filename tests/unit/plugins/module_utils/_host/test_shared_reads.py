# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules of shared reads: one call for what was asked, never a stale answer, each caller's own deadline and
errors, nothing shared across accounts, and a leader that dies or hangs never holds the others for long.

Other processes are played by the test: it writes their requests, takes and holds their locks, as they would.
"""

import errno
import fcntl
import json
import os
import stat
import subprocess
import sys
import threading
import time

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import shared_reads
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock, RealClock

SCOPE = 'a' * 32
FIELDS = ('InstanceId', 'InstanceState')


class Fetcher:
    """The calls a leader makes: records what each asked for, answers every ID RUNNING (with a field not shared)."""

    def __init__(self, during=None, error=None):
        self.asked = []
        self.deadlines = []
        self._during = during
        self._error = error

    def __call__(self, ids, deadline):
        self.asked.append(list(ids))
        self.deadlines.append(deadline)
        if self._during:
            self._during()
        if self._error:
            raise self._error
        return {i: {'InstanceId': i, 'InstanceState': 'RUNNING', 'PrivateIpAddresses': ['10.0.0.1']}
                for i in ids if i != 'ins-unknown0'}


@pytest.fixture
def place(tmp_path):
    directory = tmp_path / 'private'
    directory.mkdir(mode=0o700)
    return directory


@pytest.fixture
def names(monkeypatch):
    """Tokens and batch names handed out in order: t1, t2... so the test can play the other side."""
    counter = iter(range(1, 1000))
    monkeypatch.setattr(shared_reads, '_new_name', lambda: 't%d' % next(counter))


def scope_dir(place, scope=SCOPE):
    path = place / ('reads-%s' % scope)
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def ask_as_another_process(place, token, ids, scope=SCOPE):
    (scope_dir(place, scope) / ('asked-%s' % token)).write_text(json.dumps({'ids': ids}))


def in_company(place, pid, scope=SCOPE):
    """Process ``pid`` asked a moment ago: if it still runs, a leader gathers before it calls."""
    (scope_dir(place, scope) / 'last-asker').write_text('%d %r' % (pid, time.monotonic()))


def reads(place, clock=None, **kwargs):
    clock = clock or FakeClock(time.monotonic())
    return shared_reads.SharedReads(place and PrivateDirectory.open(str(place)), lease=kwargs.pop('lease', 10.0),
                                    patience=kwargs.pop('patience', 60.0), attempts=kwargs.pop('attempts', 1),
                                    warnings=kwargs.pop('warnings', []),
                                    clock=Clock(wall=kwargs.pop('wall', time.time), monotonic=clock, sleep=clock.sleep),
                                    **kwargs), clock


def answer_as_a_leader(directory, token, document):
    """Answer as a leader does, written aside then renamed: an asker looking meanwhile never reads half of it."""
    (directory / 'draft-answer').write_text(json.dumps(document))
    os.rename(str(directory / 'draft-answer'), str(directory / ('answer-%s' % token)))


def answer_of(place, token, scope=SCOPE):
    return json.loads((scope_dir(place, scope) / ('answer-%s' % token)).read_text())


def test_without_a_private_directory_the_read_is_made_alone():
    fetch = Fetcher()
    alone = shared_reads.SharedReads(None, lease=10.0, patience=60.0, attempts=1, warnings=[])
    found = alone.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert found == {'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}}
    assert fetch.asked == [['ins-aaaaaaaa']]


def test_an_unsigned_client_never_shares(place):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    fetch = Fetcher()
    reads(place)[0].read(None, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']]


def test_a_read_alone_is_sent_at_once(place):
    fetch = Fetcher()
    shared, clock = reads(place)
    assert shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS) == {
        'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}}
    assert fetch.asked == [['ins-aaaaaaaa']] and clock.sleeps == [] and not shared.in_company


def test_a_process_that_asked_and_has_ended_is_no_company(place):
    ended = subprocess.Popen(['true'])
    ended.wait()
    in_company(place, ended.pid)
    shared, clock = reads(place)
    shared.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert clock.sleeps == [] and not shared.in_company


def test_this_process_asking_again_is_no_company(place):
    in_company(place, os.getpid())
    shared, clock = reads(place)
    shared.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert clock.sleeps == [] and not shared.in_company


def test_one_call_answers_every_request_asked_and_each_gets_only_its_own(place, names, other_process):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb', 'ins-unknown0'])
    in_company(place, other_process)
    fetch = Fetcher()
    shared, clock = reads(place)
    found = shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert shared.in_company
    assert fetch.asked == [['ins-aaaaaaaa', 'ins-bbbbbbbb', 'ins-unknown0']]
    # The leader gathered for one window before it called.
    assert clock.sleeps == [shared_reads.GATHER_SECONDS]
    assert found == {'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}}
    # Only the fields named are written for the other process: IDs and states, nothing else of the answer.
    assert answer_of(place, 'other') == {'found': {
        'ins-bbbbbbbb': {'InstanceId': 'ins-bbbbbbbb', 'InstanceState': 'RUNNING'}}}


def test_a_request_asked_once_the_calls_started_waits_for_the_next_batch(place, names):
    def ask_late():
        ask_as_another_process(place, 'late', ['ins-cccccccc'])
    fetch = Fetcher(during=ask_late)
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']]
    directory = scope_dir(place)
    assert (directory / 'asked-late').exists() and not (directory / 'answer-late').exists()


@pytest.mark.parametrize('code', ['AuthFailure.SecretIdNotFound', 'AuthFailure.SignatureFailure'])
def test_a_verdict_on_the_keys_reaches_every_asker_with_its_request_id(place, names, code):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    fetch = Fetcher(error=errors.TencentCloudError(code, 'no', 'req-shared', 400))
    with pytest.raises(errors.TencentCloudError) as caught:
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert caught.value.request_id == 'req-shared'
    assert answer_of(place, 'other') == {'error': {'code': code, 'message': 'no', 'request_id': 'req-shared',
                                                   'http_status': 400}}


@pytest.mark.parametrize('code', ['UnauthorizedOperation', 'UnauthorizedOperation.ResourceDenied',
                                  'AuthFailure.UnauthorizedOperation', 'InvalidInstanceId.NotFound', 'ResourceNotFound.InstanceNotFound'])
def test_an_answer_that_may_be_about_some_instances_sends_every_asker_to_ask_alone(place, names, code):
    # A policy that denies one instance refuses the combined call: each asker asks for its own instances alone, once.
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    calls = []

    def fetch(ids, deadline):
        calls.append(list(ids))
        if 'ins-bbbbbbbb' in ids:
            raise errors.TencentCloudError(code, 'denied: ins-bbbbbbbb', 'req-denied')
        return {i: {'InstanceId': i, 'InstanceState': 'RUNNING'} for i in ids}
    found = reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert found == {'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}}
    assert calls == [['ins-aaaaaaaa', 'ins-bbbbbbbb'], ['ins-aaaaaaaa']]
    assert answer_of(place, 'other') == {'alone': True}


def test_an_answer_about_the_instances_of_a_leader_alone_is_its_own(place, names):
    fetch = Fetcher(error=errors.TencentCloudError('UnauthorizedOperation', 'denied', 'req-denied'))
    with pytest.raises(errors.TencentCloudError) as caught:
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert caught.value.request_id == 'req-denied' and fetch.asked == [['ins-aaaaaaaa']]


def test_an_asker_sent_to_ask_alone_does(place, names):
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)

    def lead_elsewhere():
        wait_for((directory / 'asked-t1').exists)
        answer_as_a_leader(directory, 't1', {'alone': True})
    threading.Thread(target=lead_elsewhere).start()
    fetch = Fetcher()
    try:
        found = reads(place, clock=RealClock())[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    finally:
        os.close(held)
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']


@pytest.mark.parametrize('error', [
    errors.TencentCloudError('InternalError', 'busy', 'req-1', 500),
    errors.TencentCloudError('RequestLimitExceeded', 'too many', 'req-2', 200),
    errors.TencentCloudError(errors.HTTP_ERROR, 'HTTP 502', None, 502),
    errors.TencentCloudError(errors.CONNECTION_FAILURE, 'cannot reach'),
    errors.TencentCloudError(errors.TLS_FAILURE, 'TLS handshake failed'),
    errors.TencentCloudError(errors.REQUEST_TIMEOUT, 'no answer (request_timeout)'),
    errors.TencentCloudError(errors.SIGNATURE_EXPIRE, 'this clock is off', 'req-3'),
    errors.DeadlineExceeded(errors.REQUEST_TIMEOUT, "the wait's deadline ran out"),
], ids=lambda error: error.code)
def test_a_call_failed_for_the_leaders_reasons_hands_the_requests_back(place, names, error):
    # Its retries, its deadline, its connection, its clock: another asker, with its own, may well succeed.
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    with pytest.raises(errors.TencentCloudError) as caught:
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(error=error), FIELDS)
    assert caught.value is error
    assert answer_of(place, 'other') == {'again': True}


def test_an_asker_raises_the_error_of_the_call_it_shared(place, names):
    # t1 is this asker's token; the "leader" answers it while it waits for the gather lock held elsewhere.
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)

    def lead_elsewhere():
        wait_for((directory / 'asked-t1').exists)
        answer_as_a_leader(directory, 't1', {'error': {
            'code': 'AuthFailure.SignatureFailure', 'message': 'bad', 'request_id': 'req-9', 'http_status': None}})
        os.unlink(str(directory / 'asked-t1'))
    leader = threading.Thread(target=lead_elsewhere)
    leader.start()
    try:
        with pytest.raises(errors.TencentCloudError) as caught:
            reads(place, clock=RealClock())[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    finally:
        leader.join()
        os.close(held)
    assert (caught.value.code, caught.value.request_id) == ('AuthFailure.SignatureFailure', 'req-9')


def spent(error, attempts):
    error.attempts = attempts
    return error


@pytest.mark.parametrize('attempts', [2, 4])
def test_a_call_whose_retries_were_spent_on_a_fault_tells_its_askers_so(place, names, attempts):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    error = spent(errors.TencentCloudError('InternalError', 'busy (after %d attempts)' % attempts, 'req-4', 500),
                  attempts)
    with pytest.raises(errors.TencentCloudError):
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(error=error), FIELDS)
    assert answer_of(place, 'other') == {'spent': {'code': 'InternalError',
                                                   'message': 'busy (after %d attempts)' % attempts,
                                                   'request_id': 'req-4'}, 'attempts': attempts}


def test_a_call_that_failed_on_its_one_attempt_sends_its_askers_to_ask_again(place, names):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    with pytest.raises(errors.TencentCloudError):
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None,
                             Fetcher(error=errors.TencentCloudError('InternalError', 'busy', 'req-1', 500)), FIELDS)
    assert answer_of(place, 'other') == {'again': True}


@pytest.mark.parametrize('own_attempts, fails', [(4, True), (3, True), (5, False)])
def test_an_asker_fails_with_a_fault_met_on_as_many_attempts_as_it_makes_and_asks_again_otherwise(
        place, names, own_attempts, fails):
    # In an outage, each gate fails within its own retries with the service's error, not after every leader's in
    # turn; a gate that would try more often than the leader did asks again.
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)

    def lead_elsewhere():
        wait_for((directory / 'asked-t1').exists)
        os.unlink(str(directory / 'asked-t1'))
        answer_as_a_leader(directory, 't1', {'spent': {'code': 'InternalError', 'message': 'busy (after 4 attempts)',
                                                       'request_id': 'req-4'}, 'attempts': 4})
        if not fails:
            wait_for((directory / 'asked-t1').exists)
            os.unlink(str(directory / 'asked-t1'))
            answer_as_a_leader(directory, 't1', {'found': {'ins-aaaaaaaa': {'InstanceState': 'RUNNING'}}})
    leader = threading.Thread(target=lead_elsewhere)
    leader.start()
    read = reads(place, clock=RealClock(), attempts=own_attempts)[0]
    try:
        if fails:
            with pytest.raises(errors.TencentCloudError) as caught:
                read.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
            assert (caught.value.code, caught.value.request_id, caught.value.attempts) == ('InternalError', 'req-4', 4)
        else:
            assert read.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS) == {
                'ins-aaaaaaaa': {'InstanceState': 'RUNNING'}}
    finally:
        leader.join()
        os.close(held)


def test_an_asker_told_to_ask_again_asks_for_the_next_call(place, names):
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    asked_again = []

    def hand_back_then_answer():
        wait_for((directory / 'asked-t1').exists)
        os.unlink(str(directory / 'asked-t1'))
        answer_as_a_leader(directory, 't1', {'again': True})
        # The asker asks again; the next leader (this one still) answers it.
        wait_for((directory / 'asked-t1').exists)
        asked_again.append(True)
        os.unlink(str(directory / 'asked-t1'))
        answer_as_a_leader(directory, 't1', {'found': {'ins-aaaaaaaa': {'InstanceState': 'STOPPED'}}})
    leader = threading.Thread(target=hand_back_then_answer)
    leader.start()
    fetch = Fetcher()
    try:
        found = reads(place, clock=RealClock())[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    finally:
        leader.join()
        os.close(held)
    assert asked_again and fetch.asked == [] and found == {'ins-aaaaaaaa': {'InstanceState': 'STOPPED'}}


def take_request_into(directory, batch):
    """What another process's leader does: wait for asker t1's request, lock its batch, take it.

    The leader still holds the gathering lock: while it does, the asker cannot lead a batch of its own (which it
    may, the moment the lock is free, and read for itself), so the test sees the asker follow this one.
    """
    wait_for((directory / 'asked-t1').exists)
    held = hold_lock(directory / ('batch-%s' % batch), fcntl.LOCK_EX)
    os.rename(str(directory / 'asked-t1'), str(directory / ('taken-%s-t1' % batch)))
    return held


def read_with_a_leader_elsewhere(place, leader, fetch, clock=None, stop=None, **kwargs):
    """Read ``ins-aaaaaaaa`` as asker t1 while ``leader(directory, gathering)`` plays the leader on a thread.

    ``stop()`` ends a leader that would go on for ever, once the read is over.
    """
    directory = scope_dir(place)
    gathering = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    thread = threading.Thread(target=leader, args=(directory, gathering))
    thread.start()
    try:
        return reads(place, clock=clock or RealClock(), **kwargs)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    finally:
        if stop:
            stop()
        thread.join()


def test_a_leader_that_died_with_the_request_is_replaced_at_once(place, names):
    def take_then_die(directory, gathering):
        # What the kernel does when the leader dies: its locks go, its files stay.
        os.close(take_request_into(directory, 'dead'))
        os.close(gathering)
    fetch = Fetcher()
    clock = RealClock()
    found = read_with_a_leader_elsewhere(place, take_then_die, fetch, clock=clock)
    # The asker asked again and led the next batch itself, well within one lease.
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']
    assert clock.elapsed() < 5.0


@pytest.mark.parametrize('touched', ['an hour ahead', 'a minute ago'])
def test_a_leader_that_stalls_is_given_up_on_after_one_lease_whatever_its_file_times_say(place, names, touched):
    # A wall clock stepped back makes a file touched "in the future" look fresh for an hour: only changes count.
    hung = []

    def take_then_stall(directory, gathering):
        hung.extend([take_request_into(directory, 'hung'), gathering])
        seconds = 3600 if touched == 'an hour ahead' else -60
        os.utime(str(directory / 'batch-hung'), (time.time() + seconds,) * 2)
    fetch = Fetcher()
    clock = RealClock()
    try:
        found = read_with_a_leader_elsewhere(place, take_then_stall, fetch, clock=clock, lease=1.0)
    finally:
        for held in hung:
            os.close(held)
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']
    assert 1.0 < clock.elapsed() < 1.0 + 2.0


def test_a_leader_whose_call_hangs_is_given_up_on_heartbeat_or_not(place, names, monkeypatch):
    monkeypatch.setattr(shared_reads, 'LEADER_MARGIN_SECONDS', 0.5)
    beating = threading.Event()
    hung = []

    def take_then_beat(directory, gathering):
        hung.extend([take_request_into(directory, 'hung'), gathering])
        # Its heartbeat goes on; its call never ends.
        while not beating.wait(0.05):
            os.utime(str(directory / 'batch-hung'), None)
    fetch = Fetcher()
    clock = RealClock()
    try:
        found = read_with_a_leader_elsewhere(place, take_then_beat, fetch, clock=clock, lease=1.0,
                                             stop=beating.set)
    finally:
        for held in hung:
            os.close(held)
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']
    # One lease and the margin after the asker first saw the batch.
    assert 1.5 < clock.elapsed() < 1.5 + 2.0


def test_a_read_without_a_deadline_waits_for_others_only_while_its_own_call_could_still_be_made(place, names):
    directory = scope_dir(place)
    gathering = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    clock = RealClock()
    fetch = Fetcher()
    try:
        shared = reads(place, clock=clock, lease=0.5, patience=0.8)[0]
        found = shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    finally:
        os.close(gathering)
    # It read alone, with one lease of its own time left: a caller never fails for a call it did not make.
    assert list(found) == ['ins-aaaaaaaa'] and fetch.asked == [['ins-aaaaaaaa']]
    assert 0.25 < clock.elapsed() < 2.0


def test_a_read_whose_deadline_leaves_one_lease_reads_alone_at_once(place, names):
    gathering = hold_lock(scope_dir(place) / 'gather', fcntl.LOCK_EX)
    shared, clock = reads(place)
    fetch = Fetcher()
    try:
        found = shared.read(SCOPE, ['ins-aaaaaaaa'], Deadline(clock() + 10.0, 'the deadline'), fetch, FIELDS)
    finally:
        os.close(gathering)
    # Its own call needs the lease left: it makes it without a look more.
    assert list(found) == ['ins-aaaaaaaa'] and clock.sleeps == []


def test_a_leader_alive_and_calling_is_waited_for(place, names):
    def lead_slowly(directory, gathering):
        batch = take_request_into(directory, 'slow')
        time.sleep(0.3)
        answer_as_a_leader(directory, 't1', {'found': {'ins-aaaaaaaa': {'InstanceState': 'STOPPED'}}})
        os.unlink(str(directory / 'taken-slow-t1'))
        os.close(batch)
        os.close(gathering)
    fetch = Fetcher()
    found = read_with_a_leader_elsewhere(place, lead_slowly, fetch)
    assert fetch.asked == [] and found == {'ins-aaaaaaaa': {'InstanceState': 'STOPPED'}}


def test_an_askers_deadline_is_its_own(place, names):
    directory = scope_dir(place)
    gathering = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    os.utime(str(directory / 'gather'), None)
    clock = RealClock()
    fetch = Fetcher()
    deadline = Deadline(clock() + 1.2, "the wait's deadline")
    try:
        reads(place, clock=clock, lease=1.0)[0].read(SCOPE, ['ins-aaaaaaaa'], deadline, fetch, FIELDS)
    finally:
        os.close(gathering)
    # Behind a leader that does not answer, it makes its own call while one lease of its deadline is left.
    assert fetch.asked == [['ins-aaaaaaaa']] and fetch.deadlines == [deadline] and clock.elapsed() < 1.0
    # It leaves nothing behind for a leader to answer.
    assert not [name for name in os.listdir(str(directory)) if name.endswith('t1')]


def test_requests_of_another_account_are_never_read_or_answered(place, names):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'], scope='b' * 32)
    fetch = Fetcher()
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']]
    assert (scope_dir(place, 'b' * 32) / 'asked-other').exists()


def test_the_shared_files_are_private(place, names):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    directory = scope_dir(place)
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(str(directory / 'answer-other')).st_mode) == 0o600


def test_a_directory_others_can_enter_is_not_used(place, names):
    directory = scope_dir(place)
    directory.chmod(0o755)
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    fetch = Fetcher()
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']] and not (directory / 'answer-other').exists()


@pytest.mark.parametrize('garbage', ['not json', '[]', '{"found": {"ins-zzzzzzzz": {"InstanceState": "RUNNING"}}}',
                                     '{"found": {"ins-aaaaaaaa": {"InstanceState": 7}}}',
                                     '{"error": {"code": "X", "message": "m", "http_status": "500"}}',
                                     '{"spent": {"code": "X", "message": "m"}, "attempts": "6"}',
                                     '{"spent": {"code": "X", "message": "m"}, "attempts": true}'])
def test_an_answer_that_is_not_one_makes_the_asker_read_alone(place, names, garbage):
    directory = scope_dir(place)
    (directory / 'answer-t1').write_text(garbage)
    fetch = Fetcher()
    found = reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']


@pytest.mark.parametrize('way', ['no private directory', 'unsigned', 'leading', 'after a garbled answer'])
def test_the_readers_deadline_bounds_the_call_whichever_way_the_read_goes(place, names, way):
    if way == 'after a garbled answer':
        (scope_dir(place) / 'answer-t1').write_text('not json')
    shared, clock = reads(None if way == 'no private directory' else place)
    deadline = Deadline(clock() + 30, "the wait's deadline")
    fetch = Fetcher()
    shared.read(None if way == 'unsigned' else SCOPE, ['ins-aaaaaaaa'], deadline, fetch, FIELDS)
    assert fetch.deadlines == [deadline]


def test_a_request_that_is_not_one_is_set_aside(place, names):
    (scope_dir(place) / 'asked-junk').write_text('{"ids": [1, 2]}')
    fetch = Fetcher()
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']]


def test_the_window_never_runs_past_the_leaders_deadline(place, names, other_process):
    in_company(place, other_process)
    clock = FakeClock(time.monotonic())
    shared = shared_reads.SharedReads(PrivateDirectory.open(str(place)), lease=10.0, patience=60.0, attempts=1,
                                      warnings=[], clock=Clock(monotonic=clock, sleep=clock.sleep))
    shared.read(SCOPE, ['ins-aaaaaaaa'], Deadline(clock() + 0.05, 'd'), Fetcher(), FIELDS)
    assert clock.sleeps == [pytest.approx(0.05)]


def hold_lock(path, kind):
    descriptor = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, kind)
    return descriptor


def wait_for(condition, seconds=5.0):
    limit = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < limit, 'the asker never asked'
        time.sleep(0.005)


def test_a_leader_removes_what_dead_processes_left_long_ago(place, names):
    directory = scope_dir(place)
    long_ago = time.time() - shared_reads.LEFTOVER_SECONDS - 10
    for name in ('answer-gone', 'batch-gone', 'taken-gone-gone', 'draft-gone', 'answer-fresh'):
        (directory / name).write_text('{}')
        if name != 'answer-fresh':
            os.utime(str(directory / name), (long_ago, long_ago))
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert sorted(name for name in os.listdir(str(directory)) if name.endswith(('gone', 'fresh'))) == ['answer-fresh']


def test_a_new_scope_removes_scopes_unused_for_a_day(place, names):
    old, recent = scope_dir(place, 'b' * 32), scope_dir(place, 'c' * 32)
    (old / 'last-asker').write_text('1 1.0')
    day_ago = time.time() - shared_reads.UNUSED_SCOPE_SECONDS - 10
    os.utime(str(old), (day_ago, day_ago))
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert not old.exists() and recent.exists()


@pytest.fixture
def scopes_in_order(monkeypatch):
    """The directory lists its names sorted, so a test decides which scope is looked at first."""
    listed = PrivateDirectory.names
    monkeypatch.setattr(PrivateDirectory, 'names', lambda self: sorted(listed(self)))


def unused_for_a_day(path):
    day_ago = time.time() - shared_reads.UNUSED_SCOPE_SECONDS - 10
    os.utime(str(path), (day_ago, day_ago))


def test_every_scope_unused_for_a_day_goes_whatever_is_looked_at_before_it(place, names, scopes_in_order):
    recent, foreign, old = scope_dir(place, 'b' * 32), scope_dir(place, 'c' * 32), scope_dir(place, 'd' * 32)
    # Another user's, or anyone's to enter: not ours to empty, and passed over.
    foreign.chmod(0o755)
    for path in (foreign, old):
        unused_for_a_day(path)
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert recent.exists() and foreign.exists() and not old.exists()


def read_in_thread(shared, ids, fetch, results):
    thread = threading.Thread(target=lambda: results.append(shared.read(SCOPE, ids, None, fetch, FIELDS)))
    thread.start()
    return thread


def gathering_under_way(place):
    """Whether a leader holds the gather lock (it is in its window)."""
    descriptor = os.open(str(scope_dir(place) / 'gather'), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False


@pytest.mark.parametrize('call_seconds', [0.0, 1.0])
def test_two_readers_share_one_call_even_one_longer_than_the_lease(place, other_process, call_seconds):
    # The second asks while the first gathers; the call then outlasts the lease: the leader's heartbeat must keep
    # the other waiting for it rather than reading alone.
    in_company(place, other_process)
    fetch = Fetcher(during=lambda: time.sleep(call_seconds))
    leader = shared_reads.SharedReads(PrivateDirectory.open(str(place)), lease=0.4, patience=60.0, attempts=1,
                                      warnings=[], gather_seconds=1.0)
    asker = shared_reads.SharedReads(PrivateDirectory.open(str(place)), lease=0.4, patience=60.0, attempts=1,
                                     warnings=[], gather_seconds=1.0)
    leading, asking = [], []
    first = read_in_thread(leader, ['ins-aaaaaaaa'], fetch, leading)
    wait_for(lambda: gathering_under_way(place))
    second = read_in_thread(asker, ['ins-bbbbbbbb'], fetch, asking)
    first.join(10)
    second.join(10)
    assert fetch.asked == [['ins-aaaaaaaa', 'ins-bbbbbbbb']]
    assert list(leading[0]) == ['ins-aaaaaaaa'] and list(asking[0]) == ['ins-bbbbbbbb']


def test_a_leader_stopped_by_anything_else_tells_its_askers_to_ask_again(place, names):
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    with pytest.raises(RuntimeError):
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(error=RuntimeError('stopped')), FIELDS)
    assert answer_of(place, 'other') == {'again': True}


def test_a_shared_error_keeps_its_http_status(place, names):
    (scope_dir(place) / 'answer-t1').write_text(json.dumps({'error': {
        'code': 'InternalError', 'message': 'busy', 'request_id': 'req-1', 'http_status': 503}}))
    with pytest.raises(errors.TencentCloudError) as caught:
        reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert (caught.value.code, caught.value.message, caught.value.request_id, caught.value.http_status) == (
        'InternalError', 'busy', 'req-1', 503)


def test_a_leader_leaves_nothing_of_the_read_behind(place, names, tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))
    ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
    shared, _clock = reads(place)
    shared.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert sorted(os.listdir(str(scope_dir(place)))) == ['answer-other', 'gather', 'last-asker']
    assert sorted(os.listdir(str(tmp_path))) == ['private']


def test_a_leader_that_cannot_make_its_batch_reads_alone(place, names):
    # Tokens and names come in order: t1 is this asker's, t2 its batch's.
    (scope_dir(place) / 'batch-t2').write_text('')
    fetch = Fetcher()
    assert list(reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)) == ['ins-aaaaaaaa']
    assert fetch.asked == [['ins-aaaaaaaa']]


@pytest.mark.parametrize('lost', ['cleared', 'taken into a batch gone since'])
def test_a_request_lost_unanswered_is_asked_again(place, names, lost):
    # A leader took the request and went without answering it: the asker must ask again, not wait forever.
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)

    def lose_then_let_lead():
        wait_for((directory / 'asked-t1').exists)
        if lost == 'cleared':
            os.unlink(str(directory / 'asked-t1'))
        else:
            os.rename(str(directory / 'asked-t1'), str(directory / 'taken-gone-t1'))
        wait_for((directory / 'asked-t1').exists)
        os.close(held)
    thread = threading.Thread(target=lose_then_let_lead)
    thread.start()
    try:
        found = reads(place, clock=RealClock())[0].read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    finally:
        thread.join()
    assert list(found) == ['ins-aaaaaaaa']
    assert not (directory / 'batch-gone').exists()


def test_a_gatherer_that_hangs_is_given_up_on(place, names):
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    fetch = Fetcher()
    shared, clock = reads(place, lease=1.0)
    started = clock()
    try:
        found = shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    finally:
        os.close(held)
    assert fetch.asked == [['ins-aaaaaaaa']] and list(found) == ['ins-aaaaaaaa']
    # One window and one lease after it was first seen untouched, by the asker's clock.
    assert clock() - started == pytest.approx(1.0 + shared_reads.GATHER_SECONDS, abs=2 * shared_reads.LOOK_SECONDS)


def test_an_asker_whose_deadline_is_near_does_not_wait_at_all(place, names):
    directory = scope_dir(place)
    held = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    shared, clock = reads(place)
    fetch = Fetcher()
    try:
        shared.read(SCOPE, ['ins-aaaaaaaa'], Deadline(clock(), 'd'), fetch, FIELDS)
    finally:
        os.close(held)
    assert fetch.asked == [['ins-aaaaaaaa']] and clock.sleeps == []


def test_a_read_without_a_place_to_share_is_in_no_company():
    shared = shared_reads.SharedReads(None, lease=10.0, patience=60.0, attempts=1, warnings=[])
    shared.read(SCOPE, ['ins-aaaaaaaa'], None, Fetcher(), FIELDS)
    assert shared.in_company is False


def test_asking_notes_this_process_and_the_time_on_the_hosts_monotonic_clock(place):
    shared, _clock = reads(place, clock=FakeClock(12345.25))
    (scope_dir(place) / 'last-asker').write_text('4194304 12344.0 and more')
    shared_reads._Asker(PrivateDirectory.open(str(scope_dir(place))), ['ins-aaaaaaaa'], shared).note_asking()
    assert (scope_dir(place) / 'last-asker').read_text() == '%d 12345.25' % os.getpid()


def test_another_asker_noting_itself_this_very_moment_is_company(place):
    held = hold_lock(scope_dir(place) / 'last-asker', fcntl.LOCK_EX)
    try:
        assert shared_reads._Asker(PrivateDirectory.open(str(scope_dir(place))), ['ins-aaaaaaaa'], reads(place)[0]).note_asking() is True
    finally:
        os.close(held)


def test_leaving_takes_back_the_answer_and_copes_with_a_directory_gone(place, names):
    directory = scope_dir(place)
    asker = shared_reads._Asker(PrivateDirectory.open(str(directory)), ['ins-aaaaaaaa'], reads(place)[0])
    (directory / 'answer-t1').write_text('{}')
    asker.leave()
    assert os.listdir(str(directory)) == []
    os.rmdir(str(directory))
    asker.leave()


def test_an_asker_follows_only_its_own_taken_request(place, names):
    directory = scope_dir(place)
    for name in ('taken-b1-t1', 'taken-b1-t10', 'taken-b2-other', 'asked-t1'):
        (directory / name).write_text('{}')
    asker = shared_reads._Asker(PrivateDirectory.open(str(directory)), ['ins-aaaaaaaa'], reads(place)[0])
    assert asker._taken_names() == ['taken-b1-t1']


def test_a_field_that_is_not_text_is_kept_as_absent():
    assert shared_reads._kept({'ins-aaaaaaaa': {'InstanceState': 7, 'InstanceId': 'ins-aaaaaaaa', 'Other': 'x'}},
                              FIELDS) == {'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': None}}


def test_a_request_that_is_not_an_object_is_set_aside(place, names):
    (scope_dir(place) / 'asked-junk').write_text('[]')
    fetch = Fetcher()
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert fetch.asked == [['ins-aaaaaaaa']]


def test_checking_a_process_leaves_it_running():
    # Any signal but 0 would end it: SIGHUP too, even under nohup (which leaves it ignored for every child), once
    # the child says it takes them as they come.
    process = subprocess.Popen([sys.executable, '-c', 'import signal, time; signal.signal(signal.SIGHUP, '
                                'signal.SIG_DFL); print("ready", flush=True); time.sleep(60)'],
                               stdout=subprocess.PIPE)
    try:
        assert process.stdout.readline() == b'ready\n'
        assert shared_reads._runs(process.pid)
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.3)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_lock_file_is_made_private_and_a_missing_one_is_gone_not_made(place):
    opened = PrivateDirectory.open(str(place))
    descriptor = shared_reads._try_lock(opened, 'gather', fcntl.LOCK_EX)
    os.close(descriptor)
    assert stat.S_IMODE(os.stat(str(place / 'gather')).st_mode) == 0o600
    assert shared_reads._try_lock(opened, 'batch-x', fcntl.LOCK_SH, create=False) is shared_reads._GONE
    assert not (place / 'batch-x').exists()
    os.symlink(str(place / 'gather'), str(place / 'batch-link'))
    with pytest.raises(shared_reads._ReadAlone):
        shared_reads._try_lock(opened, 'batch-link', fcntl.LOCK_SH, create=False)


def test_a_leader_whose_directory_went_away_calls_for_its_own_request(place, names):
    (place / 'gone').mkdir(mode=0o700)
    opened = PrivateDirectory.open(str(place / 'gone'))
    os.rmdir(str(place / 'gone'))
    asker = shared_reads._Asker(opened, ['ins-aaaaaaaa'], reads(place)[0])
    assert shared_reads._Batch(asker, None)._take_requests() == {'t1': ['ins-aaaaaaaa']}


def test_a_scope_whose_names_cannot_be_listed_is_still_read_and_left_clean(place, names, monkeypatch):
    fetch = Fetcher()
    reads(place)[0].read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)

    def unlistable(self):
        raise OSError(errno.EACCES, 'Permission denied')
    monkeypatch.setattr(PrivateDirectory, 'names', unlistable)
    found = reads(place)[0].read(SCOPE, ['ins-bbbbbbbb'], None, fetch, FIELDS)
    assert found == {'ins-bbbbbbbb': {'InstanceId': 'ins-bbbbbbbb', 'InstanceState': 'RUNNING'}}
    assert fetch.asked == [['ins-aaaaaaaa'], ['ins-bbbbbbbb']]
    assert [name for name in os.listdir(str(scope_dir(place))) if name.startswith(('asked-', 'answer-'))] == []


def test_a_lock_file_gone_is_no_holder_given_up(place):
    # Gone means its holder finished and took it away: nobody to give up on.
    liveness = shared_reads._Liveness(FakeClock())
    assert liveness.given_up(PrivateDirectory.open(str(place)), 'batch-gone', quiet=0.0) is False


def test_a_stalled_gatherer_is_set_aside_once_and_the_next_asker_gathers_afresh(place, names):
    directory = scope_dir(place)
    stopped = hold_lock(directory / 'gather', fcntl.LOCK_EX)
    clock = RealClock()
    try:
        first = Fetcher()
        reads(place, clock=clock, lease=0.3, gather_seconds=0.0)[0].read(SCOPE, ['ins-aaaaaaaa'], None, first, FIELDS)
        assert first.asked == [['ins-aaaaaaaa']] and clock.elapsed() < 2.0
        assert [name for name in os.listdir(str(directory)) if name.startswith('stalled-')]
        # The stopped process still holds its lock, on a file set aside: the next asker leads at once.
        ask_as_another_process(place, 'other', ['ins-bbbbbbbb'])
        started = time.monotonic()
        second = Fetcher()
        reads(place, clock=clock, lease=0.3)[0].read(SCOPE, ['ins-cccccccc'], None, second, FIELDS)
        assert second.asked == [['ins-cccccccc', 'ins-bbbbbbbb']] and time.monotonic() - started < 0.25
    finally:
        os.close(stopped)


def test_a_leftover_is_removed_only_once_its_makers_have_ended(place, other_process):
    directory = scope_dir(place)
    ended = subprocess.Popen(['true'])
    ended.wait()
    for name in ('answer-%d.aa' % other_process, 'answer-%d.bb' % ended.pid, 'answer-anonymous'):
        (directory / name).write_text('{}')
        os.utime(str(directory / name), (1000000000, 1000000000))
    opened = PrivateDirectory.open(str(directory))
    for name in os.listdir(str(directory)):
        shared_reads._remove_if_older(opened, name, time.time() - shared_reads.LEFTOVER_SECONDS)
    # Old by the wall clock, which may have been stepped forward: a file of a process that still runs is kept.
    assert sorted(os.listdir(str(directory))) == ['answer-%d.aa' % other_process]


def test_a_directory_that_fills_mid_run_is_said_once_and_the_reads_go_on_alone(place, names, monkeypatch):
    warnings = []
    shared, _clock = reads(place, warnings=warnings)
    fetch = Fetcher()
    shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)
    assert warnings == []
    opened = PrivateDirectory.open_file

    def full(self, name, flags):
        if flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, 'No space left on device')
        return opened(self, name, flags)
    monkeypatch.setattr(PrivateDirectory, 'open_file', full)
    for _read in range(3):
        assert shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS) == {
            'ins-aaaaaaaa': {'InstanceId': 'ins-aaaaaaaa', 'InstanceState': 'RUNNING'}}
    assert fetch.asked == [['ins-aaaaaaaa']] * 4
    assert warnings == ['reads are no longer shared with the other processes of this user: the private directory %s '
                        'can no longer be written (No space left on device), so each read makes its own call against '
                        'the rate budget' % place]


def test_a_files_name_says_which_processes_made_it():
    ended = subprocess.Popen([sys.executable, '-c', ''])
    ended.wait()
    assert shared_reads._owners_gone('answer-unnamed') is None
    assert shared_reads._owners_gone('answer-%s' % shared_reads._new_name()) is False
    assert shared_reads._owners_gone('answer-%d.0123abcd' % ended.pid) is True
    # Any of its makers still running keeps it.
    assert shared_reads._owners_gone('answer-%d.0123abcd-%s' % (ended.pid, shared_reads._new_name())) is False


def test_a_directory_where_no_lock_can_be_made_is_said_and_the_read_goes_on_alone(place, names, monkeypatch):
    # The request was written; the gathering lock cannot be created (the last inode taken meanwhile, say).
    warnings = []
    shared, _clock = reads(place, warnings=warnings)
    opened = PrivateDirectory.open_file

    def no_lock(self, name, flags):
        if name == 'gather':
            raise OSError(errno.ENOSPC, 'No space left on device')
        return opened(self, name, flags)
    monkeypatch.setattr(PrivateDirectory, 'open_file', no_lock)
    fetch = Fetcher()
    assert list(shared.read(SCOPE, ['ins-aaaaaaaa'], None, fetch, FIELDS)) == ['ins-aaaaaaaa']
    assert fetch.asked == [['ins-aaaaaaaa']] and len(warnings) == 1 and 'No space left on device' in warnings[0]
