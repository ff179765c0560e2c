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

echo "faults: one InternalError fails the one caller whose call met it"
start_emulator CVM_ENDPOINT --scenario fault_scenario.json
{
    echo '[gates]'
    for n in $(seq 0 11); do printf 'gate%02d instance_id=ins-g%07d\n' "$n" "$n"; done
    printf '[gates:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python"
    printf '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' "$python"
} > "$work/gates"
TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$CVM_ENDPOINT ANSIBLE_FORKS=12 \
    ansible-playbook -i "$work/gates" transient_fault.yml "$@"

echo "denied: a policy that denies one instance fails the one gate it concerns, not the forks that shared its read"
start_emulator DENIED_ENDPOINT --scenario denied_scenario.json
{
    echo '[gates]'
    for n in $(seq 0 6); do printf 'gate%02d instance_id=ins-d%07d\n' "$n" "$n"; done
    printf '[gates:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python"
    printf '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' "$python"
} > "$work/denied_gates"
TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$DENIED_ENDPOINT ANSIBLE_FORKS=7 \
    ansible-playbook -i "$work/denied_gates" denied_instance.yml "$@"

echo "hung leader: a gate with a short deadline never fails behind another's hung call"
start_emulator HUNG_ENDPOINT --scenario hung_scenario.json
{
    echo '[gates]'
    echo 'gate00 instance_id=ins-h0000000 gate_timeout=60 gate_request_timeout=30'
    for n in 1 2 3; do printf 'gate%02d instance_id=ins-h%07d gate_timeout=6 gate_request_timeout=2\n' "$n" "$n"; done
    printf '[gates:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python"
    printf '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' "$python"
} > "$work/hung_gates"
TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$HUNG_ENDPOINT ANSIBLE_FORKS=4 \
    ansible-playbook -i "$work/hung_gates" hung_leader.yml "$@"

echo "outage: under a persistent fault each of 8 gates fails within its own retries, with the service's error"
start_emulator OUTAGE_ENDPOINT --scenario outage_scenario.json
{
    echo '[gates]'
    for n in $(seq 0 7); do printf 'gate%02d instance_id=ins-o%07d\n' "$n" "$n"; done
    printf '[gates:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python"
    printf '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' "$python"
} > "$work/outage_gates"
TENCENTCLOUD_REGION=ap-guangzhou TENCENTCLOUD_CVM_ENDPOINT=$OUTAGE_ENDPOINT ANSIBLE_FORKS=8 \
    ansible-playbook -i "$work/outage_gates" persistent_outage.yml "$@"

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
