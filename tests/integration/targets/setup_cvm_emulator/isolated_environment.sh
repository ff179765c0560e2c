# shellcheck shell=bash
# Sourced first by every target's runme.sh: nothing of the machine the tests run on may make them pass or fail.
# A home of the target's own (no ~/.tccli, ~/.tencentcloud or ~/.ansible of the user's), no TENCENTCLOUD_* or TKE_*
# variable, no /etc credentials file, no runtime directory shared with the user's own runs, no endpoint off this host. The home is removed when
# the script exits (clean_up_isolated_environment, called by the EXIT trap of whoever sources this).

ISOLATED_HOME=$(mktemp -d)
export HOME=$ISOLATED_HOME
# Ansible expands ~ in its async directory from the password database on one side and from HOME on the other: name
# it whole, so that async_status finds the job its task started.
export ANSIBLE_ASYNC_DIR="$HOME/.ansible_async"
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(TENCENTCLOUD_|TKE_)' || true)
unset XDG_RUNTIME_DIR
# Without this the chain would fall back to /etc/tencentcloud/credentials: point it at an empty file in this home.
mkdir -m 700 "$HOME/.tencentcloud"
: > "$HOME/.tencentcloud/credentials"
export TENCENTCLOUD_CREDENTIALS_FILE="$HOME/.tencentcloud/credentials"
# A plugin left without an endpoint (a lookup runs on the controller, where a play's environment does not reach) must
# never reach Tencent Cloud, nor the metadata service for an instance role: by default they are a port of this host
# where nothing listens, which refuses at once. A target names its emulator's endpoint in its options or after this.
NOWHERE=http://127.0.0.1:9
export TENCENTCLOUD_CVM_ENDPOINT=$NOWHERE TENCENTCLOUD_STS_ENDPOINT=$NOWHERE TENCENTCLOUD_METADATA_ENDPOINT=$NOWHERE

clean_up_isolated_environment() {
    rm -rf "$ISOLATED_HOME"
}
