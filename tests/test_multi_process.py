"""Two app servers on one database and one cache (files or Redis) see each other's corrections at once."""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import production_site, redis_is_up

CORRECT = """
import sys
import django
django.setup()
from results.models import ThemeTable

table = ThemeTable.objects.get(conference__slug="demo-1", number=1)
table.title = sys.argv[1]
table.save()
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def database(tmp_path_factory, django_db_blocker):
    """A site of its own on the suite's database engine: the servers commit, which a test database never does."""
    if connection.vendor != "postgresql":
        yield production_site(tmp_path_factory.mktemp("multi-process") / "db.sqlite3", allowed_hosts="127.0.0.1")
        return
    name = f"ergebnisarchiv_processes_{uuid.uuid4().hex[:12]}"
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield production_site(url, allowed_hosts="127.0.0.1")
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["redis", "files"])
def servers(request, database, tmp_path):
    env = dict(database) | {"DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    if request.param == "redis":
        if not redis_is_up():
            pytest.skip("Redis is not reachable on 127.0.0.1:6379: start it to test the shared cache")
        env |= {"REDIS_URL": "redis://127.0.0.1:6379/14", "DJANGO_CACHE_PREFIX": f"test-{uuid.uuid4().hex}"}
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env=env | {"PORT": str(port), "GUNICORN_LOGLEVEL": "warning"},
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 30
        for port in ports:
            while True:
                try:
                    get(port, "/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield env, ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def test_two_servers_see_each_others_corrections_at_once(servers):
    env, (first, second) = servers
    path = "/demo-1/tische/1/"
    correction = f"Korrigierter Titel {uuid.uuid4().hex[:8]}"
    before = [get(first, path), get(second, path), get(first, path), get(second, path)]

    subprocess.run([sys.executable, "-c", CORRECT, correction], cwd=settings.BASE_DIR, env=env, check=True)
    after = [get(first, path), get(second, path)]

    assert all(correction not in page for page in before)
    assert all(correction in page for page in after)
