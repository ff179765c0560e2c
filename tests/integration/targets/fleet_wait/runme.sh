#!/usr/bin/env bash
# 200 hosts with 50 forks, each polling its own instance every 0.1 s against the emulator's 40 requests per second:
# every host must succeed, and the shared request schedule must keep every answer unthrottled.
set -eu
exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" \
    "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/tests/benchmarks/fleet_wait.py" \
    --hosts 200 --forks 50 --wait-interval 0.1 --max-throttled 0
