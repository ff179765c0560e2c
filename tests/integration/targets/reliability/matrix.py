# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every fault and bad-input case through the module and the lookup, and write what happened as tables.

Each case runs as Ansible runs it, against a CVM emulator started here: a task of an ``ansible-playbook`` run that
holds the cases sharing an environment (``Runner.batch``), or an ad-hoc ``ansible`` command of its own where the case
needs an environment of its own or is timed.
The observed column is built from the results, so the tables cannot claim what did not happen.

The rows whose claim the load of the machine could break (``TIMED``) run apart from the others: ``--rows timed`` (the
``reliability_timed`` target, with the machine to itself) and ``--rows untimed`` (the ``reliability`` target, beside
the other checks). Each part checks its own rows against the file; the untimed part also checks the text around them.
"""

import argparse
import difflib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings

ANSIBLE_VERSION = subprocess.run(['ansible', '--version'], stdout=subprocess.PIPE, universal_newlines=True,
                                 check=True).stdout.split('[core ', 1)[1].split(']', 1)[0]
COLLECTION = os.path.join(os.environ['ANSIBLE_COLLECTIONS_PATH'], 'ansible_collections', 'tencentcloud', 'cloud')
EMULATOR = os.path.join(COLLECTION, 'tests', 'emulator')
HERE = os.path.dirname(os.path.abspath(__file__))
SECRET_ID = 'AKIDreliability00000000000000000000000'
SECRET_KEY = 'reliability-secret-key-MUST-NOT-LEAK'
TOKEN = 'reliability-token-MUST-NOT-LEAK'
FAULT_IDS = {name: 'ins-%08d' % n for n, name in enumerate([
    'RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded', 'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
    'RequestLimitExceeded.IPLimitExceeded', 'InternalError', 'http500', 'http502', 'http503', 'reset', 'slow',
    'truncated', 'no_response', 'UnauthorizedOperation',
    'redirect307', 'redirect302', 'trickle', 'silent', 'gzip_bomb', 'oversized', 'endless', 'duplicate', 'echo',
    'escape', 'long_page', 'AuthFailure.UnauthorizedOperation'])}
HIBERNATING_ID = 'ins-hiber001'
ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/deploy'
SCENARIO = {
    # Credentials the emulator's STS and metadata service hand out, for the credential sources' rows.
    'instance_role': {'name': 'CVM_QcsRole', 'lifetime': 3600},
    'roles': [{'arn': ROLE_ARN}],
    'instances': [{'ids': sorted(FAULT_IDS.values()) + ['ins-ok000001'], 'region': 'ap-guangzhou', 'state': 'RUNNING'},
                  # A state the API may add one day: reported as it is, neither a target nor a failure.
                  {'id': HIBERNATING_ID, 'region': 'ap-guangzhou', 'state': 'HIBERNATING'}],
    'faults': [dict(spec, instance=FAULT_IDS[name], count=spec.get('count', 2)) for name, spec in [
        ('RequestLimitExceeded', {'kind': 'api_error', 'code': 'RequestLimitExceeded'}),
        ('RequestLimitExceeded.UinLimitExceeded', {'kind': 'api_error', 'code': 'RequestLimitExceeded.UinLimitExceeded'}),
        ('RequestLimitExceeded.GlobalRegionUinLimitExceeded',
         {'kind': 'api_error', 'code': 'RequestLimitExceeded.GlobalRegionUinLimitExceeded'}),
        ('RequestLimitExceeded.IPLimitExceeded', {'kind': 'api_error', 'code': 'RequestLimitExceeded.IPLimitExceeded'}),
        ('InternalError', {'kind': 'api_error', 'code': 'InternalError'}),
        ('http500', {'kind': 'http_status', 'status': 500}),
        ('http502', {'kind': 'http_status', 'status': 502}),
        ('http503', {'kind': 'http_status', 'status': 503}),
        ('reset', {'kind': 'reset'}),
        ('slow', {'kind': 'slow', 'seconds': 2, 'count': 1}),
        ('truncated', {'kind': 'truncated'}),
        ('no_response', {'kind': 'no_response'}),
        ('UnauthorizedOperation', {'kind': 'api_error', 'code': 'UnauthorizedOperation', 'count': 100}),
        ('AuthFailure.UnauthorizedOperation',
         {'kind': 'api_error', 'code': 'AuthFailure.UnauthorizedOperation', 'count': 100}),
        ('redirect307', {'kind': 'redirect', 'status': 307, 'count': 100}),
        ('redirect302', {'kind': 'redirect', 'status': 302, 'count': 100}),
        ('trickle', {'kind': 'trickle', 'interval': 1, 'count': 100}),
        ('silent', {'kind': 'silent', 'seconds': 30, 'count': 100}),
        ('gzip_bomb', {'kind': 'gzip_bomb', 'size': 1 << 30, 'count': 100}),
        ('oversized', {'kind': 'oversized', 'size': 500 << 20, 'count': 100}),
        ('endless', {'kind': 'endless', 'count': 100}),
        ('duplicate', {'kind': 'duplicate', 'count': 100}),
        ('echo', {'kind': 'echo', 'code': 'InvalidParameter', 'count': 100}),
        ('escape', {'kind': 'escape', 'code': 'InvalidParameter', 'size': 5000000, 'count': 100}),
        ('long_page', {'kind': 'long_page', 'count': 100}),
    ]],
}


class Emulator:
    def __init__(self, workdir, name, *options, scenario=None):
        scenario_file = os.path.join(workdir, 'scenario-%s.json' % name)
        with open(scenario_file, 'w') as handle:
            json.dump(scenario or SCENARIO, handle)
        self.process = subprocess.Popen(
            [sys.executable, EMULATOR, '--port', '0', '--secret-id', SECRET_ID, '--secret-key', SECRET_KEY,
             '--token', TOKEN, '--scenario', scenario_file] + list(options), stdout=subprocess.PIPE,
            universal_newlines=True)
        self.url = self.process.stdout.readline().strip()
        self.name = name
        self.reads = 0

    def requests(self):
        return self.stats()['requests']

    def stats(self):
        """What the emulator counted; each call is itself a connection, counted in ``self.reads``."""
        self.reads += 1
        import requests  # the collection's own dependency, present wherever it runs
        from urllib3.exceptions import InsecureRequestWarning

        with warnings.catch_warnings():
            warnings.simplefilter('ignore', InsecureRequestWarning)  # the TLS emulator's counter, read unverified
            return requests.get(self.url + '/_emulator/stats', verify=False, timeout=5).json()

    def stop(self):
        self.process.terminate()
        self.process.wait()


def run_ansible(args, environ, workdir):
    """One ad-hoc ``ansible`` run: (failed, result dict, whole output).

    It runs in the work directory, outside the collection's tree, for the same reason as ``ANSIBLE_PLAYBOOK_DIR``.
    """
    completed = subprocess.run(['ansible', 'localhost'] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, env=environ, check=False, cwd=workdir)
    output = completed.stdout
    marker = re.search(r'^localhost \| [A-Z!]+ => ', output, re.MULTILINE)
    result = json.JSONDecoder().raw_decode(output[marker.end():])[0] if marker else {}
    return completed.returncode != 0, result, output


# The IDs travel in an extra-vars file: 10,000 of them do not fit in one command-line argument.
def module_args(options):
    return ['-m', 'tencentcloud.cloud.cvm_instance_status', '-a', json.dumps(dict(options, instance_ids='{{ case_ids }}'))]


def lookup_args():
    # The options travel as a variable too: a literal key in the expression would be the playbook's own leak, since
    # Ansible quotes a failed expression in its error.
    return ['-m', 'ansible.builtin.debug', '-a',
            'msg={{ query("tencentcloud.cloud.cvm_instance_status", case_ids, **case_options) }}']


def batch_play(via, cases):
    """One play with a task per case, each case's IDs and options in its vars, as ``module_args``/``lookup_args``."""
    tasks = []
    for number, (instance_ids, options) in enumerate(cases):
        task = {'name': 'case %d' % number, 'ignore_errors': True,
                'vars': {'case_ids': instance_ids, 'case_options': options}}
        if via == 'module':
            task['tencentcloud.cloud.cvm_instance_status'] = dict(options, instance_ids='{{ case_ids }}')
        else:
            task['ansible.builtin.debug'] = {
                'msg': '{{ query("tencentcloud.cloud.cvm_instance_status", case_ids, **case_options) }}'}
        tasks.append(task)
    return [{'name': 'cases', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]


def task_outputs(output):
    """What a playbook run printed for each task: from its ``TASK [`` banner to the next banner or the recap."""
    body = output.split('\nPLAY RECAP ', 1)[0]
    return re.split(r'^TASK \[', body, flags=re.MULTILINE)[1:]


def task_result(output):
    """(failed, result dict) of one task's output: the result is printed in full when the task failed."""
    marker = re.search(r'^fatal: \[localhost\]: FAILED! => ', output, re.MULTILINE)
    if not marker:
        return False, {}
    return True, json.JSONDecoder().raw_decode(output[marker.end():])[0]


class Runner:
    def __init__(self, workdir):
        # Nothing of the machine's: no variable of the collection's but the case's, no runtime directory of the user's,
        # and a credentials file of the run's own (otherwise /etc/tencentcloud/credentials would be read).
        machine = {name: value for name, value in os.environ.items()
                   if not name.startswith(('TENCENTCLOUD_', 'TKE_')) and name != 'XDG_RUNTIME_DIR'}
        no_profiles = os.path.join(workdir, 'credentials')
        with open(no_profiles, 'w'):
            pass
        self.environ = dict(machine, TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
                            TENCENTCLOUD_CREDENTIALS_FILE=no_profiles,
                            TENCENTCLOUD_SECURITY_TOKEN=TOKEN, TENCENTCLOUD_REGION='ap-guangzhou',
                            ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
                            ANSIBLE_DEPRECATION_WARNINGS='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                            HOME=workdir,
                            # Off a CVM, as every case is unless it says otherwise: a closed local port, no DNS.
                            TENCENTCLOUD_METADATA_ENDPOINT='http://127.0.0.1:%d' % _closed_port())
        # ansible-test points this into the collection, which makes Ansible warn it runs "with default collection".
        self.environ.pop('ANSIBLE_PLAYBOOK_DIR', None)
        self.workdir = workdir
        self.outputs = []

    def run(self, via, emulator, instance_ids, options):
        """One case through the module or the lookup: (via, failed, result, output, requests it made)."""
        ids_file = os.path.join(self.workdir, 'case_ids.json')
        with open(ids_file, 'w') as handle:
            json.dump({'case_ids': instance_ids, 'case_options': options}, handle)
        args = (module_args(options) if via == 'module' else lookup_args()) + ['-e', '@' + ids_file]
        endpoint = options.get('endpoint', emulator.url if emulator else '')
        before = emulator.requests() if emulator else 0
        started = time.monotonic()
        environ = dict(self.environ, TENCENTCLOUD_CVM_ENDPOINT=endpoint)
        if emulator:
            environ['TENCENTCLOUD_STS_ENDPOINT'] = emulator.url
        failed, result, output = run_ansible(args, environ, self.workdir)
        self.last_seconds = time.monotonic() - started
        self.outputs.append((args, output))
        return via, failed, result, output, (emulator.requests() - before) if emulator else None

    def batch(self, via, emulator, cases, environ=None):
        """Cases ``[(instance_ids, options)]`` through ``via`` as the tasks of one ``ansible-playbook`` run, each with
        ``ignore_errors``: ``[(via, failed, result, output, requests it made)]`` as ``run`` gives, in order.

        Only cases that see the same environment (the runner's, or ``environ``) share a run. The lookup runs in the
        worker Ansible forks for each task, and the module in a process of its own, so a case sees nothing of the one
        before it but what separate runs would share too (the files of the host). Each task's output is what the run
        printed from its banner on.
        """
        playbook = os.path.join(self.workdir, 'batch.json')
        with open(playbook, 'w') as handle:
            json.dump(batch_play(via, cases), handle)
        counts = os.path.join(self.workdir, 'batch-requests.json')
        environ = dict(self.environ if environ is None else environ, TENCENTCLOUD_CVM_ENDPOINT=emulator.url,
                       TENCENTCLOUD_STS_ENDPOINT=emulator.url, ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                       ANSIBLE_CALLBACKS_ENABLED='case_requests', CASE_REQUESTS_FILE=counts,
                       CASE_REQUESTS_STATS_URL=emulator.url + '/_emulator/stats')
        completed = subprocess.run(['ansible-playbook', playbook], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   universal_newlines=True, env=environ, check=False, cwd=self.workdir)
        self.outputs.append((['ansible-playbook', via] + [json.dumps(case) for case in cases], completed.stdout))
        outputs = task_outputs(completed.stdout)
        with open(counts) as handle:
            requests = json.load(handle)
        if len(outputs) != len(cases) or len(requests) != len(cases):
            raise AssertionError('a batch of %d cases printed %d tasks and counted %d:\n%s'
                                 % (len(cases), len(outputs), len(requests), completed.stdout[-5000:]))
        return [(via,) + task_result(output) + (output, calls) for output, calls in zip(outputs, requests)]

    def plain_read_seconds(self, via, emulator):
        """How long a plain read of one instance takes through ``via`` now: what a timed case is measured beyond, so
        that Ansible's own start-up, which the load of the machine stretches, is not part of its claim."""
        self.run(via, emulator, ['ins-ok000001'], {})
        return self.last_seconds

    def both(self, emulator, instance_ids, options):
        return [self.run(via, emulator, instance_ids, options) for via in ('module', 'lookup')]


def beyond(extra, seconds):
    """What a timed case's observed column says: whether it took at most ``seconds`` more than a plain read."""
    if extra <= seconds:
        return ', within %d s more than a plain read' % seconds
    return ', took %.0f s more than a plain read' % extra


def observed(failed, result, output, calls):
    if 'Traceback' in output:
        return 'TRACEBACK'
    attempts = '' if calls is None else ', %d request%s' % (calls, '' if calls == 1 else 's')
    warnings = [_first_sentence(line.split('[WARNING]: ', 1)[1]) for line in output.splitlines() if '[WARNING]: ' in line]
    warned = ', warned: %s' % ' '.join(warnings) if warnings else ''
    if not failed:
        return 'ok%s%s' % (attempts, warned)
    error = result.get('error')
    # A call the client gave up on after retries says how many attempts it made: for faults no emulator sees.
    tries = re.search(r'\(after (\d+) attempts\)', (error or {}).get('message') or result.get('msg', ''))
    tries = ', gave up after %s attempts' % tries.group(1) if tries else ''
    if error:
        request_id = 'with RequestId' if error.get('request_id') else 'no RequestId'
        return 'failed: %s (%s)%s%s' % (error['code'], request_id, attempts, tries)
    return 'failed: %s%s%s' % (_first_sentence(result.get('msg', '')), attempts, tries)


def _first_sentence(message):
    # Ansible wraps a lookup's error in the task's context; the lookup's own words come after the last "failed: ".
    message = message.rsplit("'msg': ", 1)[-1].split("'tencentcloud.cloud.cvm_instance_status' failed: ", 1)[-1]
    message = message.replace('tencentcloud.cloud.cvm_instance_status: ', '').split('\n')[0]
    # The first sentence only: what follows can list a set (in a different order on every run) or a temporary path.
    for stop in ('. ', '; '):
        message = message.split(stop, 1)[0]
    message = re.sub(r'127\.0\.0\.1:\d+', '127.0.0.1:<port>', message)
    message = re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<id>', message)
    message = re.sub(r'clock is \d+ seconds', 'clock is <n> seconds', message)
    return re.sub(r'\S*/reliability-[^/]*/', '<tmp>/', message)[:160]


FAULT_CASES = [
    # (case, instance, options, expected)
    ('RequestLimitExceeded, twice', 'RequestLimitExceeded', {}, 'recovers'),
    ('RequestLimitExceeded.UinLimitExceeded, twice', 'RequestLimitExceeded.UinLimitExceeded', {}, 'recovers'),
    ('RequestLimitExceeded.GlobalRegionUinLimitExceeded, twice', 'RequestLimitExceeded.GlobalRegionUinLimitExceeded', {},
     'recovers'),
    ('RequestLimitExceeded.IPLimitExceeded, twice', 'RequestLimitExceeded.IPLimitExceeded', {}, 'recovers'),
    ('InternalError, twice', 'InternalError', {}, 'recovers'),
    ('HTTP 500 with an HTML page, twice', 'http500', {}, 'recovers'),
    ('HTTP 502 with an HTML page, twice', 'http502', {}, 'recovers'),
    ('HTTP 503 with an HTML page, twice', 'http503', {}, 'recovers'),
    ('connection reset, twice', 'reset', {}, 'recovers'),
    ('answer slower than request_timeout, once', 'slow', {'request_timeout': 1}, 'recovers'),
    ('truncated JSON, twice', 'truncated', {}, 'recovers'),
    ('200 answer without Response, twice', 'no_response', {}, 'recovers'),
    ('UnauthorizedOperation (fatal)', 'UnauthorizedOperation', {}, 'fails at once with code and RequestId'),
    # The service's documented common code for a CAM refusal: the caller's own, never a verdict on the keys.
    ('AuthFailure.UnauthorizedOperation (fatal)', 'AuthFailure.UnauthorizedOperation', {},
     'fails at once with code and RequestId'),
]


def _fault_claim(case, via, expected):
    """The pattern a fault row's observed column must match for its claim to hold, request count included."""
    if expected == 'recovers':
        # Each injected fault is met once per attempt, then the answer comes: one request more than the faults.
        return r'^ok, %d requests$' % (3 if 'twice' in case else 2)
    if expected == 'fails at once with code and RequestId':
        return r'^failed: \S+ \(with RequestId\), 1 request$' if via == 'module' else r'^failed: [\w.]+: .+, 1 request$'
    if expected.startswith('recovers once, warns'):
        # ansible-core 2.16 wraps a long warning, so the rest of the sentence may be on the next line.
        return r'^ok, 2 requests, warned: the local clock is '
    if expected == 'retried once (max_retries 1), then fails with ConnectionFailure':
        return r'^failed: ConnectionFailure.*, gave up after 2 attempts$'
    if expected == 'fails with TLSFailure, not retried':
        return r'^failed: TLSFailure.*, 0 requests, 1 connection$'
    if expected == 'ok':
        return r'^ok, 1 request$'
    raise ValueError('no claim is checked for %r' % expected)


def fault_rows(runner, workdir, part):
    rows = []
    chosen = [case for case in FAULT_CASES if part.runs(case[0])]
    for via in ('module', 'lookup'):
        # The injected faults are consumed by the run that meets them: each way gets an emulator of its own.
        emulator = Emulator(workdir, 'plain')
        try:
            runs = dict(zip([case[0] for case in chosen],
                            runner.batch(via, emulator, [([FAULT_IDS[case[1]]], case[2]) for case in chosen])))
            for case, _fault, _options, expected in FAULT_CASES:
                rows.append((case, via, expected, observed(*runs[case][1:]) if case in runs else None))
        finally:
            emulator.stop()
    if not part.untimed:
        return rows
    emulator = Emulator(workdir, 'plain')
    try:
        for case, options, expected in [
            ('wrong secret key (AuthFailure.SignatureFailure)', {'secret_id': SECRET_ID, 'secret_key': 'wrong-key'},
             'fails at once with code and RequestId'),
            ('unknown SecretId (AuthFailure.SecretIdNotFound)', {'secret_id': 'AKIDunknown', 'secret_key': SECRET_KEY},
             'fails at once with code and RequestId'),
        ]:
            for run in runner.both(emulator, ['ins-ok000001'], options):
                rows.append((case, run[0], expected, observed(*run[1:])))
    finally:
        emulator.stop()
    skewed = Emulator(workdir, 'skewed', '--clock-offset', '900')
    try:
        for run in runner.both(skewed, ['ins-ok000001'], {}):
            rows.append(('server clock 15 minutes ahead (AuthFailure.SignatureExpire)', run[0],
                         'recovers once, warns about the skew', observed(*run[1:])))
    finally:
        skewed.stop()
    refused = 'http://127.0.0.1:%d' % _closed_port()
    for run in runner.both(None, ['ins-ok000001'], {'endpoint': refused, 'max_retries': 1}):
        rows.append(('connection refused', run[0], 'retried once (max_retries 1), then fails with ConnectionFailure',
                     observed(*run[1:])))
    rows.extend(tls_rows(runner, workdir))
    return rows


def tls_rows(runner, workdir):
    emulator = Emulator(workdir, 'tls', '--tls-self-signed', workdir)
    authority = os.path.join(workdir, 'ca.pem')
    rows = []
    try:
        for case, options, expected in [
            ('HTTPS with a self-signed certificate, default validate_certs', {}, 'fails with TLSFailure, not retried'),
            ('... with ca_bundle naming its authority', {'ca_bundle': authority}, 'ok'),
            ('... with validate_certs false', {'validate_certs': False}, 'ok'),
        ]:
            for via in ('module', 'lookup'):
                before, reads = emulator.stats()['connections'], emulator.reads
                run = runner.run(via, emulator, ['ins-ok000001'], options)
                # The handshake fails before any request: the emulator counts the connection attempts instead, less
                # those that read its counters.
                connections = emulator.stats()['connections'] - before - (emulator.reads - reads)
                seen = observed(*run[1:])
                if expected != 'ok':
                    seen += ', %d connection%s' % (connections, '' if connections == 1 else 's')
                rows.append((case, via, expected, seen))
    finally:
        emulator.stop()
    return rows


# What a hostile or broken endpoint does. Each row states its claim as a pattern the observed column must match,
# and, where the claim is a time, how many seconds more than a plain read through the same way the case's own
# ``ansible`` run may take (before the fix each of these took minutes or never ended).
HOSTILE_CASES = [
    # (case, instance IDs, options, expected, pattern, seconds more than a plain read through the same way may take)
    ('307 redirect (would resend body and token elsewhere)', ['redirect307'], {},
     'fails at once with UnexpectedRedirect, not followed', r'failed: UnexpectedRedirect.*, 1 request$', None),
    ('302 redirect', ['redirect302'], {}, 'fails at once with UnexpectedRedirect, not followed',
     r'failed: UnexpectedRedirect.*, 1 request$', None),
    ('answer trickled a byte a second, request_timeout 2, max_retries 0', ['trickle'],
     {'request_timeout': 2, 'max_retries': 0}, 'fails with RequestTimeout after about 2 s',
     r'failed: RequestTimeout', 4),
    ('silent endpoint while waiting, wait_timeout 3, request_timeout 2', ['silent'],
     {'wait_for': ['RUNNING'], 'wait_timeout': 3, 'request_timeout': 2}, 'fails with RequestTimeout within 3 + 2 s',
     r'failed: RequestTimeout', 7),
    ('1 MiB gzip inflating to 1 GiB, not asked for', ['gzip_bomb'], {'max_retries': 0},
     'fails with InvalidResponse, inflating at most 10 MiB', r'failed: InvalidResponse.*, 1 request$', None),
    ('500 MiB answer', ['oversized'], {'max_retries': 0}, 'fails with InvalidResponse, reading at most 10 MiB',
     r'failed: InvalidResponse.*, 1 request$', None),
    ('TotalCount 10^9 with Offset ignored', ['endless', 'ins-missing1'], {},
     'fails with InvalidResponse once a page adds nothing', r'failed: InvalidResponse.*, 2 requests$', None),
    ('a page of 102 states where 100 at most were asked for (180,000 grew a reader to 2.7 GB)', ['long_page'],
     {'max_retries': 0}, 'fails with InvalidResponse, reads no further', r'failed: InvalidResponse.*, 1 request$', None),
    ('an instance listed twice with two states', ['duplicate'], {'max_retries': 0},
     'fails with InvalidResponse, believes neither', r'failed: InvalidResponse.*, 1 request$', None),
    ('error message quoting every request header (token, signature)', ['echo'], {},
     'fails with the code; key, token and signature masked', r'failed: InvalidParameter.*, 1 request$', None),
    ('error message with terminal escapes and 5 MB of text', ['escape'], {},
     'fails with the code; no escape reaches the terminal, message cut', r'failed: InvalidParameter.*, 1 request$',
     None),
    ('a state the API may add later (HIBERNATING), read', [HIBERNATING_ID], {}, 'reported as it is',
     r'^ok, 1 request$', None),
    ('... waited for RUNNING, wait_timeout 2', [HIBERNATING_ID], {'wait_for': ['RUNNING'], 'wait_timeout': 2},
     'neither target nor failure: times out naming it', r'failed: timed out after 2s .*\(HIBERNATING\)', None),
]


def _hostile_ids(names):
    return [FAULT_IDS.get(name, name) for name in names]


# Output beyond this is a flood (the 5 MB message repeated); a normal failure prints about 2 KB.
MAX_OUTPUT_CHARS = 20000
# How much longer than a plain read a read may take beside a stalled holder of the shared read's lock: one
# request_timeout (2 s) and the gathering window, with room for the machine's load.
STALLED_SECONDS = 8
STALLED_CASE = 'another process holds the shared read\'s lock and has stalled, request_timeout 2'


def hostile_rows(runner, workdir, part):
    rows, problems = [], []
    for via in ('module', 'lookup'):
        emulator = Emulator(workdir, 'hostile')
        try:
            # The cases without a time share one run; a timed case runs alone, just after a plain read.
            untimed = [(case[0], _hostile_ids(case[1]), case[2]) for case in HOSTILE_CASES
                       if case[5] is None and part.runs(case[0])]
            batched = dict(zip([case[0] for case in untimed],
                               runner.batch(via, emulator, [case[1:] for case in untimed]))) if untimed else {}
            for case, names, options, expected, pattern, seconds in HOSTILE_CASES:
                if not part.runs(case):
                    rows.append((case, via, expected, None))
                    continue
                if seconds is None:
                    run = batched[case]
                    seen = observed(*run[1:])
                else:
                    plain = runner.plain_read_seconds(via, emulator)
                    run = runner.run(via, emulator, _hostile_ids(names), options)
                    print('%s (%s): %.1f s, a plain read %.1f s' % (case, via, runner.last_seconds, plain))
                    # How many retries fit before a deadline, and so which limit ends the last one, depends on the
                    # jitter: the code and the time are the claim here.
                    seen = re.sub(r'^(failed: [\w.]+).*$', r'\1', observed(*run[1:])) + beyond(
                        runner.last_seconds - plain, seconds)
                rows.append((case, via, expected, seen))
                output = run[3]
                if not re.search(pattern, seen) or 'took' in seen or '\x1b' in output or len(output) > MAX_OUTPUT_CHARS \
                        or re.search(r'Signature=[0-9a-f]', output):
                    problems.append((case, via, seen, len(output)))
        finally:
            emulator.stop()
    return rows, problems


# What another local user, or whoever can name an instance or answer for the service, could do to a run: each row is
# a finding of a hostile review, and its claim (a pattern the observed column must match) says how it stays harmless.
COORDINATION_CLAIMS = {
    'instance name': r'^host named ins-evil0001, no host name with a /, warned$',
    'ansible_host': r'^no ansible_host, warned$',
    'same name': r'^2 hosts \(ins-webb0001, ins-webb0002\), warned$',
    'expiry': r'^failed: InvalidResponse',
    'swapped': r'^ok, nothing written into the swapped-in directory$',
    'stalled': r'^ok, 1 request, within %d s more than a plain read$' % STALLED_SECONDS,
}
NAMED_BY_OTHERS = {'instances': [
    {'id': 'ins-evil0001', 'region': 'ap-beijing', 'name': '../../../../tmp/x/evil', 'state': 'RUNNING'},
    {'id': 'ins-prox0001', 'region': 'ap-beijing', 'private_ip': '-oProxyCommand=touch /tmp/pwned', 'state': 'RUNNING'},
    {'id': 'ins-webb0001', 'region': 'ap-beijing', 'name': 'web-1', 'state': 'RUNNING'},
    {'id': 'ins-webb0002', 'region': 'ap-beijing', 'name': 'web-1', 'state': 'RUNNING'},
    {'id': 'ins-slow0001', 'region': 'ap-guangzhou', 'timeline': [{'state': 'PENDING', 'seconds': 3}, {'state': 'RUNNING'}]},
    {'id': 'ins-ok000001', 'region': 'ap-guangzhou', 'state': 'RUNNING'},
]}


def coordination_rows(runner, workdir, part, every=True):
    """The hostile review's rows; without ``every``, those through the inventory only (see ``main``)."""
    rows = inventory_rows(runner, workdir) if part.untimed else []
    if every:
        rows += _host_rows(runner, workdir, part)
    problems = [row for row in rows if row[3] is not None and not re.search(COORDINATION_CLAIMS[row[2]], row[3])]
    return [(case, via, _CLAIM_TEXT[claim], seen) for case, via, claim, seen in rows], problems


def _host_rows(runner, workdir, part):
    """What the processes of a host share, attacked: credentials of the metadata service, the private directory,
    the shared read's lock."""
    emulator = Emulator(workdir, 'others', scenario=NAMED_BY_OTHERS)
    try:
        rows = _metadata_and_directory_rows(runner, workdir, emulator) if part.untimed else []
        if part.runs(STALLED_CASE):
            rows.extend(stalled_leader_rows(runner, workdir, emulator))
        else:
            rows.extend((STALLED_CASE, via, 'stalled', None) for via in ('module', 'lookup'))
    finally:
        emulator.stop()
    return rows


def _metadata_and_directory_rows(runner, workdir, others):
    """Credentials of the metadata service that expire beyond any date; the private directory swapped."""
    rows = []
    emulator = Emulator(workdir, 'absurd-expiry', scenario=dict(
        SCENARIO, instance_role={'name': 'CVM_QcsRole', 'expired_time': 10 ** 400}))
    saved = dict(runner.environ)
    try:
        for name in ('TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SECURITY_TOKEN'):
            runner.environ.pop(name)
        runner.environ['TENCENTCLOUD_METADATA_ENDPOINT'] = emulator.url
        for run in runner.both(emulator, ['ins-ok000001'], {}):
            rows.append(('the metadata service answers ExpiredTime 10^400 (a float overflows)', run[0], 'expiry',
                         observed(*run[1:])))
    finally:
        runner.environ = saved
        emulator.stop()
    rows.append(swapped_directory_row(runner, workdir, others))
    return rows


_CLAIM_TEXT = {
    'instance name': 'named by its ID instead, with a warning',
    'ansible_host': 'no ansible_host, with a warning',
    'same name': 'two hosts, each named by its ID, with a warning naming both',
    'expiry': 'fails with InvalidResponse, one line',
    'swapped': 'ok; every file still goes to the directory that was checked',
    'stalled': 'reads alone after one request_timeout (2 s), within %d s more than a plain read' % STALLED_SECONDS,
}


def inventory_rows(runner, workdir):
    """Names chosen by whoever names an instance, through the inventory: one ``ansible-inventory`` run."""
    emulator = Emulator(workdir, 'named', scenario=NAMED_BY_OTHERS)
    source = os.path.join(workdir, 'named_tencentcloud_cvm.yml')
    with open(source, 'w') as handle:
        handle.write('plugin: tencentcloud.cloud.cvm\nregions: [ap-beijing]\nhostnames: [instance-name, instance-id]\n')
    try:
        environ = dict(runner.environ, TENCENTCLOUD_CVM_ENDPOINT=emulator.url,
                       ANSIBLE_INVENTORY_ENABLED='tencentcloud.cloud.cvm')
        listed = subprocess.run(['ansible-inventory', '-i', source, '--list'], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True, env=environ, check=False, cwd=workdir)
    finally:
        emulator.stop()
    warnings = ' '.join(listed.stderr.split())
    hosts = json.loads(listed.stdout)['_meta']['hostvars'] if listed.returncode == 0 else {}
    warned = ', warned' if 'not a safe host name' in warnings else ', not warned'
    evil = 'host named %s, %s%s' % (
        'ins-evil0001' if 'ins-evil0001' in hosts else 'no host ins-evil0001',
        'a host name with a /' if any('/' in name for name in hosts) else 'no host name with a /', warned)
    proxy = hosts.get('ins-prox0001', {})
    address = ('ansible_host %s' % proxy['ansible_host'] if 'ansible_host' in proxy else 'no ansible_host') + (
        ', warned' if 'ins-prox0001: PrivateIpAddresses not the address of another host' in warnings else ', not warned')
    named = sorted(name for name in hosts if name.startswith(('web-1', 'ins-webb')))
    same = '%d hosts (%s)%s' % (len(named), ', '.join(named), ', warned' if 'is wanted by 2 instances' in warnings
                                else ', not warned')
    return [
        ('an instance named ../../../../tmp/x/evil (Ansible would read host_vars from there)', 'inventory',
         'instance name', evil),
        ('an instance whose private address is -oProxyCommand=touch /tmp/pwned', 'inventory', 'ansible_host', address),
        ('two instances named web-1 (whichever is listed first would take the name)', 'inventory', 'same name', same),
    ]


def swapped_directory_row(runner, workdir, emulator):
    """XDG_RUNTIME_DIR open to others without the sticky bit: another user swaps the private directory for one of
    theirs while a wait runs. Nothing of the run may land in theirs."""
    runtime = os.path.join(workdir, 'shared-runtime')
    os.mkdir(runtime)
    os.chmod(runtime, 0o777)
    private = os.path.join(runtime, 'tencentcloud.cloud')
    theirs = []

    def swap():
        deadline = time.monotonic() + 20
        while not os.path.isdir(private) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # into the wait: its first polls went to the checked directory
        os.rename(private, os.path.join(runtime, 'moved-away'))
        os.mkdir(private)
        os.chmod(private, 0o777)
        if os.geteuid() == 0:
            os.chown(private, 65534, 65534)  # nobody's: another user's directory
        theirs.append(private)
    swapper = threading.Thread(target=swap)
    swapper.start()
    saved = dict(runner.environ)
    runner.environ['XDG_RUNTIME_DIR'] = runtime
    try:
        run = runner.run('module', emulator, ['ins-slow0001'], {'wait_for': ['RUNNING'], 'wait_interval': 0.5})
    finally:
        runner.environ = saved
        swapper.join()
    # How many polls the wait took depends on the machine's speed: whether it passed is the claim.
    seen = re.sub(r'^ok, .*$', 'ok', observed(*run[1:]))
    written = sorted(os.listdir(theirs[0])) if theirs else ['(never swapped)']
    seen += ', nothing written into the swapped-in directory' if not written else ', wrote %s into it' % written
    return ('the private directory swapped for another user\'s during a wait (XDG_RUNTIME_DIR without the sticky '
            'bit)', 'module', 'swapped', seen)


STALLED_LEADER = r'''
import fcntl, glob, os, sys, time
held = []
for scope in glob.glob(os.path.join(sys.argv[1], 'reads-*')):
    descriptor = os.open(os.path.join(scope, 'gather'), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    held.append(descriptor)
print(len(held), flush=True)
time.sleep(120)
'''


def stalled_leader_rows(runner, workdir, emulator):
    """Another process of the user took the lock of the shared reads and stalled (stopped, hung). A read without a
    wait gives up on it after one request_timeout, by its own clock, and reads alone."""
    rows = []
    # The first plain read makes the scope's directory.
    plain = {via: runner.plain_read_seconds(via, emulator) for via in ('module', 'lookup')}
    private = os.path.join(workdir, '.ansible', 'tmp', 'tencentcloud.cloud')
    leader = subprocess.Popen([sys.executable, '-c', STALLED_LEADER, private], stdout=subprocess.PIPE,
                              universal_newlines=True)
    try:
        assert int(leader.stdout.readline()) > 0, 'no scope to stall'
        for via in ('module', 'lookup'):
            run = runner.run(via, emulator, ['ins-ok000001'], {'request_timeout': 2})
            # 2 s and a gathering window of waiting, then one call alone.
            seen = observed(*run[1:]) + beyond(runner.last_seconds - plain[via], STALLED_SECONDS)
            print('stalled leader (%s): %.1f s, a plain read %.1f s' % (via, runner.last_seconds, plain[via]))
            rows.append((STALLED_CASE, via, 'stalled', seen))
    finally:
        leader.kill()
        leader.wait()
    return rows


# The rows whose claim the load of the machine could break: a time, or an answer within a request_timeout of 1 s.
TIMED = {case[0] for case in HOSTILE_CASES if case[5] is not None} | {
    'answer slower than request_timeout, once', STALLED_CASE}


class Part:
    """Which rows a run makes: every row, or the ``TIMED`` ones alone, or all the others."""

    def __init__(self, which):
        self.which = which
        self.untimed = which != 'timed'

    def runs(self, case):
        return self.which == 'all' or (case in TIMED) == (self.which == 'timed')


BAD_INPUT_CASES = [
    ('malformed instance ID', {'instance_ids': ['ins-1122']}),
    ('empty instance ID', {'instance_ids': ['']}),
    # A gate on a list that came out empty would pass having gated nothing: it fails unless on_missing says otherwise.
    ('a wait on an empty list of instance IDs', {'instance_ids': [], 'wait_for': ['RUNNING']}),
    ('unknown state in wait_for', {'wait_for': ['RUNING']}),
    ('unknown state in fail_states', {'wait_for': ['RUNNING'], 'fail_states': ['BROKEN']}),
    ('negative wait_timeout', {'wait_for': ['RUNNING'], 'wait_timeout': -1}),
    ('wait_timeout not a number', {'wait_for': ['RUNNING'], 'wait_timeout': 'soon'}),
    ('zero wait_interval', {'wait_for': ['RUNNING'], 'wait_interval': 0}),
    ('max_retries not a number', {'max_retries': 'many'}),
    ('negative max_retries', {'max_retries': -1}),
    ('zero request_timeout', {'request_timeout': 0}),
    ('validate_certs not a boolean', {'validate_certs': 'perhaps'}),
    ('coalesce not a boolean', {'coalesce': 'sometimes'}),
    ('unknown language', {'language': 'fr-FR'}),
    # An empty value counts as not set (an AWX injector sets every variable, filled in or not): the usual sources.
    ('empty region (as if not set: TENCENTCLOUD_REGION)', {'region': ''}, 'works'),
    ('control characters in region (header injection)', {'region': 'ap-guangzhou\r\nX-Injected: 1'}),
    ('unicode region', {'region': 'ap-\u5e7f\u5dde'}),
    ('endpoint with a path', {'endpoint': 'https://cvm.tencentcloudapi.com/v3'}),
    ('endpoint with a user and password', {'endpoint': 'https://someone:hunter2@cvm.tencentcloudapi.com'}),
    ('endpoint on port 0', {'endpoint': 'http://localhost:0'}),
    ('wait_interval nan', {'wait_for': ['RUNNING'], 'wait_interval': 'nan'}),
    ('request_timeout inf', {'request_timeout': 'inf'}),
    ('request_timeout 1e12', {'request_timeout': 1e12}),
    ('max_retries 1000', {'max_retries': 1000}),
    ('ca_bundle that does not exist', {'ca_bundle': '/nonexistent/ca.pem'}),
    ('ca_bundle that is a directory', {'ca_bundle': '/'}),
    ('misspelt option (wiat_for)', {'wiat_for': ['RUNNING']}),
    ('a 100,000-character instance ID', {'instance_ids': ['ins-' + 'x' * 100000]}),
    ('secret_id with a non-ASCII character', {'secret_id': 'AKID\u00e9', 'secret_key': SECRET_KEY}),
    ('security_token with a newline inside', {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY,
                                              'security_token': 'tok\nen'}),
    ('control characters in endpoint (header injection)', {'endpoint': 'cvm.tencentcloudapi.com\r\nX-Injected: 1'}),
    ('secret_id without secret_key', {'secret_id': SECRET_ID}),
    ('secret_key without secret_id', {'secret_key': SECRET_KEY}),
    ('a named profile that exists nowhere', {'profile': 'missing'}),
    ('profile file that is not INI', {'profile': 'default', '_credentials_file': 'garbage'}),
    ('profile not in the file', {'profile': 'nope', '_credentials_file': 'good'}),
    # The credential sources beyond keys (the emulator also stands in for STS and the metadata service).
    ('no credentials anywhere, off a CVM (metadata service not reachable)', {'_environ': {'TENCENTCLOUD_SECRET_ID': None}}),
    ('tccli profile file that is not JSON', {'_environ': {'TENCENTCLOUD_SECRET_ID': None, 'tccli': 'garbage'}}),
    ('malformed assume_role_arn', {'assume_role_arn': 'deploy'}),
    ('assume_role_duration over 12 hours', {'assume_role_arn': ROLE_ARN, 'assume_role_duration': 43201}),
    ('assume_role_policy that is not JSON', {'assume_role_arn': ROLE_ARN, 'assume_role_policy': '{"statement": '}),
    ('cam_role_name with a slash', {'cam_role_name': '../admin'}),
    ('TKE OIDC with an unreadable token file', {'_environ': {'TENCENTCLOUD_SECRET_ID': None,
                                                             'TKE_PROVIDER_ID': 'tke-oidc', 'TKE_ROLE_ARN': ROLE_ARN,
                                                             'TKE_WEB_IDENTITY_TOKEN_FILE': '/nonexistent/token'}}),
    # A FIFO's open waits for a writer, before any deadline applies: it would hold the task for ever.
    ('TKE OIDC with a FIFO as the token file', {'_environ': {'TENCENTCLOUD_SECRET_ID': None, 'TKE_PROVIDER_ID': 'tke-oidc',
                                                             'TKE_ROLE_ARN': ROLE_ARN, 'token_file': 'fifo'}}),
    ('AssumeRole of a role that does not exist', {'assume_role_arn': 'qcs::cam::uin/100000000001:roleName/nobody'},
     'fails at STS'),
    ('no keys, on a CVM with an instance role', {'_environ': {'TENCENTCLOUD_SECRET_ID': None, 'metadata': 'emulator'}},
     'works'),
    ('AssumeRole on environment keys', {'assume_role_arn': ROLE_ARN}, 'works'),
    # The API's own verdict: one request.
    ('a region that does not exist', {'region': 'mars-north-1'}, 'fails at the API'),
    ('a real region the action does not serve', {'region': 'ap-mumbai'}, 'fails at the API'),
    # These must work.
    ('key and token ending in a newline (YAML | block, vault file)',
     {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY + '\n', 'security_token': TOKEN + '\n'}, 'works'),
    ('lookup terms nested twice', {'instance_ids': [[['ins-ok000001']]], '_vias': ['lookup']}, 'works'),
    ('10,000 well-formed IDs, none of them known', {'instance_ids': ['ins-9%07d' % n for n in range(10000)],
                                                    'on_missing': 'skip'}, 'works'),
]


def bad_input_rows(runner, workdir):
    files = _bad_input_files(workdir)
    emulator = Emulator(workdir, 'bad-input')
    runs = {}
    try:
        plan = [_bad_input_plan(entry, runner.environ, emulator, files) for entry in BAD_INPUT_CASES]
        # The cases that see the same environment share one run for each way: most see the runner's own.
        for via in ('module', 'lookup'):
            groups = {}
            for case, instance_ids, options, environ in plan:
                if via in options:
                    groups.setdefault(tuple(sorted(environ.items())), []).append((case, instance_ids, options[via]))
            for environ, cases in groups.items():
                batch = runner.batch(via, emulator, [case[1:] for case in cases], dict(environ))
                runs.update(((case[0], via), run) for case, run in zip(cases, batch))
    finally:
        emulator.stop()
    rows, problems = [], []
    for entry, (case, _ids, options, _environ) in zip(BAD_INPUT_CASES, plan):
        expect = (entry + ('fails locally',))[2]
        for via in options:
            run = runs[case, via]
            seen = observed(*run[1:])
            rows.append((case, via, seen))
            flood = run[1] and len(run[3]) > MAX_OUTPUT_CHARS
            if not _as_expected(expect, seen) or 'hunter2' in run[3] or flood:
                problems.append((case, via, expect, seen))
    return rows, problems


def _bad_input_files(workdir):
    """The files the credential cases point at: a good and a garbage credentials file, a tccli directory whose
    profile is not JSON, a FIFO for a token file."""
    files = {name: os.path.join(workdir, name) for name in ('good-credentials', 'garbage-credentials',
                                                            'garbage-tccli', 'token-fifo')}
    with open(files['good-credentials'], 'w') as handle:
        handle.write('[default]\nsecret_id = %s\nsecret_key = %s\n' % (SECRET_ID, SECRET_KEY))
    with open(files['garbage-credentials'], 'w') as handle:
        handle.write('secret_key = %s\n' % SECRET_KEY)
    os.mkdir(files['garbage-tccli'])
    with open(os.path.join(files['garbage-tccli'], 'default.credential'), 'w') as handle:
        handle.write('{"secretId": "%s", "secretKey": "%s"' % (SECRET_ID, SECRET_KEY))
    os.mkfifo(files['token-fifo'], 0o600)
    return files


def _bad_input_plan(entry, environ, emulator, files):
    """``(case, instance IDs, {via: options}, the environment it runs in)`` of a bad-input case."""
    case, options = entry[:2]
    options = dict(options)
    instance_ids = options.pop('instance_ids', ['ins-ok000001'])
    on_missing = options.pop('on_missing', None)
    credentials_file = options.pop('_credentials_file', None)
    vias = options.pop('_vias', ['module', 'lookup'])
    changes = options.pop('_environ', {})
    by_via = {via: dict(options, on_missing=on_missing) if via == 'lookup' and on_missing else options for via in vias}
    environ = dict(environ)
    if case in ('secret_id without secret_key', 'secret_key without secret_id') or credentials_file \
            or 'TENCENTCLOUD_SECRET_ID' in changes:
        for name in ('TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SECURITY_TOKEN'):
            environ.pop(name)
    environ.update(_case_environ(changes, emulator, files))
    if credentials_file:
        environ['TENCENTCLOUD_CREDENTIALS_FILE'] = files['%s-credentials' % credentials_file]
    return case, instance_ids, by_via, environ


def _case_environ(environ, emulator, files):
    """The environment a case adds: its own variables, the metadata service, a broken tccli directory, a FIFO."""
    added = {name: value for name, value in environ.items() if name.isupper() and value is not None}
    if environ.get('token_file') == 'fifo':
        added['TKE_WEB_IDENTITY_TOKEN_FILE'] = files['token-fifo']
    if environ.get('metadata') == 'emulator':
        added['TENCENTCLOUD_METADATA_ENDPOINT'] = emulator.url
    if environ.get('tccli') == 'garbage':
        added['TENCENTCLOUD_SHARED_CREDENTIALS_DIR'] = files['garbage-tccli']
    return added


def _as_expected(expect, seen):
    """Each bad-input row's claim, checked: caught locally means no request at all; a traceback is never fine."""
    if 'TRACEBACK' in seen:
        return False
    if expect == 'works':
        return seen.startswith('ok')
    if expect in ('fails locally', 'fails at STS'):
        # 'requests' counts CVM calls only: STS answers on its own counter.
        return seen.startswith('failed') and seen.endswith(', 0 requests')
    return seen.startswith('failed')


def _closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def secrets_check(runner, workdir):
    """Runs at -vvvv, succeeding and failing, must show neither key, token nor signature anywhere."""
    emulator = Emulator(workdir, 'secrets')
    playbook = os.path.join(workdir, 'secrets.yml')
    with open(playbook, 'w') as handle:
        handle.write('''
- hosts: localhost
  gather_facts: false
  tasks:
    - tencentcloud.cloud.cvm_instance_status:
        instance_ids: [ins-ok000001]
        secret_id: "{{ lookup('ansible.builtin.env', 'TENCENTCLOUD_SECRET_ID') }}"
        secret_key: "{{ lookup('ansible.builtin.env', 'TENCENTCLOUD_SECRET_KEY') }}"
        security_token: "{{ lookup('ansible.builtin.env', 'TENCENTCLOUD_SECURITY_TOKEN') }}"
    - tencentcloud.cloud.cvm_instance_status:
        instance_ids: [%(fatal)s]
      ignore_errors: true
    - ansible.builtin.debug:
        msg: "{{ query('tencentcloud.cloud.cvm_instance_status', 'ins-ok000001') }}"
    - ansible.builtin.debug:
        msg: "{{ query('tencentcloud.cloud.cvm_instance_status', '%(fatal)s') }}"
      ignore_errors: true
    - tencentcloud.cloud.cvm_instance_status:
        instance_ids: [ins-ok000001]
        secret_key: wrong-%(key)s
      ignore_errors: true
''' % {'fatal': FAULT_IDS['UnauthorizedOperation'], 'key': SECRET_KEY})
    try:
        environ = dict(runner.environ, TENCENTCLOUD_CVM_ENDPOINT=emulator.url)
        completed = subprocess.run(['ansible-playbook', '-vvvv', '-i', 'localhost,', '-c', 'local', playbook],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                   env=environ, check=False, cwd=workdir)
    finally:
        emulator.stop()
    output = completed.stdout
    leaks = [secret for secret in (SECRET_KEY, TOKEN, 'Signature=', 'TC3-HMAC-SHA256 Credential') if secret in output]
    runs = output.count('tencentcloud.cloud.cvm_instance_status')
    return completed.returncode == 0 and 'ignored=3' in output, leaks, runs


def render(fault_rows_, hostile_rows_, coordination_rows_, bad_rows, secrets, checked=''):
    """The file's text; a row this part did not run (observed ``None``) is the line of ``checked`` for its case."""
    passed, leaks, _runs = secrets
    lines = [
        '# Reliability and security matrices',
        '',
        'Generated by the `reliability` integration target (`tests/integration/targets/reliability/matrix.py`)',
        'with ansible-core %s, which runs each case through the module and the lookup against the local CVM' % ANSIBLE_VERSION,
        'emulator: as a task of one `ansible-playbook` run for the cases that share an environment, with an',
        '`ansible` run of its own for a case that needs its own environment or is timed.',
        'Each row\'s claim (the expected column) is checked as the case runs, request count included: the rows',
        'of what Ansible carries (hostile input, bad input, secrets, host names) on every ansible-core version',
        '`make test` uses, the others (the collection\'s own client and the files the processes of a host share)',
        'on the newest, since no ansible-core version changes them. `make test` also fails when this file no longer',
        'matches what the cases do (`make docs` regenerates it).',
        'Request counts are the requests the emulator received, retries included.',
        '',
        '## Faults (%d cases)' % len(fault_rows_),
        '',
    ]
    lines += _table(['case', 'via', 'expected', 'observed'], fault_rows_, checked)
    lines += [
        '',
        '## A hostile or broken endpoint (%d cases)' % len(hostile_rows_),
        '',
        'Each row\'s claim is checked as it runs: the observed column must match it, no terminal escape and no',
        'signature may reach the output, and the output stays under %d characters. A timed case runs alone,' % MAX_OUTPUT_CHARS,
        'just after a plain read through the same way, and its time is how much longer its `ansible` run took.',
        '',
    ]
    lines += _table(['case', 'via', 'expected', 'observed'], hostile_rows_, checked)
    lines += [
        '',
        '## A second local user, or whoever names an instance (%d cases)' % len(coordination_rows_),
        '',
        'What another user of a shared controller, another process of the same user, or whoever can name an',
        'instance or answer for the service could do to a run. Each row\'s claim is checked as it runs. A time is how',
        'much longer the case\'s `ansible` run took than a plain read through the same way just before.',
        '',
    ]
    lines += _table(['case', 'via', 'expected', 'observed'], coordination_rows_, checked)
    lines += [
        '',
        '## Bad input (%d cases)' % len(bad_rows),
        '',
        'Every case fails with a message naming the option, and no traceback, except the last five: two regions are',
        'the API\'s verdict (one request each), and the last three must work. Those caught locally make no request;',
        'the run fails otherwise. No password given in an endpoint appears in the output.',
        '',
    ]
    lines += _table(['case', 'via', 'observed'], bad_rows)
    lines += [
        '',
        '## Secrets',
        '',
        'A playbook run at `-vvvv` with the module and the lookup, succeeding and failing (API error, wrong key),',
        'with a security token set: the secret key, the token and the Authorization header appear %s.' % (
            'nowhere in its output' if not leaks and passed else 'in its output: %s' % ', '.join(leaks)),
        '',
    ]
    return '\n'.join(lines)


def _table(columns, rows, checked=''):
    lines = timed_lines(checked)
    return ['| %s |' % ' | '.join(columns), '|%s' % (' --- |' * len(columns))] + [
        _row(row) if row[-1] is not None else lines.get(_row(row)[:-len(' |')].rsplit(' | ', 1)[0], '(not run)')
        for row in rows]


def _row(row):
    return '| %s |' % ' | '.join(_cell(c) for c in row)


def timed_lines(text):
    """The table lines of ``text`` whose case is ``TIMED``, each by all its cells but the observed one."""
    lines, cases = {}, {_cell(case) for case in TIMED}
    for line in text.splitlines():
        if line.startswith('| ') and line.split(' | ', 1)[0][2:] in cases:
            lines[line[:-len(' |')].rsplit(' | ', 1)[0]] = line
    return lines


def _cell(text):
    return str(text).replace('|', '\\|').replace('\r', '\\r').replace('\n', '\\n')


def _timed_text(text):
    return ''.join(line + '\n' for line in timed_lines(text).values())


def _version(text):
    return tuple(int(part) for part in re.findall(r'\d+', text)[:3])


def _generated_with(path):
    """The ansible-core version the tables of ``path`` were generated with (``None``: no such line)."""
    with open(path) as handle:
        current = handle.read()
    return current.split('ansible-core ', 1)[1].split(',', 1)[0] if 'ansible-core ' in current else None


def main():
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument('--check', help='fail unless this file holds what the cases produce')
    group.add_argument('--write', help='write the tables to this file')
    parser.add_argument('--rows', choices=['all', 'timed', 'untimed'], default='all',
                        help='the rows to run (TIMED, or the others); the rest are taken from the file checked')
    args = parser.parse_args()
    if args.write and args.rows != 'all':
        parser.error('--write runs every row')
    part = Part(args.rows)
    generated_with = _generated_with(args.check) if args.check else ANSIBLE_VERSION
    # The fault rows and the host's shared code are the collection's own client and files: no ansible-core version
    # changes them, so they run on the newest version (the one docs/reliability.md is generated with, or a newer one,
    # where the file is then stale). What Ansible itself carries - hostile text, bad input through its argument
    # checks, secrets at -vvvv, host names through the inventory - runs on every version.
    every = generated_with is None or _version(ANSIBLE_VERSION) >= _version(generated_with)
    if not every:
        print('%s was generated with ansible-core %s: on %s only the rows whose behaviour Ansible carries run '
              '(hostile text, bad input, secrets, host names), and the text is not compared'
              % (args.check, generated_with, ANSIBLE_VERSION))
    workdir = tempfile.mkdtemp(prefix='reliability-')
    try:
        runner = Runner(workdir)
        faults = fault_rows(runner, workdir, part) if every else []
        hostile, problems = hostile_rows(runner, workdir, part)
        bad, bad_problems = bad_input_rows(runner, workdir) if part.untimed else ([], [])
        problems += bad_problems
        coordination, coordination_problems = coordination_rows(runner, workdir, part, every)
        problems += coordination_problems
        secrets = secrets_check(runner, workdir) if part.untimed else (True, [], 0)
    finally:
        shutil.rmtree(workdir)
    current = ''
    if args.check and every:
        with open(args.check) as handle:
            current = handle.read()
    text = render(faults, hostile, coordination, bad, secrets, current)
    problems += [row for row in faults
                 if row[3] is not None and not re.search(_fault_claim(row[0], row[1], row[2]), row[3])]
    if secrets[1] or not secrets[0]:
        problems.append(('secrets', secrets))
    problems += [('a secret appeared in a run', args) for args, output in runner.outputs
                 if SECRET_KEY in output or TOKEN in output]
    for problem in problems:
        print('UNEXPECTED: %r' % (problem,))
    if args.write:
        with open(args.write, 'w') as handle:
            handle.write(text)
    elif every:
        # Ansible's own messages (type errors) are worded differently across versions: the text is compared on the
        # version it was generated with only; every behaviour above was checked on this one. The timed part compares
        # its own rows (the untimed part the rest, and the timed rows' place among them).
        expected, generated = (current, text) if part.untimed else (
            _timed_text(current), _timed_text(render(faults, hostile, coordination, bad, secrets)))
        if expected != generated:
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), generated.splitlines(True),
                                                       args.check, 'generated'))
            problems.append('stale')
            print('docs/reliability.md is stale: run `make docs`')
    print('%d fault rows, %d bad-input rows, secrets %s' % (len(faults), len(bad), 'clean' if not secrets[1] else 'LEAKED'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
