# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Event-Driven Ansible source of CVM instance state changes: ``tencentcloud.cloud.cvm_instance_state``.

A thin shell: the reads, the change detection and the retries are the collection's shared code
(``plugins/plugin_utils/state_watch.py``), with the signer, client, credential chain and rate budget of the modules.
"""

import asyncio
import importlib.machinery
import importlib.util
import logging
import os
import sys
from types import ModuleType
from typing import Any, Dict

DOCUMENTATION = r'''
---
short_description: Events when Tencent Cloud CVM instances change state, fail an operation, appear or disappear.
description:
  - Reads the watched instances with C(DescribeInstances) every O(interval) seconds (100 instances a call, regions
    read concurrently) and puts one event on the queue for each change since the last good read.
  - Every event is a dictionary with one key, C(tencentcloud), whose C(event) is one of C(state_changed),
    C(operation_failed), C(instance_appeared), C(instance_disappeared), C(snapshot); the "Event fields" table of
    the collection's docsite lists every field (C(EVENT_FIELDS) in this file).
  - No change is told twice. A read that fails (throttling, server errors, timeouts, temporary credentials that
    expired) is tried again later, with backoff, and the next good read tells the net change since the last good
    one, with C(previous_state) the last state known. A read that cannot succeed (bad keys, no permission) stops the
    source with one line saying why.
  - Needs ansible-core and requests in the Python that runs ansible-rulebook (the decision environment in
    C(extensions/eda/decision-environment.yml) has both).
  - C(operation_failed) is told once per failed operation (its RequestId) that failed after the source started;
    it comes with the C(state_changed) of the same read, if the state changed too.
  - "Event values stay text. ansible-rulebook renders an action's arguments natively (a string that reads as a Python
    literal is decoded), then Ansible renders extra variables as templates, and whoever may name or tag an instance
    chooses its text. So every string of an event that the service sent stays a string, the same or visibly
    changed, never a template and never another type, whether a rulebook passes the whole event, one field or two
    joined: a C({) that would open a template, and a C({) or C(}) at either end, are sent full-width (C(\uff5b),
    C(\uff5d)); a leading C(#) or C(%), and the C(#) of C(#jinja2:), full-width; quotes and the backslash full-width;
    and a text that reads as the start of a Python literal (a number, a bracket, V(True), V(None)...) gets
    C(\u2039) in front. Strings are also printable (control characters become U+FFFD) and cut to the service's
    limits (a name to 128 characters, at most 50 tags of 127 characters a key and 255 a value, an error message to
    300)."
  - "The guide (the event source's section) gives the way back to the original text, what each change costs a name,
    and how to pass fields to a playbook safely. IDs, regions and states are checked against their documented forms;
    an instance whose ID is not of the form C(ins-) and 8 lower-case letters or digits is never an event (a warning
    in the log says so)."
  - "Keep keys out of the rulebook: ansible-rulebook logs a source's arguments at C(-vv). Give them instead as the
    environment of ansible-rulebook (E(TENCENTCLOUD_SECRET_ID), E(TENCENTCLOUD_SECRET_KEY)), a credentials file or
    profile (O(profile)), a CVM instance role or TKE OIDC, or, on an EDA controller, a credential whose injectors set
    those variables."
options:
  region:
    description:
      - The region to watch; read from E(TENCENTCLOUD_REGION), else the tccli profile, when neither this nor
        O(regions) is set. With no region anywhere, every region the account can use is watched.
    type: str
  regions:
    description:
      - Several regions to watch, read concurrently. Mutually exclusive with O(region).
      - V([all]) (or V([])) watches every region the account can use (C(RegionState) C(AVAILABLE) in
        C(DescribeRegions), read once when the source starts).
    type: list
    elements: str
  instance_ids:
    description:
      - The instances to watch. Without it, every instance of the regions that O(filters) let through.
      - An ID that no region lists is not an error; it appears when it is listed. The log says which IDs no watched
        region lists at the first read, and says it again of each when it is listed.
    type: list
    elements: str
  filters:
    description:
      - "C(DescribeInstances) filters, as the C(tencentcloud.cloud.cvm) inventory takes them: a filter name, such as
        C(zone) or C(tag:<key>), to a value or a list of values. Mutually exclusive with O(instance_ids)."
    type: dict
  interval:
    description:
      - Seconds from the start of one read to the start of the next, at least 1.
    type: float
    default: 30
  initial:
    description:
      - With V(true), one C(snapshot) event per instance at the start; without, the first read is only the baseline.
    type: bool
    default: false
  strict_permissions:
    description:
      - With V(true), a region the keys may not read (C(UnauthorizedOperation), C(UnsupportedRegion)) stops the
        source, as any read that cannot succeed does.
      - With V(false), such a region is skipped, with a warning in the log at the first read and once an hour while
        it lasts; the instances it listed before are kept as they were, not told as gone. Useful with V([]) as
        O(regions), where the keys may be allowed in some regions only, as the C(tencentcloud.cloud.cvm)
        inventory's option of the same name.
    type: bool
    default: true
  secret_id:
    description: As the modules' option; with the environment, profile, OIDC and instance role chain after it.
    type: str
  secret_key:
    description:
      - As the modules' option. ansible-rulebook logs the arguments of a source at C(-vv), this one included, so
        give the keys through the environment, a profile or a role instead (see above).
    type: str
  security_token:
    description: As the modules' option; logged at C(-vv) as O(secret_key) is.
    type: str
  profile:
    description: As the modules' option (E(TENCENTCLOUD_PROFILE)).
    type: str
  cam_role_name:
    description: As the modules' option (E(TENCENTCLOUD_CAM_ROLE_NAME)).
    type: str
  assume_role_arn:
    description:
      - As the modules' option (E(TENCENTCLOUD_ASSUME_ROLE_ARN)); the temporary credentials are renewed before they
        expire, for as long as the source runs.
    type: str
  assume_role_session_name:
    description: As the modules' option.
    type: str
  assume_role_duration:
    description: As the modules' option.
    type: int
    default: 7200
  assume_role_external_id:
    description: As the modules' option.
    type: str
  assume_role_policy:
    description: As the modules' option.
    type: str
  sts_endpoint:
    description: As the modules' option (E(TENCENTCLOUD_STS_ENDPOINT)).
    type: str
    default: sts.tencentcloudapi.com
  endpoint:
    description: As the modules' option (E(TENCENTCLOUD_CVM_ENDPOINT)).
    type: str
    default: cvm.tencentcloudapi.com
  validate_certs:
    description: As the modules' option.
    type: bool
    default: true
  ca_bundle:
    description: As the modules' option.
    type: path
  request_timeout:
    description: As the modules' option.
    type: float
    default: 10
  max_retries:
    description: As the modules' option; after them, a failed read is tried again at the next O(interval) or later.
    type: int
    default: 5
  language:
    description: As the modules' option.
    type: str
    default: en-US
    choices: [en-US, zh-CN]
'''

EXAMPLES = r'''
- name: React when a web server stops
  hosts: localhost
  sources:
    - tencentcloud.cloud.cvm_instance_state:
        region: ap-guangzhou
        filters:
          tag:role: web
        interval: 30
  rules:
    - name: A web server stopped
      condition: >-
        event.tencentcloud.event == "state_changed" and event.tencentcloud.state == "STOPPED"
      action:
        run_playbook:
          name: restart_instance.yml
'''

# Each event is {"tencentcloud": {...}} with these fields (the docsite's "Event fields" table is made from them).
EVENT_FIELDS = r'''
event: "str - what happened: V(state_changed), V(operation_failed) (told once per failed RequestId),
  V(instance_appeared), V(instance_disappeared), or V(snapshot) (one per instance at the start, with O(initial))."
instance_id: "str - the instance, for example V(ins-r8hr2upy)."
region: "str - the region that lists it, for example V(ap-guangzhou)."
state: "str - its state now, for example V(STOPPED); null for V(instance_disappeared)."
previous_state: "str - its state at the last good read; null for V(instance_appeared) and V(snapshot)."
instance_name: "str - its name, as text that stays text through any rulebook (see the notes above)."
tags: "dict - tag key to value, each as text that stays text."
latest_operation: "str - the instance's latest operation, for example V(StopInstances)."
latest_operation_state: "str - V(OPERATING), V(SUCCESS) or V(FAILED)."
latest_operation_request_id: "str - the RequestId of that operation."
error: "str - for V(operation_failed) only, the operation's error message."
observed_at: "str - when the read ended, ISO 8601 in UTC, for example V(2026-12-07T05:10:51Z)."
'''

logger = logging.getLogger('tencentcloud.cloud.cvm_instance_state')


def shared_code() -> ModuleType:
    """The collection's ``state_watch``. ansible-rulebook runs this file by its path, without Ansible's collection
    loader: the ``ansible_collections`` package is found in the collections path this file is installed in, ahead of
    any other copy. Only that package: the collections path itself never goes on ``sys.path``, where an ``ansible`` or
    ``requests`` directory beside ``ansible_collections`` would stand in for the real ones."""
    # This file is <collections root>/ansible_collections/tencentcloud/cloud/extensions/eda/plugins/event_source/.
    package = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 6))
    if os.path.basename(package) == 'ansible_collections' and \
            os.path.isdir(os.path.join(package, 'tencentcloud', 'cloud')):
        _find_collections_in(package)
    try:
        from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import state_watch
    except ImportError as error:
        raise RuntimeError('cvm_instance_state needs the tencentcloud.cloud collection installed in a collections path '
                           '(ansible-galaxy collection install) and ansible-core in the Python of ansible-rulebook: %s'
                           % error) from None
    return state_watch


def _find_collections_in(package: str) -> None:
    """Make ``package`` the first place the ``ansible_collections`` namespace package is looked for."""
    namespace = sys.modules.get('ansible_collections')
    if namespace is None:
        namespace = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(
            'ansible_collections', None, is_package=True))
        namespace.__path__ = []
        sys.modules['ansible_collections'] = namespace
    if package not in list(namespace.__path__):
        try:
            namespace.__path__.insert(0, package)
        except AttributeError:
            # A namespace package's own path takes no insert: after what is there already, then.
            namespace.__path__.append(package)


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Put an event on ``queue`` for every change of the instances ``args`` name, until cancelled; a watch that
    cannot go on raises ``WatchFailed`` with one line."""
    state_watch = shared_code()
    watch = await asyncio.to_thread(state_watch.open_watch, args, os.environ)
    logger.info('cvm_instance_state: watching %s', watch.settings.summary())
    try:
        while True:
            poll = await asyncio.to_thread(watch.poll)
            for warning in poll.warnings:
                logger.warning('cvm_instance_state: %s', warning)
            for event in poll.events:
                await queue.put(event)
            await asyncio.sleep(poll.delay)
    finally:
        watch.close()
