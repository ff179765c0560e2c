# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RunInstances: the request a LaunchSpec makes, 100 instances a call each under its own token, every attempt
reported, what the answer names checked, and a dry run."""

import hashlib
import re

import pytest
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.errors import TencentCloudError
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.run_instances import (
    RUN, LaunchFailed, Launcher, LaunchSpec, client_token,
)

SPEC = LaunchSpec(name='web', image_id='img-test0001', zone='ap-guangzhou-3', tags={'role': 'web'},
                  password='s3cret!', system_disk={'type': 'CLOUD_SSD', 'size': 50},
                  data_disks=[{'type': 'CLOUD_PREMIUM', 'size': 100}], internet_max_bandwidth_out=10,
                  vpc_id='vpc-a', subnet_id='subnet-a', disable_api_termination=True)


class Client:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []
        self.deadlines = []

    def call(self, action, params, deadline=None, keep=None, retried=None):
        self.calls.append((action, params))
        self.deadlines.append(deadline)
        answer = self.answers.pop(0) if self.answers else None
        if isinstance(answer, tuple):  # (the errors of attempts the client sent again, the last answer)
            retried.extend(answer[:-1])
            answer = answer[-1]
        if isinstance(answer, TencentCloudError):
            raise answer
        count = params['InstanceCount']
        return {'RequestId': 'r-%d' % len(self.calls),
                'InstanceIdSet': answer if answer is not None else ['ins-%08d' % n for n in range(count)]}


def test_the_request_names_every_part_of_a_new_instance():
    params = SPEC.params(3, 'token')
    assert params['TagSpecification'] == [{'ResourceType': 'instance', 'Tags': [
        {'Key': 'Name', 'Value': 'web'}, {'Key': 'role', 'Value': 'web'}]}]
    assert params['SystemDisk'] == {'DiskType': 'CLOUD_SSD', 'DiskSize': 50}
    assert params['DataDisks'] == [{'DiskType': 'CLOUD_PREMIUM', 'DiskSize': 100}]
    assert params['InternetAccessible'] == {'InternetMaxBandwidthOut': 10, 'PublicIpAssigned': True}
    assert params['LoginSettings'] == {'Password': 's3cret!'} and params['DisableApiTermination'] is True
    assert (params['InstanceCount'], params['ClientToken'], 'DryRun' in params) == (3, 'token', False)


def test_more_than_100_go_in_calls_of_100_each_under_its_own_token():
    client = Client()
    launches = Launcher(client).launch(SPEC, 150, {'d': 1})
    assert [params['InstanceCount'] for _action, params in client.calls] == [100, 50]
    assert [params['ClientToken'] for _action, params in client.calls] == [client_token({'d': 1}, 0),
                                                                           client_token({'d': 1}, 1)]
    assert [launch.reported()['applied'] for launch in launches] == [True, True]


def test_every_attempt_is_reported_with_the_same_token():
    lost = TencentCloudError('InternalError', 'lost')
    launches = Launcher(Client((lost, ['ins-aaaaaaaa']))).launch(SPEC, 1, {'d': 1})
    reported = [launch.reported() for launch in launches]
    assert [(r['retried'], r['applied'], r['instance_ids']) for r in reported] == [
        (True, 'unknown', []), (False, True, ['ins-aaaaaaaa'])]
    assert reported[0]['client_token'] == reported[1]['client_token']


def test_a_call_whose_answer_stays_lost_fails_naming_its_token():
    client = Client(TencentCloudError('RequestTimeout', 'no answer'))
    with pytest.raises(LaunchFailed) as caught:
        Launcher(client).launch(SPEC, 2, {'d': 1})
    assert caught.value.launches[-1].applied == 'unknown'
    token = caught.value.launches[-1].client_token
    assert re.fullmatch('ansible-[0-9a-f]{56}', token)
    assert str(caught.value) == (
        'the answer to RunInstances for 2 instances (ClientToken %s) was lost (RequestTimeout: no answer), and so were '
        'the answers to the same request sent again: whether instances were created is unknown (applied: unknown). A '
        'rerun that reads the same instances sends the same ClientToken, which creates nothing twice' % token)


def test_a_refusal_says_so():
    client = Client(TencentCloudError('LimitExceeded.InstanceQuota', 'short of quota'))
    with pytest.raises(LaunchFailed, match='^RunInstances for 2 instances was refused: .*short of quota'):
        Launcher(client).launch(SPEC, 2, {'d': 1})


def test_what_the_answer_names_is_kept_only_when_it_is_an_instance_id():
    launches = Launcher(Client(['ins-aaaaaaaa', 'not-an-id', {'x': 1}, 'ins-aaaaaaaa'])).launch(SPEC, 1, {})
    assert launches[0].instance_ids == ['ins-aaaaaaaa']


THREE = ['ins-aaaaaaaa', 'ins-bbbbbbbb', 'ins-cccccccc']


@pytest.mark.parametrize('answered, kept', [([], 0), (['ins-aaaaaaaa'], 1), ('not a list', 0), (THREE, 3)])
def test_an_answer_of_another_count_fails_and_is_not_sent_again(answered, kept):
    client = Client(answered)
    with pytest.raises(LaunchFailed, match='RunInstances for 2 instances .* answered %d instance IDs' % kept) as caught:
        Launcher(client).launch(SPEC, 2, {})
    assert len(client.calls) == 1 and caught.value.launches[-1].applied is True


def test_a_dry_run_that_would_succeed_creates_nothing():
    client = Client(TencentCloudError('DryRunOperation', 'would have succeeded'))
    launch = Launcher(client).dry_run(SPEC, 3, {'d': 1})
    assert client.calls[0][1]['DryRun'] is True and launch.reported()['applied'] is False
    refused = Client(TencentCloudError('InvalidImageId.NotFound', 'no such image'))
    with pytest.raises(LaunchFailed, match='a dry run, nothing created.*no such image'):
        Launcher(refused).dry_run(SPEC, 3, {'d': 1})
    assert client.calls[0][0] == RUN


def test_a_spec_of_the_required_options_sends_them_and_nothing_else():
    params = LaunchSpec(name='db', image_id='img-test0002', zone='ap-guangzhou-4').params(1, 'tok')
    assert params == {'Placement': {'Zone': 'ap-guangzhou-4'}, 'ImageId': 'img-test0002', 'InstanceCount': 1,
                      'InstanceName': 'db', 'ClientToken': 'tok',
                      'TagSpecification': [{'ResourceType': 'instance', 'Tags': [{'Key': 'Name', 'Value': 'db'}]}]}


def test_every_optional_part_goes_where_the_api_reads_it():
    spec = LaunchSpec(name='db', image_id='img-test0002', zone='ap-guangzhou-4', instance_type='S5.LARGE8',
                      vpc_id='vpc-a', security_group_ids=['sg-a', 'sg-b'], key_ids=['skey-a'],
                      system_disk={'size': 80}, data_disks=[{'type': 'CLOUD_SSD'}], internet_max_bandwidth_out=0,
                      instance_charge_type='SPOTPAID', user_data='ZWNobw==', disable_api_termination=False)
    params = spec.params(2, 'tok', dry_run=True)
    assert {key: value for key, value in params.items() if key not in spec.params(2, 'x', dry_run=False)} == {
        'DryRun': True}
    assert params['InstanceType'] == 'S5.LARGE8' and params['SecurityGroupIds'] == ['sg-a', 'sg-b']
    assert params['InstanceChargeType'] == 'SPOTPAID' and params['UserData'] == 'ZWNobw=='
    assert params['DisableApiTermination'] is False
    assert params['SystemDisk'] == {'DiskSize': 80} and params['DataDisks'] == [{'DiskType': 'CLOUD_SSD'}]
    assert params['VirtualPrivateCloud'] == {'VpcId': 'vpc-a', 'SubnetId': None}
    assert params['InternetAccessible'] == {'InternetMaxBandwidthOut': 0, 'PublicIpAssigned': False}
    assert params['LoginSettings'] == {'KeyIds': ['skey-a']}
    only_subnet = LaunchSpec(name='db', image_id='img-test0002', zone='ap-guangzhou-4', subnet_id='subnet-a')
    assert only_subnet.params(1, 'tok')['VirtualPrivateCloud'] == {'VpcId': None, 'SubnetId': 'subnet-a'}
    # The least bandwidth there is still takes a public address.
    narrow = LaunchSpec(name='db', image_id='img-test0002', zone='ap-guangzhou-4', internet_max_bandwidth_out=1)
    assert narrow.params(1, 'tok')['InternetAccessible'] == {'InternetMaxBandwidthOut': 1, 'PublicIpAssigned': True}


def test_what_a_spec_describes_leaves_its_password_out():
    described = SPEC.described()
    assert 'password' not in described and described['name'] == 'web' and described['tags'] == {'role': 'web'}
    assert 's3cret!' not in repr(SPEC)
    assert SPEC.every_tag() == {'role': 'web', 'Name': 'web'}


def test_a_token_the_user_gives_is_the_first_calls_and_numbered_for_the_others():
    given = 'g' * 64
    assert client_token({'d': 1}, 0, given) == given
    assert client_token({'d': 1}, 2, given) == 'g' * 60 + '-2'
    assert client_token({'d': 1}, 1, 'mine') == 'mine-1'


def test_a_derived_token_is_64_characters_of_the_decision_and_the_call():
    token = client_token({'d': 1})
    assert len(token) == 64 and token.startswith('ansible-') and re.fullmatch('[0-9a-f]{56}', token[8:])
    assert client_token({'d': 1}, 0) == token != client_token({'d': 1}, 1) != client_token({'d': 2}, 1)
    # Any value JSON cannot write is written by its text, never refused.
    assert client_token({'d': {1, 2}}) == client_token({'d': {1, 2}})
    # The same decision whatever order its keys were written in.
    assert client_token({'a': 1, 'b': {'c': 2, 'd': 3}}) == client_token({'b': {'d': 3, 'c': 2}, 'a': 1})


def test_a_derived_token_is_the_same_from_release_to_release():
    # A task retried after an upgrade, within the 48 hours a token stays spent, must send the token it sent before:
    # these are the SHA-256 of the decision and the call's number as compact JSON, keys sorted.
    decision = {'region': 'ap-guangzhou', 'managed': ['ins-aaaaaaaa'], 'creating': 2}
    assert client_token(decision) == 'ansible-' + hashlib.sha256(
        b'{"call":0,"decision":{"creating":2,"managed":["ins-aaaaaaaa"],"region":"ap-guangzhou"}}').hexdigest()[:56]


def test_a_launch_reports_every_field():
    client = Client(['ins-aaaaaaaa', 'ins-bbbbbbbb'])
    (launch,) = Launcher(client).launch(SPEC, 2, {'d': 1}, given_token='mine')
    assert launch.reported() == {
        'action': 'RunInstances', 'instance_ids': ['ins-aaaaaaaa', 'ins-bbbbbbbb'], 'request_id': 'r-1',
        'error': None, 'applied': True, 'retried': False, 'client_token': 'mine', 'instance_count': 2,
        'dry_run': False}


def test_a_failure_after_earlier_calls_holds_every_request_the_failed_one_last():
    lost = TencentCloudError('InternalError', 'lost', 'req-lost')
    refused = TencentCloudError('LimitExceeded.InstanceQuota', 'short of quota', 'req-refused')
    client = Client(None, (lost, refused))
    with pytest.raises(LaunchFailed) as caught:
        Launcher(client).launch(SPEC, 150, {'d': 1})
    launches = caught.value.launches
    assert [(launch.count, launch.retried, launch.applied, launch.request_id) for launch in launches] == [
        (100, False, True, 'r-1'), (50, True, 'unknown', 'req-lost'), (50, False, False, 'req-refused')]
    assert caught.value.error is refused and caught.value.message == str(caught.value)
    assert launches[2].reported()['error'] == refused.as_dict()


def test_an_answer_of_another_count_names_what_it_answered_and_what_to_read():
    client = Client(['ins-aaaaaaaa'])
    with pytest.raises(LaunchFailed) as caught:
        Launcher(client).launch(SPEC, 2, {'d': 1}, given_token='mine')
    assert caught.value.message == (
        'RunInstances for 2 instances (ClientToken mine) answered 1 instance IDs of the documented form: '
        'ins-aaaaaaaa; read the instances named web before running the task again')
    assert (caught.value.error.code, caught.value.error.request_id) == ('InvalidResponse', 'r-1')
    with pytest.raises(LaunchFailed, match='of the documented form: none; read'):
        Launcher(Client([])).launch(SPEC, 2, {'d': 1})


def test_a_dry_run_sends_at_most_100_and_reports_the_request_of_its_answer():
    client = Client(TencentCloudError('DryRunOperation', 'would have succeeded', 'req-dry'))
    launch = Launcher(client).dry_run(SPEC, 150, {'d': 1}, given_token='mine')
    assert client.calls[0][1]['InstanceCount'] == 100 and client.calls[0][1]['ClientToken'] == 'mine'
    assert (launch.count, launch.request_id, launch.instance_ids, launch.error) == (150, 'req-dry', [], None)
    assert launch.reported()['dry_run'] is True
    # A service that answers a dry run as if it were a call: still nothing created, nothing taken from it.
    answered = Launcher(Client(['ins-aaaaaaaa'])).dry_run(SPEC, 1, {'d': 1})
    assert (answered.request_id, answered.instance_ids, answered.applied) == ('r-1', [], False)
    refusal = TencentCloudError('InvalidImageId.NotFound', 'no such image', 'req-no')
    with pytest.raises(LaunchFailed) as caught:
        Launcher(Client(refusal)).dry_run(SPEC, 3, {'d': 1})
    assert caught.value.message == ('RunInstances (a dry run, nothing created) was refused: '
                                    'InvalidImageId.NotFound: no such image (RequestId: req-no)')
    (failed,) = caught.value.launches
    assert (failed.error, failed.request_id, failed.applied, failed.dry_run) == (refusal, 'req-no', False, True)


def test_every_call_ends_by_the_deadline_given():
    deadline = object()
    client = Client(TencentCloudError('InternalError', 'lost'), TencentCloudError('DryRunOperation', 'fine'))
    with pytest.raises(LaunchFailed):
        Launcher(client).launch(SPEC, 1, {'d': 1}, deadline)
    Launcher(client).dry_run(SPEC, 1, {'d': 1}, deadline)
    Launcher(client).launch(SPEC, 150, {'d': 1}, deadline)
    assert client.deadlines == [deadline] * 4


def test_each_attempt_carries_its_token_and_count():
    lost = TencentCloudError('InternalError', 'lost', 'req-lost')
    for last in (['ins-aaaaaaaa', 'ins-bbbbbbbb'], TencentCloudError('LimitExceeded.InstanceQuota', 'short', 'r')):
        client = Client((lost, last))
        try:
            launches = Launcher(client).launch(SPEC, 2, {'d': 1}, given_token='mine')
        except LaunchFailed as failure:
            launches = failure.launches
        assert [(launch.client_token, launch.count, launch.retried) for launch in launches] == [
            ('mine', 2, True), ('mine', 2, False)]
    answered = Launcher(Client(['ins-aaaaaaaa'])).dry_run(SPEC, 3, {'d': 1}, given_token='mine')
    assert (answered.client_token, answered.count) == ('mine', 3)
    with pytest.raises(LaunchFailed) as caught:
        Launcher(Client(TencentCloudError('InvalidImageId.NotFound', 'no'))).dry_run(SPEC, 3, {'d': 1}, None, 'mine')
    assert (caught.value.launches[0].client_token, caught.value.launches[0].count) == ('mine', 3)


def test_an_answer_without_a_list_of_ids_names_none_and_one_of_several_names_each():
    class NoList(Client):
        def call(self, action, params, deadline=None, keep=None, retried=None):
            return {'RequestId': 'r-1', 'InstanceIdSet': None}
    with pytest.raises(LaunchFailed, match='answered 0 instance IDs of the documented form: none;'):
        Launcher(NoList()).launch(SPEC, 2, {'d': 1})
    with pytest.raises(LaunchFailed, match='answered 2 instance IDs of the documented form: ins-aaaaaaaa, ins-bbbbbbbb;'):
        Launcher(Client(['ins-aaaaaaaa', 'ins-bbbbbbbb'])).launch(SPEC, 3, {'d': 1})
