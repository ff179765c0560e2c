# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary credentials that fetch themselves again before they expire, however long a wait lasts."""

import threading

from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock

# Fetch again when this little is left, or half the lifetime if that is shorter: a request signed just before expiry
# may still be in flight (and retried) minutes later.
REFRESH_MARGIN_SECONDS = 300


class RefreshingCredentials:
    """Credentials from ``fetch()``, which returns ``(keys.Credentials, expiry as a Unix time)``.

    Nothing is fetched before the first ``current()``; concurrent callers share one fetch.
    """

    def __init__(self, fetch, source, clock: Clock = SYSTEM_CLOCK):
        self.source = source
        self._fetch = fetch
        self._clock = clock.wall
        self._lock = threading.Lock()
        self._held = None
        self._refresh_at = None

    @property
    def identity(self):
        # Temporary IDs change at every refresh; the role they stand for does not.
        return self.source

    def current(self):
        """The credentials to sign with now, fetched again when they are close to expiry."""
        with self._lock:
            now = self._clock()
            if self._held is None or now >= self._refresh_at:
                self._held, self._refresh_at = self._fetched(now)
            return self._held

    def discard(self) -> None:
        """The service refused these credentials (revoked, or expired early): fetch again before the next request."""
        with self._lock:
            self._held = None

    def _fetched(self, now):
        try:
            held, expires_at = self._fetch()
        except errors.TencentCloudError as error:
            raise errors.TencentCloudError(
                error.code, 'cannot get credentials from %s: %s' % (self.source, error.message), error.request_id,
                error.http_status)
        lifetime = expires_at - now
        if lifetime <= 0:
            raise errors.TencentCloudError(
                errors.INVALID_RESPONSE, 'the credentials from %s expired before they arrived (expiry %d, now %d): '
                'is the local clock right?' % (self.source, expires_at, now))
        return held, expires_at - min(REFRESH_MARGIN_SECONDS, lifetime / 2.0)
