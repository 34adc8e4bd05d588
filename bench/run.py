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


def bench_engine(engine, conferences, duration, connections, redis_url=None, gunicorn_args=""):
    env = prepare(engine, conferences)
    cards = django_eval(env, "from results.models import Card\nprint(Card.objects.count())")
    static = static_path()
    paths = {
        "table page": table_path(env),
        "station page": "/winnenden-2019/stationen/1/",
        "cards list ?station=1": "/winnenden-2019/karten/?station=1",
        "search ?q=Wohnung": "/suche/?q=Wohnung",
        "JSON export": "/winnenden-2019/karten.json",
    }
    extra = {"GUNICORN_CMD_ARGS": gunicorn_args}  # each Server has an empty file cache of its own
    if redis_url:
        # A fresh key prefix: pages cached by an earlier run are not this run's.
        extra |= {"REDIS_URL": redis_url, "DJANGO_CACHE_PREFIX": f"bench-{time.time_ns()}"}
    rows = []
    rss = []
    for mode, server_env in [("cached", extra), ("uncached", extra | {"DJANGO_PAGE_CACHE": "0"})]:
        with Server(env, **server_env) as server:
            # The static file before and after the pages: the machine's speed may
            # drift during a run (other processes), and each ratio is to the mean
            # of the static file on the same server.
            before = wrk(server.url(static), duration, connections)
            results = []
            for name, path in paths.items():
                server.get(path)  # the page cached, as after any first visitor
                results.append((name, wrk(server.url(path), duration, connections), os.getloadavg()[0]))
            if mode == "uncached":
                # Each page's own latency, without 16 connections queueing on 2 CPUs.
                for name, path in paths.items():
                    result = wrk(server.url(path), duration, 1, threads=1)
                    results.append((f"{name}, 1 connection", result, os.getloadavg()[0]))
            after = wrk(server.url(static), duration, connections)
            static_rps = (before["rps"] + after["rps"]) / 2
            rows.append(("static file (before, after)", mode, before, after, static_rps))
            rows += [(name, mode, result, load, static_rps) for name, result, load in results]
            rss += server.worker_rss_mb()
    print(f"\n## {engine}: {cards} cards, {conferences} demo conferences + winnenden-2019")
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
    cache = f"Redis ({redis_url})" if redis_url else "no Redis (the default cache in settings)"
    cache += f"; gunicorn {gunicorn_args}" if gunicorn_args else ""
    print(f"{date.today()}, {machine}, wrk -c{connections} -d{duration}s against gunicorn; {cache}")
    print("| page | page cache | requests/s | ratio to static | p50 ms | p99 ms | errors | load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if row[0].startswith("static"):
            name, mode, before, after, static_rps = row
            errors = sum(r["socket_errors"] + r["non_2xx"] for r in (before, after))
            print(
                f"| {name} | {mode} | {before['rps']:.0f}, {after['rps']:.0f} | 1.00 "
                f"| {before['p50']:.1f}, {after['p50']:.1f} | {before['p99']:.1f}, {after['p99']:.1f} | {errors} | |"
            )
            continue
        name, mode, result, load, static_rps = row
        errors = result["socket_errors"] + result["non_2xx"]
        print(
            f"| {name} | {mode} | {result['rps']:.0f} | {result['rps'] / static_rps:.2f} "
            f"| {result['p50']:.1f} | {result['p99']:.1f} | {errors} | {load:.1f} |"
        )
    print(f"gunicorn worker RSS after the run: max {max(rss):.0f} MB")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--conferences", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", metavar="URL", help="serve with REDIS_URL=URL (e.g. redis://127.0.0.1:6379/13)")
    parser.add_argument("--gunicorn-args", default="", help='more gunicorn options, e.g. "--worker-class gthread"')
    args = parser.parse_args()
    started = time.monotonic()
    for engine in ["sqlite", "postgres"] if args.engine == "both" else [args.engine]:
        bench_engine(engine, args.conferences, args.duration, args.connections, args.redis, args.gunicorn_args)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
