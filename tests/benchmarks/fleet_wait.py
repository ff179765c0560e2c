# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play over many hosts, each waiting on its own instance, against the emulator's 40 requests per second.

Prints one JSON line: hosts, failed hosts, requests the emulator received, how many it throttled, wall seconds.
``--per-process-limiter`` gives every process its own private directory, so the rate limiter's file is no longer
shared: what an in-memory limiter would do. Exits non-zero if any host failed, or if more answers were throttled than
``--max-throttled`` allows.
"""

from __future__ import absolute_import, division, print_function

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
PLAYBOOK = '''
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
'''
# Imported by every Python process started with this directory on PYTHONPATH: a private directory each, where the
# rate limiter looks first.
PER_PROCESS_TMP = 'import os, tempfile\nos.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="fleet-")\n'


def prepare(workdir, hosts, per_process):
    ids = ['ins-f%07d' % n for n in range(hosts)]
    with open(os.path.join(workdir, 'scenario.json'), 'w') as handle:
        json.dump({'instances': [{'ids': ids, 'region': 'ap-guangzhou',
                                  'timeline': [{'state': 'PENDING', 'seconds': 3}, {'state': 'RUNNING'}]}]}, handle)
    with open(os.path.join(workdir, 'inventory'), 'w') as handle:
        handle.write('[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n[all]\n' % sys.executable)
        handle.writelines('host%04d instance_id=%s\n' % (n, instance_id) for n, instance_id in enumerate(ids))
    with open(os.path.join(workdir, 'playbook.yml'), 'w') as handle:
        handle.write(PLAYBOOK)
    if per_process:
        with open(os.path.join(workdir, 'sitecustomize.py'), 'w') as handle:
            handle.write(PER_PROCESS_TMP)


def run(hosts, forks, per_process, wait_interval, latency=0.0):
    workdir = tempfile.mkdtemp(prefix='fleet-wait-')
    prepare(workdir, hosts, per_process)
    emulator = subprocess.Popen([sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key',
                                 SECRET_KEY, '--scenario', os.path.join(workdir, 'scenario.json'),
                                 '--latency', str(latency)],
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
                               'wait_interval=%s' % wait_interval, os.path.join(workdir, 'playbook.yml')], stdout=subprocess.PIPE,
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
    return {'hosts': hosts, 'forks': forks, 'wait_interval': wait_interval,
            'limiter': 'per-process' if per_process else 'shared',
            'succeeded': ok_hosts, 'failed': failed, 'requests': stats['requests'], 'throttled': stats['throttled'],
            'seconds': round(seconds, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--hosts', type=int, default=200)
    parser.add_argument('--forks', type=int, default=50)
    parser.add_argument('--wait-interval', type=float, default=1.0)
    parser.add_argument('--per-process-limiter', action='store_true')
    parser.add_argument('--max-throttled', type=int, help='fail if the emulator throttled more answers than this')
    args = parser.parse_args()
    result = run(args.hosts, args.forks, args.per_process_limiter, args.wait_interval)
    print(json.dumps(result))
    throttled_too_often = args.max_throttled is not None and result['throttled'] > args.max_throttled
    return 0 if result['succeeded'] == args.hosts and not throttled_too_often else 1


if __name__ == '__main__':
    sys.exit(main())
