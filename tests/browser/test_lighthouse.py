"""
Lighthouse 12 (npm, `make lighthouse`) in Debian's Chromium on every content page type in both
languages: SEO, best practices and accessibility all 100. Pages kept out of search engines
(forms, filtered lists, errors: tests/page_types.py NOINDEX) are left out.

It takes minutes, so it runs once per CI run: on the SQLite pass, not again on PostgreSQL (the
pages are the same).
"""

import json
import os
import subprocess

import pytest
from django.conf import settings

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.page_types import NOINDEX, page_paths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="Lighthouse runs on the SQLite pass only"
    ),
]

LIGHTHOUSE = settings.BASE_DIR / "var" / "node" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["seo", "best-practices", "accessibility"]


def require_lighthouse():
    if LIGHTHOUSE.exists():
        return
    message = f"The Lighthouse test needs {LIGHTHOUSE} (make lighthouse installs it)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def lighthouse(url):
    """Lighthouse's report on url: {category: score}, and the failed audits that count towards a score."""
    # Lighthouse splits --chrome-flags at spaces unless a value is quoted.
    flags = [
        "--headless",
        "--no-sandbox",
        *(arg.replace("=", '="', 1) + '"' if " " in arg else arg for arg in CHROMIUM_ARGS),
    ]
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            # Scores of these categories do not depend on the network's speed: no simulated slow phone.
            "--throttling-method=provided",
            f"--chrome-flags={' '.join(flags)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failed = sorted(
        ref["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] and report["audits"][ref["id"]]["score"] not in (None, 1)
    )
    return scores, failed


def test_every_content_page_scores_100(archive):
    require_chromium()
    require_lighthouse()
    results = {}

    for language in ["de", "en"]:
        for name, path in page_paths(language):
            if name not in NOINDEX:
                results[f"{language} {name}"] = lighthouse(archive + path)

    assert len(results) == 2 * (len(page_paths("de")) - len(NOINDEX))
    assert {page: failed for page, (scores, failed) in results.items() if set(scores.values()) != {1}} == {}
