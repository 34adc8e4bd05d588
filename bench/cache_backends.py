"""
What a page-cache hit and a page write cost in Django's FileBasedCache and DatabaseCache,
the two defaults that every process of a machine shares without Redis (docs/performance.md).

    python bench/cache_backends.py sqlite|postgres [OTHER_ENTRIES]

PostgreSQL: the database ea_bench_cache on 127.0.0.1 (user postgres) must exist.
"""

import sys
import tempfile
import time

import django
from django.conf import settings

engine = sys.argv[1]
others = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
database = (
    {"ENGINE": "django.db.backends.sqlite3", "NAME": tempfile.mktemp(suffix=".sqlite3")}
    if engine == "sqlite"
    else {"ENGINE": "django.db.backends.postgresql", "NAME": "ea_bench_cache", "USER": "postgres", "HOST": "127.0.0.1"}
)
options = {"MAX_ENTRIES": 50000}
settings.configure(
    DATABASES={"default": database},
    CACHES={
        "file": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tempfile.mkdtemp()}
        | {"OPTIONS": options},
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bench_cache"}
        | {"OPTIONS": options},
    },
)
django.setup()

from django.core.cache import caches  # noqa: E402 (after setup)
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402

call_command("createcachetable", verbosity=0)
page = HttpResponse(("<li>Eine Karte mit etwas Text und Umlauten: äöü</li>\n" * 2500).encode())  # about 120 KB
for alias in ["file", "database"]:
    cache = caches[alias]
    for number in range(others):
        cache.set(f"other-{number}", page if number < 200 else "x", None)
    cache.set_many({"version-a": "1", "version-b": "2"}, None)
    cache.set("headers", [], 3600)
    cache.set("page", page, 3600)
    started = time.perf_counter()
    for _ in range(500):
        cache.get_many(["version-a", "version-b"])
        cache.get("headers")
        cache.get("page")
    hit = (time.perf_counter() - started) / 500 * 1000
    started = time.perf_counter()
    for number in range(100):
        cache.set(f"new-{number}", page, 3600)
    write = (time.perf_counter() - started) / 100 * 1000
    print(f"{engine}, {alias} cache: hit (three lookups) {hit:.2f} ms, a page written {write:.2f} ms")
