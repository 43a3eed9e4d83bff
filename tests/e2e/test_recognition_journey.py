"""The recognition journey in Chromium: import, fix a row, score, send; approve and refuse; certificate."""

import io
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from recognition.models import Nomination, NominationState
from tests.e2e.browser import log_in, log_out
from tests.recognition import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def score(page, points: str | None = None):
    """Type the points in every box; None gives the maximum, the first one typed the Vietnamese way."""
    # locator.all() does not wait: on a busy machine it can run before the score page has loaded
    expect(page.locator(".score-input").first).to_be_visible()
    for index, field in enumerate(page.locator(".score-input").all()):
        if points is None:
            field.fill("9,5" if index == 0 else field.get_attribute("data-max"))
        else:
            field.fill(points)
    page.get_by_role("button", name="Lưu phiếu chấm").click()


def test_import_score_send_review_and_print(page, live_server, alice, rita, artifacts_dir, tmp_path):
    factories.criteria()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Danh hiệu", exact=True).first.click()
    page.get_by_label("Năm").select_option("2018")
    page.get_by_label("Danh hiệu").select_option("family")
    page.get_by_role("button", name="Mở sổ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gia đình học tập")

    # a list with a row error: an unknown village
    page.get_by_role("link", name="Nhập danh sách từ Excel").click()
    bad = tmp_path / "danh-sach.xlsx"
    bad.write_bytes(factories.workbook_bytes([("Triệu Văn An", "Thôn 1", ""), ("Bàn Thị Mai", "Thôn 9", "")]))
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(bad)
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    errors = page.locator("#import-error-table")
    expect(errors).to_contain_text("Không có thôn, bản, khu “Thôn 9” trong Xã Thanh Sơn.")
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("3")
    page.screenshot(path=artifacts_dir / "recognition-import-errors.png", full_page=True)
    assert not Nomination.objects.exists()

    # fixed
    bad.write_bytes(factories.workbook_bytes([("Triệu Văn An", "Thôn 1", ""), ("Bàn Thị Mai", "Thôn 2", "")]))
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(bad)
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhập 2 đề nghị")

    page.get_by_role("link", name="Chấm điểm Triệu Văn An").click()
    score(page)
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu phiếu chấm điểm của “Triệu Văn An”")
    page.get_by_role("link", name="Chấm điểm Bàn Thị Mai").click()
    score(page, "7")
    page.get_by_role("button", name="Gửi duyệt 2 đề nghị đã chấm điểm").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi 2 đề nghị để duyệt.")
    page.screenshot(path=artifacts_dir / "recognition-register.png", full_page=True)
    log_out(page)

    # the approver
    log_in(page, live_server, "rita")
    page.get_by_role("link", name="Duyệt danh hiệu").click()
    expect(page.locator("#queue-table")).to_contain_text("Xã Thanh Sơn")
    page.screenshot(path=artifacts_dir / "recognition-queue.png", full_page=True)
    page.get_by_role("link", name="Xét duyệt Xã Thanh Sơn Gia đình học tập 2018").click()
    page.get_by_role("button", name="Chọn công nhận tất cả đề nghị đạt điểm").click()
    an = Nomination.objects.get(name="Triệu Văn An")
    mai = Nomination.objects.get(name="Bàn Thị Mai")
    expect(page.locator(f"#approve_{an.pk}")).to_be_checked()
    expect(page.locator(f"#approve_{mai.pk}")).not_to_be_checked()  # 70 points: below the pass mark
    page.locator(f"#refuse_{mai.pk}").check()
    page.get_by_label("Lý do không công nhận Bàn Thị Mai").fill("Chưa đạt 80 điểm theo bộ tiêu chí")
    page.get_by_label("Số quyết định").fill("12/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("20/12/2018")
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_label("Họ và tên người ký").fill("Triệu Văn Long")
    page.screenshot(path=artifacts_dir / "recognition-review.png", full_page=True)
    page.get_by_role("button", name="Ghi kết quả xét duyệt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quyết định số 12/QĐ-UBND")
    log_out(page)

    # the officer sees the outcome
    log_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("recognition:register", kwargs={"pk": an.register_id}))
    table = page.locator("#register-table")
    expect(table.locator("tr", has_text="Triệu Văn An")).to_contain_text("Được công nhận")
    expect(table.locator("tr", has_text="Bàn Thị Mai")).to_contain_text("Chưa đạt 80 điểm theo bộ tiêu chí")
    page.screenshot(path=artifacts_dir / "recognition-outcome.png", full_page=True)
    # the page's own session fetches the PDF (Chromium's viewer would wrap it in HTML)
    response = page.request.get(live_server.url + reverse("recognition:nomination_certificate", kwargs={"pk": an.pk}))
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert "Triệu Văn An" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    path = artifacts_dir / "recognition-certificate.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(artifacts_dir / "recognition-certificate")],
        check=True,
    )
    an.refresh_from_db()
    assert an.state == NominationState.APPROVED


def test_register_on_a_phone(page, live_server, alice, rita, artifacts_dir):
    factories.criteria()
    factories.decided(alice, rita, names=("Triệu Văn An", "Bàn Thị Mai"))
    log_in(page, live_server, "alice")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("recognition:registers"))
    page.get_by_role("link", name="Gia đình học tập").click()
    expect(page.locator("#register-table")).to_contain_text("Được công nhận")
    page.screenshot(path=artifacts_dir / "recognition-register-phone.png", full_page=True)


def test_a_long_import_shows_that_it_is_under_way(page, live_server, alice, tmp_path):
    factories.criteria()
    register = factories.register(alice)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{reverse('recognition:register_import', args=[register.pk])}")
    content = tmp_path / "dai.xlsx"
    content.write_bytes(factories.workbook_bytes([(f"Hộ số {n}", "Thôn 1", "") for n in range(50)]))
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(content)
    # Keep the page in the state it is in while a long upload runs: the page's own submit handler
    # still runs, only the navigation is held back.
    page.evaluate("document.getElementById('import-form').addEventListener('submit', e => e.preventDefault())")
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("status")).to_contain_text("Đang kiểm tra và nhập danh sách")
    expect(page.get_by_role("button", name="Kiểm tra và nhập")).to_be_disabled()
