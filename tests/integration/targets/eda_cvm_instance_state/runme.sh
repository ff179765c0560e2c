#!/usr/bin/env bash
# The event source as a user runs it: the collection built and installed into a collections path of its own, found
# by the real ansible-rulebook by its FQCN, against the emulator. Needs a Java runtime (tools/ensure-java).
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json
export TENCENTCLOUD_CVM_ENDPOINT=$CVM_ENDPOINT TENCENTCLOUD_REGION=ap-guangzhou

source_tree=$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud
export ANSIBLE_COLLECTIONS_PATH=$HOME/collections
ansible-galaxy collection build --output-path "$HOME" "$source_tree" >/dev/null
ansible-galaxy collection install -p "$ANSIBLE_COLLECTIONS_PATH" "$HOME"/tencentcloud-cloud-*.tar.gz >/dev/null
ls "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/extensions/eda/plugins/event_source/cvm_instance_state.py" >/dev/null
# Directories beside ansible_collections that would stand in for ansible-core and requests, were the collections path
# put on sys.path: the source imports nothing from there but the collection.
markers=$HOME/markers
mkdir -p "$markers"
for package in ansible requests; do
    mkdir "$ANSIBLE_COLLECTIONS_PATH/$package"
    printf 'open(%s, "w").close()\nraise ImportError("the collections path shadowed %s")\n' \
        "'$markers/shadowed-$package'" "$package" > "$ANSIBLE_COLLECTIONS_PATH/$package/__init__.py"
done

# The playbook's module runs on localhost with this Python, which has requests.
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" \
    > "$HOME/inventory"
# The bounds below only stop a hang: a loaded machine runs ansible-rulebook and its playbooks several times slower than
# a quiet one, and every wait ends as soon as what it waits for is there.
BOUND=300

# Waits until the command given holds, or the process PID has ended, for at most BOUND seconds.
wait_until() {
    local pid=$1 deadline=$((SECONDS + BOUND))
    shift
    while ((SECONDS < deadline)); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
}

started=$SECONDS
if ! timeout "$BOUND" ansible-rulebook --rulebook rulebook.yml -i "$HOME/inventory" > "$HOME/rulebook.out" 2>&1; then
    cat "$HOME/rulebook.out"
    echo "ansible-rulebook failed or did not stop within $BOUND s (it ran $((SECONDS - started)) s)" >&2
    exit 1
fi
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" check_run.py "$HOME/rulebook.out"

# Keys the service does not know: the source stops at its first read, with one line that says why.
if TENCENTCLOUD_SECRET_ID=AKIDunknown0000000000000000000000000 timeout "$BOUND" \
        ansible-rulebook --rulebook rulebook.yml -i "$HOME/inventory" > "$HOME/refused.out" 2>&1; then
    cat "$HOME/refused.out"
    echo "ansible-rulebook went on with keys the service refuses" >&2
    exit 1
fi
grep -q "Source plugin failed with error message: 'cvm_instance_state: cannot read the instances of ap-guangzhou: \
AuthFailure.SecretIdNotFound: The SecretId is not found" "$HOME/refused.out" || { cat "$HOME/refused.out"; exit 1; }
if grep -F -e "$TENCENTCLOUD_SECRET_KEY" "$HOME/rulebook.out" "$HOME/refused.out"; then
    echo "the secret key is in the output" >&2
    exit 1
fi

echo "the shipped rulebook and playbook, fed the stop of an instance whose name and tags are templates"
source hostile_stop.sh

echo "every rulebook shape (whole event, one field, two joined; run_playbook, run_module, post_event, set_fact) over"
echo "names and tags that carry every payload family"
source hostile_fields.sh
