# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private to tencentcloud.cloud: where the keys come from: the provider chain, and one provider per source.

Imports only ``_api``.
"""
