"""A leader opens the dashboard, drills down to a commune's report and downloads both files."""

import io
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reporting.models import SubmissionState
from tests.e2e.browser import log_in
from tests.reporting.rollup_data import report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(units):
    report(units["06973"], "2017-Y", {"I04": (85, 100), "I21": (60, 100), "I02": [True, True, True]})
    report(units["06982"], "2017-Y", {"I04": (80, 100), "I21": (55, 100), "I02": [True, False, True]})
    report(units["06973"], "2018-Y", {"I04": (90, 100), "I21": (80, 100), "I02": [True, True, True]})
    report(units["06982"], "2018-Y", {"I04": (10, 1000), "I21": (60, 100), "I02": [True, True, True]})
    report(units["06976"], "2018-Y", {"I04": (95, 100)}, state=SubmissionState.SUBMITTED)
    report(units["PNV"], "2018-Y", {"I12": (45, 50), "I26": (4, 100), "I10": (30, 60)})


def test_leader_drills_down_to_a_report_and_downloads_both_files(
    page, live_server, personas, figures, artifacts_dir, tmp_path
):
    log_in(page, live_server, "leo")
    page.get_by_role("link", name="Tiến độ", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ thực hiện chương trình")
    expect(page.get_by_text("Năm 2018", exact=True).first).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Người trong độ tuổi 15–60 biết chữ")
    expect(row).to_contain_text("9,1%")
    expect(row).to_contain_text("Chậm")
    expect(row).to_contain_text("tạm tính, 2/8 đơn vị đã báo cáo")
    page.screenshot(path=artifacts_dir / "dashboard-leader.png", full_page=True)
    row.screenshot(path=artifacts_dir / "dashboard-row.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "dashboard-phone.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    row.get_by_role("link", name="Số liệu từng đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Người trong độ tuổi 15–60 biết chữ")
    thanh_son = page.get_by_role("row").filter(has_text="Xã Thanh Sơn")
    expect(thanh_son).to_contain_text("90%")
    expect(thanh_son).to_contain_text("Chậm")  # 90% is below its own path from 85% in 2017 (93,6%)
    expect(page.get_by_role("row").filter(has_text="Xã Thanh Lâm")).to_contain_text("Chưa có số liệu")
    page.screenshot(path=artifacts_dir / "dashboard-drilldown.png", full_page=True)
    thanh_son.get_by_role("link", name="Xem báo cáo").click()
    expect(page).to_have_url(f"{live_server.url}/reports/view/{_submission_pk('06973', '2018-Y')}/")
    expect(page.get_by_text("Xã Thanh Sơn").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "dashboard-report.png", full_page=True)

    page.goto(f"{live_server.url}/dashboard/?period=2018-Y")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Tải báo cáo PDF").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True).stdout
    assert "BÁO CÁO" in text.decode() and "9,1%" in text.decode()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(artifacts_dir / "report-pdf")], check=True)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Tải bảng Excel").click()
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    workbook = load_workbook(io.BytesIO(xlsx_path.read_bytes()))
    i04 = next(r for r in workbook["Tổng hợp"].iter_rows(min_row=3, values_only=True) if r[1] == "I04")
    assert round(i04[10] * 100, 1) == 9.1


def _submission_pk(unit_code, period_code):
    from reporting.models import Submission

    return Submission.objects.get(unit__code=unit_code, period__code=period_code).pk
