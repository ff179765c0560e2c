# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Tencent Cloud API service, described once: what every client of it is built from."""

import dataclasses
from typing import FrozenSet, Mapping


@dataclasses.dataclass(frozen=True)
class Service:
    """``name`` signs and names the service, ``version`` is its API version, ``default_endpoint`` the host
    used unless an option names another, and ``rates`` each action's documented requests per second (an action of
    its own budget per account: a call of one never spends, nor learns the limit of, another). ``actions`` are the
    actions that do something rather than read: one is sent again only after an answer that refuses it."""

    name: str
    version: str
    default_endpoint: str
    rates: Mapping[str, float]
    actions: FrozenSet[str] = frozenset()

    def __post_init__(self):
        # Refused when the service is described (at import), not when an action without a budget is first called.
        unpaced = sorted(set(self.actions) - set(self.rates))
        if unpaced:
            raise ValueError('service %s: actions without a documented rate: %s' % (self.name, ', '.join(unpaced)))

    def rate_of(self, action: str) -> float:
        """The documented requests per second of ``action``; ``ValueError`` naming it for one the service does not
        describe (a client would otherwise fail at call time with a bare ``KeyError``)."""
        try:
            return self.rates[action]
        except KeyError:
            raise ValueError('service %s has no rate for %s: add its documented rate to the service\'s rates'
                             % (self.name, action)) from None
