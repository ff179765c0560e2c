#!/usr/bin/env bash
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json
ansible-playbook -i "$INVENTORY_PATH" test.yml "$@"
start_emulator LOST_ENDPOINT --scenario lost_answers.json
ansible-playbook -i "$INVENTORY_PATH" at_most_once.yml "$@"
start_emulator TAGGED_ENDPOINT --scenario ../setup_cvm_emulator/tagged_scenario.json
CVM_ENDPOINT=$TAGGED_ENDPOINT ansible-playbook -i "$INVENTORY_PATH" filters.yml "$@"
start_emulator CLOSED_ENDPOINT --scenario fail_closed_scenario.json
ansible-playbook -i "$INVENTORY_PATH" fail_closed.yml "$@"
