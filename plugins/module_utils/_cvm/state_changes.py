# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed between two good reads of a set of instances, as the events of the ``cvm_instance_state`` source.

Each read is compared with the last good one only, so a change is told once, and after reads that failed the net
change since the last good read is told (an instance that stopped and started again in between shows nothing).

An event goes to playbooks as extra variables: ansible-rulebook renders a rulebook's templates natively (a string
that reads as a Python literal is decoded), then Ansible renders them as templates (every string on ansible-core 2.16,
and on 2.21 those of a variable referenced from a template); the instances' text is whoever named or tagged them. So
an event holds the instance as the read kept it (``instance_fields``: its form checked, its text printable and cut to
the service's limits), and every string the service sent is ``event_text``: it stays text, whole event, one field or
two joined, never a template and never another type (``_api.text.event_text`` says how, and what it costs a name).
"""

import dataclasses
from typing import Any, Dict, List, Mapping, Optional, Union

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import event_text
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import Operation, operation_of
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import tags_of

STATE_CHANGED = 'state_changed'
OPERATION_FAILED = 'operation_failed'
INSTANCE_APPEARED = 'instance_appeared'
INSTANCE_DISAPPEARED = 'instance_disappeared'
SNAPSHOT = 'snapshot'
EVENT_KEY = 'tencentcloud'
FAILED = 'FAILED'


@dataclasses.dataclass(frozen=True)
class Sighting:
    """An instance as one read saw it."""

    instance_id: str
    region: str
    state: str
    name: Optional[str]
    tags: Dict[str, str]
    operation: Operation

    @classmethod
    def of(cls, region: str, item: Mapping[str, Any]) -> 'Sighting':
        """From an instance as a ``DescribeInstances`` read keeps it (``instance_fields.described_item``)."""
        return cls(item['InstanceId'], region, item['InstanceState'], item.get('InstanceName'), tags_of(item),
                   operation_of(item))

    @property
    def failure(self) -> Optional[Union[str, Operation]]:
        """What tells this failed operation from another (its RequestId, else the operation itself), or ``None``."""
        if self.operation.state != FAILED:
            return None
        return self.operation.request_id or self.operation


class ChangeDetector:
    """Turns successive good reads (``{instance ID: Sighting}``) into events.

    The first read is the baseline: with ``initial``, one ``snapshot`` event per instance; operations that had
    failed before it are not news. Later reads give ``instance_appeared``, ``state_changed``, ``operation_failed``
    (once per failed operation) and ``instance_disappeared``, in the order the service listed the instances.
    """

    def __init__(self, initial: bool = False):
        self._initial = initial
        self._known: Optional[Dict[str, Sighting]] = None
        # The failed operation last seen on each instance of the last read: what is not news any more.
        self._failures: Dict[str, Union[str, Operation]] = {}

    def observe(self, seen: Mapping[str, Sighting], observed_at: str) -> List[Dict[str, Any]]:
        if self._known is None:
            events = [event(SNAPSHOT, now, None, observed_at) for now in seen.values()] if self._initial else []
        else:
            events = self._changes(self._known, seen, observed_at)
        self._known = dict(seen)
        self._failures = {i: now.failure for i, now in seen.items() if now.failure is not None}
        return events

    def _changes(self, known, seen, observed_at):
        events = []
        for instance_id, now in seen.items():
            before = known.get(instance_id)
            previous_state = before.state if before else None
            if before is None:
                events.append(event(INSTANCE_APPEARED, now, None, observed_at))
            elif now.state != before.state:
                events.append(event(STATE_CHANGED, now, previous_state, observed_at))
            if now.failure is not None and now.failure != self._failures.get(instance_id):
                events.append(event(OPERATION_FAILED, now, previous_state, observed_at, error=now.operation.error))
        for instance_id, before in known.items():
            if instance_id not in seen:
                gone = dataclasses.replace(before, state=None)
                events.append(event(INSTANCE_DISAPPEARED, gone, before.state, observed_at))
        return events


def event(kind: str, sighting: Sighting, previous_state: Optional[str], observed_at: str,
          **extra: Optional[str]) -> Dict[str, Any]:
    """An event as the rulebook gets it: one key, ``tencentcloud``, whose ``event`` names the kind; every string the
    service sent ``event_text``."""
    operation = sighting.operation
    fields = {
        'event': kind,
        'instance_id': sighting.instance_id,
        'region': sighting.region,
        'state': sighting.state,
        'previous_state': previous_state,
        'instance_name': sighting.name,
        'latest_operation': operation.name,
        'latest_operation_state': operation.state,
        'latest_operation_request_id': operation.request_id,
        'observed_at': observed_at,
    }
    fields.update(extra)
    fields = {name: value if name in _OURS or value is None else event_text(value) for name, value in fields.items()}
    fields['tags'] = {event_text(key): event_text(value) for key, value in sighting.tags.items()}
    return {EVENT_KEY: fields}


# The fields the source writes itself, of its own form: the kind of event, and when it was seen.
_OURS = frozenset(['event', 'observed_at'])
