# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each test of the plugins gets a private directory of its own.

The user's private directory is where the processes of one user share reads and a request rate. Tests run in
parallel processes with the same made-up keys and different fake services: sharing through the real directory would
answer one test from another's fake.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.tencentcloud.cloud.plugins.module_utils import connection


@pytest.fixture(autouse=True)
def private_directory_of_the_test(tmp_path_factory, monkeypatch):
    # Beside the test's own tmp_path, which some tests expect to hold only what they put there.
    directory = tmp_path_factory.mktemp('private-directory')
    directory.chmod(0o700)
    monkeypatch.setattr(connection, 'private_directory', lambda environ: str(directory))
