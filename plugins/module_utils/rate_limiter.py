# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps every process and thread of one host under an action's request rate.

Ansible runs one process per host and fork, and one poll runs its batches on threads, so an in-memory limiter would
see only a fraction of the traffic. The next free sending time lives in a small file under the temporary directory,
updated under an exclusive lock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import hashlib
import os
import tempfile
import time

# A reservation further ahead than this can only come from a clock that jumped back: start afresh.
_MAX_BACKLOG_SECONDS = 60.0


class RequestSpacer:
    """Spaces requests sharing ``key`` at least ``1 / rate`` seconds apart."""

    def __init__(self, rate, key, directory=None, clock=time.time, sleep=time.sleep):
        self._interval = 1.0 / rate
        digest = hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]
        self._path = os.path.join(directory or tempfile.gettempdir(), 'tencentcloud-ratelimit-%s' % digest)
        self._clock = clock
        self._sleep = sleep

    def acquire(self):
        """Block until this caller may send one request."""
        try:
            delay = self._reserve() - self._clock()
        except OSError:
            # No shared file (read-only or foreign temporary directory): still never send faster than the rate.
            delay = self._interval
        if delay > 0:
            self._sleep(delay)

    def _reserve(self):
        descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            now = self._clock()
            slot = max(now, _parse_time(os.read(descriptor, 64), now))
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.ftruncate(descriptor, 0)
            os.write(descriptor, repr(slot + self._interval).encode('ascii'))
            return slot
        finally:
            os.close(descriptor)


def _parse_time(raw, now):
    try:
        value = float(raw)
    except ValueError:
        return now
    return now if value - now > _MAX_BACKLOG_SECONDS else value
