"""A commune officer uploads the wrong scan of her signed report, withdraws it with a reason, uploads the right one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.models import SignedCopy
from tests.documents.factories import narrative_report, open_period, pdf_bytes
from tests.e2e.browser import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def choose_scan(page, name: str):
    page.get_by_label("Bản quét đã ký, đóng dấu (PDF hoặc JPEG)").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )


def test_an_officer_withdraws_a_wrong_scan_and_uploads_the_right_one(
    page, live_server, alice, settings, tmp_path, artifacts_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = narrative_report(alice.unit, open_period("2018-H1"), alice)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/view/{report.pk}/")
    page.get_by_role("link", name="Tải lên hoặc thu hồi bản ký, đóng dấu").first.click()

    # The wrong scan goes up.
    choose_scan(page, "quet-nham-trang.pdf")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("Đã lưu bản ký, đóng dấu của báo cáo.")).to_be_visible()
    page.get_by_role("link", name="Tải lên hoặc thu hồi bản ký, đóng dấu").first.click()
    expect(page.get_by_text("Bản hiện hành")).to_be_visible()

    # Withdrawing without a reason is refused beside the box; then with one it is done.
    page.get_by_text("Thu hồi bản này (tải nhầm, không đọc được)").click()
    reason = page.get_by_label("Lý do thu hồi “quet-nham-trang.pdf” (bắt buộc, tối đa 500 ký tự)")
    reason.fill("   ")
    page.get_by_role("button", name="Thu hồi bản ký").click()
    expect(page.locator(".signed-copies .invalid-feedback")).to_have_text("Ghi lý do thu hồi bản ký.")
    expect(page.locator("[data-error-summary]")).to_be_focused()  # the phone scrolls to the refused form
    expect(reason).to_be_visible()  # the form stays open where she typed
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts_dir / "signed-copy-withdraw-refused-390.png", full_page=True)
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)
    reason.fill("Quét nhầm trang 2 của báo cáo kỳ trước.")
    page.get_by_role("button", name="Thu hồi bản ký").click()
    expect(page.get_by_text("Đã thu hồi bản ký “quet-nham-trang.pdf”.")).to_be_visible()
    listed = page.locator(".signed-copies")
    expect(listed.get_by_text("Đã thu hồi", exact=True)).to_be_visible()
    expect(listed).to_contain_text("Quét nhầm trang 2 của báo cáo kỳ trước.")
    expect(page.get_by_text("Chưa có bản ký, đóng dấu.")).to_be_visible()
    expect(page.get_by_role("button", name="Thu hồi bản ký")).to_have_count(0)
    assert axe_violations(page) == []

    # The right one goes up: it is the current copy, listed above the withdrawn one.
    choose_scan(page, "bao-cao-da-ky.pdf")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("Đã lưu bản ký, đóng dấu của báo cáo.")).to_be_visible()
    page.get_by_role("link", name="Tải lên hoặc thu hồi bản ký, đóng dấu").first.click()
    items = page.locator(".signed-copies > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Bản hiện hành")
    expect(items.nth(0)).to_contain_text("bao-cao-da-ky.pdf")
    expect(items.nth(1)).to_contain_text("Đã thu hồi")
    expect(items.nth(1)).to_contain_text("quet-nham-trang.pdf")
    page.screenshot(path=artifacts_dir / "signed-copy-replaced-1280.png", full_page=True)
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts_dir / "signed-copy-replaced-390.png", full_page=True)
    assert axe_violations(page) == []
    assert [(c.original_name, c.is_withdrawn) for c in SignedCopy.objects.order_by("pk")] == [
        ("quet-nham-trang.pdf", True),
        ("bao-cao-da-ky.pdf", False),
    ]
