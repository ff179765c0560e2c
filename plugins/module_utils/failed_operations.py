# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Noticing, during a wait, that a start or stop failed: the state alone never says so.

A failed ``StartInstances`` leaves the instance ``STOPPED``, and a wait for ``RUNNING`` would run out its whole
timeout. ``DescribeInstances`` reports the latest operation of each instance; a failure counts when it happened during
the wait. One that was already there when the instance was first looked at (same request ID) is history: the user may
have just retried it, and the retry may not show yet.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

FAILED = 'FAILED'


class FailedOperationWatch:
    """Called with the IDs still lagging at each poll; returns a description of each operation that failed since."""

    def __init__(self, latest_operations):
        # latest_operations(ids) -> {id: cvm_instances.Operation}
        self._latest_operations = latest_operations
        self._failed_at_first_look = {}

    def __call__(self, lagging_ids):
        if not lagging_ids:
            return []
        failures = []
        for instance_id, operation in sorted(self._latest_operations(lagging_ids).items()):
            failed_request = operation.request_id if operation.state == FAILED else None
            if instance_id not in self._failed_at_first_look:
                self._failed_at_first_look[instance_id] = failed_request
            elif failed_request is not None and failed_request != self._failed_at_first_look[instance_id]:
                failures.append('%s (%s, RequestId %s: %s)' % (instance_id, operation.name or 'operation',
                                                              failed_request, operation.error or 'no message'))
        return failures
