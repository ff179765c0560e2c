# shellcheck shell=bash
# Sourced by runme.sh, once the collection is installed: hostile_fields.yml, every shape a rulebook passes instance
# text in, against instances whose names and tags carry every payload family; hostile_fields.py checks what reached the
# playbooks and the module. Marker files go to $markers (runme.sh).
: "${markers:?}"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
results=$HOME/hostile-results
mkdir -p "$results"
"$python" hostile_fields.py scenario "$markers" > "$HOME/fields.json"
start_emulator FIELDS_ENDPOINT --scenario "$HOME/fields.json"
RESULTS_DIR=$results TENCENTCLOUD_CVM_ENDPOINT=$FIELDS_ENDPOINT ansible-rulebook --rulebook hostile_fields.yml \
    -i "$HOME/inventory" --env-vars RESULTS_DIR > "$HOME/fields.out" 2>&1 &
rulebook=$!
# 4 playbooks from the events, 4 from what was posted, 1 from the fact, 4 module runs: stopped once all have written.
all_written() { [ "$(find "$results" -type f | wc -l)" -ge 13 ]; }
wait_until "$rulebook" all_written
sleep 1
kill "$rulebook" 2>/dev/null || true
wait "$rulebook" 2>/dev/null || true
"$python" hostile_fields.py check "$markers" "$results" || { cat "$HOME/fields.out"; exit 1; }
