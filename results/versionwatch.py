"""
The data version pushed to every process by PostgreSQL (LISTEN/NOTIFY), so that
serving a cached page needs no round trip to the database.

bump_data_version() sends the new version on a notification channel in the
same transaction that stores it: PostgreSQL delivers it when (and only if) the
transaction commits, in commit order. Each process keeps a thread with a
connection of its own that listens on the channel and holds the last version it
was told. The thread vouches for the version only while its connection works:

- it starts listening before it reads the stored version, so no change can fall
  between the two;
- a version this process has committed itself is "expected" until its own
  notification arrives, and until then the version is read from the database,
  so the process that made a change sees it on its very next request;
- when the connection fails (PostgreSQL restarted), the thread forgets the
  version, and requests read it from the database, until it has listened and
  read again on a new connection;
- every HEARTBEAT seconds it reads the stored version anyway: a change made
  outside bump_data_version() (a restored cache table) shows after that long,
  and a connection that died without a word is found out.

A connection pooler in transaction mode (pgbouncer) does not pass
notifications on: set DJANGO_DATA_VERSION_LISTEN=0 there (docs/deploy.md).
"""

import collections
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

CHANNEL = "ergebnisarchiv_data_version"
HEARTBEAT = 5.0

# The listener of this process; a forked child makes its own.
_listener = None
_listener_lock = threading.Lock()


class VersionListener:
    def __init__(self, alias, read_version, heartbeat):
        """read_version(cursor) -> the stored version or None, with a DB-API cursor on the listening connection."""
        self.alias = alias
        self.read_version = read_version
        self.heartbeat = heartbeat
        self.pid = os.getpid()
        # The version as the last notification or read told it; None while it cannot be vouched for.
        self._version = None
        # Versions this process committed whose notification has not arrived yet.
        self._expected = set()
        # The last versions notified, for an expectation made after its notification arrived.
        self._seen = collections.deque(maxlen=64)
        # The PostgreSQL backend of the listening connection (tests end it to simulate a restart).
        self.backend_pid = None
        self._stop = threading.Event()
        wrapper = connections[alias]
        self._params = wrapper.get_connection_params() | {
            "autocommit": True,
            "application_name": "ergebnisarchiv-version-listener",
            # A connection that dies without a word is noticed within seconds.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": 10000,
        }
        self._connect = wrapper.Database.connect
        self._thread = threading.Thread(target=self._run, name="data-version-listener", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self, timeout=None):
        self._stop.set()
        self._thread.join(timeout)

    def version(self):
        """The current data version, or None when the database must be asked."""
        if self._expected:
            return None
        return self._version

    def expect(self, version):
        """This process committed version: ask the database until its notification arrives."""
        self._expected.add(version)
        if version in self._seen:
            # The notification was quicker than the commit's return.
            self._expected.discard(version)

    def _run(self):
        delay = 0.1
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as error:
                if not self._stop.is_set():
                    # One line: while PostgreSQL restarts, this repeats every few seconds.
                    logger.warning("Data version listener: %s; retrying in %.1f s", str(error).strip(), delay)
            self._version = None
            self.backend_pid = None
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, 5.0)

    def _listen(self):
        with self._connect(**self._params) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.backend_pid = connection.info.backend_pid
            self._read(connection)
            next_read = time.monotonic() + self.heartbeat
            while not self._stop.is_set():
                # In short waits, so that stop() is quick.
                for notify in connection.notifies(timeout=min(self.heartbeat, 1.0)):
                    self._version = notify.payload
                    self._seen.append(notify.payload)
                    self._expected.discard(notify.payload)
                if time.monotonic() >= next_read:
                    self._read(connection)
                    next_read = time.monotonic() + self.heartbeat

    def _read(self, connection):
        # Only the expectations made before the read are met by it.
        expected = set(self._expected)
        with connection.cursor() as cursor:
            self._version = self.read_version(cursor)
        self._expected -= expected


def listener(alias=DEFAULT_DB_ALIAS):
    """This process's listener, started on first use; None where none applies (SQLite, switched off)."""
    global _listener
    if not settings.DATA_VERSION_LISTEN or connections[alias].vendor != "postgresql":
        return None
    if _serves(_listener, alias):
        return _listener
    with _listener_lock:
        if not _serves(_listener, alias):
            from results.caching import read_stored_version

            _listener = VersionListener(alias, read_stored_version, HEARTBEAT).start()
        return _listener


def _serves(current, alias):
    return current is not None and current.pid == os.getpid() and current.alias == alias


def stop_listener():
    """Stop this process's listener (tests); the next use starts a new one."""
    global _listener
    with _listener_lock:
        current, _listener = _listener, None
    if current is not None:
        current.stop(timeout=10)


def notify(cursor, version):
    """Send version to every listener when the cursor's transaction commits."""
    cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, version])
