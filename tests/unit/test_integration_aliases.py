# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How make test runs the integration targets is said in each one's aliases: a target that runs on the newest
ansible-core only, or with the machine to itself, says why; one that carries hostile text or templating runs on
every version."""

import os

import pytest

TARGETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'integration', 'targets')
NEWEST_ONLY = 'group/newest_core_only/'
TIMED = 'group/timed/'
# The targets through which hostile text, or templating over what the service returns, passes.
CARRYING_TEXT = ('cvm_instance_status', 'lookup_cvm_instance_status', 'inventory_cvm', 'eda_cvm_instance_state',
                 'docs_snippets', 'reliability', 'reliability_timed')


def _aliases(target):
    with open(os.path.join(TARGETS, target, 'aliases')) as handle:
        lines = [line.strip() for line in handle]
    return [line for line in lines if line and not line.startswith('#')], ' '.join(
        line.lstrip('# ') for line in lines if line.startswith('#'))


@pytest.mark.parametrize('target', sorted(os.listdir(TARGETS)))
def test_a_target_run_apart_says_why_in_its_aliases(target):
    groups, reason = _aliases(target)
    if NEWEST_ONLY in groups:
        assert 'no ansible-core version changes' in reason and 'no hostile text or templating' in reason, target
        assert target not in CARRYING_TEXT, target
    if TIMED in groups:
        assert 'wall-clock' in reason, target


def test_the_targets_carrying_text_exist_and_run_on_every_version():
    for target in CARRYING_TEXT:
        assert NEWEST_ONLY not in _aliases(target)[0], target
