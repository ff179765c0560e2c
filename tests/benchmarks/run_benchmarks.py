# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make bench``: how close one poll comes to the API's limits, and how a read compares with tccli and the SDK.

Everything runs against the local CVM emulator with its 40 requests per second enforced and an added latency per
answer. The tables go to docs/performance.md; nothing here is timed inside the test suite.
"""

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
EMULATOR = os.path.join(COLLECTION, 'tests', 'emulator')
SECRET_ID = 'AKIDbench00000000000000000000000000000'
SECRET_KEY = 'bench-secret-key'
FLEET = ['ins-%08d' % n for n in range(10000)]
# Transitions land at different points between two polls (interval 1 s), so the worst case shows up.
DETECTION_DELAYS = [3.1 + 0.2 * (n % 5) for n in range(20)]
SIZES = (1, 100, 1000, 10000)


def start_emulator(workdir, latency, *options):
    scenario = os.path.join(workdir, 'scenario.json')
    with open(scenario, 'w') as handle:
        json.dump({'instances': [
            {'ids': FLEET, 'region': 'ap-guangzhou', 'state': 'RUNNING'},
        ] + [{'id': 'ins-d%07d' % n, 'region': 'ap-guangzhou',
              'timeline': [{'state': 'PENDING', 'seconds': delay}, {'state': 'RUNNING'}]}
             for n, delay in enumerate(DETECTION_DELAYS)]}, handle)
    process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                SECRET_KEY, '--scenario', scenario, '--latency', str(latency)] + list(options),
                               stdout=subprocess.PIPE, universal_newlines=True)
    return process, process.stdout.readline().strip()


def collection_api():
    """The collection's own shared code, imported the way Ansible lays it out."""
    sys.path.insert(0, os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    from ansible_collections.tencentcloud.cloud.plugins.module_utils import options, status_query
    return status_query, options


def option_values(url, **extra):
    _status_query, options = collection_api()
    specs = list(options.COMMON_ARGUMENT_SPEC.items()) + list(options.WAIT_ARGUMENT_SPEC.items())
    values = {name: spec.get('default') for name, spec in specs}
    values.update(region='ap-guangzhou', endpoint=url, **extra)
    return values


def poll_rows(url, runs):
    status_query, options = collection_api()
    credentials = [('options', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY})]
    rows = []
    for size in SIZES:
        times, calls = [], []
        for _run in range(runs):
            started = time.monotonic()
            result = status_query.query_instance_status(options.Options(option_values(url), credentials), FLEET[:size])
            times.append(time.monotonic() - started)
            calls.append(len(result.request_ids))
            assert len(result.instance_states) == size
            time.sleep(1.0)  # let the service's bucket refill, as between two polls of a wait
        floor_calls = math.ceil(size / 100)
        floor_seconds = (floor_calls - 1) / 40.0
        rows.append((size, max(calls), floor_calls, statistics.median(times), floor_seconds))
    return rows


def inventory_rows(workdir, latency, runs):
    """Listing the 10,020 instances of the region as the inventory plugin does: in-process and as ansible-inventory.

    On an emulator of its own: after describing 10,000 instances a hundred times over, an emulator answers the other
    measurements differently (the module's peak memory read 44 MiB before and 56-78 MiB after, on the same answers).
    """
    process, url = start_emulator(workdir, latency)
    try:
        return _inventory_rows(url, runs)
    finally:
        process.terminate()
        process.wait()


def _inventory_rows(url, runs):
    _status_query, options = collection_api()
    from ansible_collections.tencentcloud.cloud.plugins.plugin_utils import instance_listing
    credentials = [('options', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY})]
    times, calls = [], []
    for _run in range(runs):
        before = emulator_requests(url)
        started = time.monotonic()
        # The first run starts with nothing learnt of the budget (slow start); the others as a controller's next.
        listing = instance_listing.list_instances(options.Options(option_values(url), credentials), None, {})
        times.append(time.monotonic() - started)
        calls.append(emulator_requests(url) - before)
        assert len(listing.instances['ap-guangzhou']) == len(FLEET) + len(DETECTION_DELAYS)
        time.sleep(1.0)
    source = os.path.join(tempfile.mkdtemp(prefix='bench-inventory-'), 'bench_tencentcloud_cvm.yml')
    with open(source, 'w') as handle:
        handle.write('plugin: tencentcloud.cloud.cvm\nregions: [ap-guangzhou]\nendpoint: %s\nsecret_id: %s\n'
                     'secret_key: %s\n' % (url, SECRET_ID, SECRET_KEY))
    environ = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    commands = []
    for _run in range(runs):
        started = time.monotonic()
        subprocess.run(['ansible-inventory', '-i', source, '--list', '--output', source + '.json'], env=environ,
                       check=True, stdout=subprocess.DEVNULL)
        commands.append(time.monotonic() - started)
        time.sleep(1.0)
    floor_calls = math.ceil((len(FLEET) + len(DETECTION_DELAYS)) / 100)
    return (max(calls), floor_calls, statistics.median(times), (floor_calls - 1) / 40.0, statistics.median(commands),
            times[0])


def emulator_requests(url):
    import requests
    return requests.get(url + '/_emulator/stats', timeout=5).json()['requests']


def detection_rows(url, runs, interval):
    status_query, options = collection_api()
    credentials = [('options', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY})]
    latencies = []
    for run in range(runs):
        instance = 'ins-d%07d' % run
        values = option_values(url, wait_for=['RUNNING'], wait_interval=interval)
        # The first poll names the instance, which starts its PENDING phase; the emulator starts it a little later
        # (after its added latency), so this measure errs on the long side by about that much.
        started = time.monotonic()
        status_query.query_instance_status(options.Options(values, credentials), [instance])
        latencies.append(time.monotonic() - started - DETECTION_DELAYS[run])
    return statistics.median(latencies), max(latencies)


def module_peak_memory(url, workdir):
    """Peak RSS (MiB) of the module process reading 10,000 instances, as Ansible runs it on a host."""
    arguments = os.path.join(workdir, 'args.json')
    with open(arguments, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': {'instance_ids': FLEET, 'region': 'ap-guangzhou', 'endpoint': url,
                                           'secret_id': SECRET_ID, 'secret_key': SECRET_KEY}}, handle)
    environ = dict(os.environ, PYTHONPATH=os.path.abspath(os.path.join(COLLECTION, '..', '..', '..')))
    process = subprocess.Popen([sys.executable, '-m', 'ansible_collections.tencentcloud.cloud.plugins.modules.'
                                'cvm_instance_status', arguments], stdout=subprocess.PIPE, env=environ)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    result = json.loads(output)
    assert status == 0 and len(result['instance_states']) == 10000, output[:500]
    return usage.ru_maxrss / 1024.0


TRUST_THE_RUN_CA = '''import os
import certifi
certifi.where = lambda: os.environ['BENCH_CA_BUNDLE']
'''
SDK_SCRIPT = '''
import sys
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models
client = cvm_client.CvmClient(credential.Credential(sys.argv[2], sys.argv[3]), "ap-guangzhou",
                              ClientProfile(httpProfile=HttpProfile(endpoint=sys.argv[1])))
request = models.DescribeInstancesStatusRequest()
request.InstanceIds = ["ins-00000001"]
print(client.DescribeInstancesStatus(request).to_json_string())
'''


def one_read_rows(runs, bench_python, workdir, latency):
    """Whole commands, start to exit, and one more task of each kind inside a running play: two groups."""
    # The emulator serves TLS with a throwaway authority, whose certificate it writes as workdir/ca.pem.
    process, url = start_emulator(workdir, latency, '--tls-self-signed', workdir)
    authority = os.path.join(workdir, 'ca.pem')
    host = url.split('://', 1)[1]
    bench_bin = os.path.dirname(bench_python)
    # tccli and the SDK verify with certifi's bundle whatever the environment says, and tccli has no option for
    # another: a sitecustomize on their PYTHONPATH points certifi at the run's throwaway authority, so nothing
    # installed is touched.
    with open(os.path.join(workdir, 'sitecustomize.py'), 'w') as handle:
        handle.write(TRUST_THE_RUN_CA)
    trusting = dict(os.environ, BENCH_CA_BUNDLE=authority,
                    PYTHONPATH=os.pathsep.join(filter(None, [workdir, os.environ.get('PYTHONPATH')])))
    inventory = os.path.join(workdir, 'inventory')
    with open(inventory, 'w') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    collections = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
    ansible_env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_DEPRECATION_WARNINGS='false')
    commands = {
        'Ansible task (ansible ad-hoc, module)': (
            ['ansible', 'localhost', '-i', inventory, '-m', 'tencentcloud.cloud.cvm_instance_status', '-a',
             json.dumps({'instance_ids': ['ins-00000001'], 'region': 'ap-guangzhou', 'endpoint': url,
                         'ca_bundle': authority, 'secret_id': SECRET_ID, 'secret_key': SECRET_KEY})], ansible_env),
        'tccli cvm DescribeInstancesStatus': (tccli_command(bench_bin, host), dict(trusting, HOME=workdir)),
        'Python script on the official SDK': ([bench_python, '-c', SDK_SCRIPT, host, SECRET_ID, SECRET_KEY], trusting),
    }
    in_play = {
        'module task': module_task(url, authority),
        'command: task running tccli': command_task(tccli_command(bench_bin, host)),
        'command: task running the SDK script': command_task([bench_python, '-c', SDK_SCRIPT, host, SECRET_ID,
                                                              SECRET_KEY]),
    }
    standalone, marginal = {}, {}
    try:
        for name, task in in_play.items():
            marginal[name] = marginal_task_seconds(runs, workdir, inventory, dict(ansible_env, **trusting), task)
        for name, (command, environ) in commands.items():
            times = []
            for _run in range(runs):
                started = time.monotonic()
                completed = subprocess.run(command, env=environ, capture_output=True, universal_newlines=True, check=False)
                times.append(time.monotonic() - started)
                assert completed.returncode == 0 and 'RUNNING' in completed.stdout, (name, completed.stdout[-800:],
                                                                                     completed.stderr[-800:])
            standalone[name] = statistics.median(times)
    finally:
        process.terminate()
        process.wait()
    return standalone, marginal


def tccli_command(bench_bin, host):
    return [os.path.join(bench_bin, 'tccli'), 'cvm', 'DescribeInstancesStatus', '--region', 'ap-guangzhou',
            '--InstanceIds', '["ins-00000001"]', '--endpoint', host, '--secretId', SECRET_ID, '--secretKey', SECRET_KEY]


def module_task(url, authority):
    return ('    - tencentcloud.cloud.cvm_instance_status:\n        instance_ids: [ins-00000001]\n'
            '        region: ap-guangzhou\n        endpoint: %s\n        ca_bundle: %s\n        secret_id: %s\n'
            '        secret_key: %s\n' % (url, authority, SECRET_ID, SECRET_KEY))


def command_task(argv):
    return '    - ansible.builtin.command:\n        argv: %s\n      changed_when: false\n' % json.dumps(argv)


def marginal_task_seconds(runs, workdir, inventory, environ, task):
    """(time of a play with 11 such tasks - time of a play with 1) / 10: what one more task costs a running play."""
    durations = {}
    for count in (1, 11):
        playbook = os.path.join(workdir, 'reads-%d.yml' % count)
        with open(playbook, 'w') as handle:
            handle.write('- hosts: localhost\n  gather_facts: false\n  tasks:\n' + task * count)
        times = []
        for _run in range(runs):
            started = time.monotonic()
            completed = subprocess.run(['ansible-playbook', '-i', inventory, playbook], env=environ, check=False,
                                       capture_output=True, universal_newlines=True)
            assert completed.returncode == 0, completed.stdout[-2000:]
            times.append(time.monotonic() - started)
        durations[count] = statistics.median(times)
    return (durations[11] - durations[1]) / 10


def machine():
    cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')), '?')
    return '%s, %d cores, Python %s, %s' % (cpu, os.cpu_count(), platform.python_version(), platform.platform())


def fleet_rows(latency, runs):
    """200 hosts, 50 forks, each polling its own instance every 0.1 s: with the shared limiter, and without it.

    Each variant runs ``runs`` times; a row holds the medians, and the range of each figure.
    """
    sys.path.insert(0, HERE)
    import fleet_wait
    rows = []
    for per_process in (False, True):
        results = [fleet_wait.run(200, 50, per_process, 0.1, latency) for _run in range(runs)]
        row = dict(results[0])
        for key in ('succeeded', 'requests', 'throttled', 'seconds'):
            values = [result[key] for result in results]
            row[key] = statistics.median(values)
            row[key + '_range'] = '%s-%s' % (min(values), max(values))
        rows.append(row)
    return rows


# The per-host gate on the release before shared reads and the adaptive rate (commit 1895220), measured once with
# tests/benchmarks/fleet_wait.py at the settings of budget_rows(): that code can no longer run from this tree.
BUDGET_BEFORE = [
    {'gate': 'module', 'coalesce': 'before', 'succeeded': 85, 'hosts': 100, 'requests': 951, 'status_requests': 672,
     'instances_requests': 279, 'throttled': 550, 'seconds': 51.3},
    {'gate': 'lookup', 'coalesce': 'before', 'succeeded': 73, 'hosts': 100, 'requests': 1001, 'status_requests': 736,
     'instances_requests': 265, 'throttled': 634, 'seconds': 42.2},
]


def budget_rows(latency):
    """100 hosts, 25 forks, each gating on its own instance (PENDING 2 to 6 s, 1 s interval), 10 requests a second.

    The module and the lookup in ``when:``, with shared reads and without; one run each.
    """
    sys.path.insert(0, HERE)
    import fleet_wait
    return [fleet_wait.run(100, 25, False, 1.0, latency, rate_limit=10, pending='2-6', coalesce=coalesce, gate=gate)
            for gate in ('module', 'lookup') for coalesce in (True, False)]


def render_budget(budget, latency):
    lines = [
        '## Per-host gates on a shared budget',
        '',
        'The way rolling plays are written: every host of 100, 25 forks at a time, waits for its own instance (the',
        'module, or the lookup in `when:`) with `wait_interval` 1 s; each instance is PENDING for 2 to 6 s once first',
        'asked about. The emulator allows 10 requests a second, what other tools of the account may leave of the 40,',
        'and adds %g ms to every answer (`tests/benchmarks/fleet_wait.py`). "before" is the previous release (commit'
        % (latency * 1000),
        '1895220, measured once on this machine, without the added latency: every poll alone, a fixed 40 requests a',
        'second, and the failed-start watch reading every waiting instance once);',
        '"off" is `coalesce: false` (the rate adapts, reads are alone); "on" is the default. One run each.',
        '',
        '| gate | coalesce | hosts passed | calls | DescribeInstancesStatus | DescribeInstances | throttled answers '
        '| throttled share | wall time (s) |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    order = {'before': 0, False: 1, True: 2}
    for row in sorted(BUDGET_BEFORE + budget, key=lambda row: (row['gate'], order[row['coalesce']])):
        coalesce = {True: 'on', False: 'off'}.get(row['coalesce'], row['coalesce'])
        share = 100.0 * row['throttled'] / row['requests'] if row['requests'] else 0.0
        lines.append('| %s | %s | %d / %d | %d | %d | %d | %d | %.1f%% | %.1f |' % (
            row['gate'], coalesce, row['succeeded'], row['hosts'], row['requests'], row['status_requests'],
            row['instances_requests'], row['throttled'], share, row['seconds']))
    lines.append('')
    return lines


# The same measurements on the tree before the budget was learnt per action and per burst, with slow start (commit
# 3c5663d), taken once with tests/benchmarks/shared_budget.py --collections pointing at a worktree of that commit.
SHARED_BUDGET_BEFORE = {
    # The median of three runs by throttled share (38, 35 and 39 throttled answers).
    'controllers': {'controllers': 3, 'instances': 3000, 'rate_limit': 10, 'reads_ok': 3, 'reads_failed': 0,
                    'calls': 128, 'throttled': 38, 'throttled_share': 38 / 128.0, 'span': 15.01, 'floor': 9.0},
    'pollers': {'processes': 50, 'rate_limit': 10, 'seconds': 45.28, 'reads_ok': 92, 'reads_failed': 0, 'calls': 131,
                'throttled': 39, 'throttled_share': 39 / 131.0, 'achieved_rate': 2.03},
}
CONTROLLER_RUNS = 3


def shared_budget_rows(latency):
    """Three controllers sharing nothing but the account (3,000 instances each), and fifty forks of one polling
    alone, both against a budget of 10 requests a second."""
    sys.path.insert(0, HERE)
    import shared_budget
    collections = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
    controllers = [shared_budget.controllers(collections, 3, 3000, 10, latency) for _run in range(CONTROLLER_RUNS)]
    pollers = shared_budget.pollers(collections, 50, 10, latency, 10.0)
    return controllers, pollers, shared_budget.pacing_rows(collections, latency)


def render_shared_budget(shared, latency):
    controllers, pollers, pacing = shared
    before = SHARED_BUDGET_BEFORE

    def controller_row(name, row):
        return '| %s | %d / %d | %d | %d | %.1f%% | %.1f | %.1f |' % (
            name, row['reads_ok'], row['controllers'], row['calls'], row['throttled'], 100.0 * row['throttled_share'],
            row['span'], row['span'] / row['floor'])
    ordered = sorted(controllers, key=lambda row: row['throttled'])
    median = ordered[len(ordered) // 2]
    lines = [
        '## One budget, learnt by processes that share nothing',
        '',
        'Three controllers (separate homes, nothing shared on disk: job slices on separate execution nodes) each',
        'read 3,000 instances of their own at the same moment, against an account budget of 10 requests a second',
        '(`tests/benchmarks/shared_budget.py controllers`, %g ms added to every answer). The floor is 90 calls at 10 a'
        % (latency * 1000),
        'second: 9 s. Each controller learns the budget from its own refusals: slow start from half the documented',
        'rate, a jittered decrease once per burst from what the service accepted, a slow climb. "before" is commit',
        '3c5663d, measured once on this machine with the same script; "now" is the median of %d runs by throttled'
        % CONTROLLER_RUNS,
        'share (each run below it).',
        '',
        '| tree | reads that succeeded | calls | throttled | throttled share | span (s) | span / floor |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        controller_row('before', before['controllers']),
        controller_row('now (median)', median),
    ] + [controller_row('now, run %d' % (n + 1), row) for n, row in enumerate(controllers)] + [
        '',
        'Fifty forks of one controller each poll an instance of their own, alone (`coalesce: false`), for 10 s',
        'against the same budget (`shared_budget.py pollers`): what they got of it, and how much of it was refused.',
        '',
        '| tree | calls | throttled | throttled share | answered requests a second |',
        '| --- | ---: | ---: | ---: | ---: |',
    ]
    for name, row in (('before', before['pollers']), ('now', pollers)):
        lines.append('| %s | %d | %d | %.1f%% | %.2f |' % (
            name, row['calls'], row['throttled'], 100.0 * row['throttled_share'], row['achieved_rate']))
    lines.append('')
    import shared_budget
    return lines + shared_budget.render_pacing(pacing, latency)


def power_section(latency, runs):
    """1,000 instances stopped and waited for, then started again (``power_fleet.py``): its lines of the page."""
    sys.path.insert(0, HERE)
    import power_fleet
    return power_fleet.render(power_fleet.run(latency, runs), latency)


def lifecycle_section(latency, runs):
    """100 instances created and gated, then terminated (``lifecycle_fleet.py``): its lines of the page."""
    sys.path.insert(0, HERE)
    import lifecycle_fleet
    return lifecycle_fleet.render(lifecycle_fleet.run(latency, runs), latency)


def selection_section(latency, runs):
    """Selecting by tag over two regions, against naming by ID (``selection.py``): its lines of the page."""
    sys.path.insert(0, HERE)
    import selection
    return selection.render(selection.run(latency, runs), latency)


def event_section(latency, runs):
    """The event source watching 10,000 instances (``event_watch.py``): its lines of the page."""
    sys.path.insert(0, HERE)
    import event_watch
    return event_watch.render(event_watch.read_rows(latency, runs), event_watch.hour_row(), latency, runs)


def flood_section(runs):
    """An endpoint that floods every answer with tags (``hostile_memory.py``): its lines of the page."""
    sys.path.insert(0, HERE)
    import hostile_memory
    return hostile_memory.render(*hostile_memory.measure(runs), runs)


def render(latency, runs, polls, inventory, detection, interval, memory, reads, fleet, fleet_runs, budget, shared,
           power, lifecycle, selection, events, flood):
    lines = [
        '# Performance',
        '',
        'Written by `make bench` (`tests/benchmarks/run_benchmarks.py`); do not edit by hand.',
        '',
        'Machine: %s.' % machine(),
        'Against the local CVM emulator: 40 requests per second enforced, %g ms added to every answer; medians of %d runs.'
        % (latency * 1000, runs),
        '',
        '## One poll of N instances',
        '',
        'The floors: `DescribeInstancesStatus` takes at most 100 IDs, so a poll needs at least ceil(N/100) calls. The',
        'time floor is the collection\'s own pacing: its limiter spaces calls evenly, 1/40 s apart, so the last call',
        'cannot start before (ceil(N/100) - 1) / 40 s. The service documents only "40 requests per second"; if it',
        'allows a burst of 40 within one second (as the emulator\'s token bucket does), up to 40 calls could start at',
        'once and a poll of N <= 4,000 could finish in about one round trip: even spacing gives that up to stay',
        'clear of throttling however other forks and tools of the account are timed.',
        '',
        '| N | calls | floor | wall time (s) | floor (s) | wall time - floor (s) |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    lines += ['| %d | %d | %d | %.3f | %.3f | %.3f |' % (n, calls, floor_calls, seconds, floor, seconds - floor)
              for n, calls, floor_calls, seconds, floor in polls]
    largest = polls[-1]
    lines += [
        '',
        'At N = %d the poll took %.1f%% more than its floor (the floor excludes the last answer\'s round trip).'
        % (largest[0], 100.0 * (largest[3] - largest[4]) / largest[4]),
        '',
        '## The inventory: listing 10,020 instances',
        '',
        'The `tencentcloud.cloud.cvm` inventory reads `DescribeInstances` 100 instances a call, the pages after the',
        'first concurrently under the same pacing, so its floors are those of a poll: ceil(N/100) calls, and',
        '(calls - 1) / 40 s.',
        '',
        '| N | calls | floor | wall time in-process (s) | floor (s) | `ansible-inventory --list` (s) |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
        '| %d | %d | %d | %.3f | %.3f | %.3f |' % ((len(FLEET) + len(DETECTION_DELAYS),) + inventory[:5]),
        '',
        'The pages after the first keep every one of the 10 concurrent calls busy (a call ends, the next starts), so',
        'the listing took %.1f%% more than its floor. The wall time is the median of %d runs; the first of them,'
        % (100.0 * (inventory[2] - inventory[3]) / inventory[3], runs),
        'with nothing learnt of the budget yet (the rate starts at half the documented one and grows fast',
        'until a refusal), took %.3f s (%.1f%% more than the floor).' % (
            inventory[5], 100.0 * (inventory[5] - inventory[3]) / inventory[3]),
        'The `ansible-inventory` column is the whole command: Ansible\'s start-up, the listing, and building the',
        'inventory of 10,020 hosts with their variables.',
        '',
        '## Detection latency',
        '',
        'From an instance\'s transition to RUNNING to the waiting call\'s return, `wait_interval` %g s:' % interval,
        'median %.3f s, worst %.3f s (bound: one interval plus one round trip, %.3f s).' % (
            detection[0], detection[1], interval + latency),
        '',
        '## Memory',
        '',
        'Peak resident memory of the module process reading 10,000 instances: %.1f MiB.' % memory,
        '',
        '## One read: Ansible task, tccli, SDK script',
        '',
        'Each reads one instance over HTTPS (the emulator serves TLS with a throwaway authority, which the module',
        'trusts through `ca_bundle`, and tccli and the SDK through a `sitecustomize` on their `PYTHONPATH` that points',
        'certifi at it; nothing installed is changed). Like is compared with like, in two groups.',
        '',
        '**Inside a running play**, which is how a gate runs: what one more task adds to a play, measured as (a play',
        'of 11 such tasks - a play of 1) / 10. A `command:` task running tccli or the SDK script is how a play would',
        'use them instead of the module.',
        '',
        '| task | seconds per task | ratio to the tccli task |',
        '| --- | ---: | ---: |',
    ]
    standalone, marginal = reads
    tccli_task = marginal['command: task running tccli']
    lines += ['| %s | %.3f | %.2f |' % (name, seconds, seconds / tccli_task) for name, seconds in marginal.items()]
    lines += [
        '',
        '**As a whole command**, from start to exit: the ad-hoc `ansible` row pays Ansible\'s own start-up (loading',
        'the CLI, inventory, a worker), which a play pays once.',
        '',
        '| command | seconds | ratio to tccli |',
        '| --- | ---: | ---: |',
    ]
    tccli_time = standalone['tccli cvm DescribeInstancesStatus']
    lines += ['| %s | %.3f | %.2f |' % (name, seconds, seconds / tccli_time) for name, seconds in standalone.items()]
    lines += [
        '',
        '## Throttling across forks',
        '',
        'A play over 200 hosts with 50 forks, each host waiting for its own instance with `wait_interval` 0.1 s',
        '(`tests/benchmarks/fleet_wait.py`), with the same %g ms added to every answer. "shared" is the collection as'
        % (latency * 1000),
        'shipped: one request schedule, and shared reads, for every process of the user. "per-process" gives each',
        'process a private directory of its own, so that neither is shared, as an in-memory limiter would.',
        'Medians of %d runs each, the range in brackets.' % fleet_runs,
        '',
        '| limiter | hosts succeeded | requests | throttled answers | wall time (s) |',
        '| --- | ---: | ---: | ---: | ---: |',
    ]
    lines += ['| %(limiter)s | %(succeeded)g / %(hosts)d [%(succeeded_range)s] | %(requests)g [%(requests_range)s] | '
              '%(throttled)g [%(throttled_range)s] | %(seconds).1f [%(seconds_range)s] |' % row for row in fleet]
    lines.append('')
    lines += render_budget(budget, latency)
    lines += render_shared_budget(shared, latency)
    lines += power + lifecycle
    lines += selection
    lines += events
    lines += flood
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--latency', type=float, default=0.05, help='seconds added to every answer (default 0.05)')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--interval', type=float, default=1.0, help='wait_interval for the detection latency')
    parser.add_argument('--fleet-runs', type=int, default=2, help='runs of each fleet variant (about 1 min each)')
    parser.add_argument('--bench-python', required=True, help='python of a virtualenv with tccli and the SDK')
    parser.add_argument('--output', required=True)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='bench-')
    process, url = start_emulator(workdir, args.latency)
    try:
        polls = poll_rows(url, args.runs)
        detection = detection_rows(url, args.runs, args.interval)
        memory = module_peak_memory(url, workdir)
    finally:
        process.terminate()
        process.wait()
    try:
        inventory = inventory_rows(workdir, args.latency, args.runs)
        reads = one_read_rows(args.runs, args.bench_python, workdir, args.latency)
    finally:
        shutil.rmtree(workdir)
    fleet = fleet_rows(args.latency, args.fleet_runs)
    budget = budget_rows(args.latency)
    shared = shared_budget_rows(args.latency)
    power = power_section(args.latency, args.runs)
    lifecycle = lifecycle_section(args.latency, args.runs)
    selection = selection_section(args.latency, args.runs)
    events = event_section(args.latency, args.runs)
    flood = flood_section(min(args.runs, 3))
    text = render(args.latency, args.runs, polls, inventory, detection, args.interval, memory, reads, fleet, args.fleet_runs,
                  budget, shared, power, lifecycle, selection, events, flood)
    with open(args.output, 'w') as handle:
        handle.write(text)
    print(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
