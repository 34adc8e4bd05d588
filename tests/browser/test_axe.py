"""axe-core in headless Chromium on every page type, in German and English."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from tests.browser.conftest import TABLE_SLUG, run_axe

pytestmark = pytest.mark.browser

CONF = "winnenden-2019"


def page_paths(language):
    """Every page type of the archive in one UI language: (name, path)."""
    with override(language):
        paths = [
            ("home", reverse("results:home")),
            ("conference", reverse("results:conference", kwargs={"conf": CONF})),
            ("table", reverse("results:table", kwargs={"conf": CONF, "slug": TABLE_SLUG})),
            ("station", reverse("results:station", kwargs={"conf": CONF, "number": 1})),
            ("cards filtered", reverse("results:cards", kwargs={"conf": CONF}) + "?station=3&art=helfer&q=Netzwerk"),
            ("cards no result", reverse("results:cards", kwargs={"conf": CONF}) + "?q=Zzyzxwort"),
            ("cards invalid", reverse("results:cards", kwargs={"conf": CONF}) + "?station=9"),
            ("search", reverse("results:search") + "?q=Dolmetscher"),
            ("search no result", reverse("results:search") + "?q=Zzyzxwort"),
            ("source", reverse("results:source", kwargs={"conf": CONF})),
            ("data", reverse("results:data", kwargs={"conf": CONF})),
            ("sign", reverse("results:table-sign", kwargs={"conf": CONF, "slug": TABLE_SLUG})),
            ("report", reverse("results:report", kwargs={"conf": CONF}) + "?karte=36"),
            ("accessibility", reverse("results:accessibility")),
            ("easy language", reverse("results:easy-language")),
            ("imprint", reverse("results:imprint")),
            ("404", reverse("results:home") + "gibt-es-nicht/tische/nirgends/"),
            ("glossary", reverse("results:glossary", kwargs={"conf": CONF})),
            ("actors", reverse("results:actors", kwargs={"conf": CONF})),
            ("topics", reverse("results:topics", kwargs={"conf": CONF})),
        ]
    return paths


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_has_no_axe_violations(page, archive, language):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    violations = {}
    languages = {}

    for name, path in page_paths(language):
        page.goto(archive + path)
        found = run_axe(page)
        if found:
            violations[name] = found
        languages[name] = page.evaluate("document.documentElement.lang")

    assert violations == {}
    assert set(languages.values()) == {language}
    # CSP refusals (inline style or script) and failed requests show up here;
    # the 404 page and the invalid filter (400) log their own status, nothing else may.
    assert [e for e in console_errors if "status of 404" not in e and "status of 400" not in e] == []
