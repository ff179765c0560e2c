# shellcheck shell=bash
# Sourced by the demos: build and install the collection into a local collections path ($work/collections), start
# the CVM emulator (with the scenario file named by DEMO_SCENARIO, else its built-in one) and point the collection at
# it; the emulator is stopped and $work removed when the demo exits, whatever happens.
work=$(mktemp -d "${TMPDIR:-/tmp}/tencentcloud-demo.XXXXXX")
emulator_pid=
cleanup() {
    if [ -n "$emulator_pid" ]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true  # it ends by SIGTERM: not the demo's failure
    fi
    rm -rf "$work"
}
trap cleanup EXIT

export ANSIBLE_COLLECTIONS_PATH="$work/collections"
ansible-galaxy collection build --force --output-path "$work" >/dev/null
ansible-galaxy collection install --force -p "$ANSIBLE_COLLECTIONS_PATH" "$work"/tencentcloud-cloud-*.tar.gz >/dev/null
echo "Built and installed tencentcloud.cloud into a local collections path."
# The module runs on localhost with the interpreter that has requests: this virtualenv's.
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "$(command -v python)" > "$work/inventory"

export TENCENTCLOUD_SECRET_ID=AKIDdemo00000000000000000000000000000
export TENCENTCLOUD_SECRET_KEY=demo-secret-key-for-the-local-emulator
export TENCENTCLOUD_REGION=ap-guangzhou
unset TENCENTCLOUD_SECURITY_TOKEN TENCENTCLOUD_TOKEN
python tests/emulator --port 0 --secret-id "$TENCENTCLOUD_SECRET_ID" \
    --secret-key "$TENCENTCLOUD_SECRET_KEY" ${DEMO_SCENARIO:+--scenario "$DEMO_SCENARIO"} > "$work/emulator.out" &
emulator_pid=$!
for _ in $(seq 200); do head -1 "$work/emulator.out" | grep -q '^http' && break; sleep 0.05; done
TENCENTCLOUD_CVM_ENDPOINT=$(head -1 "$work/emulator.out")
export TENCENTCLOUD_CVM_ENDPOINT
echo "CVM emulator listening on $TENCENTCLOUD_CVM_ENDPOINT"

