# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads by instance ID that concurrent processes of one user share: one call answers every fork waiting.

A rolling play gates each host on its own instance, so 25 forks poll 25 IDs, each on its own, where one call takes
100. Here a read is asked for in a small file; one of the askers leads: it gathers what was asked during a short window,
makes the calls for all of it, and gives every asker exactly its own IDs back. Nothing here knows what is read.

The rules, and what keeps them:

- No stale answer: a request is taken into a batch before the batch's calls start, and a request asked later waits
  for the next batch.
- Nothing secret, nothing of another user or account: the files live in the user's private directory (0700, owned,
  see ``private_directory``), under a scope that is a one-way digest of the keys, region, endpoint,
  action and the caller's trust in the endpoint (``ApiClient.answer_scope``: certificates and proxy, so that nobody
  takes an answer fetched over a connection it would have refused); they hold IDs, and the fields the caller names
  (states), nothing else.
- A leader that dies holds nothing: its locks are ``flock`` locks, which the kernel releases, and its askers ask
  again. One that stalls stops touching its batch file, one whose call hangs keeps touching it: the askers read alone
  after one lease (``request_timeout``) without a sign of life, or one lease and ``LEADER_MARGIN_SECONDS`` of calling,
  both timed on the asker's own monotonic clock (a wall clock stepping back would make a stalled leader look alive).
- What depends on the caller stays the caller's: its deadline, its retries, its instances. Only answers every caller
  of the scope would get are shared: items, and the verdicts of the API on the keys (with their RequestId). An
  answer that may be about some instances only (not allowed, malformed, not found) sends every asker to ask alone,
  once: the one it concerns gets the service's own answer, the others theirs. A call that met a fault of the service
  on every attempt until its retries were spent fails every asker that would not try more often: in an outage each
  gate fails within its own retries, not after each leader's in turn. A call stopped by its own deadline or
  earlier, or a leader gone, hands its askers back their requests: they ask again, one of them leads the next call
  within its own retries and deadline. An asker with no deadline of its own (a
  read without a wait) waits for others no longer than its own call could take (``patience``).
- When no private directory is usable, or anything in it is not what it should be, the read is made alone, as if
  nothing were shared.
"""

import binascii
import errno
import fcntl
import json
import os
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock, Deadline

# How long a leader waits for other askers before it calls, when others were seen asking lately. It is what a caller
# may pay for sharing: short next to any wait_interval, long next to the time forks take to ask after each other.
GATHER_SECONDS = 0.2
# A read asked for alone (no other process that still runs asked within this time) is made at once: nobody would
# join it.
COMPANY_SECONDS = 5.0
# How often an asker looks for its answer.
LOOK_SECONDS = 0.02
# How often a leader shows it is alive, while its calls run.
HEARTBEAT_SECONDS = 0.5
# How much longer than one request_timeout a leader's calls may take before its askers read alone, heartbeat or not:
# room for pacing under the shared rate (a read of 1,000 IDs is 10 calls) and a retry or two.
LEADER_MARGIN_SECONDS = 5.0
# Files nobody touched for this long were left by processes that died (an answer nobody collected, a batch or a
# request of a dead leader); a leader removes them. Live ones are touched far more often (a batch every heartbeat).
LEFTOVER_SECONDS = 300.0
_LEFTOVER_PREFIXES = ('answer-', 'batch-', 'taken-', 'draft-', 'stalled-')
# A scope nobody read for this long (keys since rotated, temporary credentials long expired) is removed whole when
# a new scope is made: otherwise every AssumeRole session would leave a directory behind for good.
UNUSED_SCOPE_SECONDS = 24 * 3600.0
# What a directory that worked answers once it cannot be written: full, over quota, read-only, no longer allowed.
_CANNOT_WRITE = frozenset([errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO])
_GONE = object()
_AGAIN = object()


class _ReadAlone(Exception):
    """Sharing is not possible for this read (or no longer): make it alone. ``error``: the directory could not be
    written (full, read-only), which the user hears of once."""

    def __init__(self, error: Optional[OSError] = None):
        super().__init__(error)
        self.error = error


class SharedReads:
    """Shares ``read()`` calls between the processes of one user, in ``directory`` (a
    ``private_directory.PrivateDirectory``; ``None``: never)."""

    def __init__(self, directory, *, lease, patience, attempts, warnings: List[str], gather_seconds=GATHER_SECONDS,
                 clock: Clock = SYSTEM_CLOCK):
        self._directory = directory
        self._warnings = warnings
        self._unwritable_said = False
        # How long a leader may go without a sign of life before its askers stop waiting for it.
        self._lease = lease
        # How long a read without a deadline waits for others: what its own call could take, retries included.
        self._patience = patience
        # How many attempts a read of this caller's makes before it fails: a shared call that failed after as many
        # is this caller's failure too.
        self._attempts = attempts
        self._gather_seconds = gather_seconds
        self._clock = clock.wall
        self._timer = clock.monotonic
        self._sleep = clock.sleep
        # Whether another process was reading the same scope at the last read: then polls are worth aligning.
        self.in_company = False

    def read(self, scope: Optional[str], instance_ids: List[str], deadline: Optional[Deadline],
             fetch: Callable[[List[str], Optional[Deadline]], Dict[str, Any]],
             fields: Sequence[str]) -> Dict[str, Dict[str, str]]:
        """``{ID: {field: value}}`` for the IDs found, from a call started after this read was asked for.

        ``fetch(ids, deadline)`` makes the calls (``{ID: item}``); ``fields`` are the item's fields kept (strings).
        ``scope`` is ``None`` when the read must not be shared.
        """
        place = self._place(scope)
        if place is None:
            return _kept(fetch(instance_ids, deadline), fields)
        asker = _Asker(place, instance_ids, self)
        # The wait for others ends when the caller's deadline does, or without one when its own call could.
        wait_until = deadline.at if deadline is not None else self._timer() + self._patience
        try:
            self.in_company = asker.note_asking()
            return asker.answer(self.in_company, deadline, wait_until, fetch, fields)
        except _ReadAlone as alone:
            if alone.error is not None and alone.error.errno in _CANNOT_WRITE:
                self._say_unwritable(alone.error)
            return _kept(fetch(instance_ids, deadline), fields)
        finally:
            asker.leave()
            place.close()

    def _say_unwritable(self, error: OSError) -> None:
        """Once a run: the directory failed under it, so its reads are no longer shared (each makes its own call)."""
        if self._unwritable_said:
            return
        self._unwritable_said = True
        self._warnings.append('reads are no longer shared with the other processes of this user: the private '
                              'directory %s can no longer be written (%s), so each read makes its own call against '
                              'the rate budget' % (self._directory.path, error.strerror or error))

    def _place(self, scope):
        """The scope's own private directory, held open for the read; ``None`` to read alone."""
        if self._directory is None or scope is None:
            return None
        name = 'reads-%s' % scope
        if not self._directory.exists(name):
            self._remove_unused_scopes()
        return self._directory.subdirectory(name)

    def _remove_unused_scopes(self):
        limit = self._clock() - UNUSED_SCOPE_SECONDS
        try:
            names = [name for name in self._directory.names() if name.startswith('reads-')]
        except OSError:
            return
        for name in names:
            try:
                if self._directory.status(name).st_mtime >= limit:
                    continue
                unused = self._directory.subdirectory(name, create=False)
                if unused is None:
                    continue  # not a private directory: not ours to empty
                try:
                    for entry in unused.names():
                        unused.remove(entry)
                finally:
                    unused.close()
                self._directory.remove_directory(name)
            except OSError:
                continue  # in use again, or gone meanwhile: left alone


class _Asker:
    """One read's life in the shared directory: asked, perhaps taken into a batch or leading one, answered."""

    def __init__(self, place, instance_ids, shared):
        self._place = place
        self._ids = list(instance_ids)
        self._shared = shared
        self._token = _new_name()
        self._liveness = _Liveness(shared._timer)

    def answer(self, company, deadline, wait_until, fetch, fields):
        """The answer to this read: another's, or its own as a leader (``deadline`` bounds its calls).

        ``wait_until`` (on the monotonic clock) bounds the wait for others: the caller's deadline, or its patience.
        """
        self._ask()
        while True:
            answer = self._collect()
            if answer is _AGAIN:
                # The call that took this request failed for a reason of its leader's: ask again, for the next one.
                self._place.remove('answer-%s' % self._token)
                self._ask()
            elif answer is not None:
                return answer
            if self._is_waiting():
                gathering = _try_lock(self._place, 'gather', fcntl.LOCK_EX)
                if gathering is not None:
                    return _Batch(self, gathering).lead(company, deadline, fetch, fields)
                # A gatherer touches the file when it starts, and holds it one window. One that stalls (a stopped
                # process) is set aside with its lock: the next asker gathers afresh, so it costs one lease, once.
                if self._liveness.given_up(self._place, 'gather', self._shared._gather_seconds + self._shared._lease):
                    self._place.rename('gather', 'stalled-%s' % _new_name())
                    raise _ReadAlone()
            else:
                self._follow_batch()
            if self._shared._timer() >= wait_until - self._shared._lease:
                # Its own call needs the time left: a caller never fails for a call it did not make.
                raise _ReadAlone()
            self._shared._sleep(LOOK_SECONDS)

    def leave(self):
        """Take back whatever this read left in the directory (what cannot be found, a leader clears later)."""
        try:
            taken = self._taken_names()
        except _ReadAlone:
            taken = []
        for name in [self._asked_name()] + taken + ['answer-%s' % self._token]:
            self._place.remove(name)

    def note_asking(self):
        """Whether another process that still runs asked lately; notes that this one asks now."""
        try:
            with _open_private(self._place, 'last-asker', os.O_RDWR | os.O_CREAT) as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                last = handle.read(64).split()
                handle.seek(0)
                handle.truncate()
                handle.write(('%d %r' % (os.getpid(), self._shared._timer())).encode('ascii'))
        except (OSError, ValueError):
            return True  # held by another asker this very moment: company
        try:
            pid, asked_at = int(last[0]), float(last[1])
        except (IndexError, ValueError):
            return False
        # The host's monotonic clock: the same in every process, and never stepped.
        return pid != os.getpid() and self._shared._timer() - asked_at < COMPANY_SECONDS and _runs(pid)

    def _ask(self):
        """Write the request where a leader finds it: complete or not at all (written aside, then renamed)."""
        draft = 'draft-%s' % self._token
        try:
            with _open_private(self._place, draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL) as handle:
                handle.write(json.dumps({'ids': self._ids}).encode('utf-8'))
            self._place.rename(draft, self._asked_name())
        except OSError as error:
            self._place.remove(draft)
            raise _ReadAlone(error)

    def _collect(self):
        try:
            with _open_private(self._place, 'answer-%s' % self._token, os.O_RDONLY) as handle:
                document = json.loads(handle.read().decode('utf-8'))
        except OSError as error:
            if error.errno == errno.ENOENT:
                return None
            raise _ReadAlone()
        except ValueError:
            raise _ReadAlone()
        return _answer_of(document, self._ids, self._shared._attempts)

    def _is_waiting(self):
        return self._place.exists(self._asked_name())

    def _follow_batch(self):
        """Taken into a batch: wait for it, unless its leader died (ask again) or stopped (read alone)."""
        taken = self._taken_names()
        if not taken:
            # Answered between two looks (the leader writes the answer, then clears the request): look again.
            if self._collect() is None:
                self._ask()
            return
        batch = 'batch-%s' % taken[0].split('-')[1]
        alive = _try_lock(self._place, batch, fcntl.LOCK_SH, create=False)
        if alive is not None:
            if alive is not _GONE:
                os.close(alive)
            if self._collect() is None:
                # The lock is free and nothing was answered: the leader is gone. Ask again, for the next batch.
                try:
                    self._place.rename(taken[0], self._asked_name())
                except OSError:
                    pass  # cleared meanwhile by a leader that answered after all: the next look finds the answer
            return
        lease = self._shared._lease
        self._give_up_on(batch, lease, longest=lease + LEADER_MARGIN_SECONDS)

    def _give_up_on(self, name, quiet, longest=None):
        """Read alone when the holder of ``name``'s lock stalls (``quiet`` seconds untouched) or hangs (held longer
        than ``longest``)."""
        if self._liveness.given_up(self._place, name, quiet, longest):
            raise _ReadAlone()

    def _taken_names(self):
        try:
            names = self._place.names()
        except OSError:
            raise _ReadAlone()
        return [name for name in names if name.startswith('taken-') and name.endswith('-' + self._token)]

    def _asked_name(self):
        return 'asked-%s' % self._token


class _Batch:
    """A leader's batch: what was asked by the time it calls, called for once, answered to every asker."""

    def __init__(self, asker, gathering):
        self._asker = asker
        self._shared = asker._shared
        self._gathering = gathering
        self._name = _new_name()
        self._alive = threading.Event()

    def lead(self, company, deadline, fetch, fields):
        place = self._asker._place
        try:
            # A sign of life for askers that find the lock taken: the file changes when a new gatherer starts.
            place.touch('gather')
            if company:
                self._gather(deadline)
            holder = _open_private(place, 'batch-%s' % self._name, os.O_RDWR | os.O_CREAT | os.O_EXCL)
        except OSError:
            os.close(self._gathering)
            raise _ReadAlone()
        with holder:
            fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
            try:
                askers = self._take_requests()
            finally:
                os.close(self._gathering)
            try:
                return self._call_for(askers, deadline, fetch, fields)
            finally:
                for token in askers:
                    place.remove('taken-%s-%s' % (self._name, token))
                place.remove('batch-%s' % self._name)

    def _gather(self, deadline):
        seconds = self._shared._gather_seconds
        if deadline is not None:
            seconds = min(seconds, deadline.at - self._shared._timer())
        if seconds > 0:
            self._shared._sleep(seconds)

    def _take_requests(self):
        """``{token: IDs}`` of every request asked until now, this leader's own included.

        Its own is included even if another leader took it just before this one got the lock: that batch started
        after it was asked too, but this one must not answer its own leader with nothing.
        """
        place = self._asker._place
        own = self._asker._token
        askers = {own: self._asker._ids}
        now = self._shared._clock()
        try:
            names = place.names()
        except OSError:
            names = []
        for name in names:
            if name.startswith(_LEFTOVER_PREFIXES):
                _remove_if_older(place, name, now - LEFTOVER_SECONDS)
            if not name.startswith('asked-'):
                continue
            token = name[len('asked-'):]
            taken = 'taken-%s-%s' % (self._name, token)
            try:
                place.rename(name, taken)
                if token != own:
                    with _open_private(place, taken, os.O_RDONLY) as handle:
                        askers[token] = _ids_of(json.loads(handle.read().decode('utf-8')))
            except (OSError, ValueError):
                continue  # taken by another leader meanwhile, or not a request: its asker (if any) asks again
        return askers

    def _call_for(self, askers, deadline, fetch, fields):
        own = self._asker._token
        wanted = list(dict.fromkeys(i for ids in askers.values() for i in ids))
        heartbeat = threading.Thread(target=self._beat)
        heartbeat.daemon = True
        heartbeat.start()
        try:
            found = _kept(fetch(wanted, deadline), fields)
        except errors.TencentCloudError as error:
            if error.same_for_every_caller:
                self._answer_all(askers, own, {'error': dict(error.as_dict(), http_status=error.http_status)})
            elif error.retryable and error.attempts > 1:
                # The service failed every attempt, retries spent: what each asker's own call would meet, unless it
                # may try more often (read by _answer_of).
                self._answer_all(askers, own, {'spent': error.as_dict(), 'attempts': error.attempts})
            elif error.about_some_instances and len(askers) > 1:
                # Perhaps about another asker's instances (a policy that denies one of them): each asks alone, once,
                # and the one it concerns gets the service's own answer.
                self._answer_all(askers, own, {'alone': True})
                raise _ReadAlone()
            else:
                # Throttled, failed on the way, or out of this leader's own time or retries: the askers' are theirs.
                self._answer_all(askers, own, {'again': True})
            raise
        except BaseException:
            self._answer_all(askers, own, {'again': True})
            raise
        finally:
            self._alive.set()
            heartbeat.join()
        for token, ids in askers.items():
            if token != own:
                self._answer(token, {'found': {i: found[i] for i in ids if i in found}})
        return {i: found[i] for i in askers[own] if i in found}

    def _beat(self):
        batch = 'batch-%s' % self._name
        # Often enough that a lease never runs out on a leader that is alive, even a short one.
        while not self._alive.wait(min(HEARTBEAT_SECONDS, self._shared._lease / 4)):
            try:
                self._asker._place.touch(batch)
            except OSError:
                return

    def _answer_all(self, askers, own, document):
        for token in askers:
            if token != own:
                self._answer(token, document)

    def _answer(self, token, document):
        place = self._asker._place
        draft = 'draft-%s' % _new_name()
        try:
            with _open_private(place, draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL) as handle:
                handle.write(json.dumps(document).encode('utf-8'))
            place.rename(draft, 'answer-%s' % token)
        except OSError:
            place.remove(draft)  # that asker finds the batch over and unanswered, and asks again


def _answer_of(document, ids, attempts):
    """What an answer file says: the items found, ``_AGAIN`` (ask again), or the shared call's error raised: an
    error every caller gets, or a fault met on as many attempts as this caller makes (``attempts``).

    A file that is not an answer reads alone, as does the leader's ``{'alone': True}``: it has found nothing.
    """
    if document == {'again': True}:
        return _AGAIN
    if not isinstance(document, dict):
        raise _ReadAlone()
    spent = document.get('spent')
    if isinstance(spent, dict):
        made = document.get('attempts')
        if not isinstance(made, int) or isinstance(made, bool):
            raise _ReadAlone()
        if made < attempts:
            return _AGAIN
        error = _error_of(spent)
        error.attempts = made
        raise error
    error = document.get('error')
    if isinstance(error, dict):
        raise _error_of(error)
    found = document.get('found')
    if not isinstance(found, dict) or not set(found) <= set(ids) or not all(
            isinstance(item, dict) and all(isinstance(v, str) or v is None for v in item.values())
            for item in found.values()):
        raise _ReadAlone()
    return found


def _error_of(error):
    code, message, request_id, status = (error.get(key) for key in ('code', 'message', 'request_id', 'http_status'))
    if not (isinstance(code, str) and isinstance(message, str) and isinstance(request_id, (str, type(None)))
            and (status is None or isinstance(status, int) and not isinstance(status, bool))):
        raise _ReadAlone()
    return errors.TencentCloudError(code, message, request_id, status)


def _kept(found, fields):
    """The named fields of each item, and nothing else; a field that is not a string counts as absent."""
    return {i: {field: _text(item.get(field)) for field in fields} for i, item in found.items()}


def _text(value):
    return value if isinstance(value, str) else None


def _ids_of(document):
    ids = document.get('ids') if isinstance(document, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError('not a request')
    return ids


def _owners_gone(name):
    """Whether every process a file's name says made it has ended (``None``: the name says none)."""
    owners = [part.partition('.')[0] for part in name.split('-')[1:] if '.' in part]
    pids = [int(owner) for owner in owners if owner.isdigit()]
    return None if not pids else not any(_runs(pid) for pid in pids)


def _new_name():
    """A name of this process's own: its PID, a dot, random hex (what ``_owners_gone`` reads)."""
    return '%d.%s' % (os.getpid(), binascii.hexlify(os.urandom(8)).decode('ascii'))


def _open_private(place, name, flags):
    """The file ``name`` of ``place`` as a file object (see ``PrivateDirectory.open_file``)."""
    descriptor = place.open_file(name, flags)
    return os.fdopen(descriptor, 'r+b' if flags & os.O_RDWR else ('wb' if flags & os.O_WRONLY else 'rb'))


def _try_lock(place, name, kind, create=True):
    """The descriptor of ``name`` locked ``kind`` without waiting, or ``None`` when someone holds it.

    Without ``create``, ``_GONE`` when there is no such file (any more).
    """
    try:
        descriptor = place.open_file(name, os.O_RDWR | (os.O_CREAT if create else 0))
    except OSError as error:
        if not create and error.errno == errno.ENOENT:
            return _GONE
        raise _ReadAlone(error)
    try:
        fcntl.flock(descriptor, kind | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


class _Liveness:
    """When the holder of a lock file last showed life, by this process's monotonic clock.

    A file's times are the wall clock's, which may step back or forward; only their changes are read, and timed here.
    """

    def __init__(self, timer):
        self._timer = timer
        # name -> (inode, last modification seen, first seen at, last seen changing at)
        self._seen = {}

    def given_up(self, place, name, quiet, longest=None):
        """Whether ``name`` went ``quiet`` seconds without changing, or (with ``longest``) was held that long."""
        try:
            info = place.status(name)
        except OSError:
            return False
        now = self._timer()
        inode, modified, first, changed = self._seen.get(name, (None, None, now, now))
        if inode != info.st_ino:
            first = changed = now
        elif modified != info.st_mtime_ns:
            changed = now
        self._seen[name] = (info.st_ino, info.st_mtime_ns, first, changed)
        return now - changed > quiet or (longest is not None and now - first > longest)


def _runs(pid):
    """Whether process ``pid`` (of this user: the directory is private) still runs."""
    try:
        os.kill(pid, 0)
    except OSError as error:
        return error.errno == errno.EPERM
    return True


def _remove_if_older(place, name, limit):
    """Remove a file untouched since before ``limit`` (wall-clock time, as file times are) whose makers have ended:
    a wall clock stepped forward makes a live file look old, never its maker gone."""
    try:
        if place.status(name).st_mtime < limit and _owners_gone(name) is not False:
            place.remove(name)
    except OSError:
        pass
