"""Keyboard only: the table page, the filter form and the language switch, in a sensible order with visible focus."""

import re

import pytest

from results.models import Card, ThemeTable
from tests.page_types import TABLE_SLUG

pytestmark = pytest.mark.browser

TABLE = f"/winnenden-2019/tische/{TABLE_SLUG}/"

# What the focused element looks like; the tab walk compares document order and the focus ring.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const previous = window.__lastFocused;
  const after = !previous || !!(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  window.__lastFocused = el;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: el.innerText.trim(),
    href: el.getAttribute("href"),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    visible: box.width > 0 && box.height > 0,
    after: after,
    landmark: el.closest("header, nav, main, footer")?.tagName.toLowerCase() ?? null,
  };
}"""


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_until(page, predicate, limit=80):
    for _ in range(limit):
        focused = tab(page)
        if predicate(focused):
            return focused
    raise AssertionError("never reached by Tab")


@pytest.fixture
def first_card(archive):
    # Queried before the browser starts: Playwright's event loop makes Django refuse ORM calls.
    table = ThemeTable.objects.get(slug=TABLE_SLUG)
    return Card.objects.public().filter(table=table).order_by("station__number", "position").first()


def test_table_page_by_keyboard(first_card, page, archive):
    page.goto(archive + TABLE)

    skip = tab(page)
    page.keyboard.press("Enter")
    first_in_main = tab(page)
    walk = [first_in_main]
    while walk[-1]["landmark"] != "footer":
        walk.append(tab(page))

    assert (skip["text"], skip["href"], skip["ring"], skip["visible"]) == ("Zum Inhalt springen", "#inhalt", True, True)
    assert page.url.endswith("#inhalt")
    # Past the skip link, the next stop is the first card's source link, not the header.
    assert (first_in_main["landmark"], first_in_main["href"]) == (
        "main",
        f"/winnenden-2019/quelle/#zeile-{first_card.source_line}",
    )
    assert [step for step in walk if not (step["ring"] and step["visible"] and step["after"])] == []
    texts = [step["text"] for step in walk]
    assert [text for text in texts if re.fullmatch(r"Station \d an allen Thementischen", text)] == [
        "Station 1 an allen Thementischen",
        "Station 2 an allen Thementischen",
        "Station 3 an allen Thementischen",
    ]
    assert "Aushang mit QR-Code drucken" in texts


def test_table_page_headings_let_a_screen_reader_jump_by_station_and_kind(page, archive):
    page.goto(archive + TABLE)

    outline = page.evaluate(
        "() => [...document.querySelectorAll('main h1, main h2, main h3')].map(h => h.tagName + ' ' + h.innerText)"
    )
    landmarks = page.evaluate(
        "() => [...document.querySelectorAll('header, nav, main, footer, section[aria-labelledby]')]"
        ".map(el => [el.tagName.toLowerCase(), el.getAttribute('aria-label')].filter(Boolean).join(':'))"
    )

    assert outline[0] == "H1 Verstetigung IntMan, Nachhaltigkeit"
    assert [h for h in outline if h.startswith("H2")] == ["H2 Station 1", "H2 Station 2", "H2 Station 3"]
    assert outline[1:4] == ["H2 Station 1", "H3 Was läuft gut?", "H3 Wo hakt es?"]
    assert landmarks[:4] == ["header", "nav:Hauptnavigation", "nav:Sprache", "nav:Brotkrümelnavigation"]
    assert landmarks.count("section") == 3


def test_cards_filter_form_by_keyboard(page, archive):
    page.goto(archive + "/winnenden-2019/karten/")

    tab_until(page, lambda focused: focused["id"] == "filter-q")
    page.keyboard.type("Netzwerk")
    station = tab_until(page, lambda focused: focused["id"].startswith("filter-station-"))
    while station["id"] != "filter-station-3":
        station = tab(page)
    page.keyboard.press("Space")
    button = tab_until(page, lambda focused: focused["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    heading = page.inner_text("h1")
    count = int(heading.split()[0])
    shown = page.locator("ol.card-list > li").count()
    assert (button["text"], button["ring"]) == ("Filtern", True)
    assert re.search(r"[?&]q=Netzwerk(&|$)", page.url) and re.search(r"[?&]station=3(&|$)", page.url)
    assert heading == f"{count} Karten" and count == shown > 0
    assert page.title().startswith(f"{count} Karten – ")
    assert page.is_checked("#filter-station-3")
    assert page.input_value("#filter-q") == "Netzwerk"


def test_language_switch_by_keyboard(page, archive):
    page.goto(archive + TABLE + "#station-2")

    english = tab_until(page, lambda focused: focused["landmark"] == "nav" and focused["text"] == "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    english_url = page.url
    english_lang = page.evaluate("document.documentElement.lang")
    station_heading = page.inner_text("#station-1")
    card_lang = page.evaluate("document.querySelector('.cards li span[lang]').lang")
    german = tab_until(page, lambda focused: focused["landmark"] == "nav" and focused["text"] == "Deutsch")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert (english["ring"], english["href"]) == (True, f"/en{TABLE}")
    assert english_url == archive + f"/en{TABLE}"
    assert (english_lang, station_heading, card_lang) == ("en", "Station 1", "de")
    assert german["href"] == TABLE
    assert page.url == archive + TABLE
    assert page.evaluate("document.documentElement.lang") == "de"
