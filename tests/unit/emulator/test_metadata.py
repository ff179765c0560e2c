# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's metadata service: the instance role's name and credentials the CVM API then accepts."""

import time

import pytest
import requests
from ansible_collections.tencentcloud.cloud.tests.unit.emulator.test_emulator import SCENARIO, call, error_code, start

ROLES = '/latest/meta-data/cam/security-credentials/'


@pytest.fixture
def emulator(tmp_path):
    process, url = start(tmp_path, scenario=dict(SCENARIO, instance_role={'name': 'CVM_QcsRole', 'lifetime': 60}))
    yield url
    process.terminate()
    process.wait()


def test_the_role_and_its_credentials(emulator):
    assert requests.get(emulator + ROLES, timeout=5).text == 'CVM_QcsRole'
    answer = requests.get(emulator + ROLES + 'CVM_QcsRole', timeout=5).json()
    assert answer['Code'] == 'Success' and 55 <= answer['ExpiredTime'] - time.time() <= 60
    described = call(emulator, {'InstanceIds': ['ins-aaaaaaaa']}, secret_id=answer['TmpSecretId'],
                     secret_key=answer['TmpSecretKey'], token=answer['Token'])
    assert described['TotalCount'] == 1
    forged = call(emulator, {}, secret_id=answer['TmpSecretId'], secret_key=answer['TmpSecretKey'], token='forged')
    assert error_code(forged) == 'AuthFailure.TokenFailure'
    stats = requests.get(emulator + '/_emulator/stats', timeout=5).json()
    assert stats['metadata_requests'] == 2


def test_another_role_is_not_found(emulator):
    assert requests.get(emulator + ROLES + 'OtherRole', timeout=5).status_code == 404


def test_without_an_instance_role_there_is_nothing(tmp_path):
    process, url = start(tmp_path)
    try:
        assert requests.get(url + ROLES, timeout=5).status_code == 404
    finally:
        process.terminate()
        process.wait()


def test_a_scenario_can_make_it_answer_an_expiry_that_is_no_time(tmp_path):
    process, url = start(tmp_path, scenario=dict(SCENARIO, instance_role={'name': 'CVM_QcsRole',
                                                                          'expired_time': 10 ** 400}))
    try:
        assert requests.get(url + ROLES + 'CVM_QcsRole', timeout=5).json()['ExpiredTime'] == 10 ** 400
    finally:
        process.terminate()
        process.wait()
