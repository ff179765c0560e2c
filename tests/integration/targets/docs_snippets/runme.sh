#!/usr/bin/env bash
# Every YAML snippet of README.md and the user guide, run against the emulator: a snippet that does not run as
# written fails the build.
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json
export TENCENTCLOUD_CVM_ENDPOINT=$CVM_ENDPOINT TENCENTCLOUD_STS_ENDPOINT=$CVM_ENDPOINT
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" run_snippets.py \
    "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud"
