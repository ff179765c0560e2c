# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change detector: every event kind, each change told once, the net change after reads that failed."""

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.instance_fields import described_item
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.state_changes import ChangeDetector, Sighting


def seen(*instances, region='ap-guangzhou'):
    """``{ID: Sighting}`` of ``(ID, state)`` or ``(ID, state, {DescribeInstances fields})``, as a read keeps them."""
    sightings = {}
    for instance in instances:
        instance_id, state, fields = (instance + ({},))[:3]
        item = described_item(dict({'InstanceId': instance_id, 'InstanceState': state}, **fields)).item
        sightings[instance_id] = Sighting.of(region, item)
    return sightings


def failed(request_id, error='no capacity', name='StartInstances'):
    return {'LatestOperation': name, 'LatestOperationState': 'FAILED', 'LatestOperationRequestId': request_id,
            'LatestOperationErrorMsg': error}


def kinds(events):
    return [(e['tencentcloud']['event'], e['tencentcloud']['instance_id']) for e in events]


def test_the_first_read_is_the_baseline_and_tells_nothing():
    detector = ChangeDetector()
    assert detector.observe(seen(('ins-aaaaaaaa', 'RUNNING')), 't0') == []
    assert detector.observe(seen(('ins-aaaaaaaa', 'RUNNING')), 't1') == []


def test_initial_tells_one_snapshot_per_instance_with_every_field():
    fields = {'InstanceName': 'web-1', 'Tags': [{'Key': 'role', 'Value': 'web'}], 'LatestOperation': 'StopInstances',
              'LatestOperationState': 'SUCCESS', 'LatestOperationRequestId': 'req-1'}
    events = ChangeDetector(initial=True).observe(seen(('ins-aaaaaaaa', 'STOPPED', fields), ('ins-bbbbbbbb', 'RUNNING'),
                                                       region='ap-shanghai'), '2026-12-01T00:00:00.000+00:00')
    assert events[0] == {'tencentcloud': {
        'event': 'snapshot', 'instance_id': 'ins-aaaaaaaa', 'region': 'ap-shanghai', 'state': 'STOPPED',
        'previous_state': None, 'instance_name': 'web-1', 'tags': {'role': 'web'}, 'latest_operation': 'StopInstances',
        'latest_operation_state': 'SUCCESS', 'latest_operation_request_id': 'req-1',
        'observed_at': '2026-12-01T00:00:00.000+00:00'}}
    assert kinds(events) == [('snapshot', 'ins-aaaaaaaa'), ('snapshot', 'ins-bbbbbbbb')]
    assert events[1]['tencentcloud']['instance_name'] is None and events[1]['tencentcloud']['tags'] == {}


def test_a_state_change_is_told_once_with_the_state_before():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'RUNNING'), ('ins-bbbbbbbb', 'RUNNING')), 't0')
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPING'), ('ins-bbbbbbbb', 'RUNNING')), 't1')
    assert kinds(events) == [('state_changed', 'ins-aaaaaaaa')]
    assert events[0]['tencentcloud']['state'] == 'STOPPING'
    assert events[0]['tencentcloud']['previous_state'] == 'RUNNING'
    assert events[0]['tencentcloud']['observed_at'] == 't1'
    assert detector.observe(seen(('ins-aaaaaaaa', 'STOPPING'), ('ins-bbbbbbbb', 'RUNNING')), 't2') == []
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED'), ('ins-bbbbbbbb', 'RUNNING')), 't3')
    assert [(e['tencentcloud']['previous_state'], e['tencentcloud']['state']) for e in events] == [
        ('STOPPING', 'STOPPED')]


def test_reads_that_failed_in_between_leave_the_net_change_since_the_last_good_one():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'RUNNING'), ('ins-bbbbbbbb', 'RUNNING')), 't0')
    # RUNNING -> STOPPING -> STOPPED, and ins-bbbbbbbb RUNNING -> STOPPED -> RUNNING, while no read succeeded.
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED'), ('ins-bbbbbbbb', 'RUNNING')), 't9')
    assert [(e['tencentcloud']['instance_id'], e['tencentcloud']['previous_state'], e['tencentcloud']['state'])
            for e in events] == [('ins-aaaaaaaa', 'RUNNING', 'STOPPED')]


def test_an_operation_that_fails_is_told_once_per_request_id():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'STOPPED')), 't0')
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-1'))), 't1')
    assert kinds(events) == [('operation_failed', 'ins-aaaaaaaa')]
    assert events[0]['tencentcloud']['error'] == 'no capacity'
    assert events[0]['tencentcloud']['latest_operation_request_id'] == 'req-1'
    assert events[0]['tencentcloud']['previous_state'] == 'STOPPED'
    assert detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-1'))), 't2') == []
    assert kinds(detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-2'))), 't3')) == [
        ('operation_failed', 'ins-aaaaaaaa')]


def test_a_failure_without_a_request_id_is_told_once_too():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'STOPPED')), 't0')
    no_id = dict(failed(None), LatestOperationRequestId='')
    assert len(detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', no_id)), 't1')) == 1
    assert detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', no_id)), 't2') == []


def test_a_failure_that_changed_the_state_tells_both():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'RUNNING')), 't0')
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-1', name='RebootInstances'))), 't1')
    assert kinds(events) == [('state_changed', 'ins-aaaaaaaa'), ('operation_failed', 'ins-aaaaaaaa')]
    assert 'error' not in events[0]['tencentcloud']


def test_a_failure_from_before_the_start_is_not_news():
    detector = ChangeDetector(initial=True)
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-old'))), 't0')
    assert kinds(events) == [('snapshot', 'ins-aaaaaaaa')]
    assert detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', failed('req-old'))), 't1') == []


def test_instances_that_appear_and_disappear():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'RUNNING', {'InstanceName': 'old', 'Tags': [{'Key': 'k', 'Value': 'v'}]})),
                     't0')
    events = detector.observe(seen(('ins-bbbbbbbb', 'PENDING', failed('req-9', name='RunInstances'))), 't1')
    assert kinds(events) == [('instance_appeared', 'ins-bbbbbbbb'), ('operation_failed', 'ins-bbbbbbbb'),
                             ('instance_disappeared', 'ins-aaaaaaaa')]
    appeared, failure, gone = (e['tencentcloud'] for e in events)
    assert (appeared['previous_state'], appeared['state'], appeared['observed_at']) == (None, 'PENDING', 't1')
    assert (failure['previous_state'], failure['state'], failure['observed_at']) == (None, 'PENDING', 't1')
    # What was last known of it, but that it is gone.
    assert (gone['previous_state'], gone['state']) == ('RUNNING', None)
    assert (gone['instance_name'], gone['tags'], gone['observed_at']) == ('old', {'k': 'v'}, 't1')
    assert detector.observe(seen(('ins-bbbbbbbb', 'PENDING', failed('req-9', name='RunInstances'))), 't2') == []


def test_an_instance_back_after_it_disappeared_appears_again():
    detector = ChangeDetector()
    detector.observe(seen(('ins-aaaaaaaa', 'RUNNING')), 't0')
    assert kinds(detector.observe({}, 't1')) == [('instance_disappeared', 'ins-aaaaaaaa')]
    assert detector.observe({}, 't2') == []
    assert kinds(detector.observe(seen(('ins-aaaaaaaa', 'RUNNING')), 't3')) == [('instance_appeared', 'ins-aaaaaaaa')]


def test_the_services_text_is_made_safe_and_tags_that_are_not_tags_are_left_out():
    fields = dict(failed('req-1', error='\x1b[31mred\x1b[0m ' + 'x' * 600), InstanceName='web\n1',
                  Tags=[{'Key': 'ok', 'Value': 'v'}, 'junk', {'Value': 'no key'}, {'Key': 'n', 'Value': 7}])
    detector = ChangeDetector()
    detector.observe({}, 't0')
    failure = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', fields)), 't1')[1]['tencentcloud']
    assert failure['instance_name'] == 'web\ufffd1'
    assert failure['error'].startswith('\ufffd[31mred\ufffd[0m xxx') and len(failure['error']) == 300
    assert failure['tags'] == {'ok': 'v'}


PAYLOADS = ["{{ lookup('pipe', 'touch PWN') }}", '{% for x in y %}{% endfor %}', '{# note #}', '{{{x}}}', 'a{{', '{%']


@pytest.mark.parametrize('payload', PAYLOADS)
def test_no_string_of_an_event_opens_a_template(payload):
    fields = dict(failed('req-1', error=payload), InstanceName='web-' + payload,
                  Tags=[{'Key': payload, 'Value': payload}, {'Key': 'role', 'Value': 'web' + payload}])
    detector = ChangeDetector()
    detector.observe({}, 't0')
    events = detector.observe(seen(('ins-aaaaaaaa', 'STOPPED', fields)), 't1')
    texts = []

    def strings(value):
        if isinstance(value, dict):
            for key, item in value.items():
                strings(key)
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)
        elif isinstance(value, str):
            texts.append(value)
    strings(events)
    assert texts and not [text for text in texts if '{{' in text or '{%' in text or '{#' in text]
    failure = events[-1]['tencentcloud']
    # Each brace stands in for itself: the text reads as it was, and the stand-ins turn it back.
    assert restored(failure['instance_name']) == 'web-' + payload
    assert restored(failure['tags']['role']) == 'web' + payload


def restored(text):
    """The way back the guide gives: each full-width stand-in to its character, the literal mark dropped."""
    text = text[1:] if text.startswith('\u2039') else text
    for stand_in, char in zip('\uff5b\uff5d\uff03\uff05\uff07\uff02\uff3c', '{}#%\'"\\'):
        text = text.replace(stand_in, char)
    return text


def test_events_do_not_share_the_detectors_state():
    detector = ChangeDetector(initial=True)
    first = detector.observe(seen(('ins-aaaaaaaa', 'RUNNING', {'Tags': [{'Key': 'k', 'Value': 'v'}]})), 't0')
    first[0]['tencentcloud']['tags']['k'] = 'changed by a rule'
    # The disappearance tells what the detector kept of the instance: not what a rule did to an earlier event.
    assert detector.observe({}, 't1')[0]['tencentcloud']['tags'] == {'k': 'v'}
