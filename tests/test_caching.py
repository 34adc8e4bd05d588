import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from results import caching
from results.models import Conference
from tests.factories import make_conference, make_table
from tests.processes import redis_is_up


@pytest.fixture
def redis_cache(settings, page_cache):
    if not redis_is_up():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    caches["default"].clear()


@pytest.mark.django_db
def test_page_cache_serves_second_request_with_one_query(client, page_cache, django_assert_num_queries):
    make_conference(title="Konferenz im Cache")
    first = client.get("/")

    # Only the data version is read from the database.
    with django_assert_num_queries(1):
        second = client.get("/")

    assert first.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Konferenz im Cache" in second.text


@pytest.mark.django_db
def test_page_cache_answers_conditional_requests_with_304(client, page_cache):
    make_conference()
    first = client.get("/")

    by_etag = client.get("/", headers={"if-none-match": first["ETag"]})
    by_date = client.get("/", headers={"if-modified-since": first["Last-Modified"]})
    other_etag = client.get("/", headers={"if-none-match": '"something-else"'})

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert other_etag.status_code == 200
    assert first["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_page_cache_last_modified_is_the_data_change(client, page_cache):
    make_conference()
    version = caching.get_data_version()

    response = client.get("/")

    changed_at = caching.version_changed_at(version)
    assert response["Last-Modified"] == changed_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


@pytest.mark.django_db
def test_page_cache_shows_a_correction_at_once(client, page_cache):
    conference = make_conference(title="Tippfeler")
    before = client.get("/")

    conference.title = "Tippfehler korrigiert"
    conference.save()
    after = client.get("/")

    assert "Tippfeler" in before.text
    assert "Tippfehler korrigiert" in after.text
    assert "Tippfeler" not in after.text
    assert after["ETag"] != before["ETag"]


@pytest.mark.django_db
def test_page_cache_invalidated_by_delete(client, page_cache):
    conference = make_conference(title="Bald gelöscht")
    before = client.get("/")

    conference.delete()
    after = client.get("/")

    assert "Bald gelöscht" in before.text
    assert "Bald gelöscht" not in after.text


@pytest.mark.django_db
def test_data_version_bumped_at_once_and_again_after_commit(page_cache, django_capture_on_commit_callbacks):
    version_before = caching.get_data_version()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conference = make_conference()
        version_after_create = caching.get_data_version()
        conference.title = "Neu"
        conference.save()
        version_after_save = caching.get_data_version()

    assert len({version_before, version_after_create, version_after_save}) == 3
    assert [callback for callback in callbacks if callback is caching.bump_data_version] == [caching.bump_data_version]
    assert caching.get_data_version() not in {version_before, version_after_create, version_after_save}


@pytest.mark.django_db
def test_page_cache_keyed_by_language(client, page_cache):
    make_conference()

    german = client.get("/")
    english = client.get("/en/")

    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert german.content != english.content


@pytest.mark.django_db
def test_page_cache_keyed_by_query(client, page_cache):
    make_conference(title="Abfrage")

    plain = client.get("/")
    Conference.objects.update(title="Ohne Signal geändert")  # bypasses signals: the cache stays
    cached = client.get("/")
    with_query = client.get("/?x=1")

    assert "Abfrage" in plain.text
    assert "Abfrage" in cached.text
    assert "Ohne Signal geändert" in with_query.text


@pytest.mark.django_db
def test_page_cache_skipped_with_a_session(client, page_cache, admin_user):
    make_conference(title="Vorher")
    client.get("/")
    Conference.objects.update(title="Nachher")  # bypasses signals: the cache stays

    anonymous = client.get("/")
    client.force_login(admin_user)
    logged_in = client.get("/")

    assert "Vorher" in anonymous.text
    assert "Nachher" in logged_in.text
    assert not logged_in.has_header("ETag")


@pytest.mark.django_db
def test_page_cache_never_caches_the_admin(admin_client, page_cache):
    url = reverse("admin:results_conference_changelist")

    first = admin_client.get(url)
    make_conference(title="Neu im Admin")
    second = admin_client.get(url)

    assert first.status_code == 200
    assert not second.has_header("ETag")
    assert "Neu im Admin" in second.text
    assert "no-cache" in second["Cache-Control"]


@pytest.mark.django_db
def test_page_cache_leaves_healthz_alone(client, page_cache):
    response = client.get("/healthz")

    assert not response.has_header("ETag")


@pytest.mark.django_db
def test_public_page_sets_no_cookie(client, page_cache):
    make_conference()

    response = client.get("/")

    assert response.cookies == {}
    assert not response.has_header("Set-Cookie")


@pytest.mark.django_db
def test_page_cache_skips_cache_when_off(client, settings):
    settings.PAGE_CACHE = False
    make_conference()

    response = client.get("/")

    assert response.status_code == 200
    assert not response.has_header("ETag")


@pytest.mark.django_db
def test_page_cache_in_redis_shows_a_correction_at_once(client, redis_cache, django_assert_num_queries):
    conference = make_conference(title="Redis vorher")
    client.get("/")

    with django_assert_num_queries(0):
        cached = client.get("/")
    conference.title = "Redis nachher"
    conference.save()
    after = client.get("/")

    assert "Redis vorher" in cached.text
    assert "Redis nachher" in after.text
    assert caches["default"].get(caching.VERSION_KEY) == caches["versions"].get(caching.VERSION_KEY)


@pytest.mark.django_db
def test_page_cache_outage_costs_the_cache_not_the_page(client, settings):
    settings.PAGE_CACHE = True
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    conference = make_conference(title="Trotz Ausfall")
    table = make_table(conference, 1, title="Tisch trotz Ausfall")

    response = client.get("/")
    # Pages that keep parts per data version (the memo) read the version too.
    table_page = client.get(table.get_absolute_url())
    search = client.get("/suche/?q=Ausfall")

    assert response.status_code == 200
    assert "Trotz Ausfall" in response.text
    assert not response.has_header("ETag")
    assert (table_page.status_code, search.status_code) == (200, 200)
    assert "Tisch trotz Ausfall" in table_page.text
