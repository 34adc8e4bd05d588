"""Security behaviour of the archive as gunicorn serves it: forwarded headers, and the report limit across servers."""

import contextlib
import http.client
import re
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.core import signing

from results.forms import ReportForm
from tests.processes import production_site
from tests.test_multi_process import free_port

pytestmark = pytest.mark.django_db

FORGED_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "X-Forwarded-Protocol": "ssl"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A production-settings site on an SQLite file of its own (the servers commit)."""
    return production_site(tmp_path_factory.mktemp("security-processes") / "db.sqlite3", allowed_hosts="127.0.0.1")


@pytest.fixture(scope="module")
def plain(site):
    """A server as `make serve` runs it: no proxy in front."""
    with gunicorn(site) as port:
        yield port


@contextlib.contextmanager
def gunicorn(env):
    """A gunicorn with one worker, started with the project's gunicorn.conf.py as `make serve` does."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--workers", "1"],
        cwd=settings.BASE_DIR,
        env=env | {"PORT": str(port), "GUNICORN_LOGLEVEL": "warning"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request(port, "GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def request(port, method, path, headers=None, body=None):
    """One request as a client sends it (no redirects followed): (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def sign_path(port):
    """The sign page of the demo conference's first table (its short link redirects to the slug)."""
    _status, headers, _text = request(port, "GET", "/demo-1/tische/1/")
    return headers["Location"] + "aushang/"


def test_forwarded_headers_from_a_client_change_nothing_without_the_proxy_setting(plain):
    path = sign_path(plain)

    status, headers, page = request(plain, "GET", path, FORGED_HEADERS)

    assert status == 200
    assert "Strict-Transport-Security" not in headers
    assert "http://127.0.0.1/demo-1/tische/1/" in page
    assert "https://" not in page


def test_forged_forwarded_proto_gets_no_page_over_plain_http_in_production(site):
    with gunicorn(site | {"DJANGO_HTTPS": "1"}) as port:
        status, headers, _page = request(port, "GET", "/demo-1/", FORGED_HEADERS)

    assert (status, headers["Location"]) == (301, "https://127.0.0.1/demo-1/")
    assert "Strict-Transport-Security" not in headers


def test_script_name_from_a_client_changes_nothing_without_the_proxy_setting(plain):
    path = sign_path(plain)

    status, _headers, page = request(plain, "GET", path, {"SCRIPT_NAME": "/evil"})
    under_evil = request(plain, "GET", "/evil" + path, {"SCRIPT_NAME": "/evil"})

    assert status == 200
    assert "/evil" not in page
    assert under_evil[0] == 404
    assert "/evil/" not in under_evil[2]


def test_behind_the_proxy_its_forwarded_proto_is_trusted(site):
    with gunicorn(site | {"DJANGO_BEHIND_PROXY": "1"}) as port:
        path = sign_path(port)
        _status, _headers, page = request(port, "GET", path, {"X-Forwarded-Proto": "https"})

    assert "https://127.0.0.1/demo-1/tische/1/" in page


def test_behind_the_proxy_a_script_name_it_passes_through_changes_nothing(site):
    # The client is on loopback, the proxy's default address: a SCRIPT_NAME a proxy let through.
    with gunicorn(site | {"DJANGO_BEHIND_PROXY": "1"}) as port:
        path = sign_path(port)
        status, _headers, page = request(port, "GET", path, {"SCRIPT_NAME": "/evil"})
        under_evil = request(port, "GET", "/evil" + path, {"SCRIPT_NAME": "/evil"})

    assert status == 200
    assert "/evil" not in page
    assert under_evil[0] == 404
    assert "/evil/" not in under_evil[2]


def test_behind_the_proxy_only_its_addresses_are_trusted(site):
    with gunicorn(site | {"DJANGO_BEHIND_PROXY": "1", "FORWARDED_ALLOW_IPS": "192.0.2.10"}) as port:
        path = sign_path(port)
        _status, _headers, page = request(port, "GET", path, FORGED_HEADERS | {"SCRIPT_NAME": "/evil"})

    assert "http://127.0.0.1/demo-1/tische/1/" in page
    assert "https://" not in page
    assert "/evil" not in page


def report(port, secret_key, number):
    """One reader's report, sent as a browser sends the form: its page first (CSRF cookie), then the POST."""
    _status, headers, page = request(port, "GET", "/melden/")
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # A token issued ten seconds ago, as if the reader had taken the time to write.
    token = signing.dumps(time.time() - 10 - number, key=secret_key, salt=ReportForm.TOKEN_SALT)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "message": f"Meldung {number}", "token": token, "homepage": ""}
    )
    status, _headers, _text = request(
        port,
        "POST",
        "/melden/",
        {"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
        body,
    )
    return status


def test_report_limit_holds_across_app_servers(site, plain):
    secret_key = site["DJANGO_SECRET_KEY"]

    with gunicorn(site) as second:
        statuses = [report(port, secret_key, number) for number, port in enumerate([plain, second] * 3)]

    assert statuses == [302] * 5 + [429]
