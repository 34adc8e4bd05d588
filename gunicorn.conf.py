"""gunicorn settings for `make serve`, the benchmarks and production (override through the environment)."""

import multiprocessing
import os

wsgi_app = "winnenden.wsgi:application"
# Loopback by default; behind a load balancer set GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: the pages are short CPU-bound renders or cache hits, and a
# sync worker holds at most one request when it dies.
worker_class = "sync"
# One worker per CPU and one more for a request waiting on the database. The
# usual 2 x CPUs + 1 is for workers that wait on I/O; here five workers on two
# CPUs took turns on the processor and served the table page 15-25 % slower
# than three (docs/performance.md). With the database on another machine, a
# request waits longer on it: raise WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Load Django once before forking: workers share its memory and start fast.
preload_app = True
timeout = 30
graceful_timeout = 10


# Recycle workers now and then so that a slow leak can never grow unbounded. At
# 10,000 a worker under the benchmark's load was replaced every few seconds,
# which cost a tenth of the throughput and most of the p99.
max_requests = 100000
max_requests_jitter = 10000
backlog = 2048
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# gunicorn's control socket has one fixed path per user: several servers on
# one machine (benchmarks, tests) would fight over it.
control_socket_disable = True
