# shellcheck shell=bash
# Whoever may name, tag or create an instance (or answer for the endpoint) chooses the text the inventory, the modules
# and the lookup read: names and tags that are templates creating a marker file when rendered, names of the
# controller, of a group and of a host of a static source, an option for ssh, an address with a zone suffix,
# addresses of the controller itself (loopback, unspecified, link-local, IPv4-mapped loopback), and an
# InstanceId that is a template. Every host listed and every variable printed, the gate and the lookup run over them:
# no marker may appear, on every ansible-core version make test runs.
# Sourced by runme.sh (which has sourced setup_cvm_emulator) with its work directory: source hostile.sh WORK
markers=$1/markers
mkdir -p "$markers"
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$markers" > "$1/hostile_scenario.json" <<'PYTHON'
import json, sys
markers = sys.argv[1]


def payload(name):
    """A template that creates the marker file ``name`` when anything renders it."""
    return "{{ lookup('pipe', 'touch %s/%s') }}" % (markers, name)


instances = [
    {'id': 'ins-hst00001', 'name': payload('instance-name'),
     'tags': {'Name': "{{lookup(*'pipe:touch${IFS}%s/tag-name'.split(':'))}}" % markers,
              'role': "{%% if lookup('pipe', 'touch %s/tag-statement') %%}{%% endif %%}" % markers,
              payload('tag-key'): 'web'}},
    {'id': 'ins-hst00002', 'name': 'localhost'},
    {'id': 'ins-hst00003', 'name': '127.0.0.1'},
    {'id': 'ins-hst00004', 'name': '::1'},
    {'id': 'ins-hst00005', 'name': '-oProxyCommand=touch %s/ssh-option' % markers, 'private_ip': 'not-an-address'},
    {'id': 'ins-hst00006', 'name': 'ungrouped'},
    {'id': 'ins-hst00007', 'name': 'bastion', 'private_ip': '10.0.0.66'},
    {'id': 'ins-hst00008', 'name': 'web-8', 'private_ip': 'fe80::1%%%s' % payload('zone')},
    {'id': 'ins-hst00009', 'name': 'web-9', 'tags': {'role': 'web', 'owner': payload('tag-value')}},
] + [
    # Addresses that would have ssh reach the controller itself, or its own link: never ansible_host.
    {'id': 'ins-addr000%d' % n, 'name': 'addr-%d' % n, 'private_ip': address}
    for n, address in enumerate(['127.0.0.1', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1', '169.254.169.254',
                                 'fe80::1'])
]
print(json.dumps({
    'instances': [dict(instance, state='RUNNING') for instance in instances],
    # An endpoint that adds an instance of its own to every answer, its ID a template.
    'faults': [{'kind': 'hostile_item', 'rate': 1.0,
                'item': {'InstanceId': payload('instance-id'), 'InstanceName': 'web-x'}}],
}))
PYTHON
start_emulator HOSTILE_ENDPOINT --scenario "$1/hostile_scenario.json"
printf 'bastion ansible_host=10.9.9.9\n' > "$1/static.ini"
cat > "$1/hostile_tencentcloud_cvm.yml" <<'YAML'
plugin: tencentcloud.cloud.cvm
regions: [ap-guangzhou]
hostnames: [tag:Name, instance-name, instance-id]
keyed_groups:
  - key: tencentcloud_tags.role | default('none')
    prefix: role
compose:
  owner: tencentcloud_tags.owner | default('')
YAML

export ANSIBLE_INVENTORY_ENABLED=ini,tencentcloud.cloud.cvm
TENCENTCLOUD_CVM_ENDPOINT=$HOSTILE_ENDPOINT ansible-inventory -i "$1/static.ini" -i "$1/hostile_tencentcloud_cvm.yml" \
    --list --output "$1/hostile.json" 2> "$1/hostile.err"
TENCENTCLOUD_CVM_ENDPOINT=$HOSTILE_ENDPOINT ansible-playbook -i "$1/static.ini" -i "$1/hostile_tencentcloud_cvm.yml" \
    -e "markers=$markers" hostile.yml > "$1/hostile.out" 2>&1 || { cat "$1/hostile.out"; exit 1; }
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$1/hostile.json" "$1/hostile.err" <<'PYTHON'
import json, sys
listed = json.load(open(sys.argv[1]))
warnings = ' '.join(open(sys.argv[2]).read().split())
hosts = listed['_meta']['hostvars']


def plain(value):
    """A value as ansible-inventory lists it, its strings unmarked (ansible-core before 2.19 marks them unsafe)."""
    if isinstance(value, dict):
        return value['__ansible_unsafe'] if set(value) == {'__ansible_unsafe'} else {k: plain(v) for k, v in value.items()}
    return [plain(item) for item in value] if isinstance(value, list) else value


# Every hostile name falls back to the instance's ID; the two plain names are used.
expected = ['addr-%d' % n for n in range(7)] + [
    'bastion', 'ins-hst00001', 'ins-hst00002', 'ins-hst00003', 'ins-hst00004', 'ins-hst00005', 'ins-hst00006',
    'ins-hst00007', 'web-8', 'web-9']
assert sorted(hosts) == expected, (sorted(hosts), warnings)
for n in range(7):
    assert 'ansible_host' not in hosts['addr-%d' % n] and plain(hosts['addr-%d' % n])['tencentcloud_private_ip_addresses'] == [], hosts['addr-%d' % n]
# The warning counts them (it names the first three): the 7 addresses of the controller, with 2 malformed ones.
assert 'answered 9 instance(s) with fields beyond the service\'s limits or not of their documented form' in warnings, warnings
assert plain(hosts['bastion']) == {'ansible_host': '10.9.9.9'}, hosts['bastion']
assert plain(hosts['ins-hst00007'])['ansible_host'] == '10.0.0.66'
assert 'ansible_host' not in hosts['web-8'] and 'ansible_host' not in hosts['ins-hst00005']
for fragment in ("is not a safe host name", "names the controller", "is the name of a group",
                 "is the name of a host of another inventory source", "PrivateIpAddresses not the address of another host",
                 "DescribeInstances answered 1 item(s) not of the documented form, left out (InvalidResponse): an item "
                 "whose InstanceId is \"{{ lookup('pipe',"):
    assert fragment in warnings, (fragment, warnings)
print('hostile inventory: %d hosts, each hostile name replaced by its ID' % len(hosts))
PYTHON
leaked=$(find "$markers" -type f)
if [ -n "$leaked" ]; then
    echo "text from the API was rendered as a template: $leaked" >&2
    exit 1
fi

echo "an endpoint that floods 10 pages with tags to the answer cap: the listing's memory stays bounded"
printf '{"instances": [{"id_prefix": "ins-f", "count": 1000, "state": "RUNNING"}],
 "faults": [{"kind": "tag_flood", "rate": 1.0}]}\n' > "$1/flood.json"
start_emulator FLOOD_ENDPOINT --scenario "$1/flood.json"
printf 'plugin: tencentcloud.cloud.cvm\nregions: [ap-guangzhou]\n' > "$1/flood_tencentcloud_cvm.yml"
TENCENTCLOUD_CVM_ENDPOINT=$FLOOD_ENDPOINT "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" - "$1" <<'PYTHON'
import json, os, subprocess, sys
work = sys.argv[1]
# Kept whole, 10 pages near the cap peaked at 558 MiB; bounded, at about 225 MiB.
LIMIT_MIB = 350
listing = subprocess.Popen(['ansible-inventory', '-i', os.path.join(work, 'flood_tencentcloud_cvm.yml'), '--list',
                            '--output', os.path.join(work, 'flood_listed.json')], stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(listing.pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, 'ansible-inventory failed'
listed = json.load(open(os.path.join(work, 'flood_listed.json')))['_meta']['hostvars']
tags = listed['ins-f0000999']['tencentcloud_tags']
tags = tags.get('__ansible_unsafe', tags) if isinstance(tags, dict) and '__ansible_unsafe' in tags else tags
assert len(listed) == 1000 and len(tags) == 50, (len(listed), len(tags))
peak = usage.ru_maxrss / 1024.0
assert peak < LIMIT_MIB, 'ansible-inventory peaked at %.0f MiB over 10 flooded pages' % peak
print('flooded listing: 1000 hosts of 50 tags each, peak %.0f MiB' % peak)
PYTHON
