# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private to tencentcloud.cloud: Tencent Cloud API 3.0 over HTTP (signing, transport, the retrying client, errors).

Imports nothing else of the collection: it knows no service, no host sharing, no Ansible.
"""
