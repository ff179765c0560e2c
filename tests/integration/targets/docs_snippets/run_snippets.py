# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every YAML snippet of README.md and docs/docsite/rst/guide.rst as written, against the emulator; check that
every plugin's EXAMPLES is a task list, and run those of its examples that gate or act on the play's hosts over hosts
in two regions.

A snippet that is a list of plays runs as a playbook; a list of tasks runs in a play over three hosts, each with the
``instance_id`` the docs assume (and the ``tencentcloud_`` variables the inventory plugin gives); an inventory source
for the plugin must list hosts; a rulebook's event sources must read once with their arguments as written and its
playbooks must be the collection's; anything else (a requirements file) must at least parse. The variables the snippets
leave to the reader (IDs of instances just created, vaulted keys) are given, and a snippet that waits for STOPPED
gets stopped instances. Every run must succeed.
"""

import os
import re
import subprocess
import sys
import tempfile
import textwrap

import yaml

COLLECTION = None
# The instances of ap-guangzhou the snippets name (created_instance_ids...); the hosts of the inventory also have
# one of ap-shanghai each, so that the rolling patterns run over two regions as they would on a real inventory.
RUNNING = ['ins-docrun01', 'ins-docrun02', 'ins-docrun03']
STOPPED = ['ins-docstp01', 'ins-docstp02', 'ins-docstp03']
ELSEWHERE = {'ins-docrun01': 'ins-docrun04', 'ins-docstp01': 'ins-docstp04'}
OTHER_REGION = 'ap-shanghai'
WRAPPER = '''- name: Run a documented snippet
  hosts: web
  gather_facts: false
  tasks: %s
'''


def snippets(collection):
    with open(os.path.join(collection, 'README.md')) as handle:
        for number, block in enumerate(re.findall(r'```yaml\n(.*?)```', handle.read(), re.S)):
            yield 'README.md #%d' % (number + 1), block
    with open(os.path.join(collection, 'docs', 'docsite', 'rst', 'guide.rst')) as handle:
        # Each block runs to the first line indented less than its first line (_code_only): split, never match
        # greedily, or a block nested in a list item would swallow the blocks after it.
        blocks = re.split(r'\.\. code-block:: yaml\n\n', handle.read())[1:]
    for number, block in enumerate(blocks):
        yield 'guide.rst #%d' % (number + 1), textwrap.dedent(_code_only(block))


# The plugins whose EXAMPLES are task lists, and what makes an example depend on the regions of the play's hosts.
EXAMPLE_FILES = ['plugins/modules/cvm_instance_status.py', 'plugins/modules/cvm_instance_power.py',
                 'plugins/modules/cvm_instance_info.py', 'plugins/modules/cvm_instance.py',
                 'plugins/lookup/cvm_instance_status.py']
PER_HOST = re.compile(r'ansible_play_(?:hosts|batch)|tencentcloud_instance_id')


def plugin_examples(collection):
    """``(name, task list text, whether it runs over the play's hosts)`` of each task of the plugins' EXAMPLES."""
    import ast
    for path in EXAMPLE_FILES:
        with open(os.path.join(collection, path)) as handle:
            tree = ast.parse(handle.read())
        [examples] = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
                      and getattr(node.targets[0], 'id', None) == 'EXAMPLES']
        yield '%s EXAMPLES' % path, examples, False
        for number, task in enumerate(yaml.safe_load(examples)):
            text = yaml.safe_dump([task], default_flow_style=False, width=10 ** 6)
            if PER_HOST.search(text):
                yield '%s EXAMPLES #%d' % (path, number + 1), text, True


def syntax_checked(name, text, workdir):
    """A plugin's EXAMPLES must be a list of tasks: Ansible reads them in a play's tasks (a play among them would be
    'conflicting action statements: hosts')."""
    document = yaml.safe_load(text)
    plays = [item for item in document if isinstance(item, dict) and 'hosts' in item]
    playbook = os.path.join(workdir, 'examples.yml')
    with open(playbook, 'w') as handle:
        handle.write(WRAPPER % yaml.safe_dump(document, default_flow_style=True, width=10 ** 6))
    completed = subprocess.run(['ansible-playbook', '--syntax-check', '-i', inventory(workdir, RUNNING), playbook],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, cwd=workdir,
                               check=False)
    good = completed.returncode == 0 and not plays
    print('%s: %s' % (name, 'a task list' if good else 'FAILED: not a list of tasks'))
    if not good:
        print(completed.stdout[-2000:])
    return good


def _code_only(block):
    """The code block without the prose that follows it, which is indented less than the code."""
    lines = block.splitlines(True)
    indent = re.match(r'[ ]*', lines[0]).group(0)
    code = []
    for line in lines:
        if line.strip() and not line.startswith(indent):
            break
        code.append(line)
    return ''.join(code)


def inventory(workdir, ids):
    """The web hosts: one per ID of ap-guangzhou, and one more whose instance is in another region."""
    path = os.path.join(workdir, 'inventory')
    hosts = [(instance_id, 'ap-guangzhou') for instance_id in ids] + [(ELSEWHERE[ids[0]], OTHER_REGION)]
    with open(path, 'w') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n[web]\n' % sys.executable)
        handle.writelines('web%d ansible_connection=local ansible_python_interpreter=%s instance_id=%s '
                          'tencentcloud_instance_id=%s tencentcloud_region=%s\n'
                          % (n, sys.executable, instance_id, instance_id, region)
                          for n, (instance_id, region) in enumerate(hosts))
    return path


def run(name, text, workdir):
    document = yaml.safe_load(text)
    if isinstance(document, dict) and document.get('plugin') == 'tencentcloud.cloud.cvm':
        return list_inventory(name, text, workdir)
    if not isinstance(document, list):
        print('%s: data, not a playbook: parsed' % name)
        return True
    if all(isinstance(item, dict) and 'sources' in item and 'rules' in item for item in document):
        return check_rulebook(name, text, document)
    plays = text if all(isinstance(item, dict) and 'hosts' in item for item in document) else WRAPPER % yaml.safe_dump(
        document, default_flow_style=True, width=10 ** 6)
    ids = STOPPED if 'STOPPED' in text else RUNNING
    playbook = os.path.join(workdir, 'snippet.yml')
    with open(playbook, 'w') as handle:
        handle.write(plays)
    extra = {'created_instance_ids': ids, 'new_instance_ids': ids, 'big_batch': ids, 'created': {'instance_ids': ids},
             'vault_tencentcloud_secret_id': os.environ['TENCENTCLOUD_SECRET_ID'],
             'vault_tencentcloud_secret_key': os.environ['TENCENTCLOUD_SECRET_KEY']}
    extra_file = os.path.join(workdir, 'extra.yml')
    with open(extra_file, 'w') as handle:
        yaml.safe_dump(extra, handle)
    completed = subprocess.run(['ansible-playbook', '-i', inventory(workdir, ids), '-e', '@' + extra_file, playbook],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, cwd=workdir,
                               check=False)
    print('%s: %s' % (name, 'ran' if completed.returncode == 0 else 'FAILED'))
    if completed.returncode != 0:
        print(text)
        print(completed.stdout[-4000:])
    return completed.returncode == 0


def check_rulebook(name, text, rulesets):
    """A rulebook: each ``cvm_instance_state`` source reads once, as written, and each playbook it runs is the
    collection's own (ansible-rulebook itself runs in the ``eda_cvm_instance_state`` target)."""
    from ansible_collections.tencentcloud.cloud.plugins.plugin_utils.state_watch import WatchFailed, open_watch
    problems = []
    for ruleset in rulesets:
        for source in ruleset['sources']:
            args = source.get('tencentcloud.cloud.cvm_instance_state')
            if args is None:
                continue
            try:
                watch = open_watch(args, os.environ)
                try:
                    watch.poll()
                finally:
                    watch.close()
            except WatchFailed as failure:
                problems.append(str(failure))
        for rule in ruleset['rules']:
            for action in [rule.get('action', {})] + rule.get('actions', []):
                playbook = (action.get('run_playbook') or {}).get('name', '')
                if playbook.startswith('tencentcloud.cloud.') and not os.path.isfile(
                        os.path.join(COLLECTION, 'playbooks', playbook.split('.')[-1] + '.yml')):
                    problems.append('no playbook %s in the collection' % playbook)
    print('%s: %s' % (name, 'a rulebook whose source reads' if not problems else 'FAILED'))
    if problems:
        print(text)
        print('\n'.join(problems))
    return not problems


def list_inventory(name, text, workdir):
    """An inventory source of the plugin, as written: it must list the emulator's instances."""
    source = os.path.join(workdir, 'snippet_tencentcloud_cvm.yml')
    with open(source, 'w') as handle:
        handle.write(text)
    completed = subprocess.run(['ansible-inventory', '-i', source, '--list'], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True, cwd=workdir, check=False,
                               env=dict(os.environ, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'))
    listed = completed.returncode == 0 and all(i in completed.stdout for i in RUNNING)
    print('%s: %s' % (name, 'listed' if listed else 'FAILED'))
    if not listed:
        print(text)
        print(completed.stdout[-4000:])
    return listed


def main():
    global COLLECTION
    collection = COLLECTION = sys.argv[1]
    # The collection's own code, for the rulebooks' event sources.
    sys.path.insert(0, os.path.abspath(os.path.join(collection, '..', '..', '..')))
    workdir = tempfile.mkdtemp(prefix='docs-snippets-')
    # The snippets' include_tasks: deploy.yml stands for the reader's own deployment.
    with open(os.path.join(workdir, 'deploy.yml'), 'w') as handle:
        handle.write('- name: Deploy\n  ansible.builtin.debug:\n    msg: deploying to {{ inventory_hostname }}\n')
    environ_region = os.environ.pop('TENCENTCLOUD_REGION', None)  # the snippets name their region themselves
    # The variables a snippet reads its keys from, as the reader's CI would set them (a template rendering empty
    # fails the source rather than fall back to other keys).
    os.environ.update(CI_TENCENTCLOUD_ID=os.environ['TENCENTCLOUD_SECRET_ID'],
                      CI_TENCENTCLOUD_KEY=os.environ['TENCENTCLOUD_SECRET_KEY'])
    results = [run(name, text, workdir) for name, text in snippets(collection)]
    # The plugins' EXAMPLES: each a task list; those that gate or act on the play's hosts run over hosts of two
    # regions, as a real inventory's would be (an example that assumes one region fails there).
    for name, text, per_host in plugin_examples(collection):
        results.append(run(name, text, workdir) if per_host else syntax_checked(name, text, workdir))
    if environ_region is not None:
        os.environ['TENCENTCLOUD_REGION'] = environ_region
    print('%d snippets, %d failed' % (len(results), results.count(False)))
    return 0 if results and all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
