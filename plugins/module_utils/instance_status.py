# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the module and the lookup: validate options, read states, wait if asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible_collections.tencentcloud.cloud.plugins.module_utils import cvm_instances, cvm_service, cvm_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.api_client import Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils.connection import Connection
from ansible_collections.tencentcloud.cloud.plugins.module_utils.credentials import chain
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.failed_operations import FailedOperationWatch
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import check_values, with_profile_region
from ansible_collections.tencentcloud.cloud.plugins.module_utils.waiter import WaitFailed, normalize_states, wait_for_states


class QueryFailed(Exception):
    """The query did not succeed; ``result`` holds what is known (last states, error, request IDs)."""

    def __init__(self, message, result):
        super(QueryFailed, self).__init__(message)
        self.message = message
        self.result = result


def query_instance_status(options, instance_ids, environ=None, sleep=None, check_mode=False):
    """Read (and with ``wait_for``, wait for) instance states; the result keys are those the module returns.

    ``options`` is an ``options.Options``; ``instance_ids`` is a list, or ``None`` for every instance in the region.
    ``sleep`` replaces ``time.sleep`` between polls (the module's stops when Ansible has given up on the task).
    In ``check_mode`` the states are read once and never waited for: the tasks that would have started or stopped
    the instances did not run, so a wait could only run out its time.
    Raises ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the query itself fails.
    """
    environ = os.environ if environ is None else environ
    # Wrong on its face whatever the region: said as such, before the region (which may be set nowhere) is looked for.
    ids = None if instance_ids is None else cvm_status.normalize_instance_ids(instance_ids)
    wait = _wait_settings(options.values)
    values = with_profile_region(options.values, environ)
    check_values(values)
    chain.check_values(values)
    connection = Connection(values, environ)
    try:
        return _query(connection, options, ids, wait, sleep, check_mode)
    finally:
        connection.close()


def _query(connection, options, ids, wait, sleep, check_mode):
    values = connection.values
    found = chain.resolve(values, options.credential_sources, connection.environ, connection)
    client = connection.client(cvm_service.SERVICE, cvm_service.API_VERSION, values['endpoint'], found,
                               cvm_service.REQUESTS_PER_SECOND, pool_size=cvm_status.MAX_CONCURRENT_CALLS)
    shared_reads = connection.shared_reads()
    reader = cvm_status.StatusReader(client, shared_reads=shared_reads)
    result = {'credential_source': found.source, 'request_ids': client.request_ids, 'warnings': client.warnings}
    if wait is not None and check_mode:
        client.warnings.append('check mode: read the states once and did not wait for %s, since the tasks that '
                               'would have changed them did not run' % ' or '.join(wait['targets']))
        wait = None
    try:
        if ids == []:
            snapshot = cvm_status.Snapshot({}, [])
        elif wait is None:
            snapshot = reader.read(ids)
        else:
            # A poll begun at the wait's deadline may still take one request_timeout; nothing starts after that.
            deadline = Deadline(time.monotonic() + wait['timeout'] + values['request_timeout'],
                                'the wait\'s deadline (wait_timeout %gs + request_timeout %gs)'
                                % (wait['timeout'], values['request_timeout']))
            watch = None
            if values['fail_on_failed_operation']:
                operations = cvm_instances.InstanceReader(client, shared_reads)
                watch = FailedOperationWatch(lambda lagging: operations.latest_operations(lagging, deadline),
                                             client.warnings)
            aligned = None if shared_reads is None else (lambda: shared_reads.in_company)
            outcome = wait_for_states(lambda: reader.read(ids, deadline), sleep=sleep, failed_operations=watch,
                                      aligned=aligned, **wait)
            snapshot = outcome.snapshot
            result.update(elapsed=round(outcome.elapsed, 3), polls=outcome.polls)
    except TencentCloudError as error:
        raise QueryFailed(str(error), dict(result, error=error.as_dict()))
    except WaitFailed as failure:
        result.update(_states_result(failure.snapshot), elapsed=round(failure.elapsed, 3), polls=failure.polls)
        raise QueryFailed(failure.message, result)
    result.update(_states_result(snapshot))
    return result


def _states_result(snapshot):
    return {
        'instances': [{'instance_id': i, 'instance_state': s} for i, s in snapshot.states.items()],
        'instance_states': dict(snapshot.states),
        'missing': list(snapshot.missing),
    }


def _wait_settings(values):
    if not values.get('wait_for'):
        return None
    return dict(
        targets=normalize_states('wait_for', values['wait_for']),
        fail_states=normalize_states('fail_states', values['fail_states'] or []),
        timeout=values['wait_timeout'],
        interval=values['wait_interval'],
    )
