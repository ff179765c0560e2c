# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every unit test has a time limit, so a wait that should fail fast but does not is a failure, not a hang.

ansible-test passes no environment or options of ours to pytest, so the limit is set here, as a marker on each test
that has none of its own (pytest-timeout, pinned in tools/requirements-test-common.txt).
"""

import pytest

UNIT_TEST_TIMEOUT_SECONDS = 60


def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin('timeout'):
        return
    for item in items:
        if item.get_closest_marker('timeout') is None:
            # func_only: the limit is armed around the test itself, which ansible-test runs in a forked child.
            item.add_marker(pytest.mark.timeout(UNIT_TEST_TIMEOUT_SECONDS, func_only=True))
