"""A commune officer fills, submits, corrects and resubmits a report; the reviewer returns, then approves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.models import Submission, SubmissionState
from tests.conftest import PASSWORD
from tests.reporting.submission_factories import approved_report, open_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def fill_everything(page):
    """Every count field gets plausible figures, every yes/no question 'Đạt'."""
    for field in page.locator("input[name$='-den']").all():
        field.fill("1.200")
    for field in page.locator("input[name$='-num']").all():
        field.fill("1000")
    for select in page.locator("select[name*='-flag-']").all():
        select.select_option("1")


def test_full_report_journey(page, live_server, alice, rita, artifacts_dir):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    previous.due = previous.end
    previous.save()
    open_period("2018-H1")

    # The officer starts a draft: the share appears as she types.
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="6 tháng đầu năm 2018").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo 6 tháng đầu năm 2018")
    page.locator("#id_I04-num").fill("1.180")
    page.locator("#id_I04-den").fill("1250")
    expect(page.locator("output[data-share-for='I04']")).to_have_text("94,4%")
    page.locator("#id_task_1").fill("Tổ chức 6 buổi tuyên truyền tại các thôn.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    page.screenshot(path=artifacts_dir / "report-form-draft.png", full_page=True)

    # She leaves and comes back: the draft is there.
    page.get_by_role("link", name="Trang chủ").click()
    page.get_by_role("link", name="6 tháng đầu năm 2018").first.click()
    expect(page.locator("#id_I04-num")).to_have_value("1180")
    expect(page.locator("output[data-share-for='I04']")).to_have_text("94,4%")

    # Submitting with a value missing is refused beside the field; nothing typed is lost.
    fill_everything(page)
    page.locator("#id_I05-num").fill("")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Cần nhập trước khi gửi báo cáo.")).to_be_visible()
    expect(page.locator("#id_I04-den")).to_have_value("1.200")
    page.locator("#id_I05-num").fill("20")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
    log_out(page)

    # The reviewer sees it in the queue, comments on a value and returns it.
    log_in(page, live_server, "rita")
    page.get_by_role("link", name="Duyệt báo cáo").click()
    page.get_by_label("Kỳ báo cáo").select_option("2018-H1")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("row", name="Xã Thanh Sơn")).to_contain_text("Đã gửi")
    page.screenshot(path=artifacts_dir / "review-queue.png", full_page=True)
    page.get_by_role("link", name="Xã Thanh Sơn").click()
    page.get_by_label("Nhận xét về I05").fill("20 người mới biết chữ mà mẫu số 1.200? Kiểm tra lại.")
    page.get_by_label("Lý do trả lại").fill("Số người mới biết chữ chưa hợp lý.")
    page.screenshot(path=artifacts_dir / "review-report.png", full_page=True)
    page.get_by_role("button", name="Trả lại cho đơn vị").click()
    expect(page.get_by_text("Đã trả lại báo cáo")).to_be_visible()
    log_out(page)

    # The officer sees the reason and the comment, corrects and resubmits.
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="6 tháng đầu năm 2018").first.click()
    expect(page.get_by_text("Số người mới biết chữ chưa hợp lý.")).to_be_visible()
    expect(page.get_by_text("20 người mới biết chữ mà mẫu số 1.200? Kiểm tra lại.")).to_be_visible()
    page.screenshot(path=artifacts_dir / "report-form-returned.png", full_page=True)
    page.locator("#id_I05-den").fill("24")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
    log_out(page)

    # The reviewer approves.
    log_in(page, live_server, "rita")
    page.get_by_role("link", name="Duyệt báo cáo").click()
    page.get_by_label("Kỳ báo cáo").select_option("2018-H1")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="Xã Thanh Sơn").click()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.get_by_text("Đã duyệt báo cáo của Xã Thanh Sơn.")).to_be_visible()
    assert Submission.objects.get(unit=alice.unit, period__code="2018-H1").state == SubmissionState.APPROVED
    log_out(page)

    # Approved is read-only for the officer, and the history lists every step.
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="6 tháng đầu năm 2018").first.click()
    expect(page.get_by_text("Báo cáo đã được duyệt: không sửa được.")).to_be_visible()
    expect(page.locator("#id_I05-den")).to_be_disabled()
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    page.goto(f"{live_server.url}/reports/view/{Submission.objects.get(unit=alice.unit, period__code='2018-H1').pk}/")
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    history = page.locator("table.history-table tbody")
    for step in ("Tạo báo cáo", "Lưu số liệu", "Gửi báo cáo", "Trả lại", "Duyệt"):
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("Số người mới biết chữ chưa hợp lý.")
    expect(history.get_by_role("row").filter(has_text="I05 · mẫu số").last).to_contain_text("24")
    assert history.get_by_role("row").filter(has_text="Gửi báo cáo").count() == 2
    page.screenshot(path=artifacts_dir / "report-history.png", full_page=True)
