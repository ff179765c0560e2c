# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the rulebook run must show: python check_run.py RULEBOOK_OUTPUT (with CVM_ENDPOINT set).

Every event once, the net change after the throttled reads, one playbook run for the one unexpected stop, one
operation_failed for its failed start, and no traceback.
"""

import ast
import json
import os
import sys
import urllib.request

STOPPED = 'ins-evt00001'
QUIET = 'ins-evt00002'


def events_printed(output):
    """The ``tencentcloud`` part of each event ``print_event`` showed, in order."""
    return [ast.literal_eval(line)['tencentcloud'] for line in output.splitlines() if line.startswith("{'meta'")]


def check(output, stats):
    assert 'Traceback' not in output, 'a traceback in the output'
    events = events_printed(output)
    assert [(e['event'], e['instance_id'], e['state']) for e in events[:2]] == [
        ('snapshot', STOPPED, 'RUNNING'), ('snapshot', QUIET, 'RUNNING')], events[:2]
    assert [e for e in events if e['instance_id'] == QUIET][1:] == [], 'events of an instance that did not change'

    # Each change told once, from the state last told: a chain from RUNNING to STOPPED, however the throttled reads
    # fell; then the start that the playbook sent, and its failure.
    changes = [(e['previous_state'], e['state']) for e in events if e['event'] == 'state_changed']
    chain = [changes[0][0]] + [state for _previous, state in changes]
    assert all(previous == chain[n] for n, (previous, _state) in enumerate(changes)), changes
    assert chain[0] == 'RUNNING' and chain[-1] == 'STOPPED' and 'STARTING' in chain, chain
    assert 'reading the instances failed (3 in a row)' in output, 'the throttled reads did not show'

    failures = [e for e in events if e['event'] == 'operation_failed']
    assert len(failures) == 1, failures
    failure = failures[0]
    starts = [call for call in stats['power_calls'] if call['action'] == 'StartInstances']
    # The playbook ran once, for the one unexpected stop, and its start is the operation that failed.
    assert len(stats['power_calls']) == len(starts) == 1, stats['power_calls']
    assert (failure['instance_id'], failure['latest_operation'], failure['latest_operation_state'],
            failure['latest_operation_request_id'], failure['error']) == (
        STOPPED, 'StartInstances', 'FAILED', starts[0]['request_id'], 'ResourceInsufficient: no capacity in the zone')
    assert failure['tags'] == {'role': 'web'} and failure['instance_name'] == 'web-1'
    assert failure['observed_at'].endswith('+00:00')
    return len(events)


def main():
    with open(sys.argv[1]) as handle:
        output = handle.read()
    with urllib.request.urlopen(os.environ['CVM_ENDPOINT'] + '/_emulator/stats', timeout=10) as answer:
        stats = json.load(answer)
    try:
        told = check(output, stats)
    except AssertionError:
        print(output)
        raise
    print('ansible-rulebook: %d events, one playbook run, one operation_failed' % told)


if __name__ == '__main__':
    main()
