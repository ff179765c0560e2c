# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM service as described once: the instance ID rule and the instance states."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import service


def test_duplicates_collapse_in_first_seen_order():
    assert service.normalize_instance_ids(['ins-bbbbbbbb', 'ins-aaaaaaaa', 'ins-bbbbbbbb']) == [
        'ins-bbbbbbbb', 'ins-aaaaaaaa']


@pytest.mark.parametrize('bad', ['ins-1122', 'INS-AAAAAAAA', 'ins-aaaaaaaaa', 'i-aaaaaaaa', '', ' ins-aaaaaaaa',
                                 'ins-aaaaaaaa\n', 7, None])
def test_malformed_ids_fail_naming_them(bad):
    with pytest.raises(OptionError) as caught:
        service.normalize_instance_ids(['ins-aaaaaaaa', bad])
    assert repr(bad) in str(caught.value) and 'instance_ids' in str(caught.value)


def test_a_long_malformed_id_is_not_repeated_whole():
    with pytest.raises(OptionError) as caught:
        service.normalize_instance_ids(['ins-' + 'x' * 100000])
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize('bad', [['ins-aaaaaaaa'], {'id': 'ins-aaaaaaaa'}])
def test_an_unhashable_id_is_named_not_a_traceback(bad):
    with pytest.raises(OptionError):
        service.normalize_instance_ids([bad])


@pytest.mark.parametrize('value, shown', [
    ('x' * 38, repr('x' * 38)), ('x' * 39, repr('x' * 39)[:40] + '...'), (7, '7')])
def test_a_malformed_id_is_shown_up_to_40_characters(value, shown):
    with pytest.raises(OptionError) as caught:
        service.normalize_instance_ids([value])
    assert str(caught.value) == ('instance_ids: malformed instance ID %s (expected ins- followed by 8 lower-case '
                                 'letters or digits)' % shown)


def test_more_than_ten_malformed_ids_are_cut_short():
    with pytest.raises(OptionError) as caught:
        service.normalize_instance_ids(['bad-%d' % n for n in range(12)])
    assert "'bad-9', ..." in str(caught.value) and "'bad-10'" not in str(caught.value)


@pytest.mark.parametrize('count, cut', [(10, False), (11, True)])
def test_at_most_ten_malformed_ids_are_named(count, cut):
    bad = ['bad-%02d' % n for n in range(count)]
    with pytest.raises(OptionError) as caught:
        service.normalize_instance_ids(bad)
    assert ("'bad-09'" in str(caught.value), "'bad-10'" in str(caught.value), '...' in str(caught.value)) == (
        True, False, cut)


def test_state_names_are_normalized():
    assert service.normalize_states('wait_for', ['running', ' Stopped ', 'RUNNING']) == ['RUNNING', 'STOPPED']


def test_unknown_state_names_the_option():
    with pytest.raises(OptionError, match='wait_for: unknown instance state RUNING'):
        service.normalize_states('wait_for', ['RUNING'])


def test_the_default_fail_states_are_those_that_never_reach_running_or_stopped():
    # A literal on purpose: the tests above pass the constant through, so dropping a state from it would go unseen.
    assert service.DEFAULT_FAIL_STATES == ('LAUNCH_FAILED', 'SHUTDOWN', 'TERMINATING')


def test_unknown_states_are_named_with_every_known_state():
    with pytest.raises(OptionError) as caught:
        service.normalize_states('fail_states', ['RUNING', 'HALTED'])
    assert str(caught.value) == (
        'fail_states: unknown instance state RUNING, HALTED; known states: PENDING, LAUNCH_FAILED, RUNNING, STOPPED, '
        'STARTING, STOPPING, REBOOTING, SHUTDOWN, TERMINATING, ENTER_RESCUE_MODE, RESCUE_MODE, EXIT_RESCUE_MODE, '
        'ENTER_SERVICE_LIVE_MIGRATE, SERVICE_LIVE_MIGRATE, EXIT_SERVICE_LIVE_MIGRATE')


def test_every_action_the_collection_calls_has_its_documented_rate():
    # Fail at the door: an action without a rate would fail at call time, where a user meets it.
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.sts import STS
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import (
        describe_instances, describe_instances_status, describe_regions, power_plan, run_instances, termination,
    )
    called = {describe_instances.ACTION, describe_instances_status.ACTION, describe_regions.ACTION,
              run_instances.RUN, termination.TERMINATE} | set(power_plan.ACTIONS)
    assert called <= set(service.CVM.rates) and service.CVM.actions <= called
    assert {'AssumeRole', 'AssumeRoleWithWebIdentity'} <= set(STS.rates)


def test_a_service_with_an_action_without_a_rate_is_refused_when_described():
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.service import Service
    with pytest.raises(ValueError, match='actions without a documented rate: ResizeInstanceDisks'):
        Service('cvm', '2017-03-12', 'cvm.tencentcloudapi.com', {'DescribeInstances': 40},
                actions=frozenset(['ResizeInstanceDisks']))
    with pytest.raises(ValueError) as caught:
        service.CVM.rate_of('ResizeInstanceDisks')
    assert str(caught.value) == ("service cvm has no rate for ResizeInstanceDisks: add its documented rate to the "
                                 "service's rates")
