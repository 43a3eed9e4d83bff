"""What a person sees when they lose a race or upload a dense workbook: desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.excel import build_template
from reporting.models import Submission, SubmissionState
from tests.conftest import _make_user
from tests.e2e.browser import log_in
from tests.portal import bad_uploads as bad
from tests.reporting.submission_factories import open_period, submitted_report
from xhht_portal.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_second_reviewer_approving_gets_the_409_page(browser, live_server, alice, rita, units, artifacts_dir):
    period = open_period("2018-H1")
    submission = submitted_report(alice.unit, period, alice)
    _make_user("rita2", Role.REVIEWER, units["PGDDT"])
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    for page, name in ((first, "rita2"), (second, "rita")):
        log_in(page, live_server, name)
        page.goto(f"{live_server.url}/reports/view/{submission.pk}/")
    first.get_by_role("button", name="Duyệt báo cáo").click()
    expect(first.get_by_text("Đã duyệt báo cáo")).to_be_visible()

    with second.expect_response(lambda r: r.request.method == "POST") as answer:
        second.get_by_role("button", name="Duyệt báo cáo").click()
    assert answer.value.status == 409
    conflict = second.locator("#stale")
    expect(conflict).to_contain_text("Chưa thực hiện: người khác vừa xử lý báo cáo này")
    expect(conflict).to_contain_text("Đã duyệt")  # what the other reviewer did, in the table of changes
    second.screenshot(path=artifacts_dir / "review-conflict-409.png", full_page=False)
    second.set_viewport_size(PHONE)
    conflict.scroll_into_view_if_needed()
    second.screenshot(path=artifacts_dir / "review-conflict-409-phone.png", full_page=False)
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.APPROVED
    for page in (first, second):
        page.context.close()


def test_a_dense_workbook_is_refused_with_a_clear_message(page, live_server, alice, artifacts_dir, tmp_path):
    period = open_period("2018-H1")
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(bad.dense_cells(build_template(unit=alice.unit, period=period)))
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/period/2018-H1/")
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("Bảng tính có hơn 200.000 ô")
    errors.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "upload-dense-refused.png", full_page=False)
    page.set_viewport_size(PHONE)
    errors.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "upload-dense-refused-phone.png", full_page=False)
    assert not Submission.objects.filter(unit=alice.unit).exists()


def test_a_dense_nominee_list_is_refused_with_a_clear_message(page, live_server, alice, artifacts_dir, tmp_path):
    from django.urls import reverse

    from tests.recognition import factories

    factories.criteria()
    register = factories.register(alice, year=2018)
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(bad.dense_cells(factories.workbook_bytes([("Bàn Thị Mai", "Thôn 1", "")])))
    log_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("recognition:register_import", kwargs={"pk": register.pk}))
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    message = page.locator("#id_file-error")  # also listed in the error summary at the top
    expect(message).to_contain_text("Bảng tính có hơn 600.000 ô")
    message.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "import-dense-refused.png", full_page=False)
    page.set_viewport_size(PHONE)
    message.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "import-dense-refused-phone.png", full_page=False)
    assert not register.nominations.exists()
