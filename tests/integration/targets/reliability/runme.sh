#!/usr/bin/env bash
# The fault and bad-input matrices and the secrets check, through the module and the lookup, against emulators.
# docs/reliability.md is this script's output: the run fails if it is stale (regenerate with `make docs`).
set -eu
source ../setup_cvm_emulator/isolated_environment.sh
trap clean_up_isolated_environment EXIT
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" matrix.py \
    --check "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/docs/reliability.md"
