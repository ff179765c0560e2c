# shellcheck shell=bash
# Sourced by a target's runme.sh: start_emulator [emulator options...] starts the local CVM emulator on 127.0.0.1,
# exports the endpoint and credentials the collection reads, and stops the emulator when the script exits (the
# emulator also exits by itself when the script that started it is gone). It isolates the target from the machine first.

# shellcheck source=isolated_environment.sh
source "$(dirname "${BASH_SOURCE[0]}")/isolated_environment.sh"

EMULATOR_SECRET_ID=AKIDintegration0000000000000000000000
EMULATOR_SECRET_KEY=integration-secret-key-0000000000
EMULATOR_PIDS=()

stop_emulators() {
    for pid in "${EMULATOR_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    clean_up_isolated_environment
}
trap stop_emulators EXIT

# start_emulator VARIABLE [options...]: start one emulator and put its URL in VARIABLE.
start_emulator() {
    local variable=$1
    shift
    local output
    output=$(mktemp)
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/tencentcloud/cloud/tests/emulator" --port 0 \
        --secret-id "$EMULATOR_SECRET_ID" --secret-key "$EMULATOR_SECRET_KEY" "$@" > "$output" 2>&1 &
    EMULATOR_PIDS+=($!)
    # It starts in well under a second; the bound only stops a hang on a machine loaded by the other parts of make test.
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
        if head -1 "$output" | grep -qE '^https?://127.0.0.1:'; then
            printf -v "$variable" '%s' "$(head -1 "$output")"
            export "${variable?}"
            return 0
        fi
        kill -0 "${EMULATOR_PIDS[-1]}" 2>/dev/null || break
        sleep 0.05
    done
    echo "the CVM emulator did not start:" >&2
    cat "$output" >&2
    return 1
}

export TENCENTCLOUD_SECRET_ID=$EMULATOR_SECRET_ID
export TENCENTCLOUD_SECRET_KEY=$EMULATOR_SECRET_KEY
