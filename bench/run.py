"""
Throughput and latency of the main pages, as ratios to a static file served by
the same gunicorn + whitenoise in the same run. Loopback only; every wrk run is
bounded (--duration seconds).

    python bench/run.py [--engine sqlite|postgres|both] [--conferences 100] [--duration 10]
"""

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Server, django_eval, prepare, static_path, wrk


def table_path(env):
    return django_eval(
        env,
        "from results.models import ThemeTable\n"
        "print(ThemeTable.objects.get(conference__slug='winnenden-2019', number=1).get_absolute_url())",
    )


def bench_engine(engine, conferences, duration, connections):
    env = prepare(engine, conferences)
    cards = django_eval(env, "from results.models import Card\nprint(Card.objects.count())")
    paths = {
        "static file": static_path(),
        "table page": table_path(env),
        "cards list ?station=1": "/winnenden-2019/karten/?station=1",
        "search ?q=Wohnung": "/suche/?q=Wohnung",
        "JSON export": "/winnenden-2019/karten.json",
    }
    rows = []
    with Server(env) as cached:
        for name, path in paths.items():
            cached.get(path)  # warm the page cache
            rows.append((name, "cached", wrk(cached.url(path), duration, connections)))
        rss = cached.worker_rss_mb()
    with Server(env, DJANGO_PAGE_CACHE="0") as uncached:
        for name, path in list(paths.items())[1:]:
            rows.append((name, "uncached", wrk(uncached.url(path), duration, connections)))
        rss += uncached.worker_rss_mb()
    static_rps = rows[0][2]["rps"]
    print(f"\n## {engine}: {cards} cards, {conferences} demo conferences + winnenden-2019")
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
    print(f"{date.today()}, {machine}, wrk -c{connections} -d{duration}s against gunicorn")
    print("| page | page cache | requests/s | ratio to static | p50 ms | p99 ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, mode, result in rows:
        errors = result["socket_errors"] + result["non_2xx"]
        print(
            f"| {name} | {mode} | {result['rps']:.0f} | {result['rps'] / static_rps:.2f} "
            f"| {result['p50']:.1f} | {result['p99']:.1f} | {errors} |"
        )
    print(f"gunicorn worker RSS after the run: max {max(rss):.0f} MB")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--conferences", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    started = time.monotonic()
    for engine in ["sqlite", "postgres"] if args.engine == "both" else [args.engine]:
        bench_engine(engine, args.conferences, args.duration, args.connections)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
