# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending ``RunInstances``: what a new instance is (``LaunchSpec``), the ``ClientToken`` that makes each call
harmless to repeat, and what became of each call.

Every call carries a ``ClientToken`` (``client_token``): the service answers a repeated call with the instances of
the first one and creates nothing more. That is why ``RunInstances`` is not among the ``Service``'s ``actions``: the
client sends it again after an answer lost on the way (a timeout, a reset, an ``InternalError``), as it would a read,
and every attempt is reported. The token is derived from what the task decided - what it read and how many it
creates - so a rerun of the same unfinished decision sends the same token too.
"""

import dataclasses
import hashlib
import json
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.paging import Caller
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import is_instance_id

RUN = 'RunInstances'
# The documented range of InstanceCount in one call.
MAX_PER_CALL = 100
# The documented limit of a ClientToken, in ASCII characters.
MAX_TOKEN_CHARS = 64
# The tag that names an instance of a task (InstanceName is suffixed 1..n when one call creates several).
NAME_TAG = 'Name'
# What the service answers a DryRun that would have succeeded.
DRY_RUN_PASSED = 'DryRunOperation'
_TOKEN_PREFIX = 'ansible-'


@dataclasses.dataclass(frozen=True)
class LaunchSpec:
    """What a new instance is, as the options say it; ``None``: the service's default."""

    name: str
    image_id: str
    zone: str
    instance_type: Optional[str] = None
    vpc_id: Optional[str] = None
    subnet_id: Optional[str] = None
    security_group_ids: Optional[List[str]] = None
    key_ids: Optional[List[str]] = None
    password: Optional[str] = dataclasses.field(default=None, repr=False)
    system_disk: Optional[Dict[str, Any]] = None
    data_disks: Optional[List[Dict[str, Any]]] = None
    internet_max_bandwidth_out: Optional[int] = None
    instance_charge_type: Optional[str] = None
    tags: Dict[str, str] = dataclasses.field(default_factory=dict)
    user_data: Optional[str] = None
    disable_api_termination: Optional[bool] = None

    def params(self, count: int, client_token: str, dry_run: bool = False) -> Dict[str, Any]:
        """The ``RunInstances`` parameters for ``count`` instances."""
        params: Dict[str, Any] = {
            'Placement': {'Zone': self.zone}, 'ImageId': self.image_id, 'InstanceCount': count,
            'InstanceName': self.name, 'ClientToken': client_token,
            'TagSpecification': [{'ResourceType': 'instance', 'Tags': [
                {'Key': key, 'Value': value} for key, value in sorted(self.every_tag().items())]}],
        }
        optional = {
            'InstanceType': self.instance_type, 'SecurityGroupIds': self.security_group_ids,
            'InstanceChargeType': self.instance_charge_type, 'UserData': self.user_data,
            'DisableApiTermination': self.disable_api_termination,
            'SystemDisk': _disk(self.system_disk), 'DataDisks': [_disk(d) for d in self.data_disks or []] or None,
        }
        params.update((key, value) for key, value in optional.items() if value is not None)
        if self.vpc_id or self.subnet_id:
            params['VirtualPrivateCloud'] = {'VpcId': self.vpc_id, 'SubnetId': self.subnet_id}
        if self.internet_max_bandwidth_out is not None:
            params['InternetAccessible'] = {'InternetMaxBandwidthOut': self.internet_max_bandwidth_out,
                                            'PublicIpAssigned': self.internet_max_bandwidth_out > 0}
        login = {'KeyIds': self.key_ids, 'Password': self.password}
        if any(login.values()):
            params['LoginSettings'] = {key: value for key, value in login.items() if value}
        if dry_run:
            params['DryRun'] = True
        return params

    def every_tag(self) -> Dict[str, str]:
        """The tags a new instance gets: ``tags``, and the ``Name`` tag that finds it again."""
        return dict(self.tags, **{NAME_TAG: self.name})

    def described(self) -> Dict[str, Any]:
        """What a new instance is, without its secret: part of the decision a token is derived from."""
        return {key: value for key, value in dataclasses.asdict(self).items() if key != 'password'}


def _disk(disk: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    if disk is None:
        return None
    return {key: value for key, value in (('DiskType', disk.get('type')), ('DiskSize', disk.get('size')))
            if value is not None}


def client_token(decision: Mapping[str, Any], call: int = 0, given: Optional[str] = None) -> str:
    """The ``ClientToken`` of call ``call`` (from 0) of a task: ``given`` as the user set it for the first call, and
    with the call's number after it for the others; else one of 64 ASCII characters derived from the ``decision``
    (anything JSON can write: the region, what was read, how many are created, what they are). The same decision,
    the same tokens."""
    if given is not None:
        return given if call == 0 else '%s-%d' % (given[:MAX_TOKEN_CHARS - 4], call)
    text = json.dumps({'decision': decision, 'call': call}, sort_keys=True, separators=(',', ':'), default=str)
    digest = hashlib.sha256(text.encode('utf-8')).hexdigest()
    return (_TOKEN_PREFIX + digest)[:MAX_TOKEN_CHARS]


@dataclasses.dataclass
class Launch:
    """One ``RunInstances`` request: the ``count`` it asked for under ``client_token``, the ``instance_ids`` it
    answered, its ``request_id``, or the ``error`` it failed with; ``retried`` when the client sent it again (with the
    same token) after this attempt's answer was lost or refused."""

    client_token: str
    count: int
    instance_ids: List[str]
    request_id: Optional[str]
    error: Optional[TencentCloudError] = None
    retried: bool = False
    dry_run: bool = False

    @property
    def applied(self) -> Any:
        """True when the service answered the instances; False when it refused (or, for a dry run, created nothing);
        ``'unknown'`` when its answer was lost."""
        if self.dry_run or (self.error is not None and self.error.refused_before_acting):
            return False
        return True if self.error is None else 'unknown'

    def reported(self) -> Dict[str, Any]:
        """The call as the module reports it."""
        return {'action': RUN, 'instance_ids': list(self.instance_ids), 'request_id': self.request_id,
                'error': None if self.error is None else self.error.as_dict(), 'applied': self.applied,
                'retried': self.retried, 'client_token': self.client_token, 'instance_count': self.count,
                'dry_run': self.dry_run}


class LaunchFailed(Exception):
    """A ``RunInstances`` call failed; ``launches`` holds every request sent, the failed one last."""

    def __init__(self, message: str, launches: List[Launch], error: TencentCloudError):
        super().__init__(message)
        self.message = message
        self.launches = launches
        self.error = error


class Launcher:
    """``RunInstances`` through an ``ApiClient``: at most ``MAX_PER_CALL`` instances a call, one after the other."""

    def __init__(self, client: Caller):
        self._client = client

    def launch(self, spec: LaunchSpec, count: int, decision: Mapping[str, Any], deadline: Optional[Deadline] = None,
               given_token: Optional[str] = None) -> List[Launch]:
        """Create ``count`` instances of ``spec``, each call under its ``client_token``; every request in order.
        Raises ``LaunchFailed`` (what was sent before it included) when a call fails."""
        launches: List[Launch] = []
        for call, start in enumerate(range(0, count, MAX_PER_CALL)):
            launches.extend(self._send(spec, min(MAX_PER_CALL, count - start),
                                       client_token(decision, call, given_token), deadline, launches))
        return launches

    def dry_run(self, spec: LaunchSpec, count: int, decision: Mapping[str, Any], deadline: Optional[Deadline] = None,
                given_token: Optional[str] = None) -> Launch:
        """Ask the service whether ``RunInstances`` would succeed (parameters, permissions, quota) without creating
        anything. Raises ``LaunchFailed`` with the service's refusal."""
        token = client_token(decision, 0, given_token)
        try:
            response = self._client.call(RUN, spec.params(min(count, MAX_PER_CALL), token, dry_run=True), deadline)
        except TencentCloudError as error:
            if error.code != DRY_RUN_PASSED:
                launch = Launch(token, count, [], error.request_id, error, dry_run=True)
                raise LaunchFailed('RunInstances (a dry run, nothing created) was refused: %s' % error, [launch],
                                   error)
            return Launch(token, count, [], error.request_id, dry_run=True)
        return Launch(token, count, [], response.get('RequestId'), dry_run=True)

    def _send(self, spec, count, token, deadline, earlier):
        retried: List[TencentCloudError] = []
        try:
            response = self._client.call(RUN, spec.params(count, token), deadline, retried=retried)
        except TencentCloudError as error:
            attempts = _attempts(token, count, retried) + [Launch(token, count, [], error.request_id, error)]
            raise LaunchFailed(_failure_message(error, token, count), earlier + attempts, error)
        answered = response.get('InstanceIdSet')
        ids = list(dict.fromkeys(i for i in answered if is_instance_id(i))) if isinstance(answered, list) else []
        launches = _attempts(token, count, retried) + [Launch(token, count, ids, response.get('RequestId'))]
        if len(ids) != count:
            # Fewer (or more) than asked: never taken for the instances the task wanted, nor sent again.
            miscount = TencentCloudError('InvalidResponse', 'RunInstances for %d instances (ClientToken %s) answered %d '
                                         'instance IDs of the documented form' % (count, token, len(ids)),
                                         response.get('RequestId'))
            raise LaunchFailed('%s: %s; read the instances named %s before running the task again'
                               % (miscount.message, ', '.join(ids) or 'none', spec.name), earlier + launches, miscount)
        return launches


def _attempts(token, count, retried):
    return [Launch(token, count, [], error.request_id, error, retried=True) for error in retried]


def _failure_message(error: TencentCloudError, token: str, count: int) -> str:
    if error.refused_before_acting:
        return 'RunInstances for %d instances was refused: %s' % (count, error)
    return ('the answer to RunInstances for %d instances (ClientToken %s) was lost (%s), and so were the answers to '
            'the same request sent again: whether instances were created is unknown (applied: unknown). A rerun '
            'that reads the same instances sends the same ClientToken, which creates nothing twice'
            % (count, token, error))
