"""Shared helpers of the benchmarks and load tests: a bench database, a gunicorn on loopback, wrk."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# BENCH_POSTGRES_DB: another name, where several checkouts bench on one PostgreSQL.
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "ergebnisarchiv_bench")
DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}",
    "postgres": f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DB}",
}


def base_env(engine, **extra):
    key_file = ROOT / "var" / "secret-key"
    key = key_file.read_text().strip() if key_file.exists() else secrets.token_urlsafe(50)
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "winnenden.settings",
        "DJANGO_SECRET_KEY": key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": DATABASES[engine],
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return env | extra


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def django_eval(env, code):
    """Run Python with Django set up against the bench database; returns what it prints."""
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare(engine, conferences):
    """Migrate the bench database and fill it up to `conferences` demo conferences (kept between runs)."""
    env = base_env(engine)
    if engine == "postgres":
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [POSTGRES_DB]).fetchone()
            if not exists:
                connection.execute(f"CREATE DATABASE {POSTGRES_DB}")
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_conference", "fixtures/winnenden-2019.json")
    count_demo = "from results.models import Conference\nprint(Conference.objects.filter(is_demo=True).count())"
    have = int(django_eval(env, count_demo))
    if have < conferences:
        manage(env, "generate_demo", "--conferences", str(conferences - have))
    if engine == "postgres":
        # Planner statistics for the freshly generated rows: without them PostgreSQL
        # guesses row counts and picks poor plans for the search, and autovacuum may
        # be off (as on the machine of docs/performance.md) or not have run yet.
        django_eval(env, "from django.db import connection\nconnection.cursor().execute('ANALYZE')")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port."""

    def __init__(self, env, workers=None, **extra):
        self.port = free_port()
        # An empty file cache of its own (unless Redis serves): no page of an earlier run.
        self.cache_dir = tempfile.mkdtemp(prefix="bench-cache-")
        self.env = env | {"DJANGO_CACHE_DIR": self.cache_dir} | extra
        self.env |= {"PORT": str(self.port), "GUNICORN_LOGLEVEL": "warning"}
        self.workers = workers

    def __enter__(self):
        args = [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        if self.workers:
            args += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(args, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/healthz")
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=60) as response:
            return response.read()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def worker_rss_mb(self):
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
        return sizes


def static_path():
    manifest = json.loads((ROOT / "var" / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def wrk(url, duration=10, connections=16, threads=2, script=None):
    """Run wrk against a loopback URL; returns requests/s, p50 and p99 in ms, and error counts."""
    assert url.startswith("http://127.0.0.1:"), "load goes to loopback only"
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    return parse_wrk(output)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    result = {"output": output}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    for percentile in ("50", "99"):
        value, unit = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)\b", output).groups()
        result[f"p{percentile}"] = _ms(value, unit)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return result
