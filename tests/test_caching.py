import re
import uuid

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse

from results.models import Card, Conference, ThemeTable
from results.pagecache import version_key
from tests.factories import make_conference, make_table, make_world_cafe
from tests.processes import redis_is_up


@pytest.fixture
def redis_cache(settings, page_cache):
    if not redis_is_up():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    caches["default"].clear()


@pytest.fixture
def file_cache(settings, page_cache, tmp_path):
    """The production default: the page cache in files, which a test can count."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    yield tmp_path
    caches["default"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks, as a real commit does (tests never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def rename(table, title, commit):
    with commit():
        table.title = title
        table.save()


@pytest.mark.django_db
def test_page_cache_serves_second_request_without_a_query(client, page_cache, django_assert_num_queries):
    make_conference(title="Konferenz im Cache")
    first = client.get("/")

    with django_assert_num_queries(0):
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
    other_etag = client.get("/", headers={"if-none-match": '"something-else"'})

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert other_etag.status_code == 200
    # Browsers ask again each time: only the server's cache learns when the data changes.
    assert first["Cache-Control"] == "no-cache"
    assert not first.has_header("Expires")


@pytest.mark.django_db
def test_page_cache_leaves_a_views_own_browser_caching(client, page_cache):
    favicon = client.get("/favicon.ico")  # a file the cache does not store, cached by browsers for a day
    favicon.close()

    assert favicon.status_code == 200
    assert "max-age=86400" in favicon["Cache-Control"]


@pytest.mark.django_db
def test_page_cache_shows_a_correction_at_once(client, page_cache, commit):
    conference = make_conference(title="Tippfeler")
    before = client.get("/")

    with commit():
        conference.title = "Tippfehler korrigiert"
        conference.save()
    after = client.get("/")

    assert "Tippfeler" in before.text
    assert "Tippfehler korrigiert" in after.text
    assert "Tippfeler" not in after.text
    assert after["ETag"] != before["ETag"]


@pytest.mark.django_db
def test_page_cache_invalidated_by_delete(client, page_cache, commit):
    conference = make_conference(title="Bald gelöscht")
    before = client.get("/")

    with commit():
        conference.delete()
    after = client.get("/")

    assert "Bald gelöscht" in before.text
    assert "Bald gelöscht" not in after.text


@pytest.mark.django_db
def test_data_version_changes_once_on_commit(page_cache, commit, monkeypatch):
    with commit():
        _, (table, other), _ = make_world_cafe(tables=2)
    bumps = []
    monkeypatch.setattr("results.signals.bump_versions", lambda *args, **kwargs: bumps.append((args, kwargs)))

    with commit():
        table.title = "Erster"
        table.save()
        other.title = "Zweiter"
        other.save()
        assert bumps == []  # nothing is told before the commit

    assert bumps == [(({table.conference.slug},), {"everything": False})]


@pytest.mark.django_db
def test_a_change_in_one_conference_leaves_the_others_cached(client, page_cache, commit):
    with commit():
        _, (changed,), _ = make_world_cafe(slug="geaendert", tables=1)
        _, (untouched,), _ = make_world_cafe(slug="unberuehrt", tables=1)
    pages = [changed.get_absolute_url(), untouched.get_absolute_url(), "/en" + untouched.get_absolute_url(), "/"]
    for url in pages:
        client.get(url)
    # Bypasses the signals: a page rebuilt shows it, a cached one does not.
    ThemeTable.objects.update(title="Ohne Signal")
    Conference.objects.update(title="Konferenz ohne Signal")

    rename(changed, "Mit Signal", commit)
    changed_page, untouched_page, untouched_english, home = [client.get(url).text for url in pages]

    assert "Mit Signal" in changed_page
    assert "Ohne Signal" not in untouched_page
    assert "Ohne Signal" not in untouched_english
    # The home page spans conferences: rebuilt.
    assert "Konferenz ohne Signal" in home


@pytest.mark.django_db
def test_a_change_for_every_conference_invalidates_them_all(client, page_cache, commit):
    _, (table,), _ = make_world_cafe(slug="eine", tables=1)
    client.get(table.get_absolute_url())
    ThemeTable.objects.update(title="Ohne Signal")

    with commit():
        make_conference(slug="noch-eine")  # a new conference: it could share a glossary entry, a name

    assert "Ohne Signal" in client.get(table.get_absolute_url()).text


@pytest.mark.django_db
def test_migrate_invalidates_every_cached_page(client, page_cache):
    # A release migrates: pages rendered by the old templates must not outlive it.
    _, (table,), _ = make_world_cafe(tables=1)
    client.get(table.get_absolute_url())
    client.get("/")
    Card.objects.update(text="Nach dem Release")  # no signal
    Conference.objects.update(title="Konferenz nach dem Release")

    call_command("migrate", verbosity=0)

    assert "Nach dem Release" in client.get(table.get_absolute_url()).text
    assert "Konferenz nach dem Release" in client.get("/").text


@pytest.mark.django_db
def test_migrate_goes_on_with_the_cache_down(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    call_command("migrate", verbosity=0)

    assert "cached pages were not invalidated" in caplog.text


@pytest.mark.django_db
def test_a_made_up_conference_leaves_no_version_for_ever(client, page_cache, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # what the version of a path like /wp-admin/ outlives

    assert client.get("/wp-admin/").status_code == 404
    assert caches["default"].get(version_key("wp-admin")) is None


@pytest.mark.django_db
def test_page_cache_keyed_by_language(client, page_cache):
    make_conference()

    german = client.get("/")
    english = client.get("/en/")

    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert german.content != english.content


@pytest.mark.django_db
def test_unprefixed_german_pages_do_not_vary_on_accept_language(client, page_cache):
    _, (table,), _ = make_world_cafe(tables=1)

    for url in ["/", table.get_absolute_url(), "/suche/?q=Karte", "/gibt-es-nicht/"]:
        response = client.get(url, headers={"accept-language": "en"})

        assert "accept-language" not in response.get("Vary", "").lower(), url
        assert response["Content-Language"] == "de", url


@pytest.mark.django_db
def test_unread_query_parameters_redirect_and_make_no_cache_entries(client, file_cache):
    make_world_cafe(slug="abfrage", tables=1)
    client.get("/")
    client.get("/abfrage/karten/?station=1")
    entries = sorted(file_cache.iterdir())

    made_up = [client.get("/?x=1"), client.get("/?x=2"), client.get("/abfrage/karten/?station=1&utm=3")]

    assert [(r.status_code, r["Location"]) for r in made_up] == [
        (301, "/"),
        (301, "/"),
        (301, "/abfrage/karten/?station=1"),
    ]
    assert sorted(file_cache.iterdir()) == entries
    # The parameters a page reads are its own pages, in every language.
    assert client.get("/abfrage/karten/?station=1&page=1").status_code == 200
    assert client.get("/en/abfrage/karten/?station=1").status_code == 200
    assert client.get("/en/?x=1")["Location"] == "/en/"


@pytest.mark.django_db
def test_every_page_of_a_sitemap_section_answers(client, page_cache, monkeypatch):
    monkeypatch.setattr("results.views_site.ArchiveSitemap.limit", 2)  # the four fixed pages on two sitemap pages
    index = client.get("/sitemap.xml").text

    assert "/sitemap-pages.xml?p=2</loc>" in index
    first, second = client.get("/sitemap-pages.xml"), client.get("/sitemap-pages.xml?p=2")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content != second.content


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


@pytest.mark.django_db
def test_page_cache_never_caches_the_admin(admin_client, page_cache):
    url = reverse("admin:results_conference_changelist")

    admin_client.get(url)
    make_conference(title="Neu im Admin")
    second = admin_client.get(url)

    assert "Neu im Admin" in second.text
    assert "no-cache" in second["Cache-Control"]


@pytest.mark.django_db
def test_page_with_a_form_is_not_cached_and_public_pages_set_no_cookie(client, page_cache):
    conference = make_conference(slug="formular")

    public = client.get("/")
    form = client.get(reverse("results:report", kwargs={"conf": conference.slug}))

    assert public.cookies == {}
    assert not public.has_header("Set-Cookie")
    assert "csrftoken" in form.cookies
    assert "private" in form["Cache-Control"]
    assert "csrftoken" in Client().get(reverse("results:report", kwargs={"conf": conference.slug})).cookies


@pytest.mark.django_db
def test_public_pages_set_no_cookie_and_are_served_from_the_cache(client, page_cache, django_assert_num_queries):
    conference, (table,), (station, *_) = make_world_cafe(slug="oeffentlich", tables=1)
    conf = {"conf": conference.slug}
    urls = [
        table.get_absolute_url(),
        reverse("results:station", kwargs=conf | {"number": station.number}),
        reverse("results:cards", kwargs=conf),
        "/suche/?q=Karte",
        reverse("results:cards-json", kwargs=conf),
        "/sitemap-tables.xml",
    ]

    for url in urls:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)

        assert first.status_code == 200, url
        assert first.cookies == {}, url
        assert not first.has_header("Set-Cookie"), url
        assert second.content == first.content, url


@pytest.mark.django_db
def test_the_admin_login_is_never_cached(client, file_cache):
    url = reverse("admin:login")
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == 200
    # Rendered twice (each render masks the CSRF token anew), and nothing was stored.
    assert token.search(first.text)[1] != token.search(second.text)[1]
    assert list(file_cache.iterdir()) == []


@pytest.mark.django_db
def test_page_cache_off(client, settings):
    settings.PAGE_CACHE = False
    make_conference(title="Vorher")
    client.get("/")
    Conference.objects.update(title="Nachher")

    assert "Nachher" in client.get("/").text


@pytest.mark.django_db
def test_page_cache_in_redis_shows_a_correction_at_once(client, redis_cache, commit, django_assert_num_queries):
    conference = make_conference(title="Redis vorher")
    client.get("/")

    with django_assert_num_queries(0):
        cached = client.get("/")
    with commit():
        conference.title = "Redis nachher"
        conference.save()
    after = client.get("/")

    assert "Redis vorher" in cached.text
    assert "Redis nachher" in after.text


@pytest.mark.django_db
def test_page_cache_outage_costs_the_cache_not_the_page(client, settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    conference = make_conference(title="Trotz Ausfall")
    table = make_table(conference, 1, title="Tisch trotz Ausfall")

    response = client.get("/")
    table_page = client.get(table.get_absolute_url())

    assert response.status_code == 200
    assert "Trotz Ausfall" in response.text
    assert table_page.status_code == 200
    assert "Tisch trotz Ausfall" in table_page.text


# A request's own variation (script prefix, host, language, session) never reaches what
# another request receives. Once, a SCRIPT_NAME header put its prefix into the links of
# every later visitor's page.


@pytest.fixture
def table_url(page_cache):
    _, (table,), _ = make_world_cafe(slug="variation", tables=1)
    return table.get_absolute_url()


def wsgi_get(path, **environ):
    """The page as gunicorn would have it served: the test client leaves SCRIPT_NAME out of the links."""
    # As the test client does: a request start must not close the test's connection (PostgreSQL).
    request_started.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(RequestFactory().get(path, **environ).environ, lambda status, headers: None)
    finally:
        request_started.connect(close_old_connections)
    return b"".join(body).decode()


@pytest.mark.django_db
def test_a_script_prefix_does_not_reach_other_requests(table_url):
    prefixed = wsgi_get(table_url, SCRIPT_NAME="/evil")
    plain = wsgi_get(table_url)

    assert 'href="/evil/variation/' in prefixed
    assert "/evil" not in plain
    assert 'href="/variation/' in plain


@pytest.mark.django_db
def test_a_script_prefix_cannot_store_one_page_as_another(page_cache):
    # SCRIPT_NAME "/suche" and PATH_INFO "/" are the home page under a prefix, at the
    # search's whole path; both pages are cached under the archive's data version.
    home = wsgi_get("/", SCRIPT_NAME="/suche")
    search = wsgi_get("/suche/")

    assert "<h1>Ergebnisse der Konferenzen</h1>" in home
    assert "<h1>Suche</h1>" in search
    assert "Ergebnisse der Konferenzen" not in search


@pytest.mark.django_db
def test_a_script_prefix_does_not_reach_the_links_of_other_requests():
    # Without the page cache (tests/settings.py): each page makes its links anew, from its own request.
    prefixed = wsgi_get("/", SCRIPT_NAME="/suche")  # the home page under the prefix /suche
    plain = wsgi_get("/suche/")

    assert '<link rel="alternate" hreflang="en" href="http://testserver/suche/en/">' in prefixed
    assert '<a href="/suche/en/" hreflang="en"' in prefixed
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/suche/">' in plain
    assert '<a href="/en/suche/" hreflang="en"' in plain
    assert "/suche/en/" not in plain


@pytest.mark.django_db
def test_another_host_does_not_reach_other_requests(client, table_url):
    other = client.get(table_url, headers={"host": "localhost"})
    plain = client.get(table_url)

    assert "http://localhost/" in other.text
    assert "http://localhost/" not in plain.text
    assert "http://testserver/" in plain.text


@pytest.mark.django_db
def test_another_language_does_not_reach_other_requests(client, table_url):
    english = client.get("/en" + table_url)
    german = client.get(table_url, headers={"accept-language": "en"})

    assert english["Content-Language"] == "en"
    assert german["Content-Language"] == "de"
    assert '<html lang="de">' in german.text


@pytest.mark.django_db
def test_a_session_does_not_reach_other_requests(client, table_url, admin_user):
    logged_in = Client()
    logged_in.force_login(admin_user)
    logged_in.get(table_url)
    Card.objects.filter(table__conference__slug="variation").update(text="Nach der Sitzung geändert")  # no signal

    anonymous = client.get(table_url)

    # The page with a session was not stored: the anonymous request renders its own.
    assert "Nach der Sitzung geändert" in anonymous.text
    assert anonymous.cookies == {}
