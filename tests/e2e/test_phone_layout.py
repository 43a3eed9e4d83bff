"""On a 390×844 phone: no page scrolls sideways, and each main table's key columns (result and
status; deadline and extension; approve/refuse) are on screen without scrolling sideways.
axe-core runs on each page at this width too (a table that scrolls in its own box must be reachable
by keyboard, which only shows on a narrow screen)."""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_violations, log_in, smallest_chart_scale
from tests.e2e.pages import populate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844

# page name → (row selector, the cells that must be on screen in the first such row)
KEY_CELLS = {
    "dashboard": ("table.dash-table tbody tr", [".dash-value", ".status-badge"]),
    "drill_down": ("table.unit-table tbody tr", ["td:nth-last-child(3)", ".status-badge"]),
    "completeness": ("main table tbody tr", ["td:nth-child(2)", ".status-badge"]),
    "review_queue": ("table.review-queue tbody tr", [".status-badge", "td:nth-child(5)"]),
    "recognition_review": (
        "#review-table tbody tr",
        ["input[value=approve]", "input[value=refuse]", "label[for^=refuse_]", "input[name^=reason_]"],
    ),
    "report_list": ("main .list-group-item", [".status-badge"]),
}
# The reviewer also extends deadlines from the queue: the date box and its button are key too.
REVIEWER_CELLS = {
    "review_queue": (
        "table.review-queue tbody tr:has(input[name=until])",
        [".status-badge", "td:nth-child(5)", "input[name=until]", "button"],
    ),
}


def on_screen_horizontally(page, locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what} is not displayed"
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5, f"{what} is off screen: {box}"


@pytest.mark.parametrize("persona", ["alice", "dora", "rita", "leo", "ada"])
def test_key_columns_are_on_a_phone_screen_without_sideways_scrolling(
    page, live_server, units, personas, persona, artifacts_dir
):
    site = populate(units, personas)
    names = {url: name for name, url in site["urls"].items()}
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server, persona)
    checked = 0
    for path in site[persona]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{path} is {width}px wide on a {WIDTH}px phone"
        violations = axe_violations(page)
        assert not violations, f"{path} at phone width: {violations}"
        # Trend charts are never shrunk: their 12 px labels stay 12 px on screen.
        assert smallest_chart_scale(page) >= 0.99, f"{path}: a trend chart is scaled down"
        name = names[path]
        spec = (REVIEWER_CELLS if persona == "rita" else {}).get(name) or KEY_CELLS.get(name)
        if spec is None:
            continue
        row_selector, cells = spec
        row = page.locator(row_selector).first
        row.scroll_into_view_if_needed()
        for cell in cells:
            on_screen_horizontally(page, row.locator(cell).first, f"{name}: {cell}")
        # A card's key part fits one screen: from its title to the last key cell.
        top = row.bounding_box()["y"]
        last = row.locator(cells[-1]).first.bounding_box()
        assert last["y"] + last["height"] - top <= HEIGHT, f"{name}: key cells need more than one screen"
        checked += 1
        page.screenshot(path=artifacts_dir / f"phone-{persona}-{name}.png")
    assert checked or persona == "dora"


# Each visible card cell with its data-label and what the phone shows before its value (::before).
CARD_LABELS = """() => Array.from(document.querySelectorAll('table.table-cards > tbody > tr'))
    .filter(row => row.cells.length > 1 && row.getClientRects().length)
    .flatMap(row => Array.from(row.cells)
        .filter(cell => !(cell.tagName === 'TH' && cell.scope === 'row') && cell.getClientRects().length)
        .map(cell => [cell.getAttribute('data-label'), getComputedStyle(cell, '::before').content]))"""


@pytest.mark.parametrize(("persona", "names"), [("rita", ["dashboard", "review_queue"]), ("alice", ["home"])])
def test_cards_show_their_column_names_without_javascript(
    browser, live_server, units, personas, persona, names, artifacts_dir
):
    """The labels come from the server: with JavaScript off (or before portal.js runs) each card cell shows its name."""
    site = populate(units, personas)
    context = browser.new_context(java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, persona)
        for name in names:
            response = page.goto(f"{live_server.url}{site['urls'][name]}")
            assert response.status == 200, name
            cells = page.evaluate(CARD_LABELS)
            assert cells, f"{name}: no card is shown"
            unlabelled = [(label, shown) for label, shown in cells if not label or shown != f'"{label}"']
            assert not unlabelled, f"{name}: card cells without their column's name: {unlabelled[:5]}"
            page.locator("table.table-cards").first.scroll_into_view_if_needed()
            page.screenshot(path=artifacts_dir / f"phone-nojs-{persona}-{name}.png")
    finally:
        context.close()
