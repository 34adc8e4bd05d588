"""Readable everywhere: 320 px phones, 200 % zoom, reduced motion."""

import pytest

from tests.page_types import TABLE_SLUG, page_paths

pytestmark = pytest.mark.browser

TABLE = f"/winnenden-2019/tische/{TABLE_SLUG}/"
# Wide content may scroll inside its own box (the source text, the topics matrix: WCAG 1.4.10 lets
# two-dimensional data scroll), never the page.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth > width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_fits_320_pixels_without_horizontal_scrolling(browser, archive, language):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    overflowing = {}

    for name, path in page_paths(language):
        page.goto(archive + path)
        result = page.evaluate(OVERFLOW)
        if result["scroll"] or result["wide"]:
            overflowing[name] = result

    context.close()
    assert overflowing == {}


@pytest.mark.parametrize("language", ["de", "en"])
def test_table_page_at_200_percent_zoom_reflows(browser, archive, language):
    # 200 % zoom in a 1280 px window: 640 CSS pixels at twice the pixel density.
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()

    page.goto(archive + ("/en" if language == "en" else "") + TABLE)
    result = page.evaluate(OVERFLOW)
    font_size = page.evaluate("getComputedStyle(document.querySelector('.cards li')).fontSize")

    context.close()
    assert result == {"scroll": False, "wide": []}
    assert font_size == "16px"


def test_reduced_motion_switches_off_smooth_scrolling(browser, archive):
    reduced = browser.new_context(reduced_motion="reduce")
    normal = browser.new_context(reduced_motion="no-preference")
    behaviours = []

    for context in (reduced, normal):
        page = context.new_page()
        page.goto(archive + TABLE)
        behaviours.append(page.evaluate("getComputedStyle(document.documentElement).scrollBehavior"))
        context.close()

    assert behaviours == ["auto", "smooth"]


def test_card_kinds_are_labelled_in_text_not_only_by_colour(page, archive):
    page.goto(archive + TABLE)

    kinds = page.evaluate(
        "() => [...document.querySelectorAll('#station-1 ~ h3.kind, .station h3.kind')].map(h => h.innerText)"
    )

    assert kinds[:2] == ["Was läuft gut?", "Wo hakt es?"]
    assert "Wer kann helfen?" in kinds
