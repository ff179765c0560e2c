# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play over many hosts, each waiting on its own instance (the module, or the lookup in ``when:``), on the emulator.

Prints one JSON line: hosts, failed hosts, requests the emulator received, how many it throttled, wall seconds.
``--per-process-limiter`` gives every process its own private directory, so neither the rate limiter's file nor the
shared reads are shared any more: what an in-memory limiter would do. ``--no-coalesce`` turns shared reads off.
``--rate-limit`` is the account's budget the emulator enforces (the documented 40, or what other tools left of it);
``--pending`` how long each instance stays PENDING once first asked about (``3``, or ``2-6`` spread over the hosts).
Exits non-zero if any host failed, or if more answers were throttled, or more calls made, than ``--max-throttled`` and
``--max-requests`` allow.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, '..', 'emulator')
SECRET_ID = 'AKIDfleet0000000000000000000000000000'
SECRET_KEY = 'fleet-secret-key'
PLAYBOOKS = {
    'module': '''
- name: Every host waits for its own instance
  hosts: all
  gather_facts: false
  tasks:
    - name: Wait for RUNNING
      tencentcloud.cloud.cvm_instance_status:
        instance_ids: ["{{ instance_id }}"]
        wait_for: RUNNING
        wait_interval: "{{ wait_interval }}"
        wait_timeout: 300
        coalesce: "{{ coalesce }}"
''',
    'lookup': '''
- name: Every host gates a task on its own instance with the lookup
  hosts: all
  gather_facts: false
  tasks:
    - name: Deploy once the instance runs
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }} is RUNNING"
      when: >-
        lookup('tencentcloud.cloud.cvm_instance_status', instance_id, wait_for='RUNNING',
        wait_interval=wait_interval | float, wait_timeout=300, coalesce=coalesce | bool) == 'RUNNING'
''',
}
# Imported by every Python process started with this directory on PYTHONPATH: a private directory each, where the
# rate limiter looks first.
PER_PROCESS_TMP = 'import os, tempfile\nos.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="fleet-")\n'


def pending_seconds(pending, hosts):
    """Each host's PENDING seconds: ``3`` for all, or ``2-6`` spread evenly over the hosts."""
    low, _dash, high = pending.partition('-')
    low, high = float(low), float(high or low)
    return [low + (high - low) * n / max(1, hosts - 1) for n in range(hosts)]


def prepare(workdir, hosts, per_process, pending, gate):
    ids = ['ins-f%07d' % n for n in range(hosts)]
    with open(os.path.join(workdir, 'scenario.json'), 'w') as handle:
        json.dump({'instances': [{'id': instance_id, 'region': 'ap-guangzhou',
                                  'timeline': [{'state': 'PENDING', 'seconds': seconds}, {'state': 'RUNNING'}]}
                                 for instance_id, seconds in zip(ids, pending_seconds(pending, hosts))]}, handle)
    with open(os.path.join(workdir, 'inventory'), 'w') as handle:
        handle.write('[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n[all]\n' % sys.executable)
        handle.writelines('host%04d instance_id=%s\n' % (n, instance_id) for n, instance_id in enumerate(ids))
    with open(os.path.join(workdir, 'playbook.yml'), 'w') as handle:
        handle.write(PLAYBOOKS[gate])
    if per_process:
        with open(os.path.join(workdir, 'sitecustomize.py'), 'w') as handle:
            handle.write(PER_PROCESS_TMP)


def run(hosts, forks, per_process, wait_interval, latency=0.0, rate_limit=40, pending='3', coalesce=True,
        gate='module'):
    workdir = tempfile.mkdtemp(prefix='fleet-wait-')
    prepare(workdir, hosts, per_process, pending, gate)
    emulator = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                 SECRET_KEY, '--scenario', os.path.join(workdir, 'scenario.json'),
                                 '--latency', str(latency), '--rate-limit', str(rate_limit)],
                                stdout=subprocess.PIPE, universal_newlines=True)
    url = emulator.stdout.readline().strip()
    environ = dict(os.environ, TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
                   TENCENTCLOUD_REGION='ap-guangzhou', TENCENTCLOUD_CVM_ENDPOINT=url, ANSIBLE_FORKS=str(forks),
                   ANSIBLE_DEPRECATION_WARNINGS='false')
    if per_process:
        environ['PYTHONPATH'] = os.pathsep.join(filter(None, [workdir, environ.get('PYTHONPATH')]))
    started = time.monotonic()
    try:
        play = subprocess.run(['ansible-playbook', '-i', os.path.join(workdir, 'inventory'), '-e',
                               'wait_interval=%s coalesce=%s' % (wait_interval, coalesce),
                               os.path.join(workdir, 'playbook.yml')], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, env=environ, check=False)
        seconds = time.monotonic() - started
        import requests  # the collection's own dependency
        stats = requests.get(url + '/_emulator/stats', timeout=5).json()
    finally:
        emulator.terminate()
        emulator.wait()
    failed = sum(int(n) for n in re.findall(r'failed=(\d+)', play.stdout))
    ok_hosts = len(re.findall(r'^host\d+ +: ok=1 ', play.stdout, re.MULTILINE))
    if failed or ok_hosts != hosts:
        sys.stdout.write(play.stdout[-3000:])
    return {'hosts': hosts, 'forks': forks, 'wait_interval': wait_interval, 'gate': gate, 'rate_limit': rate_limit,
            'pending': pending, 'limiter': 'per-process' if per_process else 'shared', 'coalesce': coalesce,
            'succeeded': ok_hosts, 'failed': failed, 'requests': stats['requests'], 'throttled': stats['throttled'],
            'status_requests': stats['actions'].get('DescribeInstancesStatus', 0),
            'instances_requests': stats['actions'].get('DescribeInstances', 0),
            'seconds': round(seconds, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--hosts', type=int, default=200)
    parser.add_argument('--forks', type=int, default=50)
    parser.add_argument('--wait-interval', type=float, default=1.0)
    parser.add_argument('--per-process-limiter', action='store_true')
    parser.add_argument('--no-coalesce', action='store_true')
    parser.add_argument('--lookup', action='store_true', help='gate with the lookup in when: instead of the module')
    parser.add_argument('--rate-limit', type=int, default=40, help="the account's requests per second (default 40)")
    parser.add_argument('--pending', default='3', help='seconds PENDING: 3, or 2-6 spread over the hosts')
    parser.add_argument('--max-throttled', type=int, help='fail if the emulator throttled more answers than this')
    parser.add_argument('--max-requests', type=int, help='fail if the emulator received more requests than this')
    args = parser.parse_args()
    result = run(args.hosts, args.forks, args.per_process_limiter, args.wait_interval, rate_limit=args.rate_limit,
                 pending=args.pending, coalesce=not args.no_coalesce, gate='lookup' if args.lookup else 'module')
    print(json.dumps(result))
    too_many = [(limit, result[key]) for key, limit in (('throttled', args.max_throttled), ('requests', args.max_requests))
                if limit is not None and result[key] > limit]
    return 0 if result['succeeded'] == args.hosts and not too_many else 1


if __name__ == '__main__':
    sys.exit(main())
