import logging
from html.parser import HTMLParser

import pytest

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.inline = []
        self.script_sources = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.script_sources.append(attributes["src"])
            else:
                self.inline.append("<script>")
        if tag == "style":
            self.inline.append("<style>")
        self.inline += [f"{tag} {name}" for name in attributes if name == "style" or name.startswith("on")]


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser


PUBLIC_URLS = [
    "/",
    "/winnenden-2019/",
    "/winnenden-2019/tische/1/",
    "/winnenden-2019/karten/",
    "/suche/?q=Wohnung",
    "/en/winnenden-2019/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_send_security_headers(client, url):
    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies == {}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_have_no_inline_code(client, url):
    response = client.get(url, follow=True)

    assert inline_code(response.text).inline == []


@pytest.mark.django_db
def test_admin_login_works_under_the_policy(client):
    response = client.get("/admin/login/")

    parsed = inline_code(response.text)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert parsed.inline == []
    assert parsed.script_sources
    for source in parsed.script_sources:
        script = client.get(source)
        script.close()
        assert source.startswith("/static/")
        assert script.status_code == 200


@pytest.mark.django_db
def test_admin_changelist_works_under_the_policy(admin_client):
    response = admin_client.get("/admin/results/card/")

    parsed = inline_code(response.text)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert parsed.inline == []
    # Same origin: the static files and the admin's own JavaScript catalogue.
    assert all(source.startswith("/") and not source.startswith("//") for source in parsed.script_sources)


@pytest.fixture
def https_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.mark.django_db
def test_https_redirects_plain_http(client, https_on):
    response = client.get("/winnenden-2019/?x=1")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/winnenden-2019/?x=1"


@pytest.mark.django_db
def test_https_sends_hsts(client, https_on):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_https_cookies_are_secure(client, https_on):
    response = client.get("/admin/login/", secure=True)

    assert response.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_https_exempts_healthz_from_the_redirect(client, https_on):
    response = client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok\n")


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
]


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True], ids=["page-cache-off", "page-cache-on"])
def test_foreign_host_gets_a_400_with_the_security_headers_and_one_log_line(client, caplog, request, cached):
    if cached:
        request.getfixturevalue("page_cache")
    usual = client.get("/winnenden-2019/", follow=True)

    with caplog.at_level(logging.INFO):
        refused = client.get("/winnenden-2019/", HTTP_HOST="evil.example")

    assert refused.status_code == 400
    assert {name: refused.get(name) for name in SECURITY_HEADERS} == {name: usual[name] for name in SECURITY_HEADERS}
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.name, record.exc_info) for record in records] == [("django.security.DisallowedHost", None)]
    assert "evil.example" in records[0].getMessage()


@pytest.mark.django_db
def test_foreign_host_with_a_newline_in_the_path_forges_no_log_line(client, caplog):
    with caplog.at_level(logging.INFO):
        refused = client.get("/x%0Afake", HTTP_HOST="evil.example")

    assert refused.status_code == 400
    records = [record for record in caplog.records if record.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert "\n" not in records[0].getMessage()
    assert "/x\\nfake" in records[0].getMessage()
