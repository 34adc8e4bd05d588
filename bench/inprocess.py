"""
Time or profile one URL in-process through the full WSGI stack (every middleware),
against the bench database, with production settings and the page cache as chosen.

    python bench/inprocess.py [--engine sqlite|postgres] [--database URL] [--cache] [--redis URL] [--repeat 200]
                              [--profile] PATH...

Prints the mean, median and minimum milliseconds per request and the median CPU time of this
process per request; --profile adds the top of a cProfile.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, base_env


def environ(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cache", action="store_true", help="page cache on (default: off)")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--redis", metavar="URL", help="with REDIS_URL=URL")
    parser.add_argument(
        "--database", metavar="URL", help="another database than the bench's, e.g. 1,000 demo conferences"
    )
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    extra = {"REDIS_URL": args.redis, "DJANGO_CACHE_PREFIX": f"inprocess-{time.time_ns()}"} if args.redis else {}
    if args.database:
        extra["DATABASE_URL"] = args.database
    os.environ.update(base_env(args.engine, DJANGO_PAGE_CACHE="1" if args.cache else "0", **extra))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def request(path):
        status = []
        body = b"".join(application(environ(path), lambda s, h, e=None: status.append(s)))
        return status[0], body

    for path in args.paths:
        status, body = request(path)  # warm up: imports, templates, connections
        for _ in range(5):
            request(path)
        times = []
        # CPU time of this process: on a loaded machine it stays near what the request costs,
        # where the wall-clock time grows with the wait for a CPU (SQLite runs in-process).
        cpu_times = []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            request(path)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        print(
            f"{path}: {status}, {len(body)} bytes, mean {statistics.mean(times):.2f} ms, "
            f"median {statistics.median(times):.2f} ms, min {min(times):.2f} ms, "
            f"CPU median {statistics.median(cpu_times):.2f} ms"
        )
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
