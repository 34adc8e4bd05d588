"""The data version pushed to each process by PostgreSQL (results/versionwatch.py)."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection, connections

from results import caching, versionwatch
from tests.factories import make_conference
from tests.processes import redis_is_up

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listening(settings, monkeypatch):
    """This process's listener, switched on, with a heartbeat that never comes within a test."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    settings.DATA_VERSION_LISTEN = True
    monkeypatch.setattr(versionwatch, "HEARTBEAT", 600.0)
    versionwatch.stop_listener()
    caching.get_data_version()  # stores a version if the flushed database has none
    yield versionwatch.listener()
    versionwatch.stop_listener()


def eventually(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def in_other_thread(function):
    """function() on a connection of its own, committed, as another process would."""
    result = []

    def run():
        try:
            result.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_listener_reads_the_stored_version_when_it_starts(listening):
    assert eventually(lambda: listening.version() is not None)
    assert listening.version() == caching._stored_version()


def test_listener_hears_a_version_committed_elsewhere(listening):
    assert eventually(lambda: listening.version() is not None)

    version = in_other_thread(caching.bump_data_version)

    # The heartbeat is minutes away: only the notification can have told it.
    assert eventually(lambda: listening.version() == version)
    assert caching.get_data_version() == version


def test_own_change_is_read_from_the_database_until_its_notification_arrives(listening):
    assert eventually(lambda: listening.version() is not None)
    heard = listening.version()
    caching._stored_version()  # the connection is open: the next line counts only the version's read

    listening.expect("a-version-not-yet-notified")

    assert listening.version() is None
    assert caching.get_data_version() == caching._stored_version() == heard


def test_listener_recovers_a_change_made_while_its_connection_was_down(listening, monkeypatch):
    assert eventually(lambda: listening.version() is not None)
    old_backend = listening.backend_pid
    down = threading.Event()
    down.set()
    connect = listening._connect

    def refuse_while_down(**params):
        if down.is_set():
            raise OSError("PostgreSQL is restarting")
        return connect(**params)

    monkeypatch.setattr(listening, "_connect", refuse_while_down)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_backend])

    # It no longer vouches for a version, and requests ask the database.
    assert eventually(lambda: listening.version() is None)
    missed = in_other_thread(caching.bump_data_version)
    assert caching.get_data_version() == missed

    down.clear()
    assert eventually(lambda: listening.version() == missed)
    assert listening.backend_pid not in {None, old_backend}


def test_heartbeat_reads_a_version_stored_without_a_notification(listening, monkeypatch):
    versionwatch.stop_listener()
    monkeypatch.setattr(versionwatch, "HEARTBEAT", 0.2)
    listening = versionwatch.listener()
    assert eventually(lambda: listening.version() is not None)

    # As after restoring the cache table from a backup: no notification.
    in_other_thread(lambda: caches["versions"].set(caching.VERSION_KEY, "restored-version", None))

    assert eventually(lambda: listening.version() == "restored-version")


def test_cached_page_needs_no_query_and_shows_a_correction_at_once(
    client, page_cache, listening, django_assert_num_queries
):
    conference = make_conference(title="Gehört")
    first = client.get("/")
    assert eventually(lambda: listening.version() == caching._stored_version())

    with django_assert_num_queries(0):
        hit = client.get("/")
    conference.title = "Gehört und berichtigt"
    conference.save()
    after = client.get("/")

    assert hit.content == first.content
    assert "Gehört und berichtigt" not in first.text
    assert "Gehört und berichtigt" in after.text


def test_shared_cache_page_is_served_from_the_process_without_a_round_trip(
    client, settings, page_cache, listening, monkeypatch, django_assert_num_queries
):
    if not redis_is_up():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-versionwatch-{time.time_ns()}",
        }
    }
    conference = make_conference(title="Geteilt")
    first = client.get("/")
    assert eventually(lambda: listening.version() == caching._stored_version())
    client.get("/")  # fetched from Redis under the version the listener vouches for
    calls = []
    cache = caches["default"]
    for name in ("get", "get_many"):
        real = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *args, _name=name, _real=real, **kwargs: calls.append(_name) or _real(*args, **kwargs)
        )

    with django_assert_num_queries(0):
        hit = client.get("/")
    asked_redis = list(calls)
    conference.title = "Geteilt und berichtigt"
    conference.save()
    after = client.get("/")

    assert hit.content == first.content
    assert asked_redis == []
    assert "Geteilt und berichtigt" in after.text
    cache.clear()
