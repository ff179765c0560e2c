# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module test runs as a module runs: apart from the controller."""

import pytest

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core before 2.19
    module_utils_internal = None


@pytest.fixture(autouse=True)
def as_a_module_runs(monkeypatch):
    # Once a controller plugin was loaded in this test process (the lookup's tests), ansible-core would send module
    # warnings to the controller's display instead of the result.
    if hasattr(module_utils_internal, 'is_controller'):
        monkeypatch.setattr(module_utils_internal, 'is_controller', False)
