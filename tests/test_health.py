import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings


def run_django(code, **env):
    """Run `code` in a fresh Python process with Django set up from the given environment alone."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "winnenden.settings"} | env
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def postgres_is_up():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
    except OSError:
        return False
    return True


SERVER_ENV = {
    "DJANGO_SECRET_KEY": "health-tests-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_HTTPS": "0",
}

# The real WSGI handler, not the test client: only it closes unusable
# connections at the start of a request, as gunicorn's workers do.
WSGI_GET = """
from io import BytesIO
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

def get(path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    statuses = []
    body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    return statuses[0].split()[0] + " " + body.decode().strip()
"""


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok\n")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:////nonexistent-directory/db.sqlite3",
        "postgres://postgres@127.0.0.1:1/ergebnisarchiv",
    ],
)
def test_healthz_answers_503_when_the_database_does_not(database_url):
    result = run_django(WSGI_GET + "print(get('/healthz'))", DATABASE_URL=database_url, **SERVER_ENV)

    assert result.stdout.strip() == "503 database unavailable", result.stderr


@pytest.mark.skipif(not postgres_is_up(), reason="PostgreSQL is not reachable on 127.0.0.1:5432")
def test_healthz_recovers_from_a_terminated_postgres_connection():
    code = (
        WSGI_GET
        + """
import psycopg
from django.db import connection

print(get("/healthz"))
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
    print(admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0])
print(get("/healthz"))
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    print(cursor.fetchone()[0] != pid)
"""
    )

    result = run_django(
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        DJANGO_CONN_MAX_AGE="600",
        **SERVER_ENV,
    )

    assert result.stdout.split("\n")[:4] == ["200 ok", "True", "200 ok", "True"], result.stderr
