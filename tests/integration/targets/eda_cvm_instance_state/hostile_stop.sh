# shellcheck shell=bash
# Sourced by runme.sh, once the collection is installed: the example rulebook shipped with the collection (its read
# interval shortened) and the playbook it runs, fed the unexpected stop of an instance whose name and tags are
# templates that create a marker file when rendered. The playbook starts the instance and says so, printing its name;
# nothing may be rendered, on every ansible-core version make test runs. Marker files go to $markers (runme.sh).
: "${markers:?}"
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$markers" > "$HOME/hostile.json" <<'PYTHON'
import json, sys
markers = sys.argv[1]


def payload(name):
    return "{{ lookup('pipe', 'touch %s/%s') }}" % (markers, name)


print(json.dumps({'power_seconds': 1, 'instances': [
    {'id': 'ins-hst00009', 'name': 'web-' + payload('instance-name'),
     'tags': {'role': 'web', 'owner': payload('tag-value'), payload('tag-key'): 'x',
              'note': "{%% if lookup('pipe', 'touch %s/tag-statement') %%}{%% endif %%}" % markers},
     'timeline_from': 'listed',
     'timeline': [{'state': 'RUNNING', 'seconds': 3}, {'state': 'STOPPING', 'seconds': 1}, {'state': 'STOPPED'}]},
]}))
PYTHON
start_emulator HOSTILE_ENDPOINT --scenario "$HOME/hostile.json"
sed 's/interval: 30$/interval: 1/' \
    "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/extensions/eda/rulebooks/start_stopped_instances.yml" \
    > "$HOME/shipped.yml"
grep -q 'interval: 1$' "$HOME/shipped.yml"
TENCENTCLOUD_CVM_ENDPOINT=$HOSTILE_ENDPOINT ansible-rulebook --rulebook "$HOME/shipped.yml" -i "$HOME/inventory" \
    --env-vars TENCENTCLOUD_REGION > "$HOME/shipped.out" 2>&1 &
rulebook=$!
# The rulebook runs until stopped: it is stopped once the playbook it started has ended.
wait_until "$rulebook" grep -q 'PLAY RECAP' "$HOME/shipped.out"
kill "$rulebook" 2>/dev/null || true
wait "$rulebook" 2>/dev/null || true
if ! grep -q 'PLAY RECAP' "$HOME/shipped.out" || ! grep -q 'failed=0' "$HOME/shipped.out"; then
    cat "$HOME/shipped.out"
    echo "the shipped rulebook did not start the stopped instance within $BOUND s" >&2
    exit 1
fi
# The playbook printed the instance's name as the event holds it: braces and quotes full-width look-alikes.
grep -qF "ins-hst00009 (web-｛{ lookup(＇pipe＇, ＇touch $markers/instance-name＇) }｝) is RUNNING again" \
    "$HOME/shipped.out" || { cat "$HOME/shipped.out"; exit 1; }
leaked=$(find "$markers" -type f)
if [ -n "$leaked" ]; then
    cat "$HOME/shipped.out"
    echo "the event source handed a template to the playbook, or shadowed a package: $leaked" >&2
    exit 1
fi
