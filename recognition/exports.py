"""The list of recognised entities as an Excel workbook; text is always written as text."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xhht_portal.xlsx import text_cell


def _text_cell(sheet, value, bold: bool = False):
    # Names starting with = + - @ stay text, never formulas (spreadsheet injection).
    return text_cell(sheet, value, font=Font(bold=True) if bold else None)


def recognised_workbook(rows) -> bytes:
    """rows: nominations with register, title, commune, village and decision loaded."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Được công nhận"))
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 20
    sheet.column_dimensions["D"].width = 20
    sheet.column_dimensions["E"].width = 22
    sheet.column_dimensions["G"].width = 18
    headers = [
        _("STT"),
        _("Tên"),
        _("Thôn, bản, khu"),
        _("Xã, thị trấn"),
        _("Danh hiệu"),
        _("Năm"),
        _("Quyết định số"),
        _("Ngày quyết định"),
        _("Tổng điểm"),
    ]
    sheet.append([_text_cell(sheet, h, bold=True) for h in headers])
    for number, n in enumerate(rows, start=1):
        date_cell = WriteOnlyCell(sheet, value=n.decision.date)
        date_cell.number_format = "DD/MM/YYYY"
        title = n.register.title.name
        sheet.append(
            [
                number,
                _text_cell(sheet, n.name),
                _text_cell(sheet, n.village.name if n.village else ""),
                _text_cell(sheet, n.register.commune.name),
                _text_cell(sheet, title),
                n.register.year,
                _text_cell(sheet, n.decision.number),
                date_cell,
                float(n.total_points) if n.total_points is not None else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
