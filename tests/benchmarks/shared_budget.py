# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How processes spend one account's request budget, on the emulator: separate controllers, and many forks of one.

``pacing``: every pacing target of the adaptive rate, as docs/performance.md shows them (Markdown).
``controllers``: N processes with separate homes (nothing shared on disk, as job slices on separate AWX execution
nodes), each reading its own instances once, all at the same moment. ``pollers``: N processes of one user polling an
instance each, alone (``coalesce: false``), for a while. Both against a budget the emulator enforces per account and
action. Each process imports the collection from ``--collections`` (``ansible_collections/..``), so the same script
measures an earlier tree too.

    python shared_budget.py --collections DIR controllers|pollers|pacing [options]

Prints one JSON line (the pacing section: Markdown).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, '..', 'emulator')
SECRET_ID = 'AKIDbudget0000000000000000000000000000'
SECRET_KEY = 'budget-secret-key'
# One reading process: reads its IDs (once, or again and again until a moment), prints what it saw as JSON.
READER = r'''
import json, os, sys, time
collections, url, start, until = sys.argv[1], sys.argv[2], float(sys.argv[4]), float(sys.argv[5])
with open(sys.argv[3]) as ids_file:
    ids = json.load(ids_file)
sys.path.insert(0, collections)
from ansible_collections.tencentcloud.cloud.plugins.module_utils import status_query
from ansible_collections.tencentcloud.cloud.plugins.module_utils import options
from ansible_collections.tencentcloud.cloud.plugins.module_utils.task_result import QueryFailed
specs = list(options.COMMON_ARGUMENT_SPEC.items()) + list(options.WAIT_ARGUMENT_SPEC.items())
values = {name: spec.get('default') for name, spec in specs}
values.update(region='ap-guangzhou', endpoint=url, coalesce=False)
given = options.Options(values, [('options', {'secret_id': os.environ['BUDGET_ID'], 'secret_key': os.environ['BUDGET_KEY']})])
time.sleep(max(0.0, start - time.time()))
reads = failures = 0
began = time.time()
while True:
    try:
        found = status_query.query_instance_status(given, ids, environ=dict(os.environ))
        assert len(found.instance_states) == len(ids)
        reads += 1
    except QueryFailed:
        failures += 1
    if time.time() >= until:
        break
print(json.dumps({'reads': reads, 'failures': failures, 'began': began, 'ended': time.time()}))
'''


# The same read with the official SDK, told the budget: one DescribeInstancesStatus of 100 IDs every 1/rate seconds,
# the best pacing a script that knows the budget can do (it cannot learn one it is not told).
SDK_READER = r'''
import json, sys, time
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models
host, ids_file, rate, secret_id, secret_key = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
with open(ids_file) as handle:
    ids = json.load(handle)
client = cvm_client.CvmClient(credential.Credential(secret_id, secret_key), 'ap-guangzhou',
                              ClientProfile(httpProfile=HttpProfile(protocol='http', endpoint=host, keepAlive=True)))
began = time.time()
next_at = began
for start in range(0, len(ids), 100):
    time.sleep(max(0.0, next_at - time.time()))
    next_at += 1.0 / rate
    request = models.DescribeInstancesStatusRequest()
    request.InstanceIds = ids[start:start + 100]
    request.Limit = 100
    client.DescribeInstancesStatus(request)
print(json.dumps({'began': began, 'ended': time.time()}))
'''


def sdk_reader(instances, rate_limit, latency):
    """The SDK script reading ``instances`` against a budget of ``rate_limit``, paced at exactly that rate."""
    workdir = tempfile.mkdtemp(prefix='budget-sdk-')
    ids = ['ins-99%06d' % i for i in range(instances)]
    process, url = start_emulator(workdir, ids, rate_limit, latency)
    ids_file = os.path.join(workdir, 'ids.json')
    with open(ids_file, 'w') as handle:
        json.dump(ids, handle)
    try:
        run = json.loads(subprocess.run([sys.executable, '-c', SDK_READER, url.split('://', 1)[1], ids_file,
                                         str(rate_limit), SECRET_ID, SECRET_KEY], stdout=subprocess.PIPE,
                                        universal_newlines=True, check=True).stdout)
        counted = stats(url)
    finally:
        process.terminate()
        process.wait()
    return {'calls': counted['requests'], 'throttled': counted['throttled'],
            'span': round(run['ended'] - run['began'], 2), 'floor': math.ceil(instances / 100.0) / float(rate_limit)}


def start_emulator(workdir, instances, rate_limit, latency, refused_share=0.0):
    """The emulator, its budget enforced, and ``refused_share`` of the calls refused for their rate at random: what a
    service under load elsewhere answers whatever this caller's own pace."""
    scenario = os.path.join(workdir, 'scenario.json')
    faults = [{'kind': 'api_error', 'code': 'RequestLimitExceeded', 'rate': refused_share}] if refused_share else []
    with open(scenario, 'w') as handle:
        json.dump({'instances': [{'ids': instances, 'region': 'ap-guangzhou', 'state': 'RUNNING'}],
                   'faults': faults}, handle)
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                SECRET_KEY, '--scenario', scenario, '--rate-limit', str(rate_limit),
                                '--latency', str(latency)], stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


def stats(url):
    import requests  # the collection's own dependency
    return requests.get(url + '/_emulator/stats', timeout=5).json()


def run_readers(collections, groups, rate_limit, latency, seconds, shared_home, refused_share=0.0):
    """One process per group of IDs, all starting at one moment; each reads its group once, or for ``seconds``."""
    workdir = tempfile.mkdtemp(prefix='budget-')
    process, url = start_emulator(workdir, [i for group in groups for i in group], rate_limit, latency, refused_share)
    # Time for every process to start and import the collection before the common start (2 cores, 50 processes).
    start = time.time() + 3.0 + 0.1 * len(groups)
    readers = []
    try:
        for n, group in enumerate(groups):
            home = os.path.join(workdir, 'home' if shared_home else 'home-%d' % n)
            os.makedirs(home, exist_ok=True)
            environ = {name: value for name, value in os.environ.items()
                       if not name.startswith(('TENCENTCLOUD_', 'TKE_')) and name != 'XDG_RUNTIME_DIR'}
            environ.update(HOME=home, BUDGET_ID=SECRET_ID, BUDGET_KEY=SECRET_KEY)
            # The IDs in a file: ten thousand of them are more than one argument may hold.
            ids_file = os.path.join(workdir, 'ids-%d.json' % n)
            with open(ids_file, 'w') as handle:
                json.dump(group, handle)
            readers.append(subprocess.Popen(
                [sys.executable, '-c', READER, collections, url, ids_file, repr(start),
                 repr(start + seconds)], stdout=subprocess.PIPE, universal_newlines=True, env=environ))
        results = [json.loads(reader.communicate()[0]) for reader in readers]
        counted = stats(url)
    finally:
        process.terminate()
        process.wait()
    return results, counted


def controllers(collections, count, instances, rate_limit, latency):
    """``count`` controllers sharing nothing but the account, each reading ``instances`` of its own once."""
    groups = [['ins-%02d%06d' % (n, i) for i in range(instances)] for n in range(count)]
    results, counted = run_readers(collections, groups, rate_limit, latency, 0.0, shared_home=False)
    calls = counted['requests']
    floor_calls = count * math.ceil(instances / 100.0)
    span = max(r['ended'] for r in results) - min(r['began'] for r in results)
    return {'controllers': count, 'instances': instances, 'rate_limit': rate_limit,
            'reads_ok': sum(r['reads'] for r in results), 'reads_failed': sum(r['failures'] for r in results),
            'calls': calls, 'throttled': counted['throttled'], 'throttled_share': counted['throttled'] / calls,
            'span': round(span, 2), 'floor': floor_calls / float(rate_limit)}


def pollers(collections, count, rate_limit, latency, seconds, refused_share=0.0):
    """``count`` processes of one user polling an instance each, alone, for ``seconds``; ``refused_share`` of the
    calls refused at random."""
    groups = [['ins-p%07d' % n] for n in range(count)]
    results, counted = run_readers(collections, groups, rate_limit, latency, seconds, shared_home=True,
                                   refused_share=refused_share)
    span = max(r['ended'] for r in results) - min(r['began'] for r in results)
    answered = counted['requests'] - counted['throttled']
    return {'processes': count, 'rate_limit': rate_limit, 'seconds': round(span, 2),
            'reads_ok': sum(r['reads'] for r in results), 'reads_failed': sum(r['failures'] for r in results),
            'calls': counted['requests'], 'throttled': counted['throttled'],
            'throttled_share': counted['throttled'] / counted['requests'],
            'achieved_rate': round(answered / span, 2), 'refused_share': refused_share,
            'reads_per_second': round(sum(r['reads'] for r in results) / span, 2)}


PACING_RUNS = 3


def pacing_rows(collections, latency, runs=PACING_RUNS):
    """Every pacing target measured ``runs`` times, each run on fresh homes (nothing learnt before it)."""
    measured = {
        'fresh': [controllers(collections, 1, 10000, 40, latency) for _run in range(runs)],
        'slow budget': [controllers(collections, 1, 10000, 10, latency) for _run in range(runs)],
        'three controllers': [controllers(collections, 3, 3000, 10, latency) for _run in range(runs)],
        'pollers': [(pollers(collections, 30, 40, latency, 10.0),
                     pollers(collections, 30, 40, latency, 10.0, refused_share=0.1)) for _run in range(runs)],
        'sdk': [sdk_reader(10000, 10, latency) for _run in range(runs)],
    }
    return measured


def render_pacing(measured, latency):
    """The pacing section of docs/performance.md: each target, its median and its first run."""
    def spans(rows):
        return [row['span'] / row['floor'] for row in rows]

    def shares(rows):
        return [100.0 * row['throttled_share'] for row in rows]

    def slowdowns(pairs):
        return [clean['reads_per_second'] / refused['reads_per_second'] for clean, refused in pairs]
    rows = [
        ('a fresh controller reads 10,000 IDs at the documented 40 a second', 'span / floor', '<= 1.10',
         spans(measured['fresh']), '%.2f'),
        ('one controller reads 10,000 instances against a budget of 10 a second', 'span / floor', '<= 1.30',
         spans(measured['slow budget']), '%.2f'),
        ('three controllers, 3,000 instances each, one budget of 10 a second', 'throttled share', '<= 10%',
         shares(measured['three controllers']), '%.1f%%'),
        ('30 forks poll alone at 40 a second, 10% of calls refused at random', 'time for the same reads, '
         'against none refused', '<= 1.50', slowdowns(measured['pollers']), '%.2f'),
        ('beside it: a script on the official SDK, told the budget, reads 10,000 instances at 10 a second',
         'span / floor', '(none)', spans(measured['sdk']), '%.2f'),
    ]
    lines = [
        '## Pacing: fast alone, polite together',
        '',
        'What the adaptive rate costs and saves (`tests/benchmarks/shared_budget.py pacing`, %g ms added to every'
        % (latency * 1000),
        'answer). Every run starts from nothing learnt (fresh homes); the median and the first run of %d are shown.'
        % len(measured['fresh']),
        'A floor is the calls at the budget\'s rate: 100 calls at 40 a second is 2.5 s, at 10 a second 10 s. The',
        'random refusals are `RequestLimitExceeded` answers the emulator gives whatever the pace (the account\'s',
        'budget spent elsewhere for a moment): a stray refusal among many answers lowers nothing.',
        '',
        '| what | measure | target | median | first run |',
        '| --- | --- | ---: | ---: | ---: |',
    ]
    for what, measure, target, values, form in rows:
        median = sorted(values)[len(values) // 2]
        lines.append('| %s | %s | %s | %s | %s |' % (what, measure, target, form % median, form % values[0]))
    lines.append('')
    return lines


def section_command(doc, run, render, runs):
    """The command line of a script that writes one section of the performance page: ``--latency`` and ``--runs``
    (default ``runs``), then the section's lines, measured by ``run(latency, runs)``, printed."""
    parser = argparse.ArgumentParser(description=doc.split('\n', maxsplit=1)[0])
    parser.add_argument('--latency', type=float, default=0.05)
    parser.add_argument('--runs', type=int, default=runs)
    args = parser.parse_args()
    print('\n'.join(render(run(args.latency, args.runs), args.latency)))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--collections', default=os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '..')),
                        help='the directory holding ansible_collections/ (default: the one of this tree)')
    parser.add_argument('--rate-limit', type=int, default=10)
    parser.add_argument('--latency', type=float, default=0.05)
    parser.add_argument('kind', choices=('controllers', 'pollers', 'pacing'))
    parser.add_argument('--count', type=int)
    parser.add_argument('--instances', type=int, default=3000)
    parser.add_argument('--seconds', type=float, default=10.0)
    parser.add_argument('--refused-share', type=float, default=0.0,
                        help='pollers: this share of the calls refused for their rate at random (0.1: 10%%)')
    args = parser.parse_args()
    if args.kind == 'pacing':
        print('\n'.join(render_pacing(pacing_rows(args.collections, args.latency), args.latency)))
        return 0
    if args.kind == 'controllers':
        result = controllers(args.collections, args.count or 3, args.instances, args.rate_limit, args.latency)
    else:
        result = pollers(args.collections, args.count or 50, args.rate_limit, args.latency, args.seconds,
                         args.refused_share)
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
