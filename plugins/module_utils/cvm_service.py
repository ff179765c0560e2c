# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVM service, described once: its name, API version, and each action's documented request rate."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SERVICE = 'cvm'
API_VERSION = '2017-03-12'
# Each action has a budget of its own per account: a call of one never spends, nor learns the limit of, another.
REQUESTS_PER_SECOND = {
    'DescribeInstancesStatus': 40,
    'DescribeInstances': 40,
}
