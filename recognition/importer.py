"""Excel lists of nominees: the downloadable template and the checked import.

The file is read with openpyxl in read-only mode. Every row error is collected with its row
number and column; the caller saves nothing unless the list of errors is empty.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from recognition.models import Nomination, NomineeKind, Register
from recognition.services import ImportRow, clean_name, dedup_key, name_key
from units.models import Unit
from xhht_portal.workbook_limits import CHUNK, ROW, Limits
from xhht_portal.xlsx import workbook_bytes

NAME_MAX = 200
NOTE_MAX = 300
# The template's hidden sheet names the register it was made for, as the report template does:
# a list of commune B uploaded into commune A's register is refused, not silently imported.
META_MARK = "xhht-nominee-template"
META_SHEET = "_xhht"
ERRORS_SHOWN = 500
# Progress is reported every this many rows read (the job's bar; the request ignores it).
PROGRESS_ROWS = 500


@dataclass
class Column:
    key: str
    header: str
    required: bool


def columns(register: Register) -> list[Column]:
    kind = register.nominee_kind
    if kind == NomineeKind.VILLAGE:
        return [Column("village", _("Thôn, bản, khu"), True), Column("note", _("Ghi chú"), False)]
    if kind == NomineeKind.COMMUNE:
        return [Column("note", _("Ghi chú"), False)]
    return [
        Column("name", register.nominee_label, True),
        Column("village", _("Thôn, bản, khu"), register.needs_village),
        Column("note", _("Ghi chú"), False),
    ]


@dataclass
class RowError:
    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def shown_errors(self) -> list[RowError]:
        """The errors a page lists (a broken 100,000-row file would otherwise list them all)."""
        return self.errors[:ERRORS_SHOWN]

    @property
    def more_errors(self) -> int:
        return max(len(self.errors) - ERRORS_SHOWN, 0)


def template_workbook(register: Register) -> bytes:
    """A workbook with the expected header row and two example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách")
    cols = columns(register)
    sheet.append([c.header for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE9F2")
    villages = list(register.villages().values_list("name", flat=True)[:2])
    village = villages[0] if villages else _("Thôn 1")
    examples = {
        NomineeKind.HOUSEHOLD: [_("Triệu Văn An"), _("Bàn Thị Mai")],
        NomineeKind.PERSON: [_("Triệu Văn An"), _("Bàn Thị Mai")],
        NomineeKind.CLAN: [_("Dòng họ Triệu"), _("Dòng họ Bàn")],
        NomineeKind.UNIT: [_("Trường Tiểu học xã"), _("Trạm Y tế xã")],
        NomineeKind.COMMUNE: [],
    }
    for example in examples.get(register.nominee_kind, [village]):
        row = {"name": example, "village": village, "note": ""}
        sheet.append([row[c.key] for c in cols])
    for letter, width in zip("ABC", (32, 22, 30), strict=False):
        sheet.column_dimensions[letter].width = width
    meta = workbook.create_sheet(META_SHEET)
    for index, (name, value) in enumerate(_meta(register), start=1):
        meta.cell(row=index, column=1, value=name)
        meta.cell(row=index, column=2, value=value)
    meta.sheet_state = "hidden"
    # Village names are typed by people: one starting with "=" is saved as text, not a formula.
    return workbook_bytes(workbook)


def _meta(register: Register) -> list[tuple[str, str]]:
    return [
        (META_MARK, "1"),
        ("commune", register.commune.code),
        ("title", register.title_id),
        ("year", str(register.year)),
    ]


def _check_meta(workbook, register: Register) -> str | None:
    """The refusal message when the file is our template for another register; None otherwise.

    A list the commune typed itself (no hidden sheet) is accepted: only its columns are checked.
    """
    meta = next((ws for ws in workbook.worksheets if ws.title == META_SHEET), None)
    if meta is None:
        return None
    codes = {
        str(row[0]): str(row[1] if row[1] is not None else "")
        for row in meta.iter_rows(min_row=1, max_row=5, max_col=2, values_only=True)
        if len(row) == 2 and row[0] is not None
    }
    if META_MARK not in codes:
        return None
    commune = register.commune
    if codes.get("commune") != commune.code:
        other = Unit.objects.filter(code=codes.get("commune")).order_by("-valid_from").first()
        return _(
            "Tệp này là mẫu danh sách của %(other)s, không phải của %(commune)s. Không nhận; hãy tải mẫu của sổ này."
        ) % {"other": other.name if other else codes.get("commune") or "?", "commune": commune.name}
    if codes.get("title") != register.title_id or codes.get("year") != str(register.year):
        return _(
            "Tệp này là mẫu danh sách của sổ khác (danh hiệu “%(title)s”, năm %(year)s), không phải sổ "
            "“%(this_title)s” năm %(this_year)s. Không nhận; hãy tải mẫu của sổ này."
        ) % {
            "title": codes.get("title") or "?",
            "year": codes.get("year") or "?",
            "this_title": register.title.name,
            "this_year": register.year,
        }
    return None


def nominee_limits() -> Limits:
    """How large a nominee list may be (settings.XHHT_UPLOAD_LIMITS["nominees"]), checked before parsing."""
    return Limits.for_kind("nominees", _("danh sách đề nghị công nhận"))


def _header_key(value) -> str:
    return name_key(value) if isinstance(value, str) else ""


def count_data_rows(uploaded) -> int:
    """About how many rows lie below the header: the longest worksheet's rows, less one.

    Counted in the zip without parsing (tags counted as ``workbook_limits`` does), to choose between
    an import in the request and one in the background. Blank formatted rows count too: that only
    moves where the same work is done. A file that cannot be read counts 0, and the import in the
    request then reports why.
    """
    longest = 0
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            for info in archive.infolist():
                name = info.filename.lower()
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                rows, carry = 0, b""
                with archive.open(info) as stream:
                    while chunk := stream.read(CHUNK):
                        buffer = carry + chunk
                        cut = buffer.rfind(b"<")  # count whole tags; the rest waits for the next chunk
                        buffer, carry = (buffer[:cut], buffer[cut:]) if cut > 0 else (b"", buffer)
                        rows += sum(buffer.count(pattern) for pattern in ROW)
                rows += sum(carry.count(pattern) for pattern in ROW)
                longest = max(longest, rows)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError):
        return 0
    finally:
        uploaded.seek(0)
    return max(longest - 1, 0)


def read_workbook(uploaded, register: Register, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Check every row of the first sheet; return the rows to save, or the errors.

    ``progress(rows_read)`` is called every ``PROGRESS_ROWS`` rows (the background import's bar).
    """
    result = ImportResult()
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a valid .xlsx
        result.errors.append(
            RowError(None, "", _("Tệp không đọc được: cần một bảng tính Excel (.xlsx) còn nguyên vẹn."))
        )
        return result
    try:
        refusal = _check_meta(workbook, register)
        if refusal:
            result.errors.append(RowError(None, "", refusal))
            return result
        data_sheets = [ws for ws in workbook.worksheets if ws.title != META_SHEET]
        _read_sheet(data_sheets[0] if data_sheets else None, register, result, progress)
    except Exception:  # a damaged sheet part inside a valid zip
        result.rows.clear()
        result.errors.append(RowError(None, "", _("Tệp bị hỏng, không đọc hết được; xin lưu lại tệp rồi thử lại.")))
    finally:
        workbook.close()
    return result


def _read_sheet(sheet, register: Register, result: ImportResult, progress: Callable[[int], None] | None) -> None:
    cols = columns(register)
    # Columns are bounded explicitly: a read-only sheet otherwise pads every row to the widest cell.
    max_columns = nominee_limits().columns
    header_row = next(iter(sheet.iter_rows(max_row=1, max_col=max_columns)), None) if sheet is not None else None
    if header_row is None or all(getattr(cell, "value", None) in (None, "") for cell in header_row):
        result.errors.append(RowError(None, "", _("Tệp trống: không có dòng tiêu đề và không có dữ liệu.")))
        return
    positions: dict[str, int] = {}
    headers = [_header_key(cell.value) for cell in header_row]
    for column in cols:
        if name_key(column.header) in headers:
            positions[column.key] = headers.index(name_key(column.header))
        elif column.required or column.key == "village":
            if column.required:
                result.errors.append(
                    RowError(1, column.header, _("Thiếu cột “%(column)s” ở dòng tiêu đề.") % {"column": column.header})
                )
    if result.errors:
        return
    rows = sheet.iter_rows(min_row=2, max_col=max(positions.values()) + 1)
    villages = {name_key(name): pk for pk, name in register.villages().values_list("pk", "name")}
    village_objects = {u.pk: u for u in Unit.objects.filter(pk__in=villages.values())}
    existing = set(Nomination.objects.filter(register=register).values_list("dedup_key", flat=True))
    seen: dict[str, int] = {}
    by_header = {c.key: c.header for c in cols}
    # Read-only sheets yield a row for every line, blank ones included, so counting gives the
    # row number Excel shows (empty cells there carry no coordinates).
    for row_number, cells in enumerate(rows, start=2):
        if progress is not None and row_number % PROGRESS_ROWS == 0:
            progress(row_number - 1)
        values = {}
        row_errors: list[RowError] = []
        for key, index in positions.items():
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            # A formula is refused; a text cell that starts with "=" (as the portal's own workbooks
            # write such names) is text.
            if getattr(cell, "data_type", None) == "f":
                row_errors.append(
                    RowError(row_number, by_header[key], _("Ô chứa công thức; xin thay bằng giá trị (chữ)."))
                )
                continue
            if value is None:
                values[key] = ""
            elif isinstance(value, str):
                values[key] = clean_name(value)
            elif isinstance(value, bool | int | float | dt.date | dt.datetime | dt.time):
                row_errors.append(
                    RowError(
                        row_number,
                        by_header[key],
                        _("Cần chữ, không phải số hay ngày tháng: “%(value)s”.") % {"value": value},
                    )
                )
            else:
                values[key] = clean_name(str(value))
        if not row_errors and not any(values.values()):
            continue  # a blank line in the middle of a list is harmless
        if row_number - 1 > settings.XHHT_IMPORT_MAX_ROWS:
            result.errors.append(
                RowError(
                    row_number, "", _("Tệp quá dài: tối đa %(max)s dòng.") % {"max": settings.XHHT_IMPORT_MAX_ROWS}
                )
            )
            break
        village = None
        if "village" in values and values["village"]:
            village_pk = villages.get(name_key(values["village"]))
            if village_pk is None:
                row_errors.append(
                    RowError(
                        row_number,
                        by_header["village"],
                        _("Không có thôn, bản, khu “%(village)s” trong %(commune)s.")
                        % {"village": values["village"], "commune": register.commune.name},
                    )
                )
            else:
                village = village_objects[village_pk]
        elif "village" in values and register.needs_village:
            row_errors.append(RowError(row_number, by_header["village"], _("Bắt buộc, đang để trống.")))
        if register.nominee_kind == NomineeKind.COMMUNE:
            name = register.commune.name
        elif register.nominee_kind == NomineeKind.VILLAGE:
            name = village.name if village else values.get("village", "")
        else:
            name = values.get("name", "")
            if "name" in values and not name:
                row_errors.append(RowError(row_number, by_header["name"], _("Bắt buộc, đang để trống.")))
            elif len(name) > NAME_MAX:
                row_errors.append(
                    RowError(row_number, by_header["name"], _("Dài quá %(max)s ký tự.") % {"max": NAME_MAX})
                )
        note = values.get("note", "")
        if len(note) > NOTE_MAX:
            row_errors.append(RowError(row_number, by_header["note"], _("Dài quá %(max)s ký tự.") % {"max": NOTE_MAX}))
        if not row_errors and name:
            key = dedup_key(name, village.pk if village else None)
            column = by_header.get("name") or by_header.get("village") or ""
            if key in existing:
                row_errors.append(
                    RowError(
                        row_number,
                        column,
                        _("“%(name)s” đã có trong sổ đăng ký năm %(year)s (trùng).")
                        % {"name": name, "year": register.year},
                    )
                )
            elif key in seen:
                row_errors.append(
                    RowError(
                        row_number,
                        column,
                        _("“%(name)s” trùng với dòng %(row)s trong tệp.") % {"name": name, "row": seen[key]},
                    )
                )
            else:
                seen[key] = row_number
        if row_errors:
            result.errors.extend(row_errors)
        else:
            result.rows.append(ImportRow(row=row_number, name=name, village=village, note=note))
    if not result.rows and not result.errors:
        result.errors.append(RowError(None, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
