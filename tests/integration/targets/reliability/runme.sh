#!/usr/bin/env bash
# The fault and bad-input matrices and the secrets check, through the module and the lookup, against emulators: the
# rows whose claim no load changes (the timed ones run in reliability_timed).
# docs/reliability.md is matrix.py's output: the run fails if it is stale (regenerate with `make docs`).
set -eu
source ../setup_cvm_emulator/isolated_environment.sh
trap clean_up_isolated_environment EXIT
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" matrix.py --rows untimed \
    --check "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/docs/reliability.md"
