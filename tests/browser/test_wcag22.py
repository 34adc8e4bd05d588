"""WCAG 2.2's new AA criteria in the browser: target size (2.5.8) and focus not obscured (2.4.11)."""

import pytest

from tests.browser.conftest import run_axe
from tests.page_types import page_paths

pytestmark = pytest.mark.browser

# Where the focused element is, and whether anything else covers its middle.
FOCUS_SEEN = """() => {
  const el = document.activeElement;
  // A link wrapped over two lines: the middle of its first line (its box's middle may be another link).
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const inView = box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
  const clamp = (value, high) => Math.min(Math.max(value, 0), high - 1);
  const top = inView ? document.elementFromPoint(clamp(x, innerWidth), clamp(y, innerHeight)) : null;
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40),
    seen: el === document.body || (inView && !!top && (el === top || el.contains(top) || top.contains(el))),
  };
}"""


def test_axe_checks_target_size(page, archive):
    page.goto(archive + dict(page_paths("de"))["source"])

    violations = run_axe(page)  # loads axe too
    checked = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag22aa']}})).passes.map(r => r.id)"
    )

    # The rule is off in axe unless asked for: run_axe asks for the WCAG 2.2 AA tag, and the line links pass.
    assert "target-size" in checked
    assert violations == []


@pytest.mark.parametrize("width", [1280, 320])
def test_focus_is_never_hidden(browser, archive, width):
    # No smooth scrolling: the focused element is where it ends up at once.
    context = browser.new_context(viewport={"width": width, "height": 700}, reduced_motion="reduce")
    page = context.new_page()
    hidden = {}

    for name, path in page_paths("de"):
        if name in {"source", "signs"}:
            continue  # hundreds of line links, eleven signs: the same parts as other pages, many times over
        page.goto(archive + path)
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_SEEN)
            if not focused["seen"]:
                hidden.setdefault(name, []).append(focused["text"] or focused["tag"])
    context.close()

    assert hidden == {}
