# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""What every lookup and inventory of the collection does alike: refuse to run without requests, show warnings
through Ansible's display, and turn bad input and failed calls into the ``AnsibleError`` of its kind."""

import contextlib
from typing import Iterable, Iterator, Type

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native
from ansible.utils.display import Display
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import HAS_REQUESTS

display = Display()


class ControllerPlugin:
    """Mixed into a plugin class: ``NAME`` begins every message; ``FAILURE`` is the error it raises; ``clock`` is
    what its calls read the time from and sleep with."""

    NAME: str
    FAILURE: Type[AnsibleError]
    clock: Clock = SYSTEM_CLOCK

    def require_requests(self) -> None:
        if not HAS_REQUESTS:
            raise self.FAILURE('%s needs the Python library requests on the controller' % self.NAME)

    def warn(self, warnings: Iterable[str]) -> None:
        for warning in warnings:
            display.warning('%s: %s' % (self.NAME, warning))

    @contextlib.contextmanager
    def reporting(self, *failures: Type[Exception]) -> Iterator[None]:
        """Bad input, and the ``failures`` of the one call made, become ``FAILURE``; what the call warned of is
        shown first."""
        try:
            yield
        except OptionError as error:
            raise self.FAILURE('%s: %s' % (self.NAME, to_native(error)))
        except failures as failure:
            self.warn(getattr(failure, 'warnings', ()))
            raise self.FAILURE('%s: %s' % (self.NAME, to_native(failure)))
