# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private to tencentcloud.cloud: the CVM service described once, one reader per API action, paging, waiting and
the failed-operation watch.

Imports only ``_api`` (and is handed what ``_host`` shares, never importing it).
"""
