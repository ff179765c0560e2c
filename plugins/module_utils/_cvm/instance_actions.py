# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending ``StartInstances``, ``StopInstances`` and ``RebootInstances``: 100 IDs a call, batches concurrently.

Each call is paced by its action's own budget (``service.CVM.rates``), shared with the user's other processes, and
sent once: the client tries one again only after an answer that refuses it (``ApiClient``). The service refuses a
whole call when one of its instances is in a state the action does not start from, or busy with another operation;
those refusals are returned with the batch, for the caller to read the states and decide again. A call whose answer
was lost, or is an error that does not refuse it, may have been carried out: its batch says so (``UNKNOWN``), and the
caller reads the instances to learn whether it was.
"""

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Union

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import (
    MAX_CONCURRENT_CALLS, PAGE_SIZE, Caller,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.power_plan import REBOOT, STOP

# The whole call was refused for the state of one of its instances (UnsupportedOperation.InstanceStateRunning...).
STATE_REFUSAL_PREFIX = 'UnsupportedOperation.InstanceState'
IN_PROGRESS = 'OperationDenied.InstanceOperationInProgress'

# Whether a call is known to have been carried out: True, False, or not known (its answer was lost).
UNKNOWN = 'unknown'


@dataclasses.dataclass
class Batch:
    """One call: its ``action`` and ``instance_ids``; the ``request_id`` of its answer, or the ``TencentCloudError``
    it failed with as ``error``; and whether it was carried out (``applied``: True when the service took it, False
    when it refused it, ``UNKNOWN`` when its outcome is not known until the instances are read)."""

    action: str
    instance_ids: List[str]
    request_id: Optional[str]
    error: Optional[TencentCloudError] = None
    applied: Union[bool, str, None] = None
    # A request the client sent again after its refusal: reported, never decided on (the next request is).
    retried: bool = False
    # Of a call whose outcome is not known, the instances reads showed it reached.
    applied_instance_ids: List[str] = dataclasses.field(default_factory=list)

    def __post_init__(self):
        if self.applied is None:
            self.applied = True if self.error is None else (False if self.error.refused_before_acting else UNKNOWN)

    @property
    def may_have_acted(self) -> bool:
        return self.applied is not False

    def reported(self) -> Dict[str, Any]:
        """The call as the module reports it."""
        reported = {'action': self.action, 'instance_ids': list(self.instance_ids), 'request_id': self.request_id,
                    'error': None if self.error is None else self.error.as_dict(), 'applied': self.applied,
                    'retried': self.retried}
        if self.applied == UNKNOWN:
            reported['applied_instance_ids'] = list(self.applied_instance_ids)
        return reported


def refused_for_state(error: TencentCloudError) -> bool:
    """Whether the call was refused for the state of an instance: to be read again and decided anew."""
    return error.code.startswith(STATE_REFUSAL_PREFIX)


def refused_while_busy(error: TencentCloudError) -> bool:
    """Whether an instance of the call is busy with another operation: to be tried again once it is over."""
    return error.code == IN_PROGRESS


class InstanceActions:
    """The three actions through an ``ApiClient``, with the stop options of this run (``SOFT``... as the API
    spells them; ``None`` leaves the API's default)."""

    def __init__(self, client: Caller, stop_type: Optional[str] = None, stopped_mode: Optional[str] = None):
        self._client = client
        self._stop_type = stop_type
        self._stopped_mode = stopped_mode

    def send(self, action: str, instance_ids: List[str], deadline: Optional[Deadline] = None) -> List[Batch]:
        """Send ``action`` for ``instance_ids``, 100 a call; every request's outcome, in order, whatever the others':
        an attempt the client tried again after a refusal is a request of its own, reported before the next."""
        batches = [instance_ids[start:start + PAGE_SIZE] for start in range(0, len(instance_ids), PAGE_SIZE)]
        if len(batches) == 1:
            return self._send(action, batches[0], deadline)
        with ThreadPoolExecutor(max_workers=min(len(batches), MAX_CONCURRENT_CALLS)) as pool:
            return [sent for attempts in pool.map(lambda batch: self._send(action, batch, deadline), batches)
                    for sent in attempts]

    def _send(self, action, batch, deadline):
        retried: List[TencentCloudError] = []
        try:
            response = self._client.call(action, self._params(action, batch), deadline, retried=retried)
        except TencentCloudError as error:
            # Kept with its batch: the calls that did go through must still be reported.
            last = Batch(action, batch, error.request_id, error)
        else:
            last = Batch(action, batch, response.get('RequestId'), None)
        return [Batch(action, batch, refused.request_id, refused, retried=True) for refused in retried] + [last]

    def _params(self, action, batch):
        params = {'InstanceIds': batch}
        if action in (STOP, REBOOT) and self._stop_type:
            params['StopType'] = self._stop_type
        if action == STOP and self._stopped_mode:
            params['StoppedMode'] = self._stopped_mode
        return params
