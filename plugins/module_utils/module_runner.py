# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""What every module does around its one call of shared code: refuse to start without ``requests``, hand the call its
options and a clock that stops once Ansible has gone, and answer with the result (and its facts), or one line on
failure; the warnings in Ansible's own list, the diff when asked."""

from typing import Callable

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.tencentcloud.cloud.plugins.module_utils import options
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.nearest_name import did_you_mean
from ansible_collections.tencentcloud.cloud.plugins.module_utils.caller_watch import CallerGone, watched_clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed, StatusResult


# How ansible-core begins its message for options a module does not have.
_UNSUPPORTED = 'Unsupported parameters for '


class TencentCloudModule(AnsibleModule):
    """``AnsibleModule``, whose refusal of an option it does not have names the option it most likely means, as the
    lookup and the inventory do (a misspelt ``wait_for`` would otherwise only get the list of every option)."""

    def fail_json(self, msg, **kwargs):
        if isinstance(msg, str) and msg.startswith(_UNSUPPORTED):
            # The options by their names (no module of the collection gives one an alias).
            known = set(self.argument_spec)
            hints = [name + did_you_mean(name, known) for name in sorted(self.params)
                     if name not in known and did_you_mean(name, known)]
            if hints:
                msg = '%s; %s' % (msg.rstrip('.'), ', '.join(hints))
        super().fail_json(msg=msg, **kwargs)


def answer(module, call: Callable[..., StatusResult], clock: Clock) -> None:
    """Exit ``module`` with the answer of ``call(options, instance_ids, clock=..., check_mode=...)``, with the facts
    the result has; or with its failure, in one line (``exit_json`` and ``fail_json`` exit)."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    try:
        result = call(options.from_module(module), module.params['instance_ids'], clock=watched_clock(clock),
                      check_mode=module.check_mode)
    except CallerGone:
        # Ansible stopped the task (its timeout ran out): nobody reads this answer; what matters is to stop polling.
        module.fail_json(msg='stopped waiting: Ansible no longer waits for this task')
    except OptionError as error:
        module.fail_json(msg=str(error))
    except QueryFailed as failure:
        module.fail_json(msg=failure.message, **_reported(module, failure.result))
    facts = result.facts()
    module.exit_json(**dict(_reported(module, result), **({'ansible_facts': facts} if facts is not None else {})))


def _reported(module, result):
    """The module's answer of ``result``: its warnings go to the module's own list, its diff where asked."""
    for warning in result.warnings:
        module.warn(warning)
    reported = result.module_result()
    diff = result.diff()
    if module._diff and diff is not None:
        reported['diff'] = diff
    return reported
