"""The offline copy opened from disk in headless Chromium: no server, no network."""

import zipfile

import pytest
from django.core.management import call_command

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_copy(tmp_path):
    output = tmp_path / "archiv.zip"
    call_command("export_site", "--conference", "winnenden-2019", "--output", str(output), verbosity=0)
    with zipfile.ZipFile(output) as archive:
        archive.extractall(tmp_path / "copy")
    return next((tmp_path / "copy").iterdir())


@pytest.mark.django_db
def test_offline_copy_opens_from_disk_and_follows_links_to_a_table(offline_copy):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            failed = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto((offline_copy / "index.html").as_uri())

            banner = page.locator(".offline-banner").inner_text()
            # file:// pages may not read each other's CSS rules; the computed style shows it applied.
            header_colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
            page.get_by_role("link", name="11 Rahmenbedingungen").click()
            table_url = page.url
            heading = page.locator("h1").inner_text()
            page.get_by_role("link", name="Ergebnisarchiv", exact=True).click()
            page.get_by_role("link", name="Abkürzungen").click()
            glossary_heading = page.locator("h1").inner_text()
        finally:
            browser.close()

    assert banner.startswith("Offline-Kopie vom ")
    assert header_colour not in {"rgba(0, 0, 0, 0)", "transparent"}
    assert table_url == (offline_copy / "tische" / "rahmenbedingungen" / "index.html").as_uri()
    assert heading == "Rahmenbedingungen"
    assert glossary_heading == "Abkürzungen"
    assert failed == []
