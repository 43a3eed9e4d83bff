"""PDF, workbook and JSON: the same figures as the dashboard, in the required formats."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reporting import hooks
from reporting.exports.json import rollup_to_dict
from reporting.exports.pdf import render_pdf, vietnamese_date_line
from reporting.exports.xlsx import render_xlsx
from reporting.models import SubmissionState
from reporting.rollup import compute_rollup
from targets.numbers import format_number
from tests.reporting.rollup_data import period, report
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(units):
    """A 2018 picture with every measure: ratio, coverage, count, district, staff, recognition."""
    counts = {("family", units["06973"].pk): 600, ("family", units["06982"].pk): 100}

    def counter(years, unit_ids=None):
        return {(title, unit, 2018): n for (title, unit), n in counts.items()} if 2018 in years else {}

    hooks.register_recognition_counter(counter)
    report(units["06973"], "2017-Y", {"I04": (80, 100), "I21": (60, 100)})
    report(
        units["06973"],
        "2018-Y",
        {"I04": (90, 100), "I02": [True, True, True], "I07": [True], "I21": (70, 100), "I30": {"denominator": 1000}},
    )
    report(
        units["06982"],
        "2018-Y",
        {"I04": (10, 1000), "I02": [True, False, True], "I07": [True], "I10": (3, 7), "I30": {"denominator": 400}},
    )
    report(units["06976"], "2018-Y", {"I04": (500, 500)}, state=SubmissionState.SUBMITTED)
    report(units["PNV"], "2018-Y", {"I12": (45, 50), "I26": (4, 100), "I10": (30, 60)})
    yield
    hooks._recognition_counters.remove(counter)


def _dashboard_figures(html: str) -> dict[str, str]:
    """{indicator code: value text} from the dashboard page."""
    pairs = re.findall(r'text-body-secondary small">(I\d\d)</span>.*?dash-value">([^<]*)<', html, re.S)
    return dict(pairs)


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")


def test_dashboard_pdf_workbook_and_json_agree_figure_for_figure(district, login, leo):
    client = login(leo)
    html = client.get(reverse("reporting:dashboard"), {"period": "2018-Y"}).content.decode()
    pdf = client.get(reverse("reporting:dashboard_pdf", args=["2018-Y"]))
    xlsx = client.get(reverse("reporting:dashboard_xlsx", args=["2018-Y"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in xlsx["Content-Disposition"]
    data = rollup_to_dict(compute_rollup(period=period("2018-Y"), units=True))

    on_page = _dashboard_figures(html)
    pdf_lines = _pdf_text(pdf.content).splitlines()
    workbook = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[1]: row for row in workbook["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert len(data["targets"]) == len(on_page) == len(summary) == 28

    checked = 0
    for target in data["targets"]:
        code, value = target["indicator"], target["value"]
        suffix = "%" if target["unit"] == "percent" else ""
        text = "—" if value is None else f"{format_number(value)}{suffix}"
        assert on_page[code] == text, code
        cell = summary[code][10]
        if value is None:
            assert cell is None, code
        else:
            shown = cell * 100 if target["unit"] == "percent" else cell
            assert round(shown, 1) == pytest.approx(value), code
        line = next(line for line in pdf_lines if line.strip().startswith(code + " "))
        assert text in line, (code, line)
        checked += value is not None
    assert checked == 8  # I02, I04, I07, I10, I12, I21, I26, I30

    by_code = {t["indicator"]: t for t in data["targets"]}
    assert by_code["I04"]["value"] == 9.1
    assert by_code["I30"]["value"] == 50  # 700 / 1400
    units_sheet = list(workbook["Số liệu đơn vị"].iter_rows(min_row=2, values_only=True))
    from_json = [
        (t["indicator"], u["code"], u["numerator"], u["denominator"])
        for t in data["targets"]
        for u in t["units"]
        if u["value"] is not None and t["indicator"] not in ("I02", "I07")
    ]
    from_sheet = [(r[0], r[1], r[3], r[4]) for r in units_sheet if r[5] is not None and r[0] not in ("I02", "I07")]
    assert from_json == from_sheet
    assert ("I04", "06982", 10, 1000) in from_sheet
    completeness = list(workbook["Tình hình nộp"].iter_rows(min_row=2, values_only=True))
    assert [(r[0]) for r in completeness] == [c["code"] for c in data["completeness"]]


def test_json_has_exactly_the_agreed_shape(district, tmp_path):
    output = tmp_path / "report.json"
    call_command("export_report", period="2018-Y", fmt="json", output=str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert set(data) == {"unit", "period", "targets", "completeness"}
    assert data["unit"] == {"code": "BACHE", "name": "Huyện Ba Chẽ", "level": "district"}
    assert data["period"] == "2018-Y"
    target = next(t for t in data["targets"] if t["indicator"] == "I04")
    assert set(target) == {
        "section",
        "indicator",
        "year",
        "comparator",
        "value_min",
        "value_max",
        "unit",
        "measure",
        "value",
        "numerator",
        "denominator",
        "reported",
        "expected",
        "provisional",
        "status",
        "status_label",
        "exceeded",
        "expected_now",
        "units",
    }
    assert (target["section"], target["year"], target["comparator"], target["value_min"]) == ("2.1", 2018, "=", 94)
    assert (target["measure"], target["unit"], target["value"]) == ("ratio", "percent", 9.1)
    assert (target["numerator"], target["denominator"], target["reported"], target["expected"]) == (100, 1100, 2, 8)
    assert target["provisional"] is True and target["status_label"].endswith("(tạm tính)")
    assert set(target["units"][0]) == {
        "provisional",
        "code",
        "name",
        "numerator",
        "denominator",
        "value",
        "meets",
        "reported",
        "status",
    }
    missing = next(u for u in target["units"] if u["code"] == "06976")  # submitted, not approved
    assert missing["value"] is None and missing["numerator"] is None
    assert set(data["completeness"][0]) == {"code", "name", "state", "on_time", "timeliness"}
    states = {c["code"]: c["state"] for c in data["completeness"]}
    assert states["06976"] == "submitted" and states["06979"] == "not_started"


def test_json_goes_to_standard_output_without_output(district, capsys):
    call_command("export_report", period="2018-Y", fmt="json")
    data = json.loads(capsys.readouterr().out)
    i02 = next(t for t in data["targets"] if t["indicator"] == "I02")
    # Two communes reported I02, one meets all three parts: 1 of 2, never 1 of 8.
    assert (i02["numerator"], i02["denominator"], i02["value"]) == (1, 2, 50)
    assert (i02["reported"], i02["expected"], i02["provisional"]) == (2, 8, True)
    assert i02["status"] == "on_track"
    i12 = next(t for t in data["targets"] if t["indicator"] == "I12")
    assert (i12["reported"], i12["expected"], i12["provisional"]) == (1, 1, False)


def test_provisional_figures_in_the_pdf_and_the_workbook(district):
    rollup = compute_rollup(period=period("2018-Y"), units=True)
    raw = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=render_pdf(rollup), capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = " ".join(raw.split())  # a cell's lines in reading order, whatever the wrapping
    # I04: 2 of the 8 communes reported.
    assert "9,1% tạm tính, 2/8 đơn vị đã báo cáo 2/8 Chậm (tạm tính)" in text
    assert "tạm tính, 2/8 đơn vị đã báo cáo" in text
    assert "(tạm tính)" in text and "chỉ tiêu có kết quả tạm tính" in text
    assert "số đơn vị đạt / số đơn vị đã báo cáo" in text  # the rule, printed
    workbook = load_workbook(io.BytesIO(render_xlsx(rollup)))
    summary = workbook["Tổng hợp"]
    assert summary["O2"].value == "Ghi chú số liệu"
    rows = {row[1]: row for row in summary.iter_rows(min_row=3, values_only=True)}
    assert rows["I04"][14] == "tạm tính, 2/8 đơn vị đã báo cáo"
    assert rows["I04"][13].endswith("(tạm tính)")
    assert rows["I02"][8:13] == (1, 2, 0.5, 2, 8)  # 1 of the 2 that reported
    assert rows["I12"][14] is None and not rows["I12"][13].endswith("(tạm tính)")  # its one unit reported
    assert rows["I05"][14] is None  # no figure: nothing provisional to say


def test_command_writes_pdf_and_xlsx(district, tmp_path):
    for fmt in ("pdf", "xlsx"):
        output = tmp_path / f"report.{fmt}"
        call_command("export_report", period="2018-Y", fmt=fmt, output=str(output))
        assert output.stat().st_size > 1000
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_unknown_period_is_a_clear_error(units):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có kỳ báo cáo"):
        call_command("export_report", period="1999-Y", fmt="json", output="-")


def test_workbook_formats_headers_and_text_that_looks_like_a_formula(units):
    district = units["BACHE"]
    hostile = Unit.objects.create(
        code="=1+1",
        name='=HYPERLINK("http://evil.invalid","x")',
        kind=UnitKind.COMMUNE,
        reporter_code="xa",
        parent=district,
    )
    Unit.objects.create(code="X2", name="-2+3", kind=UnitKind.COMMUNE, reporter_code="xa", parent=district)
    report(hostile, "2018-Y", {"I04": (1, 3)})
    content = render_xlsx(compute_rollup(period=period("2018-Y"), units=True))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Tổng hợp", "Số liệu đơn vị", "Tình hình nộp", "Theo kỳ"]
    summary = workbook["Tổng hợp"]
    assert summary.freeze_panes == "A3"
    assert summary["B2"].value == "Mã" and summary["B2"].font.bold
    assert summary.column_dimensions["C"].width >= 40
    i04 = next(row for row in summary.iter_rows(min_row=3) if row[1].value == "I04")
    assert i04[10].number_format == "0.0%" and i04[10].value == pytest.approx(1 / 3, abs=1e-3)
    assert i04[5].number_format == "0.0%" and i04[5].value == pytest.approx(0.94)
    units_sheet = workbook["Số liệu đơn vị"]
    assert units_sheet.freeze_panes == "A2"
    cells = [cell for row in units_sheet.iter_rows() for cell in row if cell.value in ("=1+1", "-2+3")]
    cells += [cell for row in units_sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert len(cells) >= 3
    assert all(cell.data_type == "s" for cell in cells)
    # No formula anywhere: read every XML part of the (compressed) package, not its raw bytes.
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        parts = [name for name in package.namelist() if name.endswith(".xml")]
        assert any(name.startswith("xl/worksheets/") for name in parts)
        for name in parts:
            assert b"<f>" not in package.read(name) and b"<f " not in package.read(name), name


def test_pdf_follows_decree_30_and_takes_names_from_settings(district, settings):
    settings.XHHT_ISSUER_PARENT = "UBND XÃ THỬ NGHIỆM"
    settings.XHHT_SIGNER_NAME = "Nguyễn Văn An"
    # Its speed is measured by `manage.py benchmark` (pdf_export_s), not asserted here.
    content = render_pdf(compute_rollup(period=period("2018-Y"), units=True), today=dt.date(2026, 1, 5))
    text = _pdf_text(content)
    for expected in (
        "UBND XÃ THỬ NGHIỆM",
        "BAN CHỈ ĐẠO XÂY DỰNG XHHT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-BCĐ",
        "Ba Chẽ, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Nơi nhận:",
        "- Lưu: VT, GD.",
        "TRƯỞNG BAN",
        "Nguyễn Văn An",
        "TÌNH HÌNH NỘP BÁO CÁO",
    ):
        assert expected in text, expected
    assert re.search(r"Số:\s+/BC-BCĐ", text)  # the number is left blank for the clerk
    pages = text.split("\f")
    assert len(pages) >= 2
    assert not pages[0].strip().startswith("1")  # no number on the first page
    assert pages[1].strip().startswith("2")  # top centre from page 2


def test_pdf_fonts_are_liberation_serif(district, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(compute_rollup(period=period("2018-Y"), units=True)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert families and all(f.startswith("Liberation-Serif") for f in families), families
    assert any("Bold" in f for f in families) and any("Italic" in f for f in families)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (dt.date(2025, 12, 15), "ngày 15 tháng 12 năm 2025"),
    ],
)
def test_date_line_leading_zeros(day, expected):
    assert vietnamese_date_line(day) == f"Ba Chẽ, {expected}"
