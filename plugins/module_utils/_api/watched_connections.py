# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""requests' adapter whose connections report to a watchdog, so that one exchange ends when its time is up, however
the server trickles; imported by ``http_transport`` only where requests and urllib3 are installed."""

import socket
import threading
import warnings

try:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    # Without requests only the watchdog is here; http_transport says requests is missing before anything is sent.
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True


class Watchdog:
    """Ends one exchange when its time is up, by shutting down the socket it uses (set by the connection)."""

    _current = threading.local()

    def __init__(self, seconds):
        self.seconds = seconds
        self.expired = False
        self._connection = None
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        Watchdog._current.watch = self
        self._timer.start()

    @classmethod
    def attach(cls, connection):
        """Called by a connection about to send: it is the one this thread's exchange uses."""
        watch = getattr(cls._current, 'watch', None)
        if watch is not None:
            with watch._lock:
                watch._connection = connection

    def finish(self):
        self._timer.cancel()
        with self._lock:
            self._done = True
        Watchdog._current.watch = None

    def _expire(self):
        with self._lock:
            if self._done:
                return
            self.expired = True
            sock = getattr(self._connection, 'sock', None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed: nothing left to stop


if HAS_REQUESTS:
    class _WatchedHTTPConnection(HTTPConnection):
        def request(self, *args, **kwargs):
            Watchdog.attach(self)
            return super().request(*args, **kwargs)

    class _WatchedHTTPSConnection(HTTPSConnection):
        def request(self, *args, **kwargs):
            Watchdog.attach(self)
            return super().request(*args, **kwargs)

    class _WatchedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = _WatchedHTTPConnection

    class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = _WatchedHTTPSConnection

    class DeadlineAdapter(HTTPAdapter):
        """An adapter whose connections report themselves to the exchange's watchdog, proxied or not."""

        _POOLS = {'http': _WatchedHTTPConnectionPool, 'https': _WatchedHTTPSConnectionPool}

        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = self._POOLS

        def proxy_manager_for(self, *args, **kwargs):
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = self._POOLS
            return manager

    def quiet_unverified_warnings() -> None:
        # validate_certs=false is the user's explicit choice (documented as such); urllib3 would otherwise print a
        # warning to stderr for every request, which Ansible reports as a worker writing to stderr behind its back.
        warnings.filterwarnings('ignore', category=InsecureRequestWarning)
