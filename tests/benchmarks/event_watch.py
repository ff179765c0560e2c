# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source watching 10,000 instances: calls and time per read against the emulator, and the memory of the
source's process after an hour of reads.

The reads are the source's own (``state_watch.open_watch`` and ``poll``, what ``main`` runs in its thread). The hour
runs on a fake clock, in a process of its own: 120 reads at the default interval of 30 s, from an in-memory
``DescribeInstances`` in which 1% of the instances change state at every read, one start in ten of those fails with
a new RequestId, and 10 instances appear and 10 disappear, so the detector's memory is exercised, not idle.

    python tests/benchmarks/event_watch.py [--latency S] [--runs N]
"""

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
COUNT = 10000
IDS = ['ins-%08d' % n for n in range(COUNT)]
INTERVAL = 30.0
HOUR_READS = int(3600 / INTERVAL)


def _collection():
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import state_watch
    return state_watch


def _shared_budget():
    sys.path.insert(0, HERE)
    import shared_budget
    return shared_budget


def read_rows(latency, runs):
    """Calls and seconds per read of 10,000 instances, by ID and as the whole region, against the emulator."""
    budget = _shared_budget()
    state_watch = _collection()
    process, url = budget.start_emulator(tempfile.mkdtemp(prefix='watch-'), IDS, 40, latency)
    environ = {'TENCENTCLOUD_SECRET_ID': budget.SECRET_ID, 'TENCENTCLOUD_SECRET_KEY': budget.SECRET_KEY,
               'TENCENTCLOUD_REGION': 'ap-guangzhou', 'HOME': os.environ.get('HOME', '/')}
    rows = []
    try:
        for name, args in (('instance_ids (10,000 IDs)', {'instance_ids': IDS}), ('every instance of the region', {})):
            watch = state_watch.open_watch(dict(args, endpoint=url, interval=INTERVAL), environ)
            calls, seconds = [], []
            try:
                for _read in range(runs):
                    before = budget.stats(url)['actions'].get('DescribeInstances', 0)
                    started = time.monotonic()
                    poll = watch.poll()
                    seconds.append(time.monotonic() - started)
                    calls.append(budget.stats(url)['actions'].get('DescribeInstances', 0) - before)
                    assert poll.warnings == [], poll.warnings
                    time.sleep(1.0)  # let the service's bucket refill, as the interval would
            finally:
                watch.close()
            floor_calls = math.ceil(COUNT / 100)
            rows.append({'watch': name, 'calls': max(calls), 'floor_calls': floor_calls,
                         'seconds': statistics.median(seconds), 'floor': (floor_calls - 1) / 40.0,
                         'range': '%.2f-%.2f' % (min(seconds), max(seconds))})
    finally:
        process.terminate()
        process.wait()
    return rows


class ChangingRegion:
    """``DescribeInstances`` of 10,000 instances in memory, as the API pages it; each read after the first finds 1%
    of them in another state, one start in ten of those failed, 10 new instances and 10 gone."""

    def __init__(self, rng):
        self.rng = rng
        self.instances = {i: {'InstanceId': i, 'InstanceState': 'RUNNING', 'InstanceName': 'web-%s' % i[4:],
                              'Tags': [{'Key': 'role', 'Value': 'web'}]} for i in IDS}
        self.serial = 0
        self.reads = 0
        self.warnings = []

    def change(self):
        self.reads += 1
        for instance_id in self.rng.sample(sorted(self.instances), COUNT // 100):
            item = self.instances[instance_id]
            item['InstanceState'] = 'STOPPED' if item['InstanceState'] == 'RUNNING' else 'RUNNING'
            if self.rng.random() < 0.1:
                self.serial += 1
                item.update(LatestOperation='StartInstances', LatestOperationState='FAILED',
                            LatestOperationRequestId='req-%d' % self.serial, LatestOperationErrorMsg='no capacity')
        for gone in self.rng.sample(sorted(self.instances), 10):
            del self.instances[gone]
        for _new in range(10):
            self.serial += 1
            new = 'ins-n%07d' % self.serial
            self.instances[new] = {'InstanceId': new, 'InstanceState': 'PENDING'}

    def answer_scope(self, action):
        return None

    def call(self, action, params, deadline=None, keep=None):
        listed = list(self.instances.values())
        offset = params.get('Offset', 0)
        page = listed[offset:offset + params['Limit']]
        response = {'TotalCount': len(listed), 'InstanceSet': json.loads(json.dumps(page)), 'RequestId': 'r'}
        return response if keep is None else keep(response)


def simulated_hour():
    """The source's process after an hour of reads: memory, events and reads (run in a process of its own)."""
    state_watch = _collection()
    from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import InstanceReader
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    region = ChangingRegion(random.Random(0))
    clock = FakeClock(start=1700000000.0)
    watch = state_watch.StateWatch({'ap-guangzhou': InstanceReader(region)},
                                   state_watch.WatchSettings(['ap-guangzhou'], None, [], INTERVAL, False), clock)
    tracemalloc.start()
    events = 0
    started = time.monotonic()
    for read in range(HOUR_READS):
        if read:
            region.change()
        poll = watch.poll()
        events += len(poll.events)
        if read == 0:
            after_first = tracemalloc.get_traced_memory()[0]
        if read == HOUR_READS // 2 - 1:
            after_half = tracemalloc.get_traced_memory()[0]
        clock.now += poll.delay
    after_hour = tracemalloc.get_traced_memory()[0]
    return {'reads': HOUR_READS, 'events': events, 'seconds': time.monotonic() - started,
            'traced_first_mib': after_first / 2.0 ** 20, 'traced_half_mib': after_half / 2.0 ** 20,
            'traced_hour_mib': after_hour / 2.0 ** 20,
            'max_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}


def hour_row():
    completed = subprocess.run([sys.executable, os.path.abspath(__file__), '--hour'], stdout=subprocess.PIPE,
                               universal_newlines=True, check=True)
    return json.loads(completed.stdout)


def render(rows, hour, latency, runs):
    lines = [
        '## The event source watching {:,} instances'.format(COUNT),
        '',
        '`tests/benchmarks/event_watch.py`: the reads of `tencentcloud.cloud.cvm_instance_state` (`state_watch`, what',
        'its `main` runs in a thread), against the emulator with %g ms added to every answer; medians of %d reads.'
        % (latency * 1000, runs),
        'A read costs ceil(N/100) `DescribeInstances` calls, paced 1/40 s apart: the floor is (calls - 1) / 40 s.',
        '',
        '| watch | calls per read | floor | time per read (s) | floor (s) |',
        '| --- | ---: | ---: | ---: | ---: |',
    ]
    lines += ['| %(watch)s | %(calls)d | %(floor_calls)d | %(seconds).2f [%(range)s] | %(floor).2f |' % row
              for row in rows]
    lines += [
        '',
        'An hour of reads on a fake clock (%d reads at the default interval of %g s; at each, 1%% of the instances'
        % (hour['reads'], INTERVAL),
        'change state, one start in ten of those fails, 10 instances appear and 10 disappear): {:,} events, in {:.1f} s'
        .format(hour['events'], hour['seconds']),
        '(with tracemalloc on). Memory held by Python objects (tracemalloc) after the first read: %.1f MiB; after half'
        % hour['traced_first_mib'],
        'an hour: %.1f MiB; after the hour: %.1f MiB (what grows is the failed operation remembered for each instance'
        % (hour['traced_half_mib'], hour['traced_hour_mib']),
        'that had one, bounded by the instances watched). Peak resident memory of the process: %.1f MiB.'
        % hour['max_rss_mib'],
        '',
    ]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--latency', type=float, default=0.05)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--hour', action='store_true', help='only the simulated hour, as JSON (run in its own process)')
    args = parser.parse_args()
    if args.hour:
        print(json.dumps(simulated_hour()))
        return 0
    print('\n'.join(render(read_rows(args.latency, args.runs), hour_row(), args.latency, args.runs)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
