"""
Screenshots of the public pages for review: a table page in German and
English at 320 px, 390 px and 1280 px and at 200 % zoom, the printed A4 sign,
and a few more pages.

    .venv/bin/python docs/screenshots/make_screenshots.py

Serves the archive with runserver on a free 127.0.0.1 port from a throwaway
SQLite database (migrate + load_conference), then drives Debian's Chromium
through Playwright with every outbound connection blocked.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*",
]
TABLE = "/winnenden-2019/tische/verstetigung-intman-nachhaltigkeit/"
# The table page in both UI languages, on a small and a common phone, a
# desktop, and at 200 % zoom (a 1280 px window showing 640 CSS pixels at twice
# the density): (file name, path, viewport width, device scale factor).
TABLE_SHOTS = [
    (f"table-{language}-{name}.png", prefix + TABLE, width, scale)
    for language, prefix in [("de", ""), ("en", "/en")]
    for name, width, scale in [("320", 320, 1), ("390", 390, 1), ("1280", 1280, 1), ("zoom200", 640, 2)]
]
SHOTS = [
    # (file name, path, viewport width, full page)
    ("conference-1280.png", "/winnenden-2019/", 1280, True),
    ("station-1280.png", "/winnenden-2019/stationen/1/", 1280, False),
    ("cards-1280.png", "/winnenden-2019/karten/?station=3&q=Netzwerk", 1280, True),
    ("search-390.png", "/suche/?q=Dolmetscher", 390, True),
]
SIGN = TABLE + "aushang/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "DJANGO_DEBUG": "1",
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_PAGE_CACHE": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(env, "load_conference", "fixtures/winnenden-2019.json")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for name, path, width, scale in TABLE_SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=scale)
                    page.goto(base + path)
                    # Only the first screenful or two: the whole page is long, the layout is what matters.
                    page.set_viewport_size({"width": width, "height": 1400})
                    page.screenshot(path=OUT / name)
                    page.close()
                    print(OUT / name)
                for name, path, width, full_page in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(base + path)
                    page.screenshot(path=OUT / name, full_page=full_page)
                    page.close()
                    print(OUT / name)
                # The sign as printed: print media on an A4 page at 96 dpi.
                page = browser.new_page(viewport={"width": 794, "height": 1123})
                page.emulate_media(media="print")
                page.goto(base + SIGN)
                page.screenshot(path=OUT / "sign-a4-print.png", full_page=True)
                page.pdf(path=Path(tmp) / "sign.pdf", format="A4", print_background=True, prefer_css_page_size=True)
                pages = len(re.findall(rb"/Type\s*/Page(?!s)", (Path(tmp) / "sign.pdf").read_bytes()))
                print(OUT / "sign-a4-print.png", f"(printed on {pages} A4 page(s))")
                if pages != 1:
                    sys.exit("The sign must print on exactly one A4 page.")
                # The table page as printed.
                page.goto(base + TABLE)
                page.screenshot(path=OUT / "table-print.png", full_page=True)
                print(OUT / "table-print.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
