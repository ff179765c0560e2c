# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""1,000 instances stopped and waited for, then started and waited for, with the power module's shared code.

Against the emulator (``power_seconds`` 2: an accepted stop or start ends 2 s later), 10 requests a second for each
power action and 40 for the describe actions. Each row: the action calls (the floor is ceil(N/100)), the describe
calls, the share of answers throttled, and the wall time against its floor: the first read's pacing, (ceil(N/100) - 1)
/ 40 s, the actions' pacing, (ceil(N/100) - 1) / 10 s, and the transition itself.

    python tests/benchmarks/power_fleet.py [--latency S] [--runs N]
"""

import math
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
COUNT = 1000
IDS = ['ins-%08d' % n for n in range(COUNT)]
TRANSITION_SECONDS = 2.0
WAIT_INTERVAL = 1.0
ACTIONS = {'stopped': 'StopInstances', 'running': 'StartInstances'}
DESCRIBE_ACTIONS = ('DescribeInstancesStatus', 'DescribeInstances')


def run(latency, runs):
    """Rows for ``stopped`` then ``running``, medians of ``runs`` (each stop followed by the start that undoes it)."""
    budget = _shared_budget()
    process, url = budget.start_emulator(tempfile.mkdtemp(prefix='power-'), IDS, 40, latency)
    try:
        measured = {state: [] for state in ACTIONS}
        for _run in range(runs):
            for state in ACTIONS:
                measured[state].append(_change(url, state, budget))
                time.sleep(1.0)  # let the service's buckets refill between two tasks
    finally:
        process.terminate()
        process.wait()
    return [_summary(state, rows) for state, rows in measured.items()]


def _shared_budget():
    """The emulator and its statistics, as the shared-budget benchmark starts and reads them."""
    sys.path.insert(0, HERE)
    import shared_budget
    return shared_budget


def _change(url, state, budget):
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.module_utils import instance_power, options
    from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_power
    specs = list(options.COMMON_ARGUMENT_SPEC.items()) + list(cvm_instance_power.ARGUMENT_SPEC.items())
    values = {name: spec.get('default') for name, spec in specs}
    values.update(region='ap-guangzhou', endpoint=url, state=state, wait_interval=WAIT_INTERVAL)
    credentials = [('options', {'secret_id': budget.SECRET_ID, 'secret_key': budget.SECRET_KEY})]
    before = budget.stats(url)
    started = time.monotonic()
    result = instance_power.set_power_state(options.Options(values, credentials), IDS)
    seconds = time.monotonic() - started
    after = budget.stats(url)
    assert set(result.instance_states.values()) == {state.upper()}
    return {
        'action_calls': _delta(before, after, ACTIONS[state]),
        'describe_calls': sum(_delta(before, after, action) for action in DESCRIBE_ACTIONS),
        'throttled': (after['throttled'] - before['throttled']) / float(after['requests'] - before['requests']),
        'seconds': seconds,
    }


def _delta(before, after, action):
    return after['actions'].get(action, 0) - before['actions'].get(action, 0)


def _summary(state, rows):
    calls = math.ceil(COUNT / 100)
    floor = (calls - 1) / 40.0 + (calls - 1) / 10.0 + TRANSITION_SECONDS
    summary = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    summary.update(state=state, action=ACTIONS[state], floor_calls=calls, floor=floor, runs=len(rows),
                   seconds_range='%.2f-%.2f' % (min(row['seconds'] for row in rows), max(row['seconds'] for row in rows)))
    return summary


def render(rows, latency):
    lines = [
        '## Power: {:,} instances stopped, then started, and waited for'.format(COUNT),
        '',
        '`tests/benchmarks/power_fleet.py`: the power module\'s shared code (`instance_power.set_power_state`) with',
        '`wait_interval` %g s, against the emulator with %g ms added to every answer; an accepted stop or start ends'
        % (WAIT_INTERVAL, latency * 1000),
        '%g s later. The time floor adds the first read\'s pacing ((calls - 1) / 40 s), the actions\' pacing ((calls - 1)'
        % TRANSITION_SECONDS,
        '/ 10 s: 10 requests a second for each power action) and the transition; the wait then polls every',
        '`wait_interval`, so the end is seen up to one interval after it happens. Medians of %d runs.' % rows[0]['runs'],
        '',
        '| state | action calls | floor | describe calls | throttled | wall time (s) | floor (s) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    lines += ['| %(state)s (%(action)s) | %(action_calls)g | %(floor_calls)d | %(describe_calls)g | '
              '%(throttled_percent).1f%% | %(seconds).2f [%(seconds_range)s] | %(floor).2f |'
              % dict(row, throttled_percent=100.0 * row['throttled']) for row in rows]
    lines.append('')
    return lines


def main():
    return _shared_budget().section_command(__doc__, run, render, 3)


if __name__ == '__main__':
    sys.exit(main())
