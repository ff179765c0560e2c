# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError


def test_an_error_says_code_message_and_request_id():
    error = TencentCloudError('InternalError', 'try later', 'req-1', 500, 1700000000.0)
    assert str(error) == 'InternalError: try later (RequestId: req-1)'
    assert error.args == ('InternalError', 'try later', 'req-1')
    assert error.as_dict() == {'code': 'InternalError', 'message': 'try later', 'request_id': 'req-1'}
    assert (error.http_status, error.server_time) == (500, 1700000000.0)
    # One attempt until a client says it sent the request again.
    assert error.attempts == 1


def test_an_error_without_a_request_id_quotes_none():
    assert str(TencentCloudError('ConnectionFailure', 'refused')) == 'ConnectionFailure: refused'


@pytest.mark.parametrize('code, http_status, retryable', [
    ('RequestLimitExceeded', None, True), ('RequestLimitExceeded.UinLimitExceeded', None, True),
    ('InternalError', None, True), ('InternalServerError', None, True), ('ServiceUnavailable', None, True),
    ('ResourceUnavailable', None, True), ('ConnectionFailure', None, True), ('RequestTimeout', None, True),
    ('InvalidResponse', None, True), ('HTTPError', 429, True), ('HTTPError', 500, True), ('HTTPError', 599, True),
    ('HTTPError', 404, False), ('HTTPError', 403, False), ('TLSFailure', None, False),
    ('UnexpectedRedirect', 307, False), ('AuthFailure.SignatureFailure', None, False),
    ('InvalidParameterValue', None, False), ('LimitExceeded', None, False), ('XRequestLimitExceeded', None, False),
])
def test_which_errors_are_worth_another_attempt(code, http_status, retryable):
    assert TencentCloudError(code, 'm', http_status=http_status).retryable is retryable


@pytest.mark.parametrize('code', ['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded',
                                  'AuthFailure.SignatureExpire', 'UnauthorizedOperation', 'InvalidParameterValue',
                                  'MissingParameter', 'UnknownParameter', 'InvalidInstanceId.NotFound',
                                  'UnsupportedOperation.InstanceStateRunning',
                                  'OperationDenied.InstanceOperationInProgress', 'LimitExceeded.InstanceQuota',
                                  'ResourceInsufficient.ZoneSoldOut', 'ResourceNotFound', 'UnsupportedRegion'])
def test_answers_that_refuse_a_request_say_it_was_not_done(code):
    assert errors.TencentCloudError(code, 'refused', 'r').refused_before_acting


@pytest.mark.parametrize('code, status', [('InternalError', None), ('InternalServerError', None),
                                          ('ServiceUnavailable', None), ('ResourceUnavailable', None),
                                          (errors.REQUEST_TIMEOUT, None), (errors.CONNECTION_FAILURE, None),
                                          (errors.INVALID_RESPONSE, None), (errors.UNEXPECTED_REDIRECT, 307),
                                          (errors.HTTP_ERROR, 502), (errors.HTTP_ERROR, 504), ('SomethingNew', None)])
def test_other_failures_leave_the_outcome_unknown(code, status):
    assert not errors.TencentCloudError(code, 'lost', None, status).refused_before_acting


def test_a_request_never_delivered_or_refused_by_a_gateway_was_not_done():
    assert errors.TencentCloudError(errors.CONNECTION_FAILURE, 'refused', delivered=False).refused_before_acting
    assert errors.TencentCloudError(errors.TLS_FAILURE, 'handshake', delivered=False).refused_before_acting
    assert errors.TencentCloudError(errors.HTTP_ERROR, 'HTTP 407', None, 407).refused_before_acting


@pytest.mark.parametrize('code', ['AuthFailure.UnauthorizedOperation', 'UnauthorizedOperation',
                                  'UnauthorizedOperation.ResourceDenied'])
def test_a_cam_refusal_whatever_its_code_may_concern_some_instances_only(code):
    # The service's documented common code for a CAM refusal starts with AuthFailure, but it is no verdict on the keys:
    # a policy may deny one instance of a call that carried several callers' instances.
    error = TencentCloudError(code, 'denied')
    assert error.denied and error.about_some_instances and not error.same_for_every_caller


@pytest.mark.parametrize('code', ['AuthFailure.SecretIdNotFound', 'AuthFailure.SignatureFailure',
                                  'AuthFailure.TokenFailure'])
def test_a_verdict_on_the_keys_is_every_callers_and_no_denial(code):
    error = TencentCloudError(code, 'no')
    assert error.same_for_every_caller and not error.denied and not error.about_some_instances
