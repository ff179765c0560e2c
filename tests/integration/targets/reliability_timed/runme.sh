#!/usr/bin/env bash
# The reliability matrix's timed rows (reliability/matrix.py --rows timed), checked against docs/reliability.md.
set -eu
source ../setup_cvm_emulator/isolated_environment.sh
trap clean_up_isolated_environment EXIT
cd ../reliability
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" matrix.py --rows timed \
    --check "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/docs/reliability.md"
