"""The report workbook prints: header rows repeated, one page wide, landscape where wide, an
autofilter on every data sheet, rows tall enough for wrapped text, numbers as numbers, no
internal ids. LibreOffice is not installed here, so the print settings are read back from the file.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from reporting.exports.xlsx import LINE_HEIGHT, render_xlsx
from reporting.models import Submission
from reporting.rollup import compute_rollup
from tests.reporting.rollup_data import period, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100), "I02": [True, True, True]})
    report(units["06982"], "2018-Y", {"I04": (10, 1000)})
    return load_workbook(io.BytesIO(render_xlsx(compute_rollup(period=period("2018-Y"), units=True))))


def test_every_sheet_prints_one_page_wide_with_its_header_on_every_page(workbook):
    expected = {
        # sheet: (title rows repeated, orientation, autofilter columns)
        "Tổng hợp": ("$1:$2", "landscape", "A2:O"),
        "Số liệu đơn vị": ("$1:$1", "landscape", "A1:G"),
        "Tình hình nộp": ("$1:$1", "portrait", "A1:E"),
        "Theo kỳ": ("$1:$1", "landscape", "A1:I"),
    }
    assert workbook.sheetnames == list(expected)
    for name, (titles, orientation, columns) in expected.items():
        sheet = workbook[name]
        assert sheet.print_title_rows == titles, name
        assert sheet.page_setup.orientation == orientation, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # One page wide (1 is the OOXML default, so the attribute may be left out), any number tall.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, name
        assert sheet.page_setup.paperSize == 9, name  # A4
        assert sheet.auto_filter.ref == f"{columns}{sheet.max_row}", name
        assert "&P" in sheet.oddFooter.right.text, name  # page numbers


def test_rows_are_tall_enough_for_wrapped_text(workbook):
    summary = workbook["Tổng hợp"]
    width = summary.column_dimensions["C"].width
    checked = 0
    for row in summary.iter_rows(min_row=3):
        name = row[2].value
        height = summary.row_dimensions[row[0].row].height
        assert row[2].alignment.wrap_text
        if len(name) > width * 1.1:  # needs at least two lines
            assert height is not None and height >= 2 * LINE_HEIGHT, (name, height)
            checked += 1
        elif height is not None:
            assert height == LINE_HEIGHT
    assert checked >= 3
    # The header row wraps its longer titles on two lines.
    assert summary.row_dimensions[2].height >= 2 * LINE_HEIGHT


def test_numbers_are_numbers_and_no_internal_id(workbook):
    summary = workbook["Tổng hợp"]
    i04 = next(row for row in summary.iter_rows(min_row=3) if row[1].value == "I04")
    headers = [cell.value for cell in summary[2]]
    assert headers[4:7] == ["So sánh", "Giá trị từ", "Giá trị đến"]
    # The target: a comparator and a number with its format (≥ 94% is 0.94 shown as 94.0%).
    assert i04[4].value == "="
    assert i04[5].data_type == "n" and i04[5].value == pytest.approx(0.94) and i04[5].number_format == "0.0%"
    assert i04[3].data_type == "n" and i04[11].data_type == "n" and i04[12].data_type == "n"
    for row in summary.iter_rows(min_row=3):
        for index in (3, 5, 6, 8, 9, 10, 11, 12):
            assert row[index].value is None or row[index].data_type == "n", (row[1].value, index)

    units = workbook["Số liệu đơn vị"]
    assert [cell.value for cell in units[1]] == [
        "Mã chỉ tiêu",
        "Mã đơn vị",
        "Đơn vị",
        "Tử số",
        "Mẫu số",
        "Giá trị",
        "Đánh giá",
    ]
    ids = {str(pk) for pk in Submission.objects.values_list("pk", flat=True)}
    for sheet in workbook.worksheets:
        assert "Số báo cáo" not in [cell.value for cell in sheet[1]]
    row = next(r for r in units.iter_rows(min_row=2, values_only=True) if r[:2] == ("I04", "06982"))
    assert row[3:6] == (10, 1000, pytest.approx(0.01))
    assert not ids & {str(value) for value in row}
