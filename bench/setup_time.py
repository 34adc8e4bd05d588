"""
How long a fresh clone takes from `make run` to its first page.

Clones the committed HEAD of this checkout into a temporary folder, runs
`make run` there on a free loopback port and times until the home page
answers 200 (and, separately, until the install step is done). The package
cache of pip is whatever this machine has: run it once to warm it, then again
for the figure the README states. Nothing leaves 127.0.0.1 but pip's own
requests to the package registry.

    python3 bench/setup_time.py [--runs 2] [--keep]
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, free_port

TIMEOUT = 600


def first_page(url, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def one_run(keep):
    folder = Path(tempfile.mkdtemp(prefix="ergebnisarchiv-setup-"))
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder / "clone")], check=True)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=folder / "clone",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    installed_at = None
    try:
        deadline = started + TIMEOUT
        for line in make.stdout:
            if installed_at is None and re.search(r"manage\.py migrate", line):
                installed_at = time.monotonic() - started
            if "Quit the server with" in line or "Starting development server" in line:
                break
        ok = first_page(f"http://127.0.0.1:{port}/", deadline)
        total = time.monotonic() - started
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=30)
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    if not ok:
        raise SystemExit(f"No first page within {TIMEOUT} s (clone kept in {folder}).")
    return installed_at, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="clones to time (the first may warm the pip cache)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clones")
    args = parser.parse_args()
    print("run  install done  first page   (seconds from `make run` in a fresh clone)")
    for run in range(1, args.runs + 1):
        installed_at, total = one_run(args.keep)
        print(f"{run:>3}  {installed_at or float('nan'):>12.1f}  {total:>10.1f}")


if __name__ == "__main__":
    main()
