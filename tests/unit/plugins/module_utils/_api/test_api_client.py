# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import json

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import api_client, errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import Clock, Deadline
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import Credentials
from ansible_collections.tencentcloud.cloud.tests.unit.fakes import (
    FakeAnswer, FakeClock, NoLimit, ScriptedTransport, api_error, ok,
)

SECRET_KEY = 'sEcReTkEy-never-to-be-seen'
TOKEN = 'tOkEn-never-to-be-seen'


def new_client(credentials, transport, region='ap-guangzhou', endpoint='cvm.tencentcloudapi.com', service='cvm',
               version='2017-03-12', limiter=None, language='en-US', request_timeout=10.0, max_retries=5, **kwargs):
    """An ``ApiClient`` with the options' defaults, unless a test says otherwise; ``limiter`` for every action."""
    limiter = limiter or NoLimit()
    return api_client.ApiClient(credentials, region, endpoint, service, version, lambda action: limiter, transport,
                                language=language, request_timeout=request_timeout, max_retries=max_retries, **kwargs)


def make_client(transport, max_retries=3, token=None, clock=None, rng=None, **kwargs):
    clock = clock or FakeClock(1700000000.0)
    credentials = Credentials('AKIDexample', SECRET_KEY, token, 'options')
    return new_client(credentials, transport, max_retries=max_retries, clock=clock,
                      rng=rng or (lambda: 1.0), **kwargs), clock


def transport_fault(code, message='fault'):
    return errors.TencentCloudError(code, message)


RETRYABLE = [
    api_error('RequestLimitExceeded'),
    api_error('RequestLimitExceeded.UinLimitExceeded'),
    api_error('RequestLimitExceeded.GlobalRegionUinLimitExceeded'),
    api_error('RequestLimitExceeded.IPLimitExceeded'),
    api_error('InternalError'),
    api_error('InternalServerError'),
    api_error('ServiceUnavailable'),
    api_error('ResourceUnavailable'),
    FakeAnswer(502, text='<html><body><h1>502 Bad Gateway</h1></body></html>'),
    FakeAnswer(503, text='<html>Service Unavailable</html>'),
    FakeAnswer(429, text='slow down'),
    FakeAnswer(200, text='{"Response": {"TotalCount": 1, "InstanceSta'),
    FakeAnswer(200, text='{"NotResponse": {}}'),
    transport_fault(errors.CONNECTION_FAILURE, 'connection reset by peer'),
    transport_fault(errors.REQUEST_TIMEOUT, 'no complete answer'),
    transport_fault(errors.INVALID_RESPONSE, 'larger than 10 MiB'),
]


@pytest.mark.parametrize('fault', RETRYABLE, ids=lambda f: repr(getattr(f, 'body', f)))
def test_retries_a_transient_fault_then_succeeds(fault):
    client, clock = make_client(ScriptedTransport(fault, fault, ok(TotalCount=0)))
    assert client.call('DescribeInstancesStatus', {})['TotalCount'] == 0
    # Full jitter with rng() == 1.0 gives the whole capped exponential window: 0.5 s, then 1 s.
    assert clock.sleeps == [0.5, 1.0]


# Every answer carries a Date header, as the service's do: only SignatureExpire may re-clock and retry.
@pytest.mark.parametrize('code', ['AuthFailure.SignatureFailure', 'AuthFailure.SecretIdNotFound',
                                  'AuthFailure.TokenFailure', 'InvalidParameterValue.LimitExceeded',
                                  'InvalidInstanceId.Malformed', 'UnauthorizedOperation', 'UnsupportedRegion',
                                  'InvalidAction', 'MissingParameter'])
def test_never_retries_a_fatal_error(code):
    session = ScriptedTransport(api_error(code, 'bad', 'req-fatal'))
    client, clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert (caught.value.code, caught.value.message, caught.value.request_id) == (code, 'bad', 'req-fatal')
    assert len(session.sent) == 1 and clock.sleeps == []


def test_gives_up_after_max_retries_with_the_last_error():
    session = ScriptedTransport(*[api_error('InternalError', request_id='req-%d' % n) for n in range(4)])
    client, clock = make_client(session, max_retries=3)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.request_id == 'req-3'
    assert caught.value.message == 'boom (after 4 attempts)' and caught.value.attempts == 4
    assert len(session.sent) == 4
    assert client.request_ids == ['req-0', 'req-1', 'req-2', 'req-3']


def test_backoff_is_capped():
    session = ScriptedTransport(*([api_error('InternalError')] * 7 + [ok()]))
    client, clock = make_client(session, max_retries=7)
    client.call('DescribeInstancesStatus', {})
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_html_error_page_becomes_a_readable_error():
    client, _clock = make_client(ScriptedTransport(FakeAnswer(403, text='<html><h1>403 Forbidden</h1></html>')))
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == errors.HTTP_ERROR
    assert caught.value.request_id is None
    assert '403 Forbidden' in caught.value.message and '<h1>' not in caught.value.message


def test_garbled_json_is_invalid_response_once_retries_are_spent():
    client, _clock = make_client(ScriptedTransport(FakeAnswer(200, text='\x00\x01garbage')), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == errors.INVALID_RESPONSE


def test_tls_failure_is_not_retried():
    session = ScriptedTransport(transport_fault(errors.TLS_FAILURE, 'certificate verify failed'))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == errors.TLS_FAILURE and len(session.sent) == 1


def test_every_attempt_is_signed_afresh_with_its_own_timestamp():
    session = ScriptedTransport(api_error('InternalError'), ok())
    # The 0.5 s backoff crosses a second boundary, so the retry must carry the new second.
    client, _clock = make_client(session, clock=FakeClock(1700000000.7))
    client.call('DescribeInstancesStatus', {'Limit': 100})
    first, second = (sent['headers'] for sent in session.sent)
    assert first['X-TC-Timestamp'] != second['X-TC-Timestamp']
    assert first['Authorization'] != second['Authorization']


def test_sends_the_documented_headers_and_compact_body():
    session = ScriptedTransport(ok())
    client, _clock = make_client(session, token=TOKEN, language='zh-CN')
    client.call('DescribeInstancesStatus', {'InstanceIds': ['ins-r8hr2upy'], 'Limit': 100})
    sent = session.sent[0]
    assert sent['url'] == 'https://cvm.tencentcloudapi.com/'
    assert sent['data'] == b'{"InstanceIds":["ins-r8hr2upy"],"Limit":100}'
    headers = sent['headers']
    assert headers['Content-Type'] == 'application/json'
    assert headers['Host'] == 'cvm.tencentcloudapi.com'
    assert headers['X-TC-Action'] == 'DescribeInstancesStatus'
    assert headers['X-TC-Version'] == '2017-03-12'
    assert headers['X-TC-Region'] == 'ap-guangzhou'
    assert headers['X-TC-Language'] == 'zh-CN'
    assert headers['X-TC-Token'] == TOKEN
    assert headers['Authorization'].startswith('TC3-HMAC-SHA256 Credential=AKIDexample/2023-11-14/cvm/tc3_request, '
                                               'SignedHeaders=content-type;host, Signature=')


@pytest.mark.parametrize('failure', [
    api_error('AuthFailure.SignatureFailure'),
    FakeAnswer(500, text='<html>oops</html>'),
    FakeAnswer(200, text='not json'),
    transport_fault(errors.CONNECTION_FAILURE, 'refused'),
    transport_fault(errors.REQUEST_TIMEOUT, 'slow'),
    api_error('InvalidParameter', 'you sent %s with %s' % (SECRET_KEY, TOKEN)),
    FakeAnswer(502, text='<html>echo: %s %s</html>' % (SECRET_KEY, TOKEN)),
])
def test_no_secret_in_any_error(failure):
    client, _clock = make_client(ScriptedTransport(failure), max_retries=0, token=TOKEN)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    text = ' '.join([str(caught.value), repr(caught.value), json.dumps(caught.value.as_dict())])
    assert SECRET_KEY not in text and TOKEN not in text and 'Signature=' not in text


@pytest.mark.parametrize('endpoint, url, host', [
    ('cvm.tencentcloudapi.com', 'https://cvm.tencentcloudapi.com/', 'cvm.tencentcloudapi.com'),
    ('cvm.ap-shanghai.tencentcloudapi.com', 'https://cvm.ap-shanghai.tencentcloudapi.com/', 'cvm.ap-shanghai.tencentcloudapi.com'),
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080/', '127.0.0.1:8080'),
    ('https://cvm.intl.tencentcloudapi.com/', 'https://cvm.intl.tencentcloudapi.com/', 'cvm.intl.tencentcloudapi.com'),
    ('http://[::1]:9000', 'http://[::1]:9000/', '[::1]:9000'),
    ('https://[::1]', 'https://[::1]/', '[::1]'),
])
def test_endpoint_forms(endpoint, url, host):
    assert api_client.parse_endpoint(endpoint) == (url, host)


@pytest.mark.parametrize('endpoint', ['ftp://host', 'https://host/path', 'https://host?x=1', 'https://user@host',
                                      'cvm.tencentcloudapi.com\r\nX-Injected: 1', 'bad host', '', 'https://host:99999',
                                      'ho\u00e9st.example', 'cvm.tencentcloudapi.com\n'])
def test_bad_endpoints_are_refused(endpoint):
    with pytest.raises(errors.OptionError) as caught:
        api_client.parse_endpoint(endpoint)
    assert 'endpoint' in str(caught.value)


def test_signature_expire_takes_the_service_clock_and_retries_once():
    # The service is 10 minutes ahead: its Date header says so.
    expired = api_error('AuthFailure.SignatureExpire', headers={'Date': 'Tue, 14 Nov 2023 22:23:20 GMT'})
    session = ScriptedTransport(expired, ok())
    client, clock = make_client(session, clock=FakeClock(1700000000.0))
    client.call('DescribeInstancesStatus', {})
    assert [sent['headers']['X-TC-Timestamp'] for sent in session.sent] == ['1700000000', '1700000600']
    assert clock.sleeps == []
    assert client.warnings == ['the local clock is 600 seconds behind the clock of cvm.tencentcloudapi.com: '
                               'signing with the service\'s time for this run']


def test_signature_expire_is_retried_only_once():
    expired = api_error('AuthFailure.SignatureExpire', headers={'Date': 'Tue, 14 Nov 2023 22:23:20 GMT'})
    session = ScriptedTransport(expired, expired)
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == 'AuthFailure.SignatureExpire' and len(session.sent) == 2


def test_signature_expire_without_a_date_is_fatal():
    session = ScriptedTransport(api_error('AuthFailure.SignatureExpire', headers={'Date': None}))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError):
        client.call('DescribeInstancesStatus', {})
    assert len(session.sent) == 1 and client.warnings == []


@pytest.mark.parametrize('endpoint, warned', [
    ('http://cvm.example.com', True), ('http://127.0.0.1:8080', False), ('http://[::1]:8080', False),
    ('http://localhost:8080', False), ('https://cvm.example.com', False)])
def test_plain_http_to_a_remote_host_is_warned_about(endpoint, warned):
    client, _clock = make_client(ScriptedTransport(), endpoint=endpoint)
    assert bool(client.warnings) is warned


def test_request_timeout_reaches_the_transport():
    session = ScriptedTransport(ok())
    client, _clock = make_client(session, request_timeout=3.5)
    client.call('DescribeInstancesStatus', {})
    assert session.sent[0]['timeout'] == 3.5


def test_backoff_is_jittered_over_the_whole_window():
    draws = iter([0.25, 0.75])
    session = ScriptedTransport(api_error('InternalError'), api_error('InternalError'), ok())
    client, clock = make_client(session, rng=lambda: next(draws))
    client.call('DescribeInstancesStatus', {})
    assert clock.sleeps == [0.125, 0.75]


def deadline_in(clock, seconds, name='the wait\'s deadline'):
    return Deadline(clock() + seconds, name)


def test_no_retry_starts_past_the_deadline():
    session = ScriptedTransport(*[api_error('InternalError', request_id='req-%d' % n) for n in range(6)])
    client, clock = make_client(session, max_retries=5)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {}, deadline_in(clock, 1.2))
    # Attempts at 0 and 0.5 s; the next would start at 1.5 s, past the deadline.
    assert len(session.sent) == 2 and clock.sleeps == [0.5]
    assert caught.value.code == errors.REQUEST_TIMEOUT
    assert caught.value.message.startswith("the wait's deadline ran out before the next retry")
    assert 'InternalError' in caught.value.message and caught.value.request_id == 'req-1'


def test_an_attempt_never_outlives_the_deadline():
    session = ScriptedTransport(ok())
    client, clock = make_client(session, request_timeout=10.0)
    client.call('DescribeInstancesStatus', {}, deadline_in(clock, 2.5))
    assert session.sent[0]['timeout'] == 2.5


def test_a_timeout_cut_short_by_the_deadline_names_the_deadline():
    session = ScriptedTransport(transport_fault(errors.REQUEST_TIMEOUT, 'no complete answer within 2.5s'))
    client, clock = make_client(session, request_timeout=10.0, max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {}, deadline_in(clock, 2.5))
    assert caught.value.message == "the wait's deadline ran out while waiting for an answer from cvm.tencentcloudapi.com"


def test_a_request_timeout_says_so():
    session = ScriptedTransport(transport_fault(errors.REQUEST_TIMEOUT, 'no complete answer from h within 10s'))
    client, _clock = make_client(session, max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'no complete answer from h within 10s (request_timeout)'


def test_nothing_is_sent_once_the_deadline_has_passed():
    session = ScriptedTransport()
    client, clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {}, deadline_in(clock, -1))
    assert caught.value.code == errors.REQUEST_TIMEOUT and session.sent == []


def test_the_limiter_is_never_asked_to_wait_past_the_deadline():
    limiter = NoLimit()
    client, clock = make_client(ScriptedTransport(ok()), limiter=limiter)
    client.call('DescribeInstancesStatus', {}, deadline_in(clock, 4.0))
    assert limiter.max_waits == [4.0]


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_a_redirect_fails_at_once_naming_status_and_host(status):
    session = ScriptedTransport(FakeAnswer(status, text='', headers={'Location': 'https://user:pw@evil.example:8443/x'}))
    client, clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == errors.UNEXPECTED_REDIRECT and not caught.value.retryable
    assert caught.value.message == 'HTTP %d from cvm.tencentcloudapi.com redirects to evil.example:8443: not followed' % status
    assert len(session.sent) == 1 and clock.sleeps == []


def test_a_redirect_never_shows_any_user_part_of_its_location():
    session = ScriptedTransport(FakeAnswer(302, text='', headers={'Location': 'https://a@b:pw@evil.example/'}))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'HTTP 302 from cvm.tencentcloudapi.com redirects to evil.example: not followed'


def test_an_http_error_without_a_body_says_so():
    client, _clock = make_client(ScriptedTransport(FakeAnswer(404, text='')), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'HTTP 404 from cvm.tencentcloudapi.com: empty body'


@pytest.mark.parametrize('status, code', [(300, errors.UNEXPECTED_REDIRECT), (399, errors.UNEXPECTED_REDIRECT),
                                          (400, errors.HTTP_ERROR), (299, errors.HTTP_ERROR)])
def test_only_the_3xx_statuses_are_redirects(status, code):
    client, _clock = make_client(ScriptedTransport(FakeAnswer(status, text='')), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == code


def test_an_error_code_that_is_not_a_string_is_shown_as_the_service_sent_it():
    answer = FakeAnswer(400, body={'Response': {'Error': {'Code': 4000, 'Message': None}, 'RequestId': 'r'}})
    client, _clock = make_client(ScriptedTransport(answer))
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert (caught.value.code, caught.value.message) == ('4000', '')


def test_a_signature_quoted_by_the_service_is_masked_but_still_named():
    session = ScriptedTransport(api_error('AuthFailure.SignatureFailure', 'got Signature=0123abcdef, want another'))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'got Signature=********, want another'


def test_a_deadline_that_ends_exactly_now_sends_nothing():
    session = ScriptedTransport(ok())
    limiter = NoLimit()
    client, clock = make_client(session, limiter=limiter)
    with pytest.raises(errors.DeadlineExceeded) as caught:
        client.call('DescribeInstancesStatus', {}, deadline_in(clock, 0))
    assert caught.value.message == "the wait's deadline ran out before the call could be sent"
    assert session.sent == [] and limiter.max_waits == [0.0]
    # Known never to have been carried out: an action refused so is not one whose outcome is unknown.
    assert caught.value.delivered is False and caught.value.refused_before_acting


def test_a_retry_that_would_start_exactly_at_the_deadline_is_not_made():
    # rng 1.0: the first retry waits BASE_DELAY, which is all the time left.
    session = ScriptedTransport(api_error('InternalError'), ok())
    client, clock = make_client(session)
    with pytest.raises(errors.DeadlineExceeded):
        client.call('DescribeInstancesStatus', {}, deadline_in(clock, 0.5))
    assert len(session.sent) == 1 and clock.sleeps == []


def test_a_local_clock_ahead_of_the_service_is_said_to_be_ahead():
    expired = api_error('AuthFailure.SignatureExpire', headers={'Date': 'Tue, 14 Nov 2023 22:13:20 GMT'})
    client, _clock = make_client(ScriptedTransport(expired, ok()), clock=FakeClock(1700000000.0 + 600))
    client.call('DescribeInstancesStatus', {})
    assert client.warnings == ['the local clock is 600 seconds ahead of the clock of cvm.tencentcloudapi.com: '
                               'signing with the service\'s time for this run']


def test_server_text_is_stripped_of_control_characters_and_cut():
    message = '\x1b[32mall instances RUNNING\x1b[0m\r\n' + 'x' * 5000000
    session = ScriptedTransport(api_error('InvalidParameter\x1b[31m', message, 'req\x07-1'))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    text = str(caught.value)
    assert '\x1b' not in text and '\r' not in text and '\x07' not in text
    assert len(caught.value.message) <= 303 and caught.value.message.startswith('[32mall instances RUNNING [0m x')


def test_an_html_page_is_summarized_without_its_markup_or_escapes():
    session = ScriptedTransport(FakeAnswer(403, text='<html><h1>403\x1b[2J Forbidden</h1>' + 'y' * 100000 + '</html>'))
    client, _clock = make_client(session)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert '\x1b' not in caught.value.message and len(caught.value.message) < 400


def test_an_error_without_a_code_is_an_unknown_error_with_what_is_known():
    answer = FakeAnswer(body={'Response': {'Error': {}, 'RequestId': 'req-x'}})
    client, _clock = make_client(ScriptedTransport(answer), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert (caught.value.code, caught.value.message, caught.value.request_id) == ('UnknownError', '', 'req-x')
    assert caught.value.http_status == 200 and caught.value.server_time == 1700000000.0


@pytest.mark.parametrize('body, message', [
    ('', 'unreadable answer from cvm.tencentcloudapi.com: empty body'),
    ('[1, 2]', 'unreadable answer from cvm.tencentcloudapi.com: [1, 2]'),
    ('{"Response": "ok"}', 'unreadable answer from cvm.tencentcloudapi.com: {"Response": "ok"}'),
    ('\xff\xfe', 'unreadable answer from cvm.tencentcloudapi.com: \xff\xfe'),
])
def test_a_200_answer_without_a_response_object_is_invalid(body, message):
    client, _clock = make_client(ScriptedTransport(FakeAnswer(200, text=body)), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert (caught.value.code, caught.value.message, caught.value.request_id) == (errors.INVALID_RESPONSE, message, None)


def test_a_non_200_answer_with_a_response_but_no_error_is_an_http_error():
    answer = FakeAnswer(500, body={'Response': {'RequestId': 'req-500'}})
    client, _clock = make_client(ScriptedTransport(answer), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.code == errors.HTTP_ERROR and caught.value.http_status == 500
    assert caught.value.message.startswith('HTTP 500 from cvm.tencentcloudapi.com: {')
    assert client.request_ids == ['req-500']


def test_a_successful_answer_carries_its_request_id_as_it_may_be_shown():
    client, _clock = make_client(ScriptedTransport(ok(request_id='req\x1b[2J-1')))
    response = client.call('StartInstances', {'InstanceIds': ['ins-aaaaaaaa']})
    assert '\x1b' not in response['RequestId'] and response['RequestId'] == client.request_ids[0]


def test_only_answers_with_a_request_id_are_counted():
    session = ScriptedTransport(FakeAnswer(502, text='<html>bad gateway</html>'), ok(request_id='req-2'))
    client, _clock = make_client(session)
    client.call('DescribeInstancesStatus', {})
    assert client.request_ids == ['req-2']


def test_a_redirect_without_a_location_says_nowhere():
    client, _clock = make_client(ScriptedTransport(FakeAnswer(302, text='')))
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'HTTP 302 from cvm.tencentcloudapi.com redirects to nowhere: not followed'
    assert caught.value.http_status == 302


@pytest.mark.parametrize('endpoint, message', [
    ('', "endpoint '' is empty or holds spaces or control characters"),
    ('bad host', "endpoint 'bad host' is empty or holds spaces or control characters"),
    ('https://user:hunter2@cvm.example.com', "endpoint 'cvm.example.com': a user part (user@) is not accepted: "
                                             "credentials go in secret_id and secret_key, never in the URL"),
    ('https://host:99999', "endpoint 'https://host:99999': the port is not a number from 1 to 65535"),
    ('https://host:http', "endpoint 'https://host:http': the port is not a number from 1 to 65535"),
    ('http://127.0.0.1:0', "endpoint 'http://127.0.0.1:0': port 0 cannot be connected to"),
    ('ftp://host', "endpoint 'ftp://host': only http and https are supported"),
    ('https://-bad-.example', "endpoint 'https://-bad-.example' does not name a valid host"),
    ('https://host/v3', "endpoint 'https://host/v3' must be a host or scheme://host[:port] without path or query"),
    ('https://host/?a=1', "endpoint 'https://host/?a=1' must be a host or scheme://host[:port] without path or query"),
    ('https://host#frag', "endpoint 'https://host#frag' must be a host or scheme://host[:port] without path or query"),
    ('https://a@b:hunter2@cvm.example.com', "endpoint 'cvm.example.com': a user part (user@) is not accepted: "
                                            "credentials go in secret_id and secret_key, never in the URL"),
    (None, "endpoint None is empty or holds spaces or control characters"),
    ('https://bad_host:443', "endpoint 'https://bad_host:443' does not name a valid host"),
    ('https://:443', "endpoint 'https://:443' does not name a valid host"),
])
def test_each_bad_endpoint_says_why(endpoint, message):
    with pytest.raises(errors.OptionError) as caught:
        api_client.parse_endpoint(endpoint)
    assert str(caught.value) == message


def test_the_host_header_is_the_endpoint_in_lower_case_with_its_port():
    assert api_client.parse_endpoint('HTTPS://CVM.Example.COM:8443') == ('https://CVM.Example.COM:8443/',
                                                                         'cvm.example.com:8443')


def test_a_page_that_is_not_utf8_is_still_summarized():
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.http_transport import Answer
    client, _clock = make_client(ScriptedTransport(Answer(403, {}, b'<h1>\xff\xfe denied</h1>')), max_retries=0)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'HTTP 403 from cvm.tencentcloudapi.com: \ufffd\ufffd denied'


class Rotating:
    """Temporary credentials that change at every ``current()``, as a refresh would."""

    source = identity = 'cvm-role:r'

    def __init__(self):
        self.handed_out = []

    def current(self):
        self.handed_out.append(Credentials('AKIDtmp%d' % len(self.handed_out), 'tmp-key-%d' % len(self.handed_out),
                                           'tmp-token-%d' % len(self.handed_out), self.source))
        return self.handed_out[-1]


def test_each_attempt_signs_with_the_credentials_current_then():
    session = ScriptedTransport(api_error('InternalError'), ok())
    credentials = Rotating()
    client = new_client(credentials, session, clock=Clock(sleep=lambda seconds: None))
    client.call('DescribeInstancesStatus', {})
    assert [sent['headers']['X-TC-Token'] for sent in session.sent] == ['tmp-token-0', 'tmp-token-1']
    assert [sent['headers']['Authorization'].split('/')[0] for sent in session.sent] == [
        'TC3-HMAC-SHA256 Credential=AKIDtmp0', 'TC3-HMAC-SHA256 Credential=AKIDtmp1']


def test_every_temporary_secret_used_is_masked_in_server_text():
    credentials = Rotating()
    echo = 'seen tmp-key-0 tmp-token-0 tmp-key-1 tmp-token-1'
    session = ScriptedTransport(api_error('InternalError', echo), api_error('InvalidParameter', echo))
    client = new_client(credentials, session, clock=Clock(sleep=lambda seconds: None))
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('DescribeInstancesStatus', {})
    assert caught.value.message == 'seen ******** ******** ******** ********'


def test_without_credentials_the_request_is_sent_unsigned():
    session = ScriptedTransport(ok())
    client = new_client(None, session, endpoint='sts.tencentcloudapi.com', service='sts', version='2018-08-13')
    client.call('AssumeRoleWithWebIdentity', {})
    headers = session.sent[0]['headers']
    assert headers['Authorization'] == 'SKIP' and 'X-TC-Token' not in headers


@pytest.mark.parametrize('code', ['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded'])
def test_a_throttled_answer_tells_the_limiter_when_the_refused_request_was_reserved(code):
    limiter = NoLimit()
    client, _clock = make_client(ScriptedTransport(api_error(code), ok(TotalCount=0)), limiter=limiter)
    client.call('DescribeInstancesStatus', {})
    # acquire() numbers its reservations: the first request was refused, the second answered.
    assert limiter.events == [('throttled', 1), 'succeeded']


def test_each_action_spends_the_budget_of_its_own_limiter():
    limiters = {'DescribeInstancesStatus': NoLimit(), 'DescribeInstances': NoLimit()}
    credentials = Credentials('AKIDexample', SECRET_KEY, None, 'options')
    client = api_client.ApiClient(credentials, 'ap-guangzhou', 'cvm.tencentcloudapi.com', 'cvm', '2017-03-12',
                                  limiters.__getitem__,
                                  ScriptedTransport(api_error('RequestLimitExceeded'), ok(TotalCount=0)),
                                  language='en-US', request_timeout=10.0, max_retries=1, rng=lambda: 0.0,
                                  clock=Clock(sleep=lambda seconds: None))
    client.call('DescribeInstances', {})
    assert limiters['DescribeInstances'].events == [('throttled', 1), 'succeeded']
    assert limiters['DescribeInstancesStatus'].events == []


@pytest.mark.parametrize('fault', [api_error('InternalError'), api_error('AuthFailure.SignatureFailure'),
                                   transport_fault(errors.CONNECTION_FAILURE)], ids=str)
def test_other_failures_neither_lower_nor_raise_the_rate(fault):
    limiter = NoLimit()
    client, _clock = make_client(ScriptedTransport(fault), limiter=limiter, max_retries=0)
    with pytest.raises(errors.TencentCloudError):
        client.call('DescribeInstancesStatus', {})
    assert limiter.events == []


def test_a_deadline_that_runs_out_is_told_apart_from_a_fault_of_the_service():
    client, clock = make_client(ScriptedTransport(api_error('InternalError')), max_retries=3)
    with pytest.raises(errors.DeadlineExceeded) as caught:
        client.call('DescribeInstancesStatus', {}, Deadline(clock() + 0.1, 'the wait\'s deadline'))
    assert caught.value.code == errors.REQUEST_TIMEOUT
    with pytest.raises(errors.TencentCloudError) as caught:
        make_client(ScriptedTransport(api_error('InternalError')), max_retries=0)[0].call('DescribeInstancesStatus', {})
    assert not isinstance(caught.value, errors.DeadlineExceeded)


def scoped_client(secret_id='AKIDexample', secret_key=SECRET_KEY, token=None, region='ap-guangzhou',
                  endpoint='cvm.tencentcloudapi.com', trust='system certificates'):
    return new_client(Credentials(secret_id, secret_key, token, 'options'), ScriptedTransport(trust=trust), region,
                      endpoint)


def test_the_answer_scope_is_shared_only_by_clients_the_api_would_answer_alike():
    scope = scoped_client().answer_scope('DescribeInstancesStatus')
    assert scope == scoped_client().answer_scope('DescribeInstancesStatus')
    others = [
        scoped_client(secret_key='another-key'),  # the right ID with a wrong key shares nothing
        scoped_client(secret_id='AKIDother'),
        scoped_client(token='a-token'),
        scoped_client(region='ap-shanghai'),
        scoped_client(endpoint='cvm.ap-guangzhou.tencentcloudapi.com'),
        new_client(Credentials('AKIDexample', SECRET_KEY, None, 'options'), ScriptedTransport(), language='zh-CN'),
        # A caller that would refuse the endpoint's certificate, or reach it through another proxy, shares nothing.
        scoped_client(trust='certificates not verified'),
        scoped_client(trust='system certificates\nproxy http://proxy.example:3128'),
    ]
    assert scope not in [client.answer_scope('DescribeInstancesStatus') for client in others]
    assert scope != scoped_client().answer_scope('DescribeInstances')


def test_the_trust_in_the_scope_is_the_trust_in_the_clients_endpoint():
    transport = ScriptedTransport()
    new_client(Credentials('AKIDexample', SECRET_KEY, None, 'options'), transport, 'ap-guangzhou',
               'cvm.example.com:8443').answer_scope('DescribeInstancesStatus')
    assert transport.trust_asked == ['https://cvm.example.com:8443/']


def test_the_answer_scope_says_nothing_of_the_keys():
    scope = scoped_client().answer_scope('DescribeInstancesStatus')
    assert len(scope) == 32 and int(scope, 16) >= 0
    assert 'AKIDexample' not in scope and SECRET_KEY not in scope


def test_an_unsigned_client_has_no_answer_scope():
    client = new_client(None, ScriptedTransport(), endpoint='sts.tencentcloudapi.com', service='sts',
                        version='2018-08-13')
    assert client.answer_scope('AssumeRoleWithWebIdentity') is None


def test_what_the_caller_keeps_of_an_answer_is_returned():
    client, _clock = make_client(ScriptedTransport(ok(TotalCount=3)))
    assert client.call('DescribeInstancesStatus', {}, keep=lambda response: response['TotalCount'] * 2) == 6


def test_an_answer_the_caller_does_not_believe_is_not_asked_for_again():
    transport = ScriptedTransport(ok(TotalCount=3), ok(TotalCount=3))

    def refuse(response):
        raise errors.TencentCloudError(errors.INVALID_RESPONSE, 'the answer has a malformed page', 'req-ok')
    client, _clock = make_client(transport)
    with pytest.raises(errors.TencentCloudError, match='malformed page'):
        client.call('DescribeInstancesStatus', {}, keep=refuse)
    assert len(transport.sent) == 1


def test_at_most_two_large_answers_are_read_and_kept_at_once():
    import threading
    import time
    large = FakeAnswer(body={'Response': {'RequestId': 'r', 'Padding': 'x' * (api_client._LARGE_ANSWER_BYTES + 1)}})
    small = ok(TotalCount=0)
    inside, peak, lock = [0], [0], threading.Lock()

    def keep(response):
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        time.sleep(0.05)
        with lock:
            inside[0] -= 1
        return None

    def read(answer):
        client, _clock = make_client(ScriptedTransport(answer))
        client.call('DescribeInstances', {}, keep=keep)
    threads = [threading.Thread(target=read, args=(large,)) for _n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2
    peak[0] = 0
    threads = [threading.Thread(target=read, args=(small,)) for _n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] > 2


ACTIONS = frozenset(['StopInstances'])


@pytest.mark.parametrize('fault', [api_error('InternalError'), api_error('ServiceUnavailable'),
                                   FakeAnswer(502, text='<html>Bad Gateway</html>'),
                                   FakeAnswer(200, text='{"Response": {"Request'),
                                   transport_fault(errors.CONNECTION_FAILURE, 'connection reset by peer'),
                                   transport_fault(errors.REQUEST_TIMEOUT, 'no complete answer')],
                         ids=lambda f: repr(getattr(f, 'body', f)))
def test_an_action_whose_outcome_is_unknown_is_never_sent_again(fault):
    transport = ScriptedTransport(fault, ok())
    client, clock = make_client(transport, actions=ACTIONS)
    with pytest.raises(errors.TencentCloudError) as caught:
        client.call('StopInstances', {'InstanceIds': ['ins-aaaaaaaa']})
    assert len(transport.sent) == 1 and clock.sleeps == [] and not caught.value.refused_before_acting
    # A read is tried again, as ever.
    transport = ScriptedTransport(fault, ok())
    client, _clock = make_client(transport, actions=ACTIONS)
    client.call('DescribeInstances', {})
    assert len(transport.sent) == 2


@pytest.mark.parametrize('fault', [api_error('RequestLimitExceeded'), api_error('RequestLimitExceeded.UinLimitExceeded'),
                                   FakeAnswer(429, text='slow down'),
                                   errors.TencentCloudError(errors.CONNECTION_FAILURE, 'refused', delivered=False)],
                         ids=lambda f: repr(getattr(f, 'body', f)))
def test_an_action_refused_before_anything_was_done_is_sent_again(fault):
    transport = ScriptedTransport(fault, ok())
    client, _clock = make_client(transport, actions=ACTIONS)
    retried = []
    assert client.call('StopInstances', {'InstanceIds': ['ins-aaaaaaaa']}, retried=retried)['RequestId'] == 'req-ok'
    assert len(transport.sent) == 2
    # The request sent before is told to the caller, which reports every request an action made.
    assert len(retried) == 1 and retried[0].refused_before_acting


def test_a_client_keeps_the_latest_request_ids_only(monkeypatch):
    monkeypatch.setattr(api_client, 'KEPT_REQUEST_IDS', 3)
    transport = ScriptedTransport(*[ok('req-%d' % n) for n in range(10)])
    client, _clock = make_client(transport)
    for _n in range(10):
        client.call('DescribeInstancesStatus', {})
    assert client.request_ids[-3:] == ['req-7', 'req-8', 'req-9'] and len(client.request_ids) <= 6


def test_a_client_keeps_the_latest_request_ids_only(monkeypatch):
    monkeypatch.setattr(api_client, 'KEPT_REQUEST_IDS', 3)
    session = ScriptedTransport(*[ok(request_id='req-%d' % n) for n in range(7)])
    client, _clock = make_client(session)
    for _call in range(6):
        client.call('DescribeInstancesStatus', {})
    # Trimmed once past twice the number kept, to the latest kept.
    assert client.request_ids == ['req-0', 'req-1', 'req-2', 'req-3', 'req-4', 'req-5']
    client.call('DescribeInstancesStatus', {})
    assert client.request_ids == ['req-4', 'req-5', 'req-6']
