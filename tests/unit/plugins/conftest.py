# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each test of the plugins gets a home and a private directory of its own; a fake CVM service and a process to stand
for another reader are there for those that ask.

A test never reads the credentials, profiles or settings of the machine it runs on: a region in ~/.tccli would let a
test that forgets one pass here and fail elsewhere.

The user's private directory is where the processes of one user share reads and a request rate. Tests run in
parallel processes with the same made-up keys and different fake services: sharing through the real directory would
answer one test from another's fake.
"""

import os
import subprocess
import sys

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils import clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import profile_files
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host import private_directory
from ansible_collections.tencentcloud.cloud.plugins.module_utils._host.private_directory import PrivateDirectory
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeApiTransport


@pytest.fixture(autouse=True)
def nothing_of_the_machine(tmp_path_factory, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path_factory.mktemp('home')))
    for name in list(os.environ):
        if name.startswith(('TENCENTCLOUD_', 'TKE_')):
            monkeypatch.delenv(name)
    monkeypatch.setattr(profile_files, 'DEFAULT_CREDENTIALS_FILES', ('~/.tencentcloud/credentials',))


@pytest.fixture(autouse=True)
def private_directory_of_the_test(tmp_path_factory, monkeypatch):
    # Beside the test's own tmp_path, which some tests expect to hold only what they put there.
    directory = tmp_path_factory.mktemp('private-directory')
    directory.chmod(0o700)
    monkeypatch.setattr(private_directory, 'find', lambda environ, warnings=None: PrivateDirectory.open(str(directory)))


@pytest.fixture
def other_process():
    """The PID of a running process of the test's own: another reader, as far as shared reads can tell.

    Never a real process of the run (the test runner): code under test, or a mutant of it, may signal it.
    """
    process = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def fake_service(monkeypatch):
    """The one CVM service every client of the test talks to (``FakeApiTransport``, states in ``.service.states``);
    ``.built`` records what each transport was built with."""
    fake = FakeApiTransport({})
    fake.built = []

    def build(**settings):
        fake.built.append(settings)
        return fake
    monkeypatch.setattr(clients, 'HttpTransport', build)
    return fake
