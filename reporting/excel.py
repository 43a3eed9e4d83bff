"""The offline report: an Excel template to download, fill in without a connection, and upload.

Every data row carries a hidden key (column A: ``I04.num``, ``I02.flag.1``, ``text.task_1``) and a
hidden sheet carries the unit and period codes, so a renamed sheet or reordered rows cannot put
a number in the wrong place, and a template of another unit is refused. Formulas are never
computed: a cell holding one is an error. Macro-enabled files, non-spreadsheets, corrupt zips and
oversized files are refused before openpyxl sees them.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reporting.models import NARRATIVE_FIELDS, Period
from reporting.services import (
    NARRATIVE_KEYS,
    SubmissionError,
    ValueInput,
    indicators_for,
    previous_submission,
    stored_bases,
    stored_inputs,
)
from targets.models import Entry, Indicator, base_figures
from targets.numbers import parse_number
from units.models import Unit
from xhht_portal.workbook_limits import Limits, WorkbookTooLarge, check_workbook_shape
from xhht_portal.xlsx import set_text, workbook_bytes

META_MARK = "xhht-report-template"
COLUMNS_MARK = "xhht-columns"
META_SHEET = "_xhht"
FORMAT_VERSION = "1"
KEY_COLUMN, CODE_COLUMN, NAME_COLUMN, PART_COLUMN, LAST_COLUMN, VALUE_COLUMN = 1, 2, 3, 4, 5, 6
VALUE_LETTER = get_column_letter(VALUE_COLUMN)
KEY_RE = re.compile(r"^(?P<code>[A-Za-z0-9_-]+)\.(?P<part>num|den|flag\.(?P<index>\d+))$")
TEXT_RE = re.compile(r"^text\.(?P<key>[a-z0-9_]+)$")
BASE_RE = re.compile(r"^base\.(?P<key>[a-z0-9_-]+)$")
YES = {"có", "co", "đạt", "dat", "x", "yes", "y", "1", "true"}
NO = {"không", "khong", "chưa đạt", "chua dat", "no", "n", "0", "false"}
MAX_TEXT = 20000
# A filled-in template inflates to well under 1 MB; more than this is refused before openpyxl
# builds it in memory (zip bombs, sheets padded with a million rows).
MAX_UNCOMPRESSED = 30 * 1024 * 1024


class ExcelImportError(SubmissionError):
    """The whole file is refused; ``errors`` lists (sheet, row, column, message)."""


@dataclass
class ParsedTemplate:
    values: dict[str, ValueInput] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    bases: dict[str, Decimal | None] = field(default_factory=dict)
    version: int = 0


def _flag_text(flag) -> str:
    if flag is None:
        return ""
    return _("Có") if flag else _("Không")


def _count(value: Decimal | None):
    return None if value is None else int(value)


def template_rows(indicator: Indicator) -> list[tuple[str, str]]:
    """(key, what to type) for each cell a unit fills in for this indicator."""
    # A denominator that is a base figure is typed once, in the base figures at the top.
    if indicator.entry == Entry.FRACTION:
        rows = [(f"{indicator.code}.num", indicator.numerator_label or _("Tử số"))]
        if not indicator.base:
            rows.append((f"{indicator.code}.den", indicator.denominator_label or _("Mẫu số")))
        return rows
    if indicator.entry == Entry.NUMBER:
        return [(f"{indicator.code}.num", indicator.numerator_label or _("Số lượng"))]
    if indicator.entry == Entry.TOTAL:
        return [] if indicator.base else [(f"{indicator.code}.den", indicator.denominator_label or _("Tổng số"))]
    return [(f"{indicator.code}.flag.{i}", f"{answer} ({_('Có/Không')})") for i, answer in enumerate(indicator.answers)]


def _part_value(value: ValueInput | None, key: str):
    if value is None:
        return None
    part = key.split(".", 1)[1]
    if part == "num":
        return _count(value.numerator)
    if part == "den":
        return _count(value.denominator)
    index = int(part.split(".")[1])
    flags = value.flags or []
    return _flag_text(flags[index]) if index < len(flags) else ""


def build_template(*, unit: Unit, period: Period) -> bytes:
    """The template pre-filled with the unit, the period, its indicators, last period's and current figures."""
    from reporting.models import Submission

    indicators = indicators_for(unit, period)
    submission = Submission.objects.filter(unit=unit, period=period).first()
    current = stored_inputs(submission) if submission else {}
    previous = previous_submission(unit, period)
    last = stored_inputs(previous) if previous else {}
    narrative = {key: getattr(submission, key) for key in NARRATIVE_KEYS} if submission else {}

    book = Workbook()
    sheet = book.active
    sheet.title = _("Báo cáo")
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    group_fill = PatternFill("solid", fgColor="E8F0F6")
    input_fill = PatternFill("solid", fgColor="FFF8DC")
    wrap = Alignment(wrap_text=True, vertical="top")

    sheet["B1"] = _("BÁO CÁO %(period)s") % {"period": period.display_label.upper()}
    sheet["B1"].font = Font(bold=True, size=14)
    sheet["B2"] = _("Đơn vị: %(unit)s (mã %(code)s)") % {"unit": unit.name, "code": unit.code}
    sheet["B3"] = _("Số liệu từ %(start)s đến %(end)s · hạn nộp %(due)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
        "due": (submission.deadline if submission else period.due).strftime("%d/%m/%Y"),
    }
    sheet["B4"] = _(
        "Chỉ nhập vào cột F (ô nền vàng): số nguyên (số người, số đơn vị…), không nhập tỷ lệ %; câu hỏi "
        "đạt/không đạt ghi Có hoặc Không. Không dùng công thức, không thêm hoặc xóa cột."
    )
    sheet["B4"].alignment = Alignment(wrap_text=True)
    sheet.merge_cells("B4:F4")
    sheet.row_dimensions[4].height = 45
    # A hidden row marks the columns, so that a column inserted or deleted by hand is noticed
    # instead of shifting last period's figures into this period's.
    sheet.cell(row=5, column=KEY_COLUMN, value=COLUMNS_MARK)
    sheet.cell(row=5, column=LAST_COLUMN, value="last")
    sheet.cell(row=5, column=VALUE_COLUMN, value="value")
    sheet.row_dimensions[5].hidden = True
    last_label = _("Kỳ trước (%s)") % previous.period.display_label if previous else _("Kỳ trước")
    headers = ["key", _("Mã"), _("Chỉ tiêu"), _("Nội dung cần nhập"), last_label, _("Số liệu kỳ này")]
    header_row = 6
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font, cell.border, cell.alignment = bold, box, wrap
    row = header_row + 1
    figures = base_figures(indicators)
    if figures:
        current_bases = stored_bases(submission)
        last_bases = stored_bases(previous)
        cell = sheet.cell(row=row, column=CODE_COLUMN, value=_("Số liệu nền của đơn vị (nhập một lần)"))
        cell.font = bold
        for column in range(CODE_COLUMN, VALUE_COLUMN + 1):
            sheet.cell(row=row, column=column).fill = group_fill
        row += 1
        for key, label, using in figures:
            sheet.cell(row=row, column=KEY_COLUMN, value=f"base.{key}")
            sheet.cell(row=row, column=CODE_COLUMN, value=", ".join(i.code for i in using))
            sheet.cell(row=row, column=NAME_COLUMN, value=label).alignment = wrap
            sheet.cell(row=row, column=PART_COLUMN, value=_("Mẫu số chung của các chỉ tiêu bên trái")).alignment = wrap
            sheet.cell(row=row, column=LAST_COLUMN, value=_count(last_bases.get(key)))
            cell = sheet.cell(row=row, column=VALUE_COLUMN, value=_count(current_bases.get(key)))
            cell.fill = input_fill
            for column in range(CODE_COLUMN, VALUE_COLUMN + 1):
                sheet.cell(row=row, column=column).border = box
            row += 1
    topic = None
    for indicator in indicators:
        if indicator.topic != topic:
            topic = indicator.topic
            cell = sheet.cell(row=row, column=CODE_COLUMN, value=topic)
            cell.font = bold
            for column in range(CODE_COLUMN, VALUE_COLUMN + 1):
                sheet.cell(row=row, column=column).fill = group_fill
            row += 1
        for key, label in template_rows(indicator):
            sheet.cell(row=row, column=KEY_COLUMN, value=key)
            sheet.cell(row=row, column=CODE_COLUMN, value=indicator.code)
            sheet.cell(row=row, column=NAME_COLUMN, value=indicator.name).alignment = wrap
            sheet.cell(row=row, column=PART_COLUMN, value=label).alignment = wrap
            sheet.cell(row=row, column=LAST_COLUMN, value=_part_value(last.get(indicator.code), key))
            cell = sheet.cell(row=row, column=VALUE_COLUMN, value=_part_value(current.get(indicator.code), key))
            cell.fill = input_fill
            for column in range(CODE_COLUMN, VALUE_COLUMN + 1):
                sheet.cell(row=row, column=column).border = box
            row += 1
    row += 1
    sheet.cell(row=row, column=CODE_COLUMN, value=_("Phần thuyết minh")).font = bold
    row += 1
    for key, label in NARRATIVE_FIELDS:
        sheet.cell(row=row, column=KEY_COLUMN, value=f"text.{key}")
        sheet.cell(row=row, column=NAME_COLUMN, value=str(label)).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=NAME_COLUMN, end_row=row, end_column=LAST_COLUMN)
        # Narrative is people's text: "=1+1" or "-2+3" stays text, never a live formula.
        cell = set_text(sheet.cell(row=row, column=VALUE_COLUMN), narrative.get(key) or None)
        cell.fill, cell.alignment, cell.border = input_fill, wrap, box
        sheet.row_dimensions[row].height = 60
        row += 1
    sheet.column_dimensions["A"].hidden = True
    for letter, width in {"B": 8, "C": 48, "D": 40, "E": 16, "F": 40}.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=CODE_COLUMN)

    meta = book.create_sheet(META_SHEET)
    for index, (name, value) in enumerate(
        [
            (META_MARK, FORMAT_VERSION),
            ("unit", unit.code),
            ("period", period.code),
            ("version", submission.version if submission else 0),
        ],
        start=1,
    ):
        meta.cell(row=index, column=1, value=name)
        meta.cell(row=index, column=2, value=str(value))
    meta.sheet_state = "hidden"
    # Unit, plan and narrative text: every formula-looking string is saved as text.
    return workbook_bytes(book)


# ---------------------------------------------------------------- reading


def _refuse(message: str) -> ExcelImportError:
    return ExcelImportError(message, errors=[])


def report_limits() -> Limits:
    return Limits.for_kind("report", _("mẫu báo cáo"))


def check_upload(*, data: bytes, filename: str, limits: Limits | None = None) -> None:
    """Refuse what must never reach openpyxl: too big, not .xlsx, macros, not a zip, corrupt, zip bombs,
    and workbooks denser or longer than ``limits`` (a report template's unless told otherwise)."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise _refuse(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {
                "size": f"{len(data) / 1048576:.1f}".replace(".", ","),
                "limit": f"{limit / 1048576:g}".replace(".", ","),
            }
        )
    name = (filename or "").lower()
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise _refuse(_("Tệp có macro (.xlsm) không được nhận. Hãy dùng mẫu .xlsx tải từ cổng."))
    if not name.endswith(".xlsx"):
        raise _refuse(_("Tệp không phải bảng tính Excel .xlsx. Hãy dùng mẫu tải từ cổng."))
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(_("Tệp không phải bảng tính Excel .xlsx hợp lệ (không đọc được)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename.lower() for info in infos]
            if any(n.endswith("vbaproject.bin") for n in names):
                raise _refuse(_("Tệp có macro (VBA) không được nhận. Hãy dùng mẫu .xlsx tải từ cổng."))
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
                raise _refuse(_("Tệp giải nén ra quá lớn; không nhận."))
            content_types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
            if b"macroEnabled" in content_types:
                raise _refuse(_("Tệp có macro không được nhận. Hãy dùng mẫu .xlsx tải từ cổng."))
            # Rows, cells, dimension and inflated XML counted before openpyxl parses anything.
            try:
                check_workbook_shape(archive, limits or report_limits())
            except WorkbookTooLarge as exc:
                raise _refuse(exc.message) from None
            if archive.testzip() is not None:
                raise _refuse(_("Tệp bị hỏng (dữ liệu nén không toàn vẹn)."))
    except ExcelImportError:
        raise
    # zlib.error: a damaged deflate stream, which testzip() and read() let through.
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, RuntimeError, ValueError):
        raise _refuse(_("Tệp bị hỏng, không đọc được.")) from None


def _location(sheet, row: int, column: int) -> str:
    return _("Trang “%(sheet)s”, dòng %(row)s, cột %(column)s") % {
        "sheet": sheet.title,
        "row": row,
        "column": get_column_letter(column),
    }


def _read_count(raw) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(_("Cần một số nguyên không âm, không phải Đúng/Sai."))
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    elif isinstance(raw, str):
        if "%" in raw:
            raise ValueError(_("không nhập tỷ lệ %; hãy nhập số người, số đơn vị."))
        try:
            number = parse_number(raw)
        except ValueError:
            raise ValueError(_("“%s” không phải là số.") % raw[:40]) from None
    else:
        raise ValueError(_("Cần một số nguyên không âm (ô đang chứa ngày tháng hoặc giá trị khác)."))
    if number < 0:
        raise ValueError(_("Số liệu không được âm."))
    if number > Decimal("9999999999999"):
        raise ValueError(_("Số quá lớn."))
    if number != number.to_integral():
        raise ValueError(_("Cần một số nguyên (số người, số đơn vị…), không nhập số lẻ hay tỷ lệ %."))
    if number > Decimal("9999999999999"):
        raise ValueError(_("Số quá lớn."))
    return number.quantize(Decimal(1))


def _read_flag(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = unicodedata.normalize("NFC", str(raw)).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("Ghi “Có” hoặc “Không”."))


def _value_column(sheet, max_columns: int) -> int | None:
    """The column of this period's figures, found through the hidden column-marker row."""
    for row in sheet.iter_rows(min_row=1, max_row=50, max_col=max_columns, values_only=True):
        if row and row[0] == COLUMNS_MARK:
            marked = [index for index, value in enumerate(row, start=1) if value == "value"]
            return marked[0] if len(marked) == 1 else None
    return None


def _first_rows(sheet, rows: int, columns: int) -> list[tuple]:
    """The values of the top-left corner of a sheet (read-only sheets stream; this stops early)."""
    return [tuple(row) for row in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True)]


def read_template(
    *, data: bytes, filename: str, unit: Unit, period: Period, indicators: list[Indicator]
) -> ParsedTemplate:
    """Parse a filled-in template, or raise ExcelImportError listing every problem by sheet, row and column."""
    limits = report_limits()
    check_upload(data=data, filename=filename, limits=limits)
    try:
        # Read-only: rows stream from the zip, no cell objects kept (the shape was bounded above).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; every one means "unreadable"
        raise _refuse(_("Tệp bị hỏng hoặc không phải bảng tính Excel, không đọc được.")) from None
    try:
        return _read_book(book, unit=unit, period=period, indicators=indicators, limits=limits)
    except ExcelImportError:
        raise
    except Exception:  # a damaged sheet part inside a valid zip, met while streaming its rows
        raise _refuse(_("Tệp bị hỏng hoặc không phải bảng tính Excel, không đọc được.")) from None
    finally:
        book.close()


def _read_book(book, *, unit: Unit, period: Period, indicators: list[Indicator], limits: Limits) -> ParsedTemplate:
    corners = {id(ws): _first_rows(ws, 4, 2) for ws in book.worksheets}
    meta = next((ws for ws in book.worksheets if corners[id(ws)] and corners[id(ws)][0][:1] == (META_MARK,)), None)
    if meta is None:
        raise _refuse(_("Tệp không phải mẫu báo cáo tải từ cổng (thiếu mã đơn vị và kỳ báo cáo ẩn)."))
    codes = {str(row[0]): row[1] for row in corners[id(meta)][1:4] if len(row) == 2}
    if str(codes.get("unit") or "") != unit.code:
        raise _refuse(
            _("Tệp này là mẫu báo cáo của đơn vị khác (mã %(other)s), không phải của %(unit)s. Không nhận.")
            % {"other": codes.get("unit") or "?", "unit": unit.name}
        )
    if str(codes.get("period") or "") != period.code:
        raise _refuse(
            _("Tệp này là mẫu của kỳ báo cáo khác (mã %(other)s), không phải %(period)s. Không nhận.")
            % {"other": codes.get("period") or "?", "period": period.display_label}
        )
    try:
        version = int(str(codes.get("version") or "0"))
    except ValueError:
        raise _refuse(_("Mã ẩn của tệp đã bị sửa; hãy tải mẫu mới.")) from None

    by_code = {i.code: i for i in indicators}
    base_keys = {i.base for i in indicators if i.base}
    parsed = ParsedTemplate(version=version)
    errors: list[str] = []
    seen: dict[str, str] = {}
    where: dict[str, str] = {}
    for sheet in book.worksheets:
        if sheet is meta:
            continue
        value_column = _value_column(sheet, limits.columns)
        if value_column is None:
            if any(
                KEY_RE.match(str(v[0] or "")) or BASE_RE.match(str(v[0] or ""))
                for v in sheet.iter_rows(max_col=1, values_only=True)
                if v
            ):
                errors.append(
                    _("Trang “%s”: không tìm thấy cột số liệu (đã thêm hoặc xóa cột?); hãy dùng mẫu mới.") % sheet.title
                )
            continue
        for row in sheet.iter_rows(min_row=1, max_col=value_column):
            key_cell = row[KEY_COLUMN - 1] if row else None
            key = str(key_cell.value).strip() if key_cell is not None and key_cell.value is not None else ""
            if not key:
                continue
            value_cell = row[value_column - 1] if len(row) >= value_column else None
            number = key_cell.row
            place = _location(sheet, number, value_column)
            if key_cell.data_type == "f":
                errors.append(f"{_location(sheet, number, KEY_COLUMN)}: {_('mã ẩn đã bị thay bằng công thức.')}")
                continue
            match, text_match, base_match = KEY_RE.match(key), TEXT_RE.match(key), BASE_RE.match(key)
            if not match and not text_match and not base_match:
                continue  # headers and anything a person added: not ours, ignored
            if key in seen:
                errors.append(
                    f"{place}: {_('dòng của %(key)s bị lặp (đã có ở %(other)s).') % {'key': key, 'other': seen[key]}}"
                )
                continue
            seen[key] = place
            raw = value_cell.value if value_cell is not None else None
            # A formula cell is refused; narrative that merely starts with "=" (a text cell, as the
            # template writes it) is text and comes back as typed.
            if value_cell is not None and (
                value_cell.data_type == "f"
                or (not text_match and isinstance(raw, str) and raw.lstrip().startswith("="))
            ):
                code = _("thuyết minh") if text_match else (match or base_match).group(1)
                errors.append(f"{place}: {code}: {_('ô có công thức; hãy nhập giá trị (công thức không được tính).')}")
                continue
            if isinstance(raw, str) and not raw.strip():
                raw = None
            if base_match:
                name = base_match.group("key")
                if name not in base_keys:
                    errors.append(f"{place}: {_('số liệu nền không thuộc báo cáo của đơn vị này.')}")
                    continue
                try:
                    parsed.bases[name] = None if raw is None else _read_count(raw)
                except ValueError as exc:
                    errors.append(f"{place}: {_('số liệu nền')}: {exc}")
                    continue
                where[f"base.{name}"] = place
                continue
            if text_match:
                name = text_match.group("key")
                if name not in NARRATIVE_KEYS:
                    errors.append(f"{place}: {_('mục thuyết minh không có trong báo cáo.')}")
                    continue
                text = "" if raw is None else unicodedata.normalize("NFC", str(raw)).strip()
                if len(text) > MAX_TEXT:
                    errors.append(f"{place}: {_('nội dung quá dài.')}")
                    continue
                parsed.narrative[name] = text
                continue
            indicator = by_code.get(match.group("code"))
            if indicator is None:
                errors.append(f"{place}: {_('chỉ tiêu %s không thuộc báo cáo của đơn vị này.') % match.group('code')}")
                continue
            value = parsed.values.setdefault(indicator.code, ValueInput(flags=[None] * len(indicator.answers)))
            part = match.group("part")
            try:
                if part == "num" and indicator.entry in (Entry.FRACTION, Entry.NUMBER):
                    value.numerator = None if raw is None else _read_count(raw)
                elif part == "den" and indicator.entry in (Entry.FRACTION, Entry.TOTAL):
                    value.denominator = None if raw is None else _read_count(raw)
                elif part.startswith("flag.") and indicator.entry == Entry.YESNO:
                    index = int(match.group("index"))
                    if index >= len(indicator.answers):
                        raise ValueError(_("câu hỏi không có trong chỉ tiêu."))
                    value.flags[index] = None if raw is None else _read_flag(raw)
                else:
                    raise ValueError(_("ô không thuộc chỉ tiêu này."))
            except ValueError as exc:
                errors.append(f"{place}: {indicator.code}: {exc}")
                continue
            where[f"{indicator.code}.{part}"] = place
    for code, value in parsed.values.items():
        indicator = by_code[code]
        if indicator.base:
            base = parsed.bases.get(indicator.base)
            if value.numerator is not None and base is not None and value.numerator > base:
                errors.append(
                    f"{where.get(code + '.num', '')}: {code}: "
                    + _("lớn hơn số liệu nền “%(label)s” (%(number)s) ở đầu bảng.")
                    % {"label": indicator.base_label, "number": int(base)}
                )
            continue
        if value.numerator is not None and value.denominator is not None and value.numerator > value.denominator:
            errors.append(f"{where.get(code + '.num', '')}: {code}: {_('tử số lớn hơn mẫu số ở dòng dưới.')}")
    if not seen:
        errors.append(_("Không tìm thấy dòng số liệu nào (cột mã ẩn A đã bị xóa?)."))
    if errors:
        raise ExcelImportError(
            _("Tệp có %(count)s lỗi; không số liệu nào được nhập, bản nháp giữ nguyên.") % {"count": len(errors)},
            errors=errors,
        )
    return parsed
