# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RunInstances: the request a LaunchSpec makes, 100 instances a call each under its own token, every attempt
reported, what the answer names checked, and a dry run."""

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

    def call(self, action, params, deadline=None, keep=None, retried=None):
        self.calls.append((action, params))
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
