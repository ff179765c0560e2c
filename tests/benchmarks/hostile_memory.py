# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a read keeps when the endpoint floods every answer with tags up to the 10 MiB cap: the peak resident memory
of ``ansible-inventory`` over 10 such pages (1,000 instances), and of the event source's reads after an hour of them;
and of ``ansible-inventory`` over 3,000 instances whose tags fill the service's limits.

The emulator's ``tag_flood`` fault gives every instance of every ``DescribeInstances`` page tags of 100 and 300
characters until the page is just under the cap (about 240 tags an instance, where the service allows 50 of at most
127 and 255 characters). The hour is the source's own reads (``state_watch.open_watch`` and ``poll``) on a fake clock,
120 reads at the default interval of 30 s, in a process of its own.

    python tests/benchmarks/hostile_memory.py [--runs N]    (ANSIBLE_COLLECTIONS_PATH set, as make bench sets it)
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
EMULATOR = os.path.join(COLLECTION, 'tests', 'emulator')
SECRET_ID = 'AKIDflood000000000000000000000000000000'
SECRET_KEY = 'flood-secret-key'
INSTANCES = 1000
HOUR_READS = 120


def start_emulator(workdir):
    scenario = os.path.join(workdir, 'flood.json')
    with open(scenario, 'w') as handle:
        json.dump({'instances': [{'id_prefix': 'ins-f', 'count': INSTANCES, 'state': 'RUNNING'}],
                   'faults': [{'kind': 'tag_flood', 'rate': 1.0}]}, handle)
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                SECRET_KEY, '--scenario', scenario], stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


def environment(url, home):
    return dict(os.environ, HOME=home, TENCENTCLOUD_CVM_ENDPOINT=url, TENCENTCLOUD_SECRET_ID=SECRET_ID,
                TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_REGION='ap-guangzhou',
                ANSIBLE_INVENTORY_ENABLED='tencentcloud.cloud.cvm')


def peak_rss_mib(argv, environ):
    """Run ``argv``; ``(peak resident memory of that process in MiB, seconds)``."""
    started = time.monotonic()
    process = subprocess.Popen(argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError('%s failed' % ' '.join(argv))
    return usage.ru_maxrss / 1024.0, time.monotonic() - started


def inventory_row(url, workdir, runs):
    config = os.path.join(workdir, 'flood_tencentcloud_cvm.yml')
    with open(config, 'w') as handle:
        handle.write('plugin: tencentcloud.cloud.cvm\nregions: [ap-guangzhou]\n')
    environ = environment(url, workdir)
    measured = [peak_rss_mib(['ansible-inventory', '-i', config, '--list', '--output',
                              os.path.join(workdir, 'listed.json')], environ) for _run in range(runs)]
    peaks = [peak for peak, _seconds in measured]
    return {'peak_mib': statistics.median(peaks), 'range': '%.0f-%.0f' % (min(peaks), max(peaks)),
            'seconds': statistics.median(seconds for _peak, seconds in measured)}


def watch_hour(url, home):
    """The event source's reads for an hour, in this process: its memory after the first read and after the hour."""
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import state_watch
    from ansible_collections.tencentcloud.cloud.tests.unit.fakes import FakeClock
    clock = FakeClock(start=time.time())
    watch = state_watch.open_watch({'interval': 30}, environment(url, home), clock)
    tracemalloc.start()
    started = time.monotonic()
    try:
        for read in range(HOUR_READS):
            poll = watch.poll()
            if read == 0:
                held_first, resident_first = tracemalloc.get_traced_memory()[0] / 2.0 ** 20, resident_mib()
            clock.now += poll.delay
        held_hour = tracemalloc.get_traced_memory()[0] / 2.0 ** 20
    finally:
        watch.close()
    return {'reads': HOUR_READS, 'seconds': time.monotonic() - started, 'held_first_mib': held_first,
            'held_hour_mib': held_hour, 'resident_first_mib': resident_first, 'resident_hour_mib': resident_mib(),
            'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}


def resident_mib():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024.0
    return float('nan')


# A fleet whose tags fill what the service allows: 50 tags an instance, keys of 127 and values of 255 characters.
LIMIT_INSTANCES = 3000
LIMIT_TAGS = {('k%03d' % n).ljust(127, 'x'): 'v' * 255 for n in range(50)}


def limits_row(runs):
    """The peak of ``ansible-inventory --list`` over ``LIMIT_INSTANCES`` instances whose tags fill the limits."""
    workdir = tempfile.mkdtemp(prefix='limits-')
    scenario = os.path.join(workdir, 'limits.json')
    with open(scenario, 'w') as handle:
        json.dump({'instances': [{'id_prefix': 'ins-l', 'count': LIMIT_INSTANCES, 'state': 'RUNNING',
                                  'tags': LIMIT_TAGS}]}, handle)
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                SECRET_KEY, '--scenario', scenario], stdout=subprocess.PIPE, universal_newlines=True)
    try:
        return inventory_row(process.stdout.readline().strip(), workdir, runs)
    finally:
        process.terminate()
        process.wait()


def measure(runs):
    workdir = tempfile.mkdtemp(prefix='flood-')
    process, url = start_emulator(workdir)
    try:
        inventory = inventory_row(url, workdir, runs)
        hour = json.loads(subprocess.run([sys.executable, os.path.abspath(__file__), '--watch-hour', url, workdir],
                                         stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout)
    finally:
        process.terminate()
        process.wait()
    return inventory, hour, limits_row(runs)


def render(inventory, hour, limits, runs):
    return [
        '## An endpoint that floods every answer',
        '',
        '`tests/benchmarks/hostile_memory.py`: every `DescribeInstances` page of a region of {:,} instances tagged by'
        .format(INSTANCES),
        'the emulator until it is just under the 10 MiB answer cap (about 240 tags of 100 and 300 characters an',
        'instance, where the service allows 50 of at most 127 and 255): 10 pages of about 10 MiB a read. A read keeps',
        "only the fields the plugins show, tags cut to the service's limits, and after a page beyond them reads the",
        'others one at a time (and a process parses at most two answers over 1 MiB at once).',
        '',
        '| what | peak resident memory (MiB) | |',
        '| --- | ---: | --- |',
        '| `ansible-inventory --list` over those 10 pages (558 MiB before the bound) | %.0f | median of %d (%s MiB), '
        '%.1f s |' % (inventory['peak_mib'], runs, inventory['range'], inventory['seconds']),
        '| the event source after an hour of such reads (%d at 30 s; about 1.8 GB held before the bound) | %.0f | '
        'Python objects held: %.1f MiB after the first read, %.1f MiB after the hour; resident %.0f and %.0f MiB |'
        % (hour['reads'], hour['peak_mib'], hour['held_first_mib'], hour['held_hour_mib'],
           hour['resident_first_mib'], hour['resident_hour_mib']),
        '| `ansible-inventory --list` over {:,} instances whose tags fill the service\'s limits (50 tags of 127 and 255 '
        .format(LIMIT_INSTANCES) + 'characters; 907 MiB reported before, the target under 500) | %.0f | median of %d '
        '(%s MiB), %.1f s |' % (limits['peak_mib'], runs, limits['range'], limits['seconds']),
        '',
        'What stays after a read is what it kept of the instances (about 23 MiB here: 1,000 instances of 50 tags, keys',
        "of 100 characters and values cut to 255); the rest of the peak is the pages being read, which does not grow",
        'with the number of reads or of pages.',
        '',
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--watch-hour', nargs=2, metavar=('URL', 'HOME'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch_hour:
        print(json.dumps(watch_hour(*args.watch_hour)))
        return 0
    print('\n'.join(render(*measure(args.runs), args.runs)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
