"""Village lists for the village meeting (bình xét): the nominees of one village with blank score
columns and signature lines, as a printable PDF and a workbook that prints.

One context (:func:`village_list`) behind both files, so they carry the same rows and columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from recognition.models import CriteriaSet, NominationState, Register, Scoring
from targets.numbers import format_number
from units.models import Unit
from xhht_portal.xlsx import set_text, workbook_bytes


@dataclass
class VillageList:
    register: Register
    village: Unit
    criteria_set: CriteriaSet | None
    # (header, sub-header such as "tối đa 10 điểm") of each blank score column, in order.
    score_columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def issuer_parent(self) -> str:
        return f"UBND {self.register.commune.name}".upper()

    @property
    def filename_stem(self) -> str:
        return f"binh-xet-{self.register.title_id}-{self.register.year}-{self.village.code}".lower()


def village_nominations(register: Register, village: Unit):
    """The village's nominees still in the register (a withdrawn one is not put to the meeting)."""
    from recognition.views import nominee_order

    return (
        register.nominations.filter(village=village)
        .exclude(state=NominationState.WITHDRAWN)
        .select_related("village")
        .order_by(*nominee_order())
    )


def village_list(register: Register, village: Unit) -> VillageList:
    criteria_set = CriteriaSet.objects.in_force(register.title, register.year)
    result = VillageList(register=register, village=village, criteria_set=criteria_set)
    if criteria_set is not None:
        for criterion in criteria_set.criteria.all():
            if criteria_set.scoring == Scoring.PASS_FAIL:
                sub = _("Đạt / chưa đạt")
            elif criterion.max_points is not None:
                sub = _("tối đa %(max)s điểm") % {"max": format_number(criterion.max_points, 0)}
            else:
                sub = ""
            result.score_columns.append((f"{_('Tiêu chí')} {criterion.number}", sub))
    result.rows = [
        {"number": index, "name": n.name, "note": n.note}
        for index, n in enumerate(village_nominations(register, village), start=1)
    ]
    return result


def _total_header(listing: VillageList) -> tuple[str, str]:
    criteria_set = listing.criteria_set
    if criteria_set is None or criteria_set.scoring == Scoring.PASS_FAIL:
        return _("Tổng điểm"), ""
    total = criteria_set.max_total
    if total is None:
        points = [c.max_points for c in criteria_set.criteria.all()]
        total = sum(points) if points and None not in points else None
    return _("Tổng điểm"), (_("tối đa %(max)s điểm") % {"max": format_number(total, 0)}) if total else ""


def _context(listing: VillageList) -> dict:
    return {
        "list": listing,
        "register": listing.register,
        "village": listing.village,
        "title": listing.register.get_title_display(),
        "total_header": _total_header(listing),
    }


def village_list_pdf(listing: VillageList) -> bytes:
    """A4 landscape; the table's head repeats on every page."""
    from weasyprint import HTML

    from recognition.certificates import _fetcher

    with translation.override("vi"):
        html = render_to_string("recognition/village_list_pdf.html", _context(listing))
    return HTML(string=html, base_url="file:///portal/", url_fetcher=_fetcher()).write_pdf()


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def village_list_xlsx(listing: VillageList) -> bytes:
    """One sheet: header, the table (blank score cells), signature lines; prints landscape, fit to
    width, the table's header row repeated on every page. Names go in through ``set_text``."""
    with translation.override("vi"):
        return _xlsx(listing)


def _xlsx(listing: VillageList) -> bytes:
    register, village = listing.register, listing.village
    book = Workbook()
    sheet = book.active
    sheet.title = _("Bình xét")
    total_header = _total_header(listing)
    headers = [
        (_("STT"), ""),
        (register.nominee_label, ""),
        *listing.score_columns,
        total_header,
        (_("Đạt/Chưa đạt"), ""),
        (_("Ghi chú"), ""),
    ]
    width = len(headers)
    last = get_column_letter(width)
    bold = Font(bold=True)

    def line(row: int, text: str, *, font=None, align="center") -> None:
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = set_text(sheet.cell(row=row, column=1), text)
        cell.font = font or Font()
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)

    line(1, f"{listing.issuer_parent} — {_('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')}", font=bold)
    line(2, f"{village.name.upper()} — {_('Độc lập - Tự do - Hạnh phúc')}", font=bold)
    line(4, _("DANH SÁCH BÌNH XÉT"), font=Font(bold=True, size=14))
    line(
        5,
        _("Danh hiệu “%(title)s” năm %(year)s") % {"title": register.get_title_display(), "year": register.year},
        font=bold,
    )
    line(6, f"{village.name}, {register.commune.name}")
    header_row = 8
    for column, (head, sub) in enumerate(headers, start=1):
        cell = set_text(sheet.cell(row=header_row, column=column), f"{head}\n({sub})" if sub else head)
        cell.font, cell.alignment, cell.border = bold, CENTER, BOX
    sheet.row_dimensions[header_row].height = 45
    row = header_row
    for entry in listing.rows:
        row += 1
        values = [entry["number"], entry["name"]] + [None] * (width - 3) + [entry["note"]]
        for column, value in enumerate(values, start=1):
            cell = set_text(sheet.cell(row=row, column=column), value)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if column == 1 else None)
        sheet.row_dimensions[row].height = 24
    row += 2
    set_text(sheet.cell(row=row, column=width - 3), _("…, ngày … tháng … năm …")).font = Font(italic=True)
    row += 1
    for column, label in ((2, _("NGƯỜI LẬP BIỂU / THƯ KÝ")), (width - 3, _("TRƯỞNG THÔN"))):
        set_text(sheet.cell(row=row, column=column), label).font = bold
        set_text(sheet.cell(row=row + 1, column=column), _("(Ký, ghi rõ họ tên)")).font = Font(italic=True)

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 30
    for column in range(3, width - 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.column_dimensions[get_column_letter(width - 1)].width = 12
    sheet.column_dimensions[last].width = 24

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return workbook_bytes(book)
