# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one call behind the module and the lookup: validate options, read states, wait if asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.tencentcloud.cloud.plugins.module_utils import credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils import cvm_status
from ansible_collections.tencentcloud.cloud.plugins.module_utils.api_client import ApiClient
from ansible_collections.tencentcloud.cloud.plugins.module_utils.errors import OptionError, TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils.rate_limiter import RequestSpacer
from ansible_collections.tencentcloud.cloud.plugins.module_utils.waiter import WaitFailed, normalize_states, wait_for_states

_REGION = re.compile(r'[a-z]{2,}(?:-[a-z0-9]+)+')


class QueryFailed(Exception):
    """The query did not succeed; ``result`` holds what is known (last states, error, request IDs)."""

    def __init__(self, message, result):
        super(QueryFailed, self).__init__(message)
        self.message = message
        self.result = result


def query_instance_status(options, instance_ids, environ=None):
    """Read (and with ``wait_for``, wait for) instance states; the result keys are those the module returns.

    ``options`` is an ``options.Options``; ``instance_ids`` is a list, or ``None`` for every instance in the region.
    Raises ``OptionError`` for bad input (before any call) and ``QueryFailed`` when the query itself fails.
    """
    environ = os.environ if environ is None else environ
    values = options.values
    ids = None if instance_ids is None else cvm_status.normalize_instance_ids(instance_ids)
    wait = _wait_settings(values)
    found = credentials.resolve(options.credential_sources, values['profile'], environ)
    client = _client(values, found)
    reader = cvm_status.StatusReader(client)
    result = {'credential_source': found.source, 'request_ids': client.request_ids, 'warnings': client.warnings}
    try:
        if ids == []:
            snapshot = cvm_status.Snapshot({}, [])
        elif wait is None:
            snapshot = reader.read(ids)
        else:
            outcome = wait_for_states(lambda: reader.read(ids), **wait)
            snapshot = outcome.snapshot
            result.update(elapsed=round(outcome.elapsed, 3), polls=outcome.polls)
    except TencentCloudError as error:
        raise QueryFailed(str(error), dict(result, error=error.as_dict()))
    except WaitFailed as failure:
        result.update(_states_result(failure.snapshot), elapsed=round(failure.elapsed, 3), polls=failure.polls)
        raise QueryFailed(failure.message, result)
    finally:
        client.close()
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
    if values['wait_timeout'] < 0:
        raise OptionError('wait_timeout must be 0 or more seconds, not %s' % values['wait_timeout'])
    if values['wait_interval'] <= 0:
        raise OptionError('wait_interval must be more than 0 seconds, not %s' % values['wait_interval'])
    return dict(
        targets=normalize_states('wait_for', values['wait_for']),
        fail_states=normalize_states('fail_states', values['fail_states'] or []),
        timeout=values['wait_timeout'],
        interval=values['wait_interval'],
    )


def _client(values, found):
    region = values.get('region')
    if not region:
        raise OptionError('region is required: set the region option or TENCENTCLOUD_REGION')
    if not _REGION.fullmatch(region):
        raise OptionError('region %r is not a region name such as ap-guangzhou' % region)
    if values['request_timeout'] <= 0:
        raise OptionError('request_timeout must be more than 0 seconds, not %s' % values['request_timeout'])
    if values['max_retries'] < 0:
        raise OptionError('max_retries must be 0 or more, not %s' % values['max_retries'])
    # One rate budget per account, endpoint and action, shared by every process on this host.
    limiter = RequestSpacer(cvm_status.REQUESTS_PER_SECOND, ' '.join([values['endpoint'], found.secret_id, cvm_status.ACTION]))
    return ApiClient(
        found, region, values['endpoint'], cvm_status.SERVICE, cvm_status.API_VERSION, limiter,
        language=values['language'], validate_certs=values['validate_certs'], ca_bundle=values['ca_bundle'],
        request_timeout=values['request_timeout'],
        max_retries=values['max_retries'], pool_size=cvm_status.MAX_CONCURRENT_CALLS)
