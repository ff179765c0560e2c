# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  wait_for:
    description:
      - Target states. When set, poll until every instance is in one of them.
      - A single state may be given as a string. Case does not matter.
      - An instance the API does not return yet counts as not in a target state, since a new instance can take a
        moment to appear; the module fails on one still not listed after 20 seconds (see its O(on_missing)), the
        lookup likewise unless its O(on_missing) is V(skip).
    type: list
    elements: str
  wait_timeout:
    description:
      - Seconds to wait for O(wait_for) before failing. V(0) polls once. At most 604800 (a week).
      - On timeout the failure names every instance not in a target state with its current state.
      - The last poll happens at this deadline, and may take one O(request_timeout) more; no retry or poll starts
        after that, so a wait never runs longer than O(wait_timeout) plus O(request_timeout), whatever the endpoint
        does. A deadline that runs out during a poll fails with C(RequestTimeout) naming it.
      - The module stops polling when Ansible stops the task (a task C(timeout:), a stopped play).
      - Instance states this collection does not know yet (one the API adds later) are reported as they are and
        count as neither a target nor a failure.
    type: int
    default: 600
  wait_interval:
    description:
      - Seconds between polls while waiting, from 0.1 to 3600.
    type: float
    default: 5
  fail_states:
    description:
      - Stop waiting at once, and fail, when an instance enters one of these states, since it can never reach the
        target. States that are also in O(wait_for) are not failures.
      - Set to V([]) to wait out the whole timeout whatever happens, or add V(RESCUE_MODE) to fail on it too.
    type: list
    elements: str
    default: [LAUNCH_FAILED, SHUTDOWN, TERMINATING]
  fail_on_failed_operation:
    description:
      - Stop waiting at once, and fail, when an instance's latest operation (a C(StartInstances), C(StopInstances)
        or C(RebootInstances)) fails during the wait. A failed start leaves an instance C(STOPPED), which no state
        check can tell from a slow one; the message names each instance, the operation, its RequestId and its error.
      - A failure already there when an instance at rest short of the target was first looked at (same RequestId)
        is history and does not stop the wait - it may just have been retried.
      - Costs one C(DescribeInstances) call per 100 instances at rest short of the target (a C(STOPPED) one when
        waiting for C(RUNNING)) at each poll. Instances moving (C(PENDING), C(STARTING)...) are not read until they
        stop, so a wait on instances that start normally costs nothing more. None without O(wait_for).
        Credentials that may not call C(DescribeInstances) get a warning and a wait on states alone.
    type: bool
    default: true
  coalesce:
    description:
      - Share reads by ID with the other processes of the same user on this controller that read with the same
        credentials, region and endpoint at the same time, such as the forks of a play gating each host on its own
        instance, or a lookup per host. One call answers all of them, and each gets exactly its own instances back.
      - With it, waits poll at the multiples of O(wait_interval) on the host's clock, so that the waits of other
        processes poll at the same moments; polls are never further apart than O(wait_interval).
      - A read is only ever answered by a call started after it was asked for, so no state is older than it would be
        without sharing. Each caller keeps its own O(wait_timeout) and never fails for a call it did not make while
        it still has time to make its own. An error about the credentials reaches every caller of a shared call with
        its RequestId, and so does a fault the service answered every attempt with until the retries were spent; an
        error that may concern some of the instances only (C(UnauthorizedOperation), C(InvalidInstanceId.*),
        C(ResourceNotFound.*)) makes each caller ask again for its own instances alone, so that only the caller it
        concerns fails.
      - It costs a read that has company at most a short gathering window (0.2 s); a read with no other process
        reading lately is sent at once. What is shared (instance IDs and states, no keys) is kept in the user's
        private directory (C($XDG_RUNTIME_DIR/tencentcloud.cloud), else C(~/.ansible/tmp/tencentcloud.cloud)).
        Readers share only where everything that decides where the connection goes and whom it trusts is the same,
        that is keys, region, endpoint, certificate authorities and every proxy variable.
      - Set to V(false) to make every read alone. Without a usable private directory every read is made alone.
    type: bool
    default: true
'''
