# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Every module of the collection is in its action group (meta/runtime.yml).
    ACTION_GROUP = r'''
attributes:
  action_group:
    description: Use C(group/tencentcloud.cloud.tencentcloud) in C(module_defaults) to set the shared options once.
    support: full
    membership:
      - tencentcloud.cloud.tencentcloud
'''
