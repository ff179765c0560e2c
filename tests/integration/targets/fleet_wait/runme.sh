#!/usr/bin/env bash
# The per-host gate of a rolling play, against an account whose other tools leave 10 requests per second: every host
# waits for its own instance (PENDING for 2 to 6 s once first asked about) with a 1 s interval, 10 forks at a time.
# Read alone, each host polls at least 3 times (at 0, 1 and 2 s), so 3 calls per host at the very least; shared reads
# must keep it under 1.5 per host, every host must pass, and no answer may be throttled. Then the same gate as a
# lookup in `when:`.
set -eu
source ../setup_cvm_emulator/isolated_environment.sh
trap clean_up_isolated_environment EXIT
fleet="$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/tests/benchmarks/fleet_wait.py"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
"$python" "$fleet" --hosts 40 --forks 10 --wait-interval 1 --rate-limit 10 --pending 2-6 \
    --max-throttled 0 --max-requests 60
"$python" "$fleet" --hosts 20 --forks 10 --wait-interval 1 --rate-limit 10 --pending 2-6 --lookup \
    --max-throttled 0 --max-requests 30
