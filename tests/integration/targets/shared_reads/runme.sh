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
