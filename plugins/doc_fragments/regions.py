# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  regions:
    description:
      - Several regions to look for the instances in, instead of O(region). Each ID is looked for in every one of
        them at once (concurrently, within the shared rate budget), then read (and acted on) in the region that lists
        it; one that no region lists is missing, named with the regions searched (the status module and the lookup
        then follow their C(on_missing); the power module fails before any action).
      - V([all]) looks in every region the account can use (C(RegionState) C(AVAILABLE) in C(DescribeRegions)), as
        the C(tencentcloud.cloud.cvm) inventory does without a region. V(all) stands alone in the list.
      - V([]) means every region too for a read (the status and info modules, the lookup), but the power module
        refuses it - an action is never widened to every region by a list that came out empty.
      - "For the hosts of one play from that inventory, the regions of the hosts, for example
        C(regions: \"{{ ansible_play_batch | map('extract', hostvars, 'tencentcloud_region') | unique | list }}\")."
      - When set, O(region) (and the region of E(TENCENTCLOUD_REGION), a profile or a C(module_defaults) group) is
        not used.
    type: list
    elements: str
'''
