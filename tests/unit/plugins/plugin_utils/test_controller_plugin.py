# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every lookup and inventory does alike: the requests check, warnings through Display, errors as its kind."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import OptionError
from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import controller_plugin


class Plugin(controller_plugin.ControllerPlugin):
    NAME = 'tencentcloud.cloud.example'
    FAILURE = AnsibleLookupError


class CallFailed(Exception):
    warnings = ['the endpoint is plain HTTP']


@pytest.fixture
def shown(monkeypatch):
    said = []
    monkeypatch.setattr(controller_plugin.display, 'warning', said.append)
    return said


def test_without_requests_the_plugin_says_what_it_needs(monkeypatch):
    monkeypatch.setattr(controller_plugin, 'HAS_REQUESTS', False)
    with pytest.raises(AnsibleLookupError) as caught:
        Plugin().require_requests()
    assert str(caught.value) == 'tencentcloud.cloud.example needs the Python library requests on the controller'


def test_with_requests_nothing_is_said():
    Plugin().require_requests()


def test_bad_input_is_the_plugins_error_naming_it(shown):
    with pytest.raises(AnsibleLookupError) as caught:
        with Plugin().reporting(CallFailed):
            raise OptionError('region is required')
    assert str(caught.value) == 'tencentcloud.cloud.example: region is required' and shown == []


def test_a_failed_call_shows_what_it_warned_of_then_fails(shown):
    with pytest.raises(AnsibleLookupError) as caught:
        with Plugin().reporting(CallFailed):
            raise CallFailed('InternalError: boom')
    assert str(caught.value) == 'tencentcloud.cloud.example: InternalError: boom'
    assert shown == ['tencentcloud.cloud.example: the endpoint is plain HTTP']


def test_anything_else_is_not_the_plugins_to_explain():
    with pytest.raises(KeyError):
        with Plugin().reporting(CallFailed):
            raise KeyError('a bug')
