#!/usr/bin/env bash
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json
ansible-playbook -i "$INVENTORY_PATH" test.yml "$@"
