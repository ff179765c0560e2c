# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""100 instances created and gated in one task, then terminated and waited for until gone, with the lifecycle
module's shared code.

Against the emulator (a new instance is PENDING for 2 s, a terminated one TERMINATING for 2 s), 10 requests a second
for RunInstances and TerminateInstances, 40 for the describe actions. Each row: the action calls (the floor is
ceil(N/100)), the describe calls, and the wall time against its floor: the transition itself, plus one round trip
per call made in sequence (the listing, the action, the first read).

    python tests/benchmarks/lifecycle_fleet.py [--latency S] [--runs N]
"""

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
EMULATOR = os.path.join(COLLECTION, 'tests', 'emulator')
COUNT = 100
TRANSITION_SECONDS = 2.0
WAIT_INTERVAL = 1.0
STEPS = (('created', 'RunInstances', COUNT), ('terminated', 'TerminateInstances', 0))
DESCRIBE_ACTIONS = ('DescribeInstancesStatus', 'DescribeInstances')


def run(latency, runs):
    budget = _shared_budget()
    measured = {step: [] for step, _action, _count in STEPS}
    for _run in range(runs):
        process, url = _start(tempfile.mkdtemp(prefix='lifecycle-'), latency, budget)
        try:
            for step, action, count in STEPS:
                measured[step].append(_step(url, action, count, latency, budget))
                time.sleep(1.0)  # let the service's buckets refill between two tasks
        finally:
            process.terminate()
            process.wait()
    return [_summary(step, action, measured[step]) for step, action, _count in STEPS]


def _shared_budget():
    sys.path.insert(0, HERE)
    import shared_budget
    return shared_budget


def _start(workdir, latency, budget):
    scenario = os.path.join(workdir, 'scenario.json')
    with open(scenario, 'w') as handle:
        json.dump({'instances': [], 'launch_seconds': TRANSITION_SECONDS, 'power_seconds': TRANSITION_SECONDS},
                  handle)
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', budget.SECRET_ID,
                                '--secret-key', budget.SECRET_KEY, '--scenario', scenario, '--latency', str(latency)],
                               stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


def _step(url, action, count, latency, budget):
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.module_utils import instance_lifecycle, options
    from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance
    specs = list(options.COMMON_ARGUMENT_SPEC.items()) + list(cvm_instance.ARGUMENT_SPEC.items())
    values = {name: spec.get('default') for name, spec in specs}
    values.update(region='ap-guangzhou', endpoint=url, name='fleet', exact_count=count, image_id='img-bench001',
                  zone='ap-guangzhou-3', wait_interval=WAIT_INTERVAL)
    credentials = [('options', {'secret_id': budget.SECRET_ID, 'secret_key': budget.SECRET_KEY})]
    before = budget.stats(url)
    started = time.monotonic()
    result = instance_lifecycle.manage_instances(options.Options(values, credentials), None, environ={})
    seconds = time.monotonic() - started
    after = budget.stats(url)
    assert len(result.instance_ids) == count
    return {
        'action_calls': _delta(before, after, action),
        'describe_calls': sum(_delta(before, after, name) for name in DESCRIBE_ACTIONS),
        'seconds': seconds,
        'floor': TRANSITION_SECONDS + 3 * latency,
    }


def _delta(before, after, action):
    return after['actions'].get(action, 0) - before['actions'].get(action, 0)


def _summary(step, action, rows):
    summary = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    summary.update(step=step, action=action, floor_calls=math.ceil(COUNT / 100), runs=len(rows),
                   seconds_range='%.2f-%.2f' % (min(row['seconds'] for row in rows), max(row['seconds'] for row in rows)))
    return summary


def render(rows, latency):
    lines = [
        '## Lifecycle: %d instances created and gated in one task, then terminated' % COUNT,
        '',
        '`tests/benchmarks/lifecycle_fleet.py`: the lifecycle module\'s shared code (`instance_lifecycle.manage_instances`,',
        '`exact_count: %d`, then `exact_count: 0`) with `wait_interval` %g s, against the emulator with %g ms added to'
        % (COUNT, WAIT_INTERVAL, latency * 1000),
        'every answer; a new instance runs %g s after its creation, a terminated one is gone %g s after the call. The'
        % (TRANSITION_SECONDS, TRANSITION_SECONDS),
        'time floor is the transition plus three round trips (the listing, the action, the first read); the wait then',
        'polls every `wait_interval`, so the end is seen up to one interval after it happens. Medians of %d runs.'
        % rows[0]['runs'],
        '',
        '| step | action calls | floor | describe calls | wall time (s) | floor (s) |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
    ]
    lines += ['| %(step)s (%(action)s) | %(action_calls)g | %(floor_calls)d | %(describe_calls)g | '
              '%(seconds).2f [%(seconds_range)s] | %(floor).2f |' % row for row in rows]
    lines.append('')
    return lines


def main():
    return _shared_budget().section_command(__doc__, run, render, 3)


if __name__ == '__main__':
    sys.exit(main())
