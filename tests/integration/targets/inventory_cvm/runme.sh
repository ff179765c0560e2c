#!/usr/bin/env bash
# The inventory plugin over two regions of the emulator: groups, variables, server-side filters, the gate that uses
# the inventory's IDs, what each listing costs in calls, and one-line errors for bad configuration.
set -eu
source ../setup_cvm_emulator/emulator.sh
start_emulator CVM_ENDPOINT --scenario scenario.json
export TENCENTCLOUD_CVM_ENDPOINT=$CVM_ENDPOINT ANSIBLE_INVENTORY_ENABLED=tencentcloud.cloud.cvm
work=$(mktemp -d)
trap 'stop_emulators; rm -rf "$work"' EXIT

requests() {
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/stats"))["requests"])' "$CVM_ENDPOINT"
}

# expect_calls N COMMAND...: run the command, which must make exactly N calls to the emulator.
expect_calls() {
    local expected=$1 before after
    shift
    before=$(requests)
    "$@"
    after=$(requests)
    if [ $((after - before)) -ne "$expected" ]; then
        echo "expected $expected calls, got $((after - before)): $*" >&2
        return 1
    fi
}

echo "both regions: 300 + 151 instances in 3 + 2 calls"
expect_calls 5 ansible-inventory -i all_tencentcloud_cvm.yml --list --output "$work/all.json"
echo "groups, variables, and a gate on the inventory's IDs (200 web hosts, 2 calls)"
ansible-playbook -i all_tencentcloud_cvm.yml groups.yml "$@"

echo "server-side filters: 200 + 150 matching instances in 2 + 2 calls"
expect_calls 4 ansible-inventory -i prod_running_tencentcloud_cvm.yml --list --output "$work/filtered.json"
ansible-playbook -i prod_running_tencentcloud_cvm.yml filtered.yml "$@"

echo "names whoever names an instance chooses: an unsafe one and two web-1 are not used, each with a warning"
ansible-inventory -i names_tencentcloud_cvm.yml --list --output "$work/names.json" 2> "$work/names.err"
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$work/names.json" "$work/names.err" <<'PYTHON'
import json, sys
listed = json.load(open(sys.argv[1]))
warnings = open(sys.argv[2]).read()
hosts = listed['_meta']['hostvars']


def text(value):
    """A value as ansible-inventory lists it: marked as not a template from ansible-core 2.19 on."""
    return value['__ansible_unsafe'] if isinstance(value, dict) else value


# Two instances that want one name are each named by their ID: whichever is listed first does not win it.
assert sorted(hosts) == ['ins-evil0001', 'ins-webbj001', 'ins-webcd001'], sorted(hosts)
assert 'ansible_host' not in hosts['ins-evil0001'], hosts['ins-evil0001']
for expected in ("instance ins-evil0001: instance-name '../../../../tmp/x/evil' is not a safe host name",
                 "instance ins-webbj001: instance-name 'web-1' is wanted by 2 instances (ins-webbj001, ins-webcd001)",
                 "ins-evil0001: PrivateIpAddresses not the address of another host"):
    assert expected in ' '.join(warnings.split()), (expected, warnings)
PYTHON

echo "bad configuration fails the source with one line naming the option"
bad() {
    local name=$1 expected=$2 output
    printf 'plugin: tencentcloud.cloud.cvm\n%s\n' "$3" > "$work/${name}_tencentcloud_cvm.yml"
    if output=$(ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -i "$work/${name}_tencentcloud_cvm.yml" \
            --list 2>&1); then
        echo "$name: the inventory source did not fail" >&2
        return 1
    fi
    # Ansible before 2.19 wraps warnings at the terminal's width: the message is looked for in the words.
    if ! tr -s ' \n' '  ' <<< "$output" | grep -qF -- "$expected" || grep -q Traceback <<< "$output"; then
        echo "$name: expected '$expected' in:" >&2
        echo "$output" >&2
        return 1
    fi
}
# An option wrong on its face is named as such whether or not a region is configured anywhere.
expect_calls 0 bad unknown_filter "filters: unknown filter 'state'" 'filters: {state: RUNNING}'
expect_calls 0 bad unknown_filter_in_region "filters: unknown filter 'state'" \
    $'regions: [ap-guangzhou]\nfilters: {state: RUNNING}'
expect_calls 0 bad hostnames_in_no_region "hostnames: unknown entry 'dns-name'" 'hostnames: [dns-name]'
expect_calls 0 bad too_many_values 'filters: filter zone has 6 values; the API takes 1 to 5' \
    'filters: {zone: [a, b, c, d, e, f]}'
expect_calls 0 bad hostnames "hostnames: unknown entry 'dns-name'" $'regions: [ap-guangzhou]\nhostnames: [dns-name]'
expect_calls 0 bad region_name "regions 'Guangzhou' is not a region name" 'regions: [Guangzhou]'
# Passes only where the target's environment is its own: no region from the machine's profiles or variables. With no
# region anywhere every region is listed, and by default the one the keys may not read fails the source.
bad no_region 'regions: ap-tokyo: UnauthorizedOperation' 'filters: {zone: ap-guangzhou-3}'
expect_calls 1 bad no_such_region 'regions: mars-north-1: InvalidParameterValue' 'regions: [mars-north-1]'
# With strict, two instances that want one name fail the source, naming both.
bad strict_names "instance-name 'web-1' is wanted by 2 instances (ins-webbj001, ins-webcd001)" \
    $'regions: [ap-beijing, ap-chengdu]\nhostnames: [instance-name, instance-id]\nstrict: true'

echo "every region the account can use: 1 DescribeRegions, then 3 + 2 + 1 + 1 listing calls, and 1 refused in the"
echo "region the keys may not read, which strict_permissions false skips with a warning"
expect_calls 9 ansible-inventory -i every_region_tencentcloud_cvm.yml --list --output "$work/every.json" \
    2> "$work/every.err"
tr -s ' \n' '  ' < "$work/every.err" | grep -qF \
    "regions: ap-tokyo skipped, the keys may not read it (strict_permissions is false): UnauthorizedOperation" \
    || { cat "$work/every.err" >&2; exit 1; }
bad forbidden_region 'regions: ap-tokyo: UnauthorizedOperation' $'regions: [ap-guangzhou, ap-tokyo]'

echo "include and exclude filters, names from a tag and from a prefixed template, the group of every host, and keys"
echo "from templates over the environment (3 listings)"
expect_calls 3 env -u TENCENTCLOUD_SECRET_ID -u TENCENTCLOUD_SECRET_KEY MY_TENCENTCLOUD_ID="$EMULATOR_SECRET_ID" \
    MY_TENCENTCLOUD_KEY="$EMULATOR_SECRET_KEY" \
    ansible-inventory -i chosen_tencentcloud_cvm.yml --list --output "$work/chosen.json"
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$work/every.json" "$work/chosen.json" <<'PYTHON'
import json, sys


def plain(value):
    """A value as ansible-inventory lists it, its strings unmarked (ansible-core before 2.19 marks them unsafe)."""
    if isinstance(value, dict):
        return value['__ansible_unsafe'] if set(value) == {'__ansible_unsafe'} else {k: plain(v) for k, v in value.items()}
    return [plain(item) for item in value] if isinstance(value, list) else value


every = json.load(open(sys.argv[1]))
assert len(every['_meta']['hostvars']) == 300 + 151 + 2 + 1, len(every['_meta']['hostvars'])
assert len(every['tencentcloud']['hosts']) == 454
chosen = json.load(open(sys.argv[2]))
hosts = chosen['_meta']['hostvars']
assert sorted(hosts) == ['ap-shanghai.db-001', 'billing-primary'], sorted(hosts)
assert sorted(chosen['cvm']['hosts']) == sorted(hosts), chosen['cvm']
billing = plain(hosts['billing-primary'])
assert (billing['tencentcloud_cpu'], billing['tencentcloud_memory'], billing['tencentcloud_image_id'],
        billing['tencentcloud_ipv6_addresses'], billing['tencentcloud_security_group_ids'],
        billing['tencentcloud_instance_charge_type']) == (8, 32, 'img-billing1', ['2402:4e00:1::1'], ['sg-default0'],
                                                          'POSTPAID_BY_HOUR'), billing
PYTHON
echo "a templated key that is still not usable once rendered says so"
MY_TENCENTCLOUD_ID='not a key' bad rendered_key 'secret_id, secret_key rendered from a template' \
    $'regions: [ap-shanghai]\nsecret_id: "{{ lookup(\'ansible.builtin.env\', \'MY_TENCENTCLOUD_ID\') }}"\nsecret_key: x{{ 1 }}'

echo "hostile instances and endpoint: no name, tag or ID is rendered, none takes a host's identity"
source hostile.sh "$work"
