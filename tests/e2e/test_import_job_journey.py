"""A long nominee list in Chromium: uploaded, followed on the progress page, its row errors shown
with nothing saved; the fixed file imported. Desktop and phone width, axe-core, strict CSP."""

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from recognition.models import Nomination
from tests.e2e.browser import axe_violations, log_in
from tests.recognition import factories
from xhht_portal.models import Job

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = ("Triệu Văn An", "Bàn Thị Mai", "Lý Văn Sáng", "Đặng Thị Hằng", "Vũ Văn Em", "Âu Thị Lan")


def both_widths(page, artifacts_dir, name: str) -> None:
    assert axe_violations(page) == []
    page.screenshot(path=artifacts_dir / f"{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    page.screenshot(path=artifacts_dir / f"{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@override_settings(XHHT_IMPORT_TASK_ROWS=3)
def test_long_list_is_followed_on_the_job_page_then_fixed_and_imported(
    page, live_server, alice, run_tasks, artifacts_dir, tmp_path
):
    factories.criteria()
    register = factories.register(alice)
    csp_errors = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "alice")
    rows = [(name, f"Thôn {1 + n % 2}", "") for n, name in enumerate(NAMES)]
    broken = list(rows)
    broken[2] = ("Lý Văn Sáng", "Thôn 9", "")
    broken[4] = ("Triệu Văn An", "Thôn 1", "")
    bad_file, good_file = tmp_path / "danh-sach.xlsx", tmp_path / "danh-sach-da-sua.xlsx"
    bad_file.write_bytes(factories.workbook_bytes(broken))
    good_file.write_bytes(factories.workbook_bytes(rows))

    page.goto(f"{live_server.url}{reverse('recognition:register_import', args=[register.pk])}")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(bad_file)
    page.get_by_role("button", name="Kiểm tra và nhập").click()

    # The progress page, waiting for the worker.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhập danh sách (6 dòng)")
    expect(page.get_by_text("Đang chờ", exact=True)).to_be_visible()
    expect(page.locator("progress#job-progress")).to_be_visible()
    both_widths(page, artifacts_dir, "import-job-queued")

    assert run_tasks() == 1
    # No reload by the test: the page's script sees the job finish and reloads itself.
    table = page.locator("#import-error-table")
    expect(table).to_be_visible(timeout=15000)
    expect(page.get_by_role("alert")).to_contain_text("Tệp có lỗi; chưa lưu dòng nào.")
    expect(table).to_contain_text("Không có thôn, bản, khu “Thôn 9”")
    expect(table).to_contain_text("“Triệu Văn An” trùng với dòng 2 trong tệp.")
    expect(page.get_by_role("button", name="Thử lại")).to_have_count(0)
    assert not Nomination.objects.exists()
    both_widths(page, artifacts_dir, "import-job-errors")

    page.get_by_role("link", name="Quay lại trang nhập danh sách").click()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(good_file)
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_text("Đang chờ", exact=True)).to_be_visible()
    assert run_tasks() == 1
    expect(page.get_by_text("Đã nhập 6 đề nghị vào sổ đăng ký.")).to_be_visible(timeout=15000)
    both_widths(page, artifacts_dir, "import-job-done")

    page.get_by_role("link", name="Mở sổ đăng ký").click()
    for name in NAMES:
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    assert Nomination.objects.filter(register=register).count() == 6
    assert Job.objects.count() == 2 and csp_errors == []
