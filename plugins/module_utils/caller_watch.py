# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""Noticing that nobody waits for a module's answer any more (a task's ``timeout:`` ran out, the play was stopped).

Ansible reads a module's answer from a pipe on the module's standard output. When Ansible gives up on the task, the
process holding the reading end goes away and polling the writing end reports an error; a module that waits checks
for that between polls and stops, instead of polling on, orphaned, until its own ``wait_timeout``.
"""

import os
import select
import stat
import sys

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock

# How soon a waiting module notices: one check this often costs nothing next to an API call.
CHECK_EVERY_SECONDS = 0.5


class CallerGone(Exception):
    """Nobody reads the module's output any more."""


def watched_clock(clock: Clock = SYSTEM_CLOCK, stream=None) -> Clock:
    """``clock`` whose ``sleep`` raises ``CallerGone`` as soon as the reader of ``stream`` (stdout) is gone."""
    return Clock(wall=clock.wall, monotonic=clock.monotonic,
                 sleep=lambda seconds: watched_sleep(seconds, clock, stream or sys.stdout))


def watched_sleep(seconds: float, clock: Clock, stream) -> None:
    end = clock.monotonic() + seconds
    while True:
        if reader_gone(stream):
            raise CallerGone()
        left = end - clock.monotonic()
        if left <= 0:
            return
        clock.sleep(min(left, CHECK_EVERY_SECONDS))


def reader_gone(stream) -> bool:
    """Whether ``stream`` is a pipe whose reading end has been closed. Anything else (a file, a terminal): no."""
    try:
        descriptor = stream.fileno()
        if not stat.S_ISFIFO(os.fstat(descriptor).st_mode):
            return False
    except (AttributeError, ValueError, OSError):
        return False
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))
