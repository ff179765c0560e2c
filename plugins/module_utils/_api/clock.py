# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one seam to time: every part that reads the time or sleeps is handed a ``Clock``; a ``Deadline`` is a point
on its monotonic time."""

import dataclasses
import time
from typing import Callable, NamedTuple


@dataclasses.dataclass(frozen=True)
class Clock:
    """``wall`` dates what others read (signatures, files shared with other processes); ``monotonic`` times
    deadlines and intervals (never stepped); ``sleep`` waits."""

    wall: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


SYSTEM_CLOCK = Clock()


class Deadline(NamedTuple):
    """A point on the ``Clock.monotonic`` time after which no attempt of a call starts and none runs on; ``name`` says
    which limit it is, for the error."""

    at: float
    name: str
