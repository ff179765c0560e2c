# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many requests the emulator received during each task of a batch of cases (matrix.py's ``Runner.batch``).

The emulator's counter is read as each task starts and as its result comes: with one host and the linear strategy,
a task's requests all fall between the two. The counts go, in task order, to the JSON file ``CASE_REQUESTS_FILE``
names, once the play ends.
"""

import json
import os
import urllib.request

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: case_requests
type: aggregate
short_description: the emulator's requests during each task, for the reliability matrix
description:
  - Reads C(CASE_REQUESTS_STATS_URL) as each task starts and ends; writes the differences to C(CASE_REQUESTS_FILE).
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'case_requests'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._before = 0
        self._counts: list = []

    def _requests(self) -> int:
        # No proxy: the emulator listens on 127.0.0.1, whatever the environment says about proxies.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(os.environ['CASE_REQUESTS_STATS_URL'], timeout=10) as answer:
            return json.load(answer)['requests']

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._before = self._requests()

    def _count(self, result, **kwargs):
        self._counts.append(self._requests() - self._before)

    v2_runner_on_ok = v2_runner_on_failed = _count

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['CASE_REQUESTS_FILE'], 'w') as handle:
            json.dump(self._counts, handle)
