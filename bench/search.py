"""
The search at scale, in-process and uncached (page cache off), at one connection; and its relevance.

    python bench/search.py speed [--engine sqlite|postgres] [--conferences 1000] [--database-url URL] [--repeat 5]
    python bench/search.py relevance [--engine …] [--database-url URL]

speed: fills the database up to --conferences demo conferences (about 490 cards each; kept
between runs, never the test suite's), then times every query of QUERIES below on /suche/ and
on a conference's card list (?q=), --repeat times each after one warm-up, and prints p50 and
p95 per query: wall clock, and the CPU time of the request (this process and, on PostgreSQL,
its backend, from /proc/<pid>/schedstat): on a busy machine the wall clock mostly measures
the queue for a CPU, the CPU time what a request costs; and the search's own share of it
(parsing, the index, the page's cards; no rendering). relevance: recall and precision of tests/relevance.py's set.
Figures: docs/performance.md ("Search"), docs/search.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, base_env, django_eval, manage
from inprocess import environ

# What visitors type, and what they should not but may: every query answers within the target.
QUERIES = [
    "Integration",
    "und",
    "Kita Sprache",
    "Wohnung",
    "Dolmetscher",
    "Jobcenter",
    "JC",
    "Ehrenamt Netzwerk",
    "Geflüchtete Arbeit",
    "häusliche Gewalt",
    "Beratung Netzwerk Schule Kita Arbeit Wohnung Gesundheit Sprache",
    "Ge",
    "In",
    "Int",
    "Wo",
    "Zebrastreifen",
    "Dolmetcher",
    "und der die das",
    '"Wohnung* OR Kita NEAR -Arbeit ^:',
    "!!! ??? ...",
    "a" * 200,
    " ".join(["Integration"] * 100)[:200],
    " ".join(f"Wort{number}" for number in range(100))[:200],
]


def database_url(engine, conferences):
    if engine == "sqlite":
        return f"sqlite:///{ROOT / 'var' / f'search-{conferences}.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/ergebnisarchiv_search_{conferences}"


def prepare(env, conferences):
    if env["DATABASE_URL"].startswith("postgres"):
        import psycopg

        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_conference", "fixtures/winnenden-2019.json")
    have = int(
        django_eval(
            env, "from results.models import Conference\nprint(Conference.objects.filter(is_demo=True).count())"
        )
    )
    if have < conferences:
        manage(env, "generate_demo", "--conferences", str(conferences - have))
    if env["DATABASE_URL"].startswith("postgres"):
        django_eval(env, "from django.db import connection\nconnection.cursor().execute('ANALYZE')")


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def speed(repeat):
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from results.models import Conference

    demo = Conference.objects.filter(is_demo=True).order_by("-pk").first() or Conference.objects.first()

    def request(path):
        status = []
        b"".join(application(environ(path), lambda s, h, e=None: status.append(s)))
        return status[0]

    from results.glossary import current_glossary
    from results.search import current_synonyms, find_places, parse, ranked_page

    def search_only(query, page):
        """The search's own share of a request: parsing, the index, the page's cards (no rendering)."""
        parsed = parse(query, current_glossary(None if page == "/suche/" else demo), current_synonyms())
        if page == "/suche/":
            list(ranked_page(parsed, 1, 20).object_list)
            find_places(parsed)
        elif parsed:
            parsed.conference_ids(demo)

    from django.db import connection

    def backend_ns():
        """CPU time of the PostgreSQL backend serving this connection (0 on SQLite, which runs in-process)."""
        if connection.vendor != "postgresql":
            return 0
        if not hasattr(backend_ns, "pid") or connection.connection is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend_ns.pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{backend_ns.pid}/schedstat") as stat:
                return int(stat.read().split()[0])
        except FileNotFoundError:  # the connection was replaced: measure the new one from now on
            del backend_ns.pid
            return backend_ns()

    def cpu_ms(run):
        """CPU milliseconds of run(): this process's and its database backend's; a busy machine's queue left out."""
        process, backend = time.process_time_ns(), backend_ns()
        run()
        return (time.process_time_ns() - process + backend_ns() - backend) / 1e6

    rows = []
    everything = []
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for query in QUERIES:
        for page, path in [("/suche/", "/suche/?q="), ("karten", f"/{demo.slug}/karten/?q=")]:
            url = path + quote(query)
            status = request(url)  # warm-up: imports, templates, connections
            times, cpu, own = [], [], []
            for _ in range(repeat):
                started = time.perf_counter()
                cpu.append(cpu_ms(lambda url=url: request(url)))
                times.append((time.perf_counter() - started) * 1000)
                own.append(cpu_ms(lambda query=query, page=page: search_only(query, page)))
            everything += cpu
            label = query if len(query) <= 40 else query[:37] + "…"
            rows.append(
                (
                    label,
                    page,
                    status.split()[0],
                    percentile(times, 0.95),
                    statistics.median(cpu),
                    percentile(cpu, 0.95),
                    percentile(own, 0.95),
                )
            )
    print("Milliseconds per request: wall clock, and CPU time of this process and its database backend")
    print(f"{'query':42} {'page':8} {'status':6} {'wall p95':>8} {'CPU p50':>8} {'CPU p95':>8} {'search CPU p95':>14}")
    for label, page, status, wall95, cpu50, cpu95, own95 in rows:
        print(f"{label:42} {page:8} {status:6} {wall95:8.1f} {cpu50:8.1f} {cpu95:8.1f} {own95:14.1f}")
    print(
        f"all {len(everything)} requests, CPU: p50 {statistics.median(everything):.1f} ms, "
        f"p95 {percentile(everything, 0.95):.1f} ms, max {max(everything):.1f} ms; "
        f"slowest query CPU p95 {max(row[5] for row in rows):.1f} ms (wall {max(row[3] for row in rows):.1f} ms); "
        f"the search's own share: CPU p95 {max(row[6] for row in rows):.1f} ms at most"
    )
    print(f"Load average after: {os.getloadavg()[0]:.1f}")


def relevance():
    from tests.relevance import HARD, evaluate, summary

    results = evaluate()
    print(f"{'query':30} {'recall':>7} {'precision':>9} {'relevant':>8} {'found':>6}")
    for query, recall, precision, relevant, found in results:
        print(f"{query:30} {recall:7.2f} {precision:9.2f} {relevant:8d} {found:6d}")
    recall, precision, lowest = summary(results)
    print(
        f"{len(results)} queries: mean recall {recall:.3f}, mean precision {precision:.3f}, lowest recall {lowest:.2f}"
    )
    print("Not in the targets (words inside compounds):")
    for query, recall, precision, relevant, found in evaluate(HARD):
        print(f"{query:30} {recall:7.2f} {precision:9.2f} {relevant:8d} {found:6d}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["speed", "relevance"])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--conferences", type=int, default=1000)
    parser.add_argument("--database-url", help="default: var/search-N.sqlite3 or ergebnisarchiv_search_N")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-fill", action="store_true", help="use the database as it is")
    args = parser.parse_args()
    url = args.database_url or database_url(args.engine, args.conferences)
    # One database connection for the whole run, so its backend's CPU time can be read.
    env = base_env(args.engine, DATABASE_URL=url, DJANGO_PAGE_CACHE="0", DJANGO_CONN_MAX_AGE="3600")
    if args.mode == "speed" and not args.no_fill:
        prepare(env, args.conferences)
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args.mode == "speed":
        speed(args.repeat)
    else:
        relevance()


if __name__ == "__main__":
    main()
