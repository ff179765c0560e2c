#!/usr/bin/env bash
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario ../setup_cvm_emulator/scenario.json
ansible-playbook -i "$INVENTORY_PATH" test.yml "$@"
ansible-playbook -i "$INVENTORY_PATH" --check check_mode.yml "$@"
start_emulator TAGGED_ENDPOINT --scenario ../setup_cvm_emulator/tagged_scenario.json
CVM_ENDPOINT=$TAGGED_ENDPOINT ansible-playbook -i "$INVENTORY_PATH" filters.yml "$@"
