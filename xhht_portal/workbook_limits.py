"""Bounded work per uploaded workbook: measure its shape before openpyxl parses a cell.

An .xlsx is a zip of XML. Deflate packs repetition about 1000 to 1, so an 86 KB upload can hold two
million cells; openpyxl would then keep a worker busy for tens of seconds and hundreds of MB, and
a sheet declaring ``<row r="1048576">`` makes a streaming reader yield a million empty rows. So,
before any parsing, every XML part is inflated in small chunks and its tags are counted with
compiled regular expressions (C speed, a few MB of memory): rows and their highest number, cells,
shared strings, the declared dimension, and the inflated size. The first limit exceeded refuses the
file with a Vietnamese message that says which limit and what a real file needs; reading stops there.

The limits come from settings (``XHHT_UPLOAD_LIMITS``), one set per kind of upload: a report
template (about 150 rows) and a nominee list (up to ``XHHT_IMPORT_MAX_ROWS`` rows).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

from targets.numbers import format_number

CHUNK = 256 * 1024
# Patterns start with a literal word, which the regex engine finds with a fast scan; a namespace
# prefix before it ("<x:row") does not matter.
ROW_NUMBER = re.compile(rb"row[ \t\r\n][^>]*?\br\s*=\s*[\"'](\d{1,12})[\"']")
DIMENSION = re.compile(rb"dimension[ \t\r\n][^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,12})$")


def _tag_patterns(name: bytes) -> tuple[bytes, ...]:
    """Byte strings that open a ``name`` element, with or without a namespace prefix (<c>, <x:c …>).

    Counted with ``bytes.count`` (no object per match: millions of cells cost milliseconds). A
    prefix must not hide a cell; text containing ":c " is counted too, which only errs on the
    strict side.
    """
    return tuple(start + name + end for start in (b"<", b":") for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


CELL, ROW, SHARED_STRING = _tag_patterns(b"c"), _tag_patterns(b"row"), _tag_patterns(b"si")


def _count(buffer: bytes, patterns: tuple[bytes, ...]) -> int:
    return sum(buffer.count(pattern) for pattern in patterns)


@dataclass(frozen=True)
class Limits:
    """What one kind of upload may hold. ``what`` names it in messages ("mẫu báo cáo")."""

    what: str
    xml_bytes: int
    rows: int
    columns: int
    cells: int

    @classmethod
    def for_kind(cls, kind: str, what: str) -> Limits:
        values = settings.XHHT_UPLOAD_LIMITS[kind]
        return cls(
            what=what,
            xml_bytes=int(values["xml_mb"] * 1024 * 1024),
            rows=int(values["rows"]),
            columns=int(values["columns"]),
            cells=int(values["cells"]),
        )


class WorkbookTooLarge(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _n(value: int) -> str:
    return format_number(value, 0)


def _mb(size: int) -> str:
    return format_number(size / 1048576, 1)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _dimension_size(ref: bytes) -> tuple[int, int] | None:
    """(rows, columns) of a dimension such as ``A1:F140``; None when it cannot be read (openpyxl ignores it then)."""
    try:
        last = ref.decode("ascii").split(":")[-1]
    except UnicodeDecodeError:
        return None
    match = CELL_REF.match(last.strip())
    if not match:
        return None
    try:
        return int(match.group(2)), column_index_from_string(match.group(1).upper())
    except ValueError:
        return None


def _too_much_xml(limits: Limits) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        _(
            "Dữ liệu bảng tính trong tệp giải nén ra hơn %(limit)s MB, quá giới hạn của %(what)s. Không nhận; "
            "hãy xóa các dòng, cột, trang thừa hoặc dùng mẫu tải từ cổng."
        )
        % {"limit": _mb(limits.xml_bytes), "what": limits.what}
    )


def check_workbook_shape(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Raise WorkbookTooLarge at the first limit exceeded; reads each XML part at most once, in chunks."""
    infos = [info for info in archive.infolist() if _is_xml(info.filename)]
    declared = sum(info.file_size for info in infos)
    if declared > limits.xml_bytes:
        raise _too_much_xml(limits)
    cells = strings = inflated = 0
    for info in infos:
        highest_row = 0
        rows_here = 0
        carry = b""
        seen_dimension = False
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    buffer, carry = carry, b""
                else:
                    inflated += len(chunk)
                    if inflated > limits.xml_bytes:  # the sizes in the zip directory can lie
                        raise _too_much_xml(limits)
                    buffer = carry + chunk
                    # Count only whole tags: what follows the last "<" waits for the next chunk.
                    cut = buffer.rfind(b"<")
                    if cut <= 0:
                        carry = buffer
                        continue
                    buffer, carry = buffer[:cut], buffer[cut:]
                if not seen_dimension:
                    match = DIMENSION.search(buffer)
                    # The dimension comes before the rows; once they start, stop looking.
                    seen_dimension = bool(match) or b"sheetData" in buffer
                    if match:
                        size = _dimension_size(match.group(1))
                        if size and (size[0] > limits.rows or size[1] > limits.columns):
                            raise WorkbookTooLarge(
                                _(
                                    "Bảng tính khai báo vùng dữ liệu %(ref)s (%(rows)s dòng × %(columns)s cột), vượt "
                                    "giới hạn %(max_rows)s dòng × %(max_columns)s cột của %(what)s. Không nhận; hãy "
                                    "xóa các dòng, cột thừa hoặc dùng mẫu tải từ cổng."
                                )
                                % {
                                    "ref": match.group(1).decode("ascii", "replace")[:40],
                                    "rows": _n(size[0]),
                                    "columns": _n(size[1]),
                                    "max_rows": _n(limits.rows),
                                    "max_columns": _n(limits.columns),
                                    "what": limits.what,
                                }
                            )
                cells += _count(buffer, CELL)
                rows_here += _count(buffer, ROW)
                numbers = ROW_NUMBER.findall(buffer)
                if numbers:
                    highest_row = max(highest_row, max(int(n) for n in numbers))
                strings += _count(buffer, SHARED_STRING)
                if cells > limits.cells:
                    raise WorkbookTooLarge(
                        _(
                            "Bảng tính có hơn %(limit)s ô (có dữ liệu hoặc định dạng), quá giới hạn của %(what)s. "
                            "Không nhận; hãy xóa các dòng, cột thừa hoặc dùng mẫu tải từ cổng."
                        )
                        % {"limit": _n(limits.cells), "what": limits.what}
                    )
                if max(rows_here, highest_row) > limits.rows:
                    raise WorkbookTooLarge(
                        _(
                            "Bảng tính có hơn %(limit)s dòng, quá giới hạn của %(what)s. Không nhận; hãy xóa "
                            "các dòng thừa (kể cả dòng trống đã định dạng) hoặc chia thành nhiều tệp."
                        )
                        % {"limit": _n(limits.rows), "what": limits.what}
                    )
                if strings > limits.cells:
                    raise WorkbookTooLarge(
                        _("Bảng tính chứa hơn %(limit)s chuỗi chữ, quá giới hạn của %(what)s. Không nhận.")
                        % {"limit": _n(limits.cells), "what": limits.what}
                    )
                if not chunk:
                    break
