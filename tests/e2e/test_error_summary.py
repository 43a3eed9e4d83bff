"""After a refused save, focus is on the error summary at the top; each of its links moves focus to
its field, and no field that has focus hides under the sticky save/submit bar (phone width)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import log_in
from tests.reporting.submission_factories import open_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def clear_of_the_bar(page, what: str) -> None:
    """The focused element is on screen and above the sticky bar."""
    box = page.evaluate(
        """() => {
            const r = document.activeElement.getBoundingClientRect();
            const bar = document.querySelector('.action-bar').getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, barTop: bar.top, inBar: document.querySelector('.action-bar').contains(document.activeElement)};
        }"""
    )
    if box["inBar"]:
        return
    assert box["top"] >= 0 and box["bottom"] <= box["barTop"], f"{what} is hidden under the save bar: {box}"


def test_refused_save_focuses_the_summary_and_its_links_reach_each_field(page, live_server, units, alice):
    period = open_period("2018-H1")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{reverse('reporting:submission_edit', args=[period.code])}")
    page.locator("#id_I04-num").fill("abc")
    page.locator("#id_I24-den").fill("-5")
    page.get_by_role("button", name="Lưu bản nháp").click()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#id_I04-num", "#id_I24-den"]
    for index, target in enumerate(targets):
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == target[1:]
        clear_of_the_bar(page, target)
    assert page.locator("#id_I04-num").input_value() == "abc"  # what was typed is still there


def test_tabbing_down_the_report_form_never_hides_the_field_under_the_save_bar(
    page, live_server, units, alice, tmp_path
):
    period = open_period("2018-H1")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{reverse('reporting:submission_edit', args=[period.code])}")
    page.locator("#report-form input:not([type=hidden])").first.focus()
    for step in range(25):
        page.keyboard.press("Tab")
        clear_of_the_bar(page, f"field reached with Tab #{step + 1}")

    # The file picker beside the form names the chosen file in the page's words, not the browser's.
    picker = page.locator(".file-picker")
    expect(picker.locator(".file-name")).to_have_text("Chưa chọn tệp nào")
    chosen = tmp_path / "bao-cao.xlsx"
    chosen.write_bytes(b"PK")
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(chosen))
    expect(picker.locator(".file-name")).to_have_text("bao-cao.xlsx")
