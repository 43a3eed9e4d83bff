"""The district report as an Excel workbook (openpyxl, write-only so large exports stream)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from reporting.rollup import Rollup
from reporting.states import LATE, TIMELINESS_LABELS
from targets.models import ValueUnit
from xhht_portal.xlsx import is_risky, set_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0.##"
VALUE_FORMAT = "#,##0.0"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7EE")
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet, value, number_format: str | None = None, *, header: bool = False, wrap: bool = False):
    if isinstance(value, Decimal):
        value = float(value)
    if value is None or (not number_format and not header and not wrap and not is_risky(value)):
        # A plain value: openpyxl writes it without a cell object of its own (a national export has
        # two million of them, and the objects were most of its time).
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky(value):
        set_text(cell, value)  # unit names and plan wording: text, never a formula
    if number_format:
        cell.number_format = number_format
    if header:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    elif wrap:
        cell.alignment = WRAP
    return cell


def _scaled(value: Decimal | None, unit: str) -> tuple[Decimal | None, str]:
    """A percentage is stored as a fraction with a % number format; other figures as they are."""
    if value is None:
        return None, VALUE_FORMAT
    if unit == ValueUnit.PERCENT:
        return value / Decimal(100), PERCENT_FORMAT
    return value, VALUE_FORMAT


def _summary_rows(sheet, rollup: Rollup) -> Iterator[list]:
    for block in rollup.sections:
        for row in block.rows:
            unit = row.target.unit
            value, value_format = _scaled(row.value, unit)
            low, low_format = _scaled(row.target.value_min, unit)
            high, _high_format = _scaled(row.target.value_max, unit)
            yield [
                _cell(sheet, block.section.code),
                _cell(sheet, row.indicator.code),
                _cell(sheet, row.indicator.name, wrap=True),
                _cell(sheet, row.target.year),
                _cell(sheet, row.target.display),
                _cell(sheet, low, low_format),
                _cell(sheet, high, low_format),
                _cell(sheet, str(row.target.get_unit_display())),
                _cell(sheet, row.numerator, NUMBER_FORMAT),
                _cell(sheet, row.denominator, NUMBER_FORMAT),
                _cell(sheet, value, value_format),
                _cell(sheet, row.units_reported),
                _cell(sheet, row.units_expected),
                _cell(sheet, row.status_text),
                _cell(sheet, row.provisional_text or None),
            ]


class _ReusedCell:
    """One formatted cell per column, reused for every row.

    A write-only sheet writes each row as it is appended, so the same cell object can carry the
    next row's value: a national export then creates a handful of cell objects, not 750,000.
    """

    def __init__(self, sheet, number_format: str):
        self.cell = WriteOnlyCell(sheet, value=0)
        self.cell.number_format = number_format

    def __call__(self, value):
        if value is None:
            return None
        self.cell.value = float(value) if isinstance(value, Decimal) else value
        return self.cell


def _unit_rows(sheet, rollup: Rollup) -> Iterator[list]:
    """One row per unit and target: streamed into the write-only sheet."""
    labels: dict[tuple, str] = {}  # translated once, not once per unit
    numerator, denominator = _ReusedCell(sheet, NUMBER_FORMAT), _ReusedCell(sheet, NUMBER_FORMAT)
    values = {PERCENT_FORMAT: _ReusedCell(sheet, PERCENT_FORMAT), VALUE_FORMAT: _ReusedCell(sheet, VALUE_FORMAT)}
    for row in rollup.rows:
        for figure in row.units or []:
            if figure.meets is not None:
                value_cell = _cell(sheet, figure.answer_text)
            else:
                value, value_format = _scaled(figure.value, row.target.unit)
                value_cell = values[value_format](value)
            key = (figure.status, figure.exceeded)
            if key not in labels:
                labels[key] = figure.status_text
            yield [
                _cell(sheet, row.indicator.code),
                _cell(sheet, figure.unit.code),
                _cell(sheet, figure.unit.name),
                numerator(figure.numerator),
                denominator(figure.denominator),
                value_cell,
                _cell(sheet, labels[key]),
                _cell(sheet, figure.submission_id),
            ]


def render_xlsx(rollup: Rollup) -> bytes:
    workbook = Workbook(write_only=True)
    period = rollup.period

    summary = workbook.create_sheet(_("Tổng hợp"))
    widths = [7, 7, 60, 7, 12, 9, 9, 12, 12, 12, 11, 11, 11, 22, 34]
    for index, width in enumerate(widths):
        summary.column_dimensions[chr(ord("A") + index)].width = width
    summary.freeze_panes = "A3"
    title = _("Kết quả thực hiện chương trình — %(label)s (chỉ tiêu đến hết năm %(year)s)") % {
        "label": period.label,
        "year": rollup.milestone_year,
    }
    summary.append([_cell(summary, title, header=False)])
    headers = [
        _("Mục"),
        _("Mã"),
        _("Chỉ tiêu"),
        _("Năm"),
        _("Chỉ tiêu (nguyên văn rút gọn)"),
        _("Giá trị từ"),
        _("Giá trị đến"),
        _("Đơn vị tính"),
        _("Tử số"),
        _("Mẫu số"),
        _("Kết quả"),
        _("Đơn vị đã báo cáo"),
        _("Đơn vị phải báo cáo"),
        _("Đánh giá"),
        _("Ghi chú số liệu"),
    ]
    summary.append([_cell(summary, h, header=True) for h in headers])
    for row in _summary_rows(summary, rollup):
        summary.append(row)

    units_sheet = workbook.create_sheet(_("Số liệu đơn vị"))
    for index, width in enumerate([9, 12, 40, 14, 14, 12, 16, 12]):
        units_sheet.column_dimensions[chr(ord("A") + index)].width = width
    units_sheet.freeze_panes = "A2"
    unit_headers = [
        _("Mã chỉ tiêu"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Tử số"),
        _("Mẫu số"),
        _("Giá trị"),
        _("Đánh giá"),
        _("Số báo cáo"),
    ]
    units_sheet.append([_cell(units_sheet, h, header=True) for h in unit_headers])
    for row in _unit_rows(units_sheet, rollup):
        units_sheet.append(row)

    completeness = workbook.create_sheet(_("Tình hình nộp"))
    for index, width in enumerate([12, 40, 20, 18, 14]):
        completeness.column_dimensions[chr(ord("A") + index)].width = width
    completeness.freeze_panes = "A2"
    completeness.append(
        [
            _cell(completeness, h, header=True)
            for h in (_("Mã đơn vị"), _("Đơn vị"), _("Trạng thái"), _("Gửi lúc"), _("Thời hạn"))
        ]
    )
    for entry in rollup.unit_completeness or []:
        sent = timezone.localtime(entry.submitted_at).replace(tzinfo=None) if entry.submitted_at else None
        completeness.append(
            [
                _cell(completeness, entry.unit.code),
                _cell(completeness, entry.unit.name),
                _cell(completeness, entry.state_label),
                _cell(completeness, sent, "dd/mm/yyyy hh:mm"),
                _cell(completeness, entry.timeliness_label),
            ]
        )

    by_period = workbook.create_sheet(_("Theo kỳ"))
    for index, width in enumerate([30, 12, 12, 12, 12, 12, 12, 12, 14]):
        by_period.column_dimensions[chr(ord("A") + index)].width = width
    by_period.freeze_panes = "A2"
    first = rollup.completeness[0] if rollup.completeness else None
    state_headers = [label for _state, label, _n in first.states] if first else []
    late_header = str(TIMELINESS_LABELS[LATE])
    by_period.append(
        [
            _cell(by_period, h, header=True)
            for h in [_("Kỳ báo cáo"), _("Phải báo cáo"), *state_headers, late_header, _("Tỷ lệ nộp đúng hạn")]
        ]
    )
    for entry in rollup.completeness:
        share = entry.share_on_time / Decimal(100) if entry.share_on_time is not None else None
        by_period.append(
            [
                _cell(by_period, entry.period.label),
                _cell(by_period, entry.expected),
                *[_cell(by_period, n) for _state, _label, n in entry.states],
                _cell(by_period, entry.late),
                _cell(by_period, share, PERCENT_FORMAT),
            ]
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
