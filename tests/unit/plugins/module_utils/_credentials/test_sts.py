# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What STS is asked for, and what is taken from its answers (the calls themselves are test_chain's)."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials import sts

GOOD = {'Credentials': {'TmpSecretId': 'AKIDtmp', 'TmpSecretKey': 'tmp-key', 'Token': 'tmp-token'},
        'ExpiredTime': 4102444800}


def test_a_session_without_a_name_is_named_for_the_collection_and_the_time():
    assert sts.session_name('assume_role_session_name', None, clock=Clock(wall=lambda: 1700000000.5)) == \
        'ansible-tencentcloud-1700000000'


@pytest.mark.parametrize('duration, accepted', [(1, True), (43200, True), (0, False), (43201, False), (True, False),
                                                ('60', False)])
def test_a_duration_is_a_whole_number_of_seconds_up_to_twelve_hours(duration, accepted):
    if accepted:
        assert sts.check_duration('assume_role_duration', duration) == duration
    else:
        with pytest.raises(OptionError):
            sts.check_duration('assume_role_duration', duration)


@pytest.mark.parametrize('policy', ['{"version": "2.0", "statement": [{"resource": ["qcs::cvm:::instance/*"]}]}',
                                    {'version': '2.0', 'statement': [{'resource': ['qcs::cvm:::instance/*']}]}])
def test_a_policy_is_sent_as_compact_json_url_encoded_whole(policy):
    assert sts.encoded_policy(policy) == ('%7B%22version%22%3A%222.0%22%2C%22statement%22%3A%5B%7B%22resource%22%3A'
                                          '%5B%22qcs%3A%3Acvm%3A%3A%3Ainstance%2F%2A%22%5D%7D%5D%7D')


@pytest.mark.parametrize('response', [
    dict(GOOD, Credentials='not an object'),
    dict(GOOD, Credentials=dict(GOOD['Credentials'], Token='tmp token')),
    dict(GOOD, Credentials=dict(GOOD['Credentials'], Token='tmp-token\x7f')),
    dict(GOOD, ExpiredTime=None),
    # What a hostile endpoint answers to overflow a float, or an expiry before 1970.
    dict(GOOD, ExpiredTime=10 ** 400),
    dict(GOOD, ExpiredTime=-1),
    # The edges: the epoch itself, and the first second of the year 2242.
    dict(GOOD, ExpiredTime=0),
    dict(GOOD, ExpiredTime=2 ** 33),
])
def test_an_answer_lacking_usable_credentials_is_refused_without_quoting_it(response):
    with pytest.raises(errors.TencentCloudError) as caught:
        sts.temporary(response, 'assume-role:x')
    assert (caught.value.code, caught.value.message) == (
        errors.INVALID_RESPONSE,
        'the answer for assume-role:x lacks TmpSecretId, TmpSecretKey, Token or an ExpiredTime that is a Unix time')


def test_the_credentials_of_an_answer_and_their_expiry():
    found, expiry = sts.temporary(GOOD, 'assume-role:x')
    assert (found.secret_id, found.secret_key, found.token, found.source, expiry) == (
        'AKIDtmp', 'tmp-key', 'tmp-token', 'assume-role:x', 4102444800)


@pytest.mark.parametrize('expiry', [1, 2 ** 33 - 1])
def test_an_expiry_just_inside_the_edges_is_taken(expiry):
    assert sts.temporary(dict(GOOD, ExpiredTime=expiry), 'assume-role:x')[1] == expiry
