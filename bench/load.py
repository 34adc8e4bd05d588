"""
Load and fault tests against gunicorn on 127.0.0.1 (figures in docs/reliability.md).
Every load is a bounded wrk run; nothing leaves the loopback interface.

    python bench/load.py [--engine sqlite|postgres|both] [--duration 60] [--connections 64] [--only editor|faults]

1. steady: N connections for --duration seconds over a mix of public pages;
2. worker killed: one gunicorn worker gets SIGKILL in the middle of the load;
3. database restarted (PostgreSQL only): pg_ctlcluster restart in the middle;
4. admin corrections: a separate process saves corrections during the load;
   afterwards every one of them is in the database and on the page;
5. an editor on one conference: the same corrections, made on demo-1, while the
   load reads pages of ten conferences, the home page and search (target: p99
   under 300 ms, as a change in one conference leaves the others cached).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, Server, django_eval, prepare, wrk

CORRECTIONS = 100
CORRECT = """
import sys
import time
import django
django.setup()
from django.db import transaction
from results.models import Card

cards = list(Card.objects.filter(table__conference__slug=sys.argv[2]).order_by("pk")[: int(sys.argv[1])])
for number, card in enumerate(cards):
    with transaction.atomic():
        card.text = card.original_text + f" [Lasttest-Korrektur {number}]"
        card.save()
    time.sleep(float(sys.argv[3]))
print(len(cards))
"""
UNDO = """
from results.models import Card

for card in Card.objects.filter(text__contains=" [Lasttest-Korrektur "):
    card.text = card.original_text
    card.save()
"""


def mix_script(env):
    paths = django_eval(
        env,
        "from results.models import ThemeTable\n"
        "tables = ThemeTable.objects.filter(conference__slug='winnenden-2019').order_by('number')\n"
        "print(' '.join(table.get_absolute_url() for table in tables))",
    ).split()
    paths += [
        "/",
        "/winnenden-2019/",
        "/winnenden-2019/karten/?station=1",
        "/winnenden-2019/karten/?station=3&art=helfer",
        "/suche/?q=Wohnung",
        "/suche/?q=Dolmetscher",
        "/winnenden-2019/stationen/2/",
        "/winnenden-2019/karten.json",
        "/demo-7/",
        "/healthz",
    ]
    lua = "paths = {" + ", ".join(f'"{path}"' for path in paths) + "}\n"
    lua += "i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(lua)
    return script


def ten_conferences_script(env):
    """Pages of demo-1 to demo-10 (overview, a table, a station), the home page and searches."""
    paths = django_eval(
        env,
        "from results.models import ThemeTable\n"
        "for number in range(1, 11):\n"
        "    table = ThemeTable.objects.filter(conference__slug=f'demo-{number}').order_by('number').first()\n"
        "    print(table.conference.get_absolute_url(), table.get_absolute_url())\n"
        "    print(f'/demo-{number}/stationen/1/')",
    ).split()
    paths += ["/", "/suche/?q=Wohnung", "/suche/?q=Dolmetscher", "/en/"]
    lua = "paths = {" + ", ".join(f'"{path}"' for path in paths) + "}\n"
    lua += "i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(lua)
    return script


def corrections_during(server, env, script, connections, conference, json_path, pause=0.0):
    """
    Run the load for 20 s while a separate process saves corrections on conference (pause
    seconds after each); report what shows.
    """
    corrector = subprocess.Popen(
        [PYTHON, "-c", "import django\ndjango.setup()\n" + CORRECT, str(CORRECTIONS), conference, str(pause)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = wrk(server.url("/"), 20, connections, script=script)
    saved = int(corrector.communicate(timeout=120)[0])
    stored = int(
        django_eval(
            env,
            "from results.models import Card\n"
            "print(Card.objects.filter(text__contains=' [Lasttest-Korrektur ').count())",
        )
    )
    page = server.get(json_path).decode()
    shown = sum(f"[Lasttest-Korrektur {number}]" in page for number in range(saved))
    django_eval(env, UNDO)
    return result, f"{saved} saved, {stored} stored, {shown} shown"


def report(name, result, note=""):
    errors = result["socket_errors"] + result["non_2xx"]
    print(
        f"| {name} | {result['requests']} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
        f"| {result['non_2xx']} | {result['socket_errors']} | {note or ('ok' if errors == 0 else 'ERRORS')} |"
    )
    sys.stdout.flush()


def later(seconds, action):
    thread = threading.Timer(seconds, action)
    thread.start()
    return thread


def run_engine(engine, duration, connections, scenarios):
    env = prepare(engine, 100)
    script = mix_script(env)
    print(f"\n## {engine}: {connections} connections, page mix of {script.read_text().count(',') + 1} URLs")
    print("| scenario | requests | requests/s | p50 ms | p99 ms | non-2xx | socket errors | result |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    with Server(env) as server:
        url = server.url("/")
        if "editor" in scenarios:
            ten = ten_conferences_script(env)
            # The pages cached, as after their first visitors; then an editor's pace, a save every 0.15 s.
            wrk(url, 5, connections, script=ten)
            result, note = corrections_during(server, env, ten, connections, "demo-1", "/demo-1/karten.json", 0.15)
            report("editor on demo-1, load on ten conferences, home, search (20 s)", result, note)
            ten.unlink()
        if "faults" not in scenarios:
            script.unlink()
            return
        report(f"steady {duration} s", wrk(url, duration, connections, script=script))

        # The victim is chosen when it dies: gunicorn may have replaced a worker by then (max_requests).
        killed = []

        def kill():
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        killer = later(5, kill)
        result = wrk(url, 20, connections, script=script)
        killer.join()
        alive = len(server.worker_pids())
        report("SIGKILL one worker at 5 s (20 s)", result, f"worker {killed[0]} killed; {alive} workers after")

        if engine == "postgres":
            cluster = max(os.listdir("/etc/postgresql"), key=lambda version: [int(part) for part in version.split(".")])
            restart = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"]
            restarter = later(5, lambda: subprocess.run(restart, check=True))
            result = wrk(url, 20, connections, script=script)
            restarter.join()
            report("PostgreSQL restarted at 5 s (20 s)", result, "errors during the restart window")
            report("10 s after the restart", wrk(url, 10, connections, script=script))

        result, note = corrections_during(
            server, env, script, connections, "winnenden-2019", "/winnenden-2019/karten.json"
        )
        report("admin saves corrections (20 s)", result, note)
    script.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--only", choices=["editor", "faults"], help="only scenario 5, or only 1-4 (which restart PostgreSQL)"
    )
    args = parser.parse_args()
    scenarios = [args.only] if args.only else ["editor", "faults"]
    started = time.monotonic()
    for engine in ["sqlite", "postgres"] if args.engine == "both" else [args.engine]:
        run_engine(engine, args.duration, args.connections, scenarios)
    print(f"\nload tests took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
