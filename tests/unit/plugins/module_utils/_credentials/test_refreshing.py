# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When temporary credentials are fetched again, on a fake clock."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.refreshing import RefreshingCredentials
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock


def fetcher(clock, lifetime):
    fetched = []

    def fetch():
        fetched.append(clock())
        return Credentials('AKIDtmp%d' % len(fetched), 'key', 'token', 'cvm-role:r'), clock() + lifetime
    return fetch, fetched


def test_nothing_is_fetched_until_needed_and_then_only_once_while_fresh():
    clock = FakeClock(1000000.0)
    fetch, fetched = fetcher(clock, 3600)
    held = RefreshingCredentials(fetch, 'cvm-role:r', clock)
    assert fetched == []
    assert held.current().secret_id == 'AKIDtmp1'
    clock.now += 3600 - 300 - 1
    assert held.current().secret_id == 'AKIDtmp1' and len(fetched) == 1


def test_refreshed_five_minutes_before_expiry():
    clock = FakeClock(1000000.0)
    fetch, fetched = fetcher(clock, 3600)
    held = RefreshingCredentials(fetch, 'cvm-role:r', clock)
    held.current()
    clock.now += 3600 - 300
    assert held.current().secret_id == 'AKIDtmp2'


def test_short_lived_credentials_are_refreshed_at_half_their_life():
    # A 15-minute role would otherwise be fetched again at 10 minutes; a 60-second one at every request.
    clock = FakeClock(1000000.0)
    fetch, fetched = fetcher(clock, 60)
    held = RefreshingCredentials(fetch, 'cvm-role:r', clock)
    held.current()
    clock.now += 29.9
    assert held.current().secret_id == 'AKIDtmp1'
    clock.now += 0.1
    assert held.current().secret_id == 'AKIDtmp2'


def test_a_wait_longer_than_the_credentials_live_never_signs_with_expired_ones():
    clock = FakeClock(1000000.0)
    fetch, fetched = fetcher(clock, 900)
    held = RefreshingCredentials(fetch, 'cvm-role:r', clock)
    expiries = []
    for _poll in range(3600 // 5):
        held.current()
        expiries.append(fetched[-1] + 900)
        assert clock() < expiries[-1]  # the credentials in hand are valid now
        clock.now += 5
    assert len(fetched) == 6  # one hour on 15-minute credentials renewed every 10 minutes (the 5-minute margin)


def test_a_failed_refresh_names_the_source_and_keeps_the_code():
    def fetch():
        raise errors.TencentCloudError('AuthFailure.TokenFailure', 'the token has expired', 'req-1')
    with pytest.raises(errors.TencentCloudError) as caught:
        RefreshingCredentials(fetch, 'oidc:qcs::cam::uin/1:roleName/x').current()
    assert caught.value.code == 'AuthFailure.TokenFailure' and caught.value.request_id == 'req-1'
    assert caught.value.message == 'cannot get credentials from oidc:qcs::cam::uin/1:roleName/x: the token has expired'


def test_credentials_that_arrive_expired_are_refused():
    clock = FakeClock(1000000.0)
    held = RefreshingCredentials(lambda: (Credentials('A', 'k', 't', 's'), clock() - 10), 'cvm-role:r', clock)
    with pytest.raises(errors.TencentCloudError) as caught:
        held.current()
    assert (caught.value.code, caught.value.message) == (
        errors.INVALID_RESPONSE, 'the credentials from cvm-role:r expired before they arrived (expiry 999990, now '
        '1000000): is the local clock right?')


def test_the_identity_is_the_source_not_the_changing_temporary_id():
    assert RefreshingCredentials(None, 'assume-role:x via environment').identity == 'assume-role:x via environment'


def test_a_failed_refresh_keeps_the_http_status():
    def fetch():
        raise errors.TencentCloudError(errors.CONNECTION_FAILURE, 'HTTP 503', None, 503)
    with pytest.raises(errors.TencentCloudError) as caught:
        RefreshingCredentials(fetch, 'cvm-role:r').current()
    assert caught.value.http_status == 503


@pytest.mark.parametrize('lifetime, usable', [(0, False), (1, True)])
def test_credentials_are_usable_while_any_of_their_life_is_left(lifetime, usable):
    clock = FakeClock(1000000.0)
    held = RefreshingCredentials(lambda: (Credentials('A', 'k', 't', 's'), clock() + lifetime), 'cvm-role:r', clock)
    if usable:
        assert held.current().secret_id == 'A'
    else:
        with pytest.raises(errors.TencentCloudError):
            held.current()


def test_credentials_the_service_refused_are_fetched_again_at_the_next_request():
    clock = FakeClock(1000000.0)
    fetch, fetched = fetcher(clock, 3600)
    held = RefreshingCredentials(fetch, 'cvm-role:r', clock)
    held.current()
    held.discard()
    assert held.current().secret_id == 'AKIDtmp2' and len(fetched) == 2
