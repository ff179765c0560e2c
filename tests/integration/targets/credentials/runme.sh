#!/usr/bin/env bash
# Each credential source of the chain against the emulator's STS and metadata service, with no key anywhere but
# where the case puts it; every run at -vvvv, whose output must hold no secret.
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json

work=$(mktemp -d)
trap 'stop_emulators; rm -rf "$work"' EXIT
log="$work/output.log"
deploy_role=qcs::cam::uin/100000000001:roleName/deploy
pods_role=qcs::cam::uin/100000000001:roleName/pods

# Nothing from the machine (emulator.sh gave the target an empty home), no keys, every service the emulator.
unset TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY
export TENCENTCLOUD_CVM_ENDPOINT=$CVM_ENDPOINT TENCENTCLOUD_STS_ENDPOINT=$CVM_ENDPOINT
export TENCENTCLOUD_METADATA_ENDPOINT=$CVM_ENDPOINT TENCENTCLOUD_REGION=ap-guangzhou

gate() {
    ansible-playbook -i "$INVENTORY_PATH" gate.yml -vvvv "$@" >> "$log" 2>&1 || { tail -80 "$log"; return 1; }
}

echo "instance role, no keys anywhere"
gate -e expected_source=cvm-role:CVM_QcsRole -e '{"wait_ids": ["ins-late0001", "ins-late0002"]}'

echo "AssumeRole on environment keys"
TENCENTCLOUD_SECRET_ID=$EMULATOR_SECRET_ID TENCENTCLOUD_SECRET_KEY=$EMULATOR_SECRET_KEY \
TENCENTCLOUD_ASSUME_ROLE_ARN=$deploy_role TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID=integration-external-id \
    gate -e "expected_source='assume-role:$deploy_role via environment'" \
         -e '{"wait_ids": ["ins-late0003", "ins-late0004"]}'

echo "TKE OIDC"
printf 'integration-web-identity-token\n' > "$work/token"
TKE_PROVIDER_ID=tke-oidc TKE_WEB_IDENTITY_TOKEN_FILE="$work/token" TKE_ROLE_ARN=$pods_role TKE_REGION=ap-guangzhou \
    gate -e "expected_source=oidc:$pods_role"

echo "tccli profile, with the region from its configure file"
mkdir -p "$HOME/.tccli"
printf '{"secretId": "%s", "secretKey": "%s"}\n' "$EMULATOR_SECRET_ID" "$EMULATOR_SECRET_KEY" > "$HOME/.tccli/default.credential"
printf '{"_sys_param": {"region": "ap-guangzhou", "output": "json"}}\n' > "$HOME/.tccli/default.configure"
TENCENTCLOUD_REGION='' gate -e "expected_source='profile:default (tccli)'"
rm -r "$HOME/.tccli"

echo "an explicit profile beats keys in the environment"
mkdir -p "$HOME/.tencentcloud"
printf '[prod]\nsecret_id = %s\nsecret_key = %s\n' "$EMULATOR_SECRET_ID" "$EMULATOR_SECRET_KEY" > "$HOME/.tencentcloud/credentials"
TENCENTCLOUD_SECRET_ID=AKIDnotthisone00000000000000000000000 TENCENTCLOUD_SECRET_KEY=not-this-key \
TENCENTCLOUD_PROFILE=prod \
    gate -e "expected_source='profile:prod (credentials file)'"

echo "bad credential settings"
TENCENTCLOUD_SECRET_ID=$EMULATOR_SECRET_ID TENCENTCLOUD_SECRET_KEY=$EMULATOR_SECRET_KEY \
    ansible-playbook -i "$INVENTORY_PATH" failures.yml -vvvv >> "$log" 2>&1 || { tail -80 "$log"; exit 1; }

echo "no secret in $(wc -l < "$log") lines of -vvvv output"
# The emulator mints keys as tmpkey<hex> and tokens as tmptoken<hex>; the others are this script's own.
for secret in tmpkey tmptoken "$EMULATOR_SECRET_KEY" integration-external-id integration-web-identity-token; do
    if grep -q -- "$secret" "$log"; then
        echo "secret '$secret' found in the output:" >&2
        grep -n -- "$secret" "$log" | head -5 >&2
        exit 1
    fi
done
# The check above must be able to fail: the log does hold what is not secret.
grep -q 'credentials from cvm-role:CVM_QcsRole' "$log"
