# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private to tencentcloud.cloud: what the processes of one user on one host share (a private directory, the rate
budget of each action, reads asked for at once).

Imports only ``_api``.
"""
