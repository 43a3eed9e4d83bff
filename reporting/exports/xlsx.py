"""The period report as an Excel workbook that prints: XlsxWriter in constant-memory mode.

Why XlsxWriter rather than openpyxl's write-only mode (docs/PERFORMANCE.md has the figures): on the
national data it writes the 1.9 million cells in about a third of the time with a flat memory
profile (each row goes to disk as soon as the next starts), and it can set what a printed workbook
needs on a streamed sheet: row heights that fit wrapped text, header rows repeated on every page,
fit to the page width, landscape for wide sheets, an autofilter. openpyxl still reads uploaded
workbooks and writes the small templates.

Every figure is a number cell with a number format (percentages as fractions with ``0.0%``), and
text typed by people (unit, indicator and period names) is written with ``write_string``, never
``write``: a name starting with ``=`` stays text, with Excel's quote prefix (``xhht_portal.xlsx``).
No internal ids: units and indicators are identified by their official codes.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reporting.rollup import Rollup
from reporting.states import LATE, TIMELINESS_LABELS
from targets.models import Comparator, ValueUnit
from xhht_portal.xlsx import is_risky

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0.##"
VALUE_FORMAT = "#,##0.0"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

# Printing: A4, fit to the page width, landscape when the columns add up to more than a portrait
# page holds at a readable size (Excel width units, about one character each).
A4 = 9
PORTRAIT_MAX_WIDTH = 100
LINE_HEIGHT = 15  # points per line of 11 pt text
HEADER_FILL = "#DDE7EE"

Progress = Callable[[int, int], None]


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _scaled(value: Decimal | None, unit: str) -> tuple[Decimal | None, str]:
    """A percentage is stored as a fraction with a % number format; other figures as they are."""
    if value is None:
        return None, VALUE_FORMAT
    if unit == ValueUnit.PERCENT:
        return value / Decimal(100), PERCENT_FORMAT
    return value, VALUE_FORMAT


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell of this column width needs (one character ≈ one width unit)."""
    if not text:
        return 1
    per_line = max(1, int(width * 1.1) - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


class _Sheet:
    """One data sheet: columns, a header row, rows streamed in order, set up to print."""

    def __init__(self, book: _Book, name: str, columns: list[tuple[str, float]], *, first_row: int = 0):
        self.book = book
        self.sheet = book.workbook.add_worksheet(name)
        self.widths = [width for _title, width in columns]
        for index, width in enumerate(self.widths):
            self.sheet.set_column(index, index, width)
        self.header_row = first_row
        self.row = first_row
        headers = [title for title, _width in columns]
        self.sheet.set_row(self.row, LINE_HEIGHT * max(_lines(h, w) for h, w in zip(headers, self.widths, strict=True)))
        for col, title in enumerate(headers):
            self.sheet.write_string(self.row, col, title, book.fmt(header=True))
        self.row += 1
        self.sheet.freeze_panes(self.row, 0)
        self.sheet.repeat_rows(0, self.header_row)  # the header (and title) on every printed page
        self.sheet.set_paper(A4)
        self.sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        if sum(self.widths) > PORTRAIT_MAX_WIDTH:
            self.sheet.set_landscape()
        self.sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        self.sheet.hide_gridlines(0)  # print the grid: a table on paper needs its lines
        page = pgettext("footer of a printed page", "Trang")
        self.sheet.set_footer(f"&L&A&R{page} &P/&N")  # the sheet's name left, "Trang 2/7" right

    def text(self, col: int, value: str | None, *, wrap: bool = False) -> None:
        if value is None or value == "":
            return
        value = str(value)
        self.sheet.write_string(self.row, col, value, self.book.fmt(wrap=wrap, quote=is_risky(value)))

    def number(self, col: int, value, number_format: str | None = None) -> None:
        if value is None:
            return
        self.sheet.write_number(self.row, col, _number(value), self.book.fmt(num=number_format))

    def height(self, *wrapped: tuple[int, str]) -> None:
        """Before writing a row: make it as tall as its longest wrapped text (given as (column, text))."""
        lines = max((_lines(text, self.widths[col]) for col, text in wrapped if text), default=1)
        if lines > 1:
            self.sheet.set_row(self.row, LINE_HEIGHT * lines)

    def next(self) -> None:
        self.row += 1

    def finish(self) -> None:
        """An autofilter over the header and every data row."""
        last = max(self.row - 1, self.header_row)
        self.sheet.autofilter(self.header_row, 0, last, len(self.widths) - 1)


class _Book:
    def __init__(self, stream: BinaryIO):
        # constant_memory: each row is flushed to a temporary file when the next one starts.
        self.workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "strings_to_formulas": False})
        self._formats: dict[tuple, object] = {}

    def fmt(self, *, header: bool = False, wrap: bool = False, quote: bool = False, num: str | None = None):
        key = (header, wrap, quote, num)
        if key not in self._formats:
            props: dict = {"valign": "top"}
            if header:
                props.update(bold=True, bg_color=HEADER_FILL, text_wrap=True, border=1)
            if wrap:
                props["text_wrap"] = True
            if quote:
                props["quote_prefix"] = True  # Excel keeps it text even when the cell is edited
            if num:
                props["num_format"] = num
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]


def _comparator_symbol(comparator: str) -> str:
    return {Comparator.EQ: "=", Comparator.GTE: "≥", Comparator.GT: ">", Comparator.RANGE: _("từ … đến")}[
        Comparator(comparator)
    ]


def _summary(book: _Book, rollup: Rollup) -> None:
    period = rollup.period
    columns = [
        (_("Mục"), 6),
        (_("Mã"), 6),
        (_("Chỉ tiêu"), 50),
        (_("Năm"), 6),
        (_("So sánh"), 8),
        (_("Giá trị từ"), 9),
        (_("Giá trị đến"), 9),
        (_("Đơn vị tính"), 10),
        (_("Tử số"), 11),
        (_("Mẫu số"), 11),
        (_("Kết quả"), 9),
        (_("Đơn vị đã báo cáo"), 10),
        (_("Đơn vị phải báo cáo"), 10),
        (_("Đánh giá"), 16),
        (_("Ghi chú số liệu"), 30),
    ]
    sheet = _Sheet(book, _("Tổng hợp"), columns, first_row=1)
    title = _("Kết quả thực hiện chương trình — %(label)s (chỉ tiêu đến hết năm %(year)s)") % {
        "label": period.display_label,
        "year": rollup.milestone_year,
    }
    sheet.sheet.write_string(0, 0, title, book.workbook.add_format({"bold": True, "font_size": 13}))
    for block in rollup.sections:
        for row in block.rows:
            unit = row.target.unit
            value, value_format = _scaled(row.value, unit)
            low, low_format = _scaled(row.target.value_min, unit)
            high, _high_format = _scaled(row.target.value_max, unit)
            sheet.height((2, row.indicator.name), (14, row.provisional_text))
            sheet.text(0, block.section.code)
            sheet.text(1, row.indicator.code)
            sheet.text(2, row.indicator.name, wrap=True)
            sheet.number(3, row.target.year)
            sheet.text(4, _comparator_symbol(row.target.comparator))
            sheet.number(5, low, low_format)
            if row.target.comparator == Comparator.RANGE:
                sheet.number(6, high, low_format)
            sheet.text(7, str(row.target.get_unit_display()))
            sheet.number(8, row.numerator, NUMBER_FORMAT)
            sheet.number(9, row.denominator, NUMBER_FORMAT)
            sheet.number(10, value, value_format)
            sheet.number(11, row.units_reported)
            sheet.number(12, row.units_expected)
            sheet.text(13, row.status_text)
            sheet.text(14, row.provisional_text or None, wrap=True)
            sheet.next()
    sheet.finish()


UNITS_COLUMNS = "ABCDEFG"


def _units(book: _Book, rollup: Rollup) -> _UnitRows:
    """One row per unit and target: the bulk of a national workbook (250,000 rows, 1.7 million cells).

    XlsxWriter writes the sheet with its header, print settings and an autofilter over the rows to
    come; the rows themselves are streamed into the sheet's XML afterwards by ``_UnitRows``
    (see ``write_xlsx``), at a tenth of the cost of a ``write_*`` call per cell.
    """
    columns = [
        (_("Mã chỉ tiêu"), 9),
        (_("Mã đơn vị"), 12),
        (_("Đơn vị"), 36),
        (_("Tử số"), 13),
        (_("Mẫu số"), 13),
        (_("Giá trị"), 11),
        (_("Đánh giá"), 15),
    ]
    sheet = _Sheet(book, _("Số liệu đơn vị"), columns)
    count = sum(len(row.units or []) for row in rollup.rows)
    sheet.row += count
    sheet.finish()
    return _UnitRows(book, sheet, rollup)


def _xml_text(text: str) -> str:
    text = _CONTROL.sub("", str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<t xml:space="preserve">{text}</t>' if text[:1].isspace() or text[-1:].isspace() else f"<t>{text}</t>"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Stands for the row number in a unit's prebuilt cells: a control character, which _xml_text
# removes from every text, so no unit name can contain it.
ROW = "\x00"


class _UnitRows:
    """The unit sheet's rows as SpreadsheetML, written straight into the package.

    Each unit's code and name cells are built once and reused for every target (13,400 units ×
    28 targets). Styles are XlsxWriter's own formats (their ``xf`` index), so the cells look the
    same as the rest of the workbook; text stays text (inline strings, quote prefix when it looks
    like a formula), figures are numbers.
    """

    def __init__(self, book: _Book, sheet: _Sheet, rollup: Rollup):
        self.sheet, self.rollup = sheet, rollup
        self.part = f"xl/worksheets/sheet{sheet.sheet.index + 1}.xml"
        self.rows = sheet.row  # the last row (1-based): the header and one per unit and target
        # _get_xf_index: the index XlsxWriter gives the format in styles.xml (and marks it used).
        xf = {key: book.fmt(**kwargs)._get_xf_index() for key, kwargs in {
            "plain": {}, "wrap": {"wrap": True}, "quote": {"quote": True}, "wrap_quote": {"wrap": True, "quote": True},
            "number": {"num": NUMBER_FORMAT}, PERCENT_FORMAT: {"num": PERCENT_FORMAT}, VALUE_FORMAT: {"num": VALUE_FORMAT},
        }.items()}  # fmt: skip
        self.xf = xf
        self.name_width = sheet.widths[2]

    def _text_cell(self, column: str, text: str, *, wrap: bool = False) -> str:
        style = ("wrap_" if wrap else "") + ("quote" if is_risky(text) else "plain")
        style = {"wrap_plain": "wrap"}.get(style, style)
        return f'<c r="{column}{ROW}" s="{self.xf[style]}" t="inlineStr"><is>{_xml_text(text)}</is></c>'

    def chunks(self, progress: Progress) -> Iterator[bytes]:
        """The <row> elements from row 2 on, a target at a time."""
        unit_cells: dict[int, tuple[str, str]] = {}  # unit pk → (row attributes, code and name cells)
        labels: dict[tuple, str] = {}
        number, plain, values = (
            self.xf["number"],
            self.xf["plain"],
            {f: self.xf[f] for f in (PERCENT_FORMAT, VALUE_FORMAT)},
        )
        r = 2
        rows = self.rollup.rows
        for done, row in enumerate(rows, start=1):
            code = self._text_cell("A", row.indicator.code)
            lines = []
            for figure in row.units or []:
                unit = figure.unit
                cells = unit_cells.get(unit.pk)
                if cells is None:
                    long_name = len(unit.name) > self.name_width
                    height = (
                        f' ht="{LINE_HEIGHT * _lines(unit.name, self.name_width)}" customHeight="1"'
                        if long_name
                        else ""
                    )
                    cells = (height, self._text_cell("B", unit.code) + self._text_cell("C", unit.name, wrap=long_name))
                    unit_cells[unit.pk] = cells
                parts = [f'<row r="{r}"{cells[0]}>', code, cells[1]]
                if figure.numerator is not None:
                    parts.append(f'<c r="D{r}" s="{number}"><v>{figure.numerator}</v></c>')
                if figure.denominator is not None:
                    parts.append(f'<c r="E{r}" s="{number}"><v>{figure.denominator}</v></c>')
                if figure.meets is not None:
                    parts.append(f'<c r="F{r}" s="{plain}" t="inlineStr"><is><t>{figure.answer_text}</t></is></c>')
                elif figure.value is not None:
                    value, value_format = _scaled(figure.value, row.target.unit)
                    parts.append(f'<c r="F{r}" s="{values[value_format]}"><v>{value}</v></c>')
                key = (figure.status, figure.exceeded, figure.provisional)
                if key not in labels:
                    labels[key] = _xml_text(figure.status_text)
                parts.append(f'<c r="G{r}" s="{plain}" t="inlineStr"><is>{labels[key]}</is></c></row>')
                lines.append("".join(parts).replace(ROW, str(r)))
                r += 1
            yield "".join(lines).encode("utf-8")
            progress(done, len(rows) + 2)
        assert r - 1 == self.rows, (r, self.rows)


def _completeness(book: _Book, rollup: Rollup) -> None:
    columns = [(_("Mã đơn vị"), 11), (_("Đơn vị"), 36), (_("Trạng thái"), 18), (_("Gửi lúc"), 16), (_("Thời hạn"), 13)]
    sheet = _Sheet(book, _("Tình hình nộp"), columns)
    datetime_format = book.fmt(num=DATETIME_FORMAT)
    for entry in rollup.unit_completeness or []:
        sheet.height((1, entry.unit.name))
        sheet.text(0, entry.unit.code)
        sheet.text(1, entry.unit.name, wrap=len(entry.unit.name) > 36)
        sheet.text(2, entry.state_label)
        if entry.submitted_at:
            sent = timezone.localtime(entry.submitted_at).replace(tzinfo=None)
            sheet.sheet.write_datetime(sheet.row, 3, sent, datetime_format)
        sheet.text(4, entry.timeliness_label)
        sheet.next()
    sheet.finish()


def _by_period(book: _Book, rollup: Rollup) -> None:
    first = rollup.completeness[0] if rollup.completeness else None
    state_headers = [label for _state, label, _n in first.states] if first else []
    columns = [
        (_("Kỳ báo cáo"), 28),
        (_("Phải báo cáo"), 11),
        *[(label, 11) for label in state_headers],
        (str(TIMELINESS_LABELS[LATE]), 10),
        (_("Tỷ lệ nộp đúng hạn"), 12),
    ]
    sheet = _Sheet(book, _("Theo kỳ"), columns)
    for entry in rollup.completeness:
        share = entry.share_on_time / Decimal(100) if entry.share_on_time is not None else None
        sheet.text(0, entry.period.display_label)
        sheet.number(1, entry.expected)
        for offset, (_state, _label, n) in enumerate(entry.states):
            sheet.number(2 + offset, n)
        sheet.number(2 + len(entry.states), entry.late)
        sheet.number(3 + len(entry.states), share, PERCENT_FORMAT)
        sheet.next()
    sheet.finish()


def _narrative(book: _Book, rollup: Rollup) -> None:
    """The report's text as issued (or the draft), paragraph by paragraph: the same document as the PDF."""
    from reporting.exports.narrative import narrative_document, narrative_rows

    document = narrative_document(rollup)
    if document is None:
        return
    sheet = _Sheet(book, _("Thuyết minh"), [(_("Mục"), 30), (_("Nội dung"), 95)])
    for heading, text in narrative_rows(document):
        text = text[:32000]  # a cell holds at most 32,767 characters
        sheet.height((0, heading), (1, text))
        sheet.text(0, heading, wrap=True)
        sheet.text(1, text, wrap=True)
        sheet.next()
    sheet.finish()


def write_xlsx(rollup: Rollup, stream: BinaryIO, *, progress: Progress | None = None) -> None:
    """Write the workbook to ``stream`` (a file or BytesIO), reporting progress per target.

    XlsxWriter makes the package (styles, print settings, the small sheets) in memory; it is then
    copied to ``stream`` with the unit sheet's rows streamed into its ``<sheetData>``.
    """
    progress = progress or (lambda done, total: None)
    package = io.BytesIO()
    book = _Book(package)
    _summary(book, rollup)
    unit_rows = _units(book, rollup)
    _completeness(book, rollup)
    _by_period(book, rollup)
    _narrative(book, rollup)
    book.workbook.close()
    with (
        zipfile.ZipFile(package) as source,
        zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename != unit_rows.part:
                target.writestr(info, content)
                continue
            xml = content.decode("utf-8")
            xml = re.sub(
                r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{UNITS_COLUMNS[-1]}{unit_rows.rows}"/>', xml, count=1
            )
            head, tail = xml.split("</sheetData>", 1)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                for chunk in unit_rows.chunks(progress):
                    part.write(chunk)
                part.write(("</sheetData>" + tail).encode("utf-8"))


def render_xlsx(rollup: Rollup) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rollup, buffer)
    return buffer.getvalue()
