#!/usr/bin/env bash
# What the forks of one controller share, and what stays each caller's own, against the emulator with real processes.
set -eu
source ../setup_cvm_emulator/emulator.sh
work=$(mktemp -d)
trap 'stop_emulators; rm -rf "$work"' EXIT
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"

echo "trust: forks that trust the endpoint differently never share a read"
start_emulator TLS_ENDPOINT --scenario tls_scenario.json --tls-self-signed "$work"
cat > "$work/readers" <<INVENTORY
[readers]
trusting reader_ca_bundle=$work/ca.pem reader_wait_for=RUNNING reader_rounds=1
doubting reader_rounds=12
[readers:vars]
ansible_connection=local
ansible_python_interpreter=$python
INVENTORY
TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$TLS_ENDPOINT ANSIBLE_FORKS=2 \
    ansible-playbook -i "$work/readers" tls_race.yml "$@"

# gates NAME ENDPOINT PLAYBOOK [HOST LINE...]: one gate host per line (name and variables), then the playbook run with
# one fork per gate against ENDPOINT.
gates() {
    local name=$1 endpoint=$2 playbook=$3
    shift 3
    {
        echo '[gates]'
        printf '%s\n' "$@"
        printf '[gates:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python"
        printf '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' "$python"
    } > "$work/$name"
    TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$endpoint ANSIBLE_FORKS=$# \
        ansible-playbook -i "$work/$name" "$playbook" "${PLAYBOOK_ARGS[@]}"
}
# numbered PREFIX COUNT: gate hosts gate00... for instances PREFIX0000000...
numbered() {
    for n in $(seq 0 $(($2 - 1))); do printf 'gate%02d instance_id=%s%07d\n' "$n" "$1" "$n"; done
}
PLAYBOOK_ARGS=("$@")

echo "faults: one InternalError fails the one caller whose call met it"
start_emulator CVM_ENDPOINT --scenario fault_scenario.json
mapfile -t hosts < <(numbered ins-g 12)
gates gates "$CVM_ENDPOINT" transient_fault.yml "${hosts[@]}"

echo "denied: a policy that denies one instance fails the one gate it concerns, not the forks that shared its read"
start_emulator DENIED_ENDPOINT --scenario denied_scenario.json
mapfile -t hosts < <(numbered ins-d 7)
gates denied_gates "$DENIED_ENDPOINT" denied_instance.yml "${hosts[@]}"

echo "CAM denial: AuthFailure.UnauthorizedOperation for one of 8 forks' instances fails its caller only, 3 rounds"
start_emulator CAM_ENDPOINT --scenario cam_denied_scenario.json
mapfile -t hosts < <(numbered ins-c 8)
gates cam_gates "$CAM_ENDPOINT" cam_denial.yml "${hosts[@]}"

echo "hung leader: a gate with a short deadline never fails behind another's hung call"
start_emulator HUNG_ENDPOINT --scenario hung_scenario.json
gates hung_gates "$HUNG_ENDPOINT" hung_leader.yml \
    'gate00 instance_id=ins-h0000000 gate_timeout=60 gate_request_timeout=30' \
    'gate01 instance_id=ins-h0000001 gate_timeout=6 gate_request_timeout=2' \
    'gate02 instance_id=ins-h0000002 gate_timeout=6 gate_request_timeout=2' \
    'gate03 instance_id=ins-h0000003 gate_timeout=6 gate_request_timeout=2'

echo "outage: under a persistent fault each of 8 gates fails within its own retries, with the service's error"
start_emulator OUTAGE_ENDPOINT --scenario outage_scenario.json
mapfile -t hosts < <(numbered ins-o 8)
gates outage_gates "$OUTAGE_ENDPOINT" persistent_outage.yml "${hosts[@]}"

echo "read-only: a private directory that cannot be written is passed over for the next, and never silently"
# Root writes through permissions: an immutable directory stands for a read-only mount there.
make_unwritable() {
    if [ "$(id -u)" = 0 ]; then chattr +i "$1"; else chmod 500 "$1"; fi
}
make_writable() {
    if [ "$(id -u)" = 0 ]; then chattr -i "$1"; else chmod 700 "$1"; fi
}
mkdir -m 700 "$work/runtime" "$work/runtime/tencentcloud.cloud" "$work/ansible-tmp"
make_unwritable "$work/runtime/tencentcloud.cloud"
trap 'make_writable "$work/runtime/tencentcloud.cloud"; make_writable "$HOME/.ansible/tmp/tencentcloud.cloud" 2>/dev/null || true; stop_emulators; rm -rf "$work"' EXIT
# Ansible's own temporary files go elsewhere: the test is about the collection's directory only.
export ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_REMOTE_TEMP=$work/ansible-tmp
XDG_RUNTIME_DIR=$work/runtime TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$DENIED_ENDPOINT \
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="$python" private_directory.yml \
    -e expect_warning="could not be written \\($work/runtime/tencentcloud.cloud: .*\\): $HOME/.ansible/tmp/tencentcloud.cloud is used instead" \
    -e shared_in="$HOME/.ansible/tmp/tencentcloud.cloud" "$@"
make_unwritable "$HOME/.ansible/tmp/tencentcloud.cloud"
XDG_RUNTIME_DIR=$work/runtime TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$DENIED_ENDPOINT \
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="$python" private_directory.yml \
    -e expect_warning="no private directory can be written \\($work/runtime/tencentcloud.cloud: .*; $HOME/.ansible/tmp/tencentcloud.cloud: .*\\): the request budget and reads of this process are not shared" \
    -e shared_in= "$@"
