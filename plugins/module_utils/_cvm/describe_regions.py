# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the regions of the account: ``DescribeRegions``, which takes no region of its own."""

from typing import List

from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm import paging
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import REGION_NAME

ACTION = 'DescribeRegions'
AVAILABLE = 'AVAILABLE'
# The regions are a short list: an answer of more is not one to believe (nor to fan out over).
MAX_REGIONS = 200


def available_regions(client: paging.Caller) -> List[str]:
    """The regions the account can use (``RegionState`` ``AVAILABLE``), in the service's order; one call."""
    response = client.call(ACTION, {})
    listed = response.get('RegionSet')
    if not isinstance(listed, list) or len(listed) > MAX_REGIONS or not all(
            isinstance(item, dict) and isinstance(item.get('Region'), str) and REGION_NAME.fullmatch(item['Region'])
            for item in listed):
        raise paging.malformed(response.get('RequestId'), 'RegionSet')
    return list(dict.fromkeys(item['Region'] for item in listed if item.get('RegionState') == AVAILABLE))
