# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Selecting by tag over two regions: what ``filters`` cost, against naming the same instances by ID.

Against the emulator: 1,000 instances in each of ap-guangzhou and ap-shanghai, half of them tagged ``role: web``, all
running. Each row is one task's shared code over the 1,000 web servers: its calls by action and its wall time. By ID,
an instance's region is not known, so the first read asks each region for every ID; by tag, the listing of each
region tells where each instance is.

    python tests/benchmarks/selection.py [--latency S] [--runs N]
"""

import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
REGIONS = ('ap-guangzhou', 'ap-shanghai')
PER_REGION = 1000
WEB = {region: ['ins-%s%07d' % (region[3], n) for n in range(PER_REGION // 2)] for region in REGIONS}
OTHERS = {region: ['ins-%s%07d' % (region[3], n) for n in range(PER_REGION // 2, PER_REGION)] for region in REGIONS}
WEB_IDS = [i for region in REGIONS for i in WEB[region]]
TAG = {'tag:role': 'web'}


def tasks():
    """``(row name, plugin call, options)``: each selects the same 1,000 instances."""
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.module_utils import instance_info, instance_power, status_query
    return [
        ('info, by tag', instance_info.describe_instances, None, {'filters': TAG}),
        ('info, by ID', instance_info.describe_instances, WEB_IDS, {}),
        ('status gate (wait_for RUNNING), by tag', status_query.query_instance_status, None,
         {'filters': TAG, 'wait_for': ['RUNNING']}),
        ('status gate (wait_for RUNNING), by ID', status_query.query_instance_status, WEB_IDS,
         {'wait_for': ['RUNNING']}),
        ('power (state running: nothing to do), by tag', instance_power.set_power_state, None,
         {'filters': TAG, 'state': 'running'}),
        ('power (state running: nothing to do), by ID', instance_power.set_power_state, WEB_IDS, {'state': 'running'}),
    ]


def run(latency, runs):
    budget = _shared_budget()
    process, url = _start_emulator(budget, latency)
    try:
        rows = []
        for name, call, ids, extra in tasks():
            measured = [_measure(budget, url, call, ids, extra) for _run in range(runs)]
            rows.append(dict(name=name, runs=runs, calls=measured[0]['calls'],
                             seconds=statistics.median(m['seconds'] for m in measured),
                             seconds_range='%.2f-%.2f' % (min(m['seconds'] for m in measured),
                                                          max(m['seconds'] for m in measured))))
        return rows
    finally:
        process.terminate()
        process.wait()


def _shared_budget():
    sys.path.insert(0, HERE)
    import shared_budget
    return shared_budget


def _start_emulator(budget, latency):
    import json
    import subprocess
    workdir = tempfile.mkdtemp(prefix='selection-')
    scenario = os.path.join(workdir, 'scenario.json')
    instances = []
    for region in REGIONS:
        instances.append({'ids': WEB[region], 'region': region, 'state': 'RUNNING', 'tags': {'role': 'web'}})
        instances.append({'ids': OTHERS[region], 'region': region, 'state': 'RUNNING', 'tags': {'role': 'db'}})
    with open(scenario, 'w') as handle:
        json.dump({'instances': instances}, handle)
    process = subprocess.Popen([sys.executable, budget.EMULATOR, '--port', '0', '--secret-id', budget.SECRET_ID,
                                '--secret-key', budget.SECRET_KEY, '--scenario', scenario, '--latency', str(latency)],
                               stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


def _measure(budget, url, call, ids, extra):
    from ansible_collections.tencentcloud.cloud.plugins.module_utils import options
    from ansible_collections.tencentcloud.cloud.plugins.modules import cvm_instance_power
    specs = (list(options.COMMON_ARGUMENT_SPEC.items()) + list(options.WAIT_ARGUMENT_SPEC.items())
             + list(cvm_instance_power.ARGUMENT_SPEC.items()))
    values = {name: spec.get('default') for name, spec in specs}
    values.update(regions=list(REGIONS), endpoint=url, coalesce=False, **extra)
    credentials = [('options', {'secret_id': budget.SECRET_ID, 'secret_key': budget.SECRET_KEY})]
    before = budget.stats(url)
    started = time.monotonic()
    result = call(options.Options(values, credentials), ids, environ={})
    seconds = time.monotonic() - started
    after = budget.stats(url)
    selected = result.described if hasattr(result, 'described') else result.instances()
    assert len(selected) == len(WEB_IDS), len(selected)
    calls = {action: count - before['actions'].get(action, 0) for action, count in after['actions'].items()
             if count != before['actions'].get(action, 0)}
    return {'calls': calls, 'seconds': seconds}


def render(rows, latency):
    lines = [
        '## Selecting by tag: 1,000 instances of two regions',
        '',
        '`tests/benchmarks/selection.py`: 1,000 instances in each of two regions, half of them tagged `role: web`,',
        'all running, the emulator adding %g ms to every answer; each task is the shared code of a plugin over the'
        % (latency * 1000),
        '1,000 web servers, by `filters` (`tag:role: web`) or by their IDs, with `regions` both. By ID a first read',
        'asks each region for every ID (an ID does not say its region); by tag the listing of each region says where',
        'each instance is (5 pages a region), and is the first poll of a wait and the first read of a power change.',
        'Medians of %d runs.' % rows[0]['runs'],
        '',
        '| task | calls | wall time (s) |',
        '| --- | --- | ---: |',
    ]
    for row in rows:
        calls = ', '.join('%d %s' % (count, action) for action, count in sorted(row['calls'].items()))
        lines.append('| %s | %s | %.2f [%s] |' % (row['name'], calls, row['seconds'], row['seconds_range']))
    lines.append('')
    return lines


def main():
    return _shared_budget().section_command(__doc__, run, render, 5)


if __name__ == '__main__':
    sys.exit(main())
