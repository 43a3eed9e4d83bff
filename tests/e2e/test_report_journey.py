"""A commune officer fills, submits, corrects and resubmits a report; the reviewer returns, then approves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.models import Submission, SubmissionState
from tests.e2e.browser import log_in, log_out
from tests.reporting.submission_factories import approved_report, open_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_everything(page):
    """Every count field gets plausible figures, every yes/no question 'Đạt'."""
    # locator.all() does not wait: make sure the form is there before listing its fields
    expect(page.locator("input[name$='-num']").first).to_be_visible()
    for field in page.locator("input[name$='-den'], input[name^='base-']").all():
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
    page.locator("#id_base-population_15_60").fill("1250")
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
    expect(page.locator("#error-I05-num")).to_have_text("Cần nhập trước khi gửi báo cáo.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#id_base-population_15_60")).to_have_value("1.200")
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


def test_two_people_saving_the_same_report(browser, live_server, alice, artifacts_dir):
    open_period("2018-H1")
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    for page in (first, second):
        page.set_default_timeout(5000)
        log_in(page, live_server, "alice")
        page.goto(f"{live_server.url}/reports/period/2018-H1/")
    first.locator("#id_I04-num").fill("900")
    first.locator("#id_base-population_15_60").fill("1000")
    first.get_by_role("button", name="Lưu bản nháp").click()
    expect(first.get_by_text("Đã lưu bản nháp.")).to_be_visible()

    second.locator("#id_I04-num").fill("950")
    second.locator("#id_base-population_15_60").fill("1100")
    second.get_by_role("button", name="Lưu bản nháp").click()
    conflict = second.locator("#stale")
    expect(conflict).to_contain_text("Chưa lưu: người khác vừa lưu báo cáo này")
    expect(conflict).to_contain_text("I04 · tử số")
    expect(conflict).to_contain_text("900")
    expect(second.locator("#id_I04-num")).to_have_value("950")
    second.screenshot(path=artifacts_dir / "report-conflict.png", full_page=False)
    value = Submission.objects.get(unit=alice.unit).values.get(indicator__code="I04")
    assert (value.numerator, value.denominator) == (900, 1000)
    for page in (first, second):
        page.context.close()  # before the live server stops sharing its database connection


def test_excel_upload_with_errors_is_listed_by_row_and_column(page, live_server, alice, artifacts_dir, tmp_path):
    import io

    from openpyxl import load_workbook

    open_period("2018-H1")
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/period/2018-H1/")
    # Fetched with the page's cookies rather than as a browser download: Chromium drops the
    # download connection abruptly, which upsets the live server's shared SQLite connection.
    href = page.get_by_role("link", name="Tải mẫu Excel").get_attribute("href")
    download = page.request.get(f"{live_server.url}{href}")
    assert download.headers["content-disposition"] == 'attachment; filename="bao-cao-06973-2018-H1.xlsx"'
    book = load_workbook(io.BytesIO(download.body()))
    sheet = book.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    sheet.cell(row=rows["I04.num"], column=6, value="=B2*3")
    sheet.cell(row=rows["I05.den"], column=6, value="66,7%")
    sheet.cell(row=rows["I17.num"], column=6, value=500)
    sheet.cell(row=rows["I17.den"], column=6, value=400)
    path = tmp_path / "bao-cao.xlsx"
    book.save(path)
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("Tệp có 3 lỗi")
    expect(errors).to_contain_text(f"dòng {rows['I04.num']}, cột F")
    expect(errors).to_contain_text("công thức")
    errors.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "report-excel-errors.png", full_page=False)
    assert not Submission.objects.filter(unit=alice.unit).exists()

    # Corrected, the same file goes in whole.
    sheet.cell(row=rows["I04.num"], column=6, value=1100)
    sheet.cell(row=rows["I05.den"], column=6, value=30)
    sheet.cell(row=rows["I17.num"], column=6, value=300)
    book.save(path)
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    expect(page.get_by_text("Đã nhập số liệu từ tệp bao-cao.xlsx vào bản nháp.")).to_be_visible()
    expect(page.locator("#id_I04-num")).to_have_value("1100")


def test_figures_typed_before_the_script_arrives_get_their_share(page, live_server, alice):
    """On a slow connection the officer can type before reporting.js has run: its start computes them."""
    open_period("2018-H1")
    log_in(page, live_server, "alice")
    page.route("**/reporting*.js", lambda route: route.abort())  # the script "has not arrived yet"
    page.goto(live_server.url + "/reports/")
    page.get_by_role("link", name="6 tháng đầu năm 2018").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo 6 tháng đầu năm 2018")
    page.locator("#id_I04-num").fill("1.180")
    page.locator("#id_base-population_15_60").fill("1250")
    share = page.locator("output[data-share-for='I04']")
    expect(share).to_have_text("—")
    src = page.locator("script[src*='reporting']").get_attribute("src")
    page.unroute("**/reporting*.js")
    page.add_script_tag(url=src)  # now it arrives
    expect(share).to_have_text("94,4%")
