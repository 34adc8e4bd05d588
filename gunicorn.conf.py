"""gunicorn settings for `make serve`, the benchmarks and production (override through the environment)."""

import multiprocessing
import os

wsgi_app = "winnenden.wsgi:application"
# Loopback by default; behind a load balancer set GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: the pages are short CPU-bound renders or cache hits, and a
# sync worker holds at most one request when it dies. On CPython 3.13.0 a
# long page renders faster in gthread's thread than in sync's main thread,
# and cache hits slower (docs/performance.md, "Worker class").
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
# X-Forwarded-Proto counts only with DJANGO_BEHIND_PROXY=1, and then only from the proxy's
# addresses (FORWARDED_ALLOW_IPS, loopback by default). Without it nobody is trusted: a client's
# "X-Forwarded-Proto: https" would make plain HTTP pass for HTTPS.
# SCRIPT_NAME and PATH_INFO (gunicorn's default forwarder_headers) are trusted from no one: the
# site is served at the root, and a "SCRIPT_NAME: /evil" a proxy passes through from a client
# would move every link under /evil/.
forwarder_headers = ""
if os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    # The one header the proxy must overwrite (docs/deploy.md); others a client sent through it are ignored.
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    # gunicorn trusts a peer on a UNIX socket whatever forwarded_allow_ips says: trust no scheme header at all.
    secure_scheme_headers = {}
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
