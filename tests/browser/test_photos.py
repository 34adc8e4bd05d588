"""A station with photos in headless Chromium: axe-core finds nothing, the photos load, nothing shifts."""

import pytest
from django.urls import reverse

from results.models import TableStation
from results.photos import Photo
from tests import images
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

# Layout shifts since the page started (buffered), summed as Chromium reports them; input-driven ones excluded.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""
SCROLL_TO_PHOTOS = """async () => {
  for (const img of document.querySelectorAll('.photo img')) {
    img.scrollIntoView();
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}"""
IMAGES_LOADED = "() => [...document.querySelectorAll('.photo img')].every(img => img.complete && img.naturalWidth > 0)"


@pytest.fixture
def photos(archive, media):
    """Two photos at table 1, station 2 (only a photo in the document), one at a station with cards."""
    photo_only = TableStation.objects.get(table__conference__slug="winnenden-2019", table__number=1, station__number=2)
    with_cards = TableStation.objects.get(table__conference__slug="winnenden-2019", table__number=1, station__number=1)
    for table_station, width, height in [(photo_only, 2400, 1600), (photo_only, 900, 1400), (with_cards, 1600, 1200)]:
        photo = Photo(
            table_station=table_station,
            alt_text=f"Flipchart mit handschriftlichen Karten, {width} × {height}",
            image=images.upload(images.photo(width, height, orientation=6, gps=True)),
        )
        photo.full_clean()
        photo.save()
    # URLs now: once Chromium runs (Playwright's event loop), the test may not query the database.
    return [
        photo_only.table.get_absolute_url(),
        reverse("results:station", kwargs={"conf": "winnenden-2019", "number": 2}),
    ]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("width", [1280, 375])
def test_pages_with_photos_pass_axe_and_do_not_shift(photos, browser, archive, language, width):
    prefix = "/en" if language == "en" else ""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    results = {}

    for path in photos:
        page.goto(archive + prefix + path)
        # Lazy images load as they come into view: scroll through the page.
        page.evaluate(SCROLL_TO_PHOTOS)
        page.wait_for_function(IMAGES_LOADED, timeout=10000)
        results[path] = {"axe": run_axe(page), "shift": round(page.evaluate(LAYOUT_SHIFT), 4)}

    context.close()
    assert failed == []
    assert results == {path: {"axe": [], "shift": 0} for path in results}
