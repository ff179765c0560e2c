#!/usr/bin/env bash
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario ../setup_cvm_emulator/tagged_scenario.json
ansible-playbook -i "$INVENTORY_PATH" test.yml "$@"
