"""axe-core in headless Chromium on every page type, in German and English."""

import pytest

from tests.browser.conftest import run_axe
from tests.page_types import page_paths

pytestmark = pytest.mark.browser


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
