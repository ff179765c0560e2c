# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The signer against Tencent's published example, the SDK-generated vectors, and the official SDK itself."""

import json
import os
import time
import types
import warnings
from unittest import mock

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import tc3_signer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Signed by the official SDK; tests/unit/fixtures/README.md says where the file comes from.
with open(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'fixtures', 'tc3_vectors.json')) as _vectors:
    VECTORS = json.load(_vectors)


def _sign(inputs, payload, extra_signed=None):
    signed = {'Content-Type': inputs['content_type'], 'Host': inputs['host']}
    signed.update(extra_signed or {})
    return tc3_signer.authorization(inputs['secret_id'], inputs['secret_key'], inputs['timestamp'], 'cvm', signed,
                                    payload.encode('utf-8'))


@pytest.mark.parametrize('vector', VECTORS['vectors'], ids=lambda v: v['name'])
@pytest.mark.parametrize('body', ['sdk_serialized_body', 'compact_body'])
def test_sdk_vectors_every_step(vector, body):
    inputs, expected = vector['inputs'], vector[body]
    signed = {'Content-Type': inputs['content_type'], 'Host': inputs['host']}
    payload = expected['payload'].encode('utf-8')

    canonical = tc3_signer.canonical_request(signed, payload)
    to_sign = tc3_signer.string_to_sign(inputs['timestamp'], 'cvm', canonical)

    assert tc3_signer.utc_date(inputs['timestamp']) == vector['utc_date']
    assert canonical == expected['canonical_request']
    assert to_sign == expected['string_to_sign']
    assert tc3_signer.signature(inputs['secret_key'], inputs['timestamp'], 'cvm', to_sign) == expected['signature']
    assert _sign(inputs, expected['payload']) == expected['authorization']


@pytest.mark.parametrize('example', VECTORS['published_doc_examples'], ids=lambda e: e['name'])
def test_published_examples(example):
    inputs = example['inputs']
    extra = {'X-TC-Action': inputs['action']} if 'x-tc-action' in example['canonical_request'] else {}
    assert _sign(inputs, inputs['payload'], extra) == example['authorization']


@pytest.fixture
def shanghai_local_time(monkeypatch):
    monkeypatch.setenv('TZ', 'Asia/Shanghai')
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_scope_uses_the_utc_date_even_when_local_time_is_a_day_ahead(shanghai_local_time):
    # 2023-12-31 23:59:59 UTC is already 2024-01-01 in Shanghai.
    assert time.strftime('%Y-%m-%d', time.localtime(1704067199)) == '2024-01-01'
    assert tc3_signer.credential_scope(1704067199, 'cvm') == '2023-12-31/cvm/tc3_request'


def _sdk_authorization(secret_id, secret_key, token, host, region, timestamp, params):
    from tencentcloud.common import abstract_client, credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client

    client = cvm_client.CvmClient(credential.Credential(secret_id, secret_key, token), region,
                                  ClientProfile(httpProfile=HttpProfile(endpoint=host)))
    request = RequestInternal(host, 'POST', '/')
    # The SDK reads the time from its own reference to the time module: that reference is replaced, never time itself.
    with mock.patch.object(abstract_client, 'time', types.SimpleNamespace(time=lambda: timestamp)), \
            warnings.catch_warnings():
        # The SDK still calls datetime.utcfromtimestamp(), deprecated since Python 3.12.
        warnings.simplefilter('ignore', DeprecationWarning)
        client._build_req_with_tc3_signature('DescribeInstancesStatus', params, request)
    return request.header['Authorization'], request.data.encode('utf-8')


_label = st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789', min_size=1, max_size=12)
_key = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=48)
_midnight = st.integers(min_value=1262304000 // 86400, max_value=4102444800 // 86400).map(lambda day: day * 86400)


# 300 new examples each run (about 2 s alone): make test runs the units beside six other parts on 2 cores, where
# 1,000 outgrew the 60 s every test is allowed. The examples differ from run to run, so coverage still adds up.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret_id=_key,
    secret_key=_key,
    token=st.one_of(st.none(), _key),
    host=st.lists(_label, min_size=2, max_size=4).map('.'.join),
    region=st.sampled_from(['ap-guangzhou', 'ap-shanghai', 'ap-singapore', 'eu-frankfurt', 'na-ashburn']),
    timestamp=st.one_of(st.builds(lambda day, delta: day + delta, _midnight, st.integers(-2, 2)),
                        st.integers(min_value=0, max_value=4102444800)),
    params=st.dictionaries(st.text(min_size=1, max_size=10),
                           st.one_of(st.text(), st.integers(), st.lists(st.text(), max_size=5)), max_size=4),
)
def test_agrees_with_the_official_sdk(secret_id, secret_key, token, host, region, timestamp, params):
    expected, payload = _sdk_authorization(secret_id, secret_key, token, host, region, timestamp, params)
    signed = {'Content-Type': 'application/json', 'Host': host}
    assert tc3_signer.authorization(secret_id, secret_key, timestamp, 'cvm', signed, payload) == expected


def test_signature_covers_the_exact_body_bytes():
    signed = {'Content-Type': 'application/json', 'Host': 'cvm.tencentcloudapi.com'}
    compact = json.dumps({'Limit': 10}, separators=(',', ':')).encode('utf-8')
    spaced = json.dumps({'Limit': 10}).encode('utf-8')
    assert (tc3_signer.authorization('id', 'key', 1551113065, 'cvm', signed, compact)
            != tc3_signer.authorization('id', 'key', 1551113065, 'cvm', signed, spaced))
