"""
Headless Chromium (Debian's package) driven by Playwright against pytest-django's
live server. Without /usr/bin/chromium the tests skip with a message, unless
REQUIRE_BROWSER=1 (as .ci/run sets): then they fail.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
# No network but the loopback: the archive must work without external requests.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FIXTURE = "fixtures/winnenden-2019.json"


def require_chromium():
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
        "skipped on this machine. .ci/run installs it and makes these tests mandatory."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message.replace("skipped on this machine", "REQUIRE_BROWSER=1 is set"), pytrace=False)
    pytest.skip(message)


@pytest.fixture
def archive(transactional_db, live_server):
    """
    The live server with the real conference. A live server test runs in a
    transaction-less database that is flushed afterwards, so the session's
    fixture data is not there: load it here (well under a second).
    """
    call_command("load_conference", FIXTURE, verbosity=0)
    return live_server.url


@pytest.fixture
def browser(archive):
    """A fresh headless Chromium per test, started after the data is loaded."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def run_axe(page):
    """axe-core's violations on the current page: [(rule id, impact, [target selectors])]."""
    # Evaluated through the DevTools protocol: a <script> tag would be (rightly) refused by the CSP.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # The WCAG 2.2 AA rules (target-size is off unless asked for) and axe's best practices.
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:5])
        for violation in result["violations"]
    ]
