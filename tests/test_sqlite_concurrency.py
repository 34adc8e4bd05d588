"""SQLite under concurrent writers and readers: separate processes on one database file, as gunicorn's workers are."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import production_site

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific: the suite runs on PostgreSQL")

WRITES = 25
READS = 40

SETUP = """
import django
django.setup()
from django.db import connection
print(connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
print(connection.cursor().execute("PRAGMA busy_timeout").fetchone()[0])
"""

WRITER = """
import sys
import django
django.setup()
from django.db import transaction
from results.models import Card, Station, ThemeTable

name = sys.argv[1]
table = ThemeTable.objects.order_by("pk").first()
station = Station.objects.get(conference=table.conference, number=1)
for number in range({writes}):
    # What an admin's save does: a row, its history, its search terms, the data version.
    with transaction.atomic():
        card = Card.objects.create(table=table, station=station, kind="gut", text=f"{{name}} Karte {{number}}")
        card.text += " korrigiert"
        card.save()
print("done")
"""

READER = """
import django
django.setup()
from django.test import Client
from results.models import ThemeTable

client = Client()
url = ThemeTable.objects.order_by("pk").first().get_absolute_url()
statuses = {{client.get(url).status_code for _ in range({reads})}}
print(sorted(statuses))
"""


def run(args, env):
    return subprocess.Popen(
        args, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture(scope="module")
def database_file(tmp_path_factory):
    return production_site(tmp_path_factory.mktemp("sqlite-concurrency") / "db.sqlite3", allowed_hosts="testserver")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(database_file):
    result = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=settings.BASE_DIR, env=database_file, capture_output=True, text=True
    )

    assert result.stdout.split() == ["wal", "20000"], result.stderr


def test_sqlite_concurrent_writers_and_readers_never_see_a_locked_database(database_file):
    writers = [
        run([sys.executable, "-c", WRITER.format(writes=WRITES), f"writer-{n}"], database_file) for n in range(3)
    ]
    readers = [run([sys.executable, "-c", READER.format(reads=READS)], database_file) for _ in range(3)]

    results = [(process.communicate(timeout=240), process.returncode) for process in writers + readers]

    for (_stdout, stderr), returncode in results:
        assert "database is locked" not in stderr
        assert returncode == 0, stderr
    assert [stdout.strip() for (stdout, _), _ in results] == ["done"] * 3 + ["[200]"] * 3
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from results.models import Card; "
            "print(Card.objects.filter(text__endswith=' korrigiert').count())",
        ],
        cwd=settings.BASE_DIR,
        env=database_file,
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip() == str(3 * WRITES)
