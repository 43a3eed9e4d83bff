"""A corpus of bad (and awkward but good) uploads: small functions that return the bytes of a file.

Most of them take a *base* workbook, the real template of the endpoint under test (the report
template of a unit and period, or a nominee list), and damage it in one precise way, so that a
refusal can only come from that damage. Nothing here touches the database or Django.

Sizes are chosen to keep the suite fast: the zip bomb is a few tens of kilobytes on disk and
inflates past the reporting limit of 30 MB; the oversized file is built from stored (not
deflated) random bytes, so that its size on disk is what the size checks see.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile

from openpyxl import load_workbook

SHEET1 = "xl/worksheets/sheet1.xml"
CONTENT_TYPES = "[Content_Types].xml"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MIB = 1024 * 1024


# ---------------------------------------------------------------- helpers


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    stored: frozenset[str] = frozenset(),
) -> bytes:
    """The same archive with some members replaced or added (members named in ``stored`` not deflated)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, content in _members(data):
            content = replace.get(info.filename, content)
            target.writestr(info.filename, content)
        for name, content in add.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            target.writestr(name, content, compress_type=method)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def no_dimension(sheet_xml: bytes) -> bytes:
    """A sheet without its <dimension>, which lets a streaming reader stop early; hostile files have none."""
    return re.sub(rb"<dimension[^>]*/>", b"", sheet_xml)


def nfd(text: str) -> str:
    """The decomposed form of Vietnamese text (what some Mac and phone keyboards produce)."""
    return unicodedata.normalize("NFD", text)


def edit_cells(data: bytes, cells: dict[tuple[int, int], object], *, sheet: int = 0, mutate=None) -> bytes:
    """Set cells (row, column) → value on one sheet of a workbook, then optionally ``mutate(book)``."""
    book = load_workbook(io.BytesIO(data))
    worksheet = book.worksheets[sheet]
    for (row, column), value in cells.items():
        worksheet.cell(row=row, column=column, value=value)
    if mutate:
        mutate(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- not a spreadsheet at all


def empty() -> bytes:
    return b""


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def html() -> bytes:
    return "<html><body><table><tr><td>Họ và tên</td></tr></table><script>alert(1)</script></body></html>".encode()


def csv() -> bytes:
    return "Họ và tên chủ hộ;Thôn, bản, khu\nTriệu Văn An;Thôn 1\n".encode()


def legacy_xls() -> bytes:
    """The start of an OLE2 compound document: an Excel 97–2003 .xls, not an .xlsx."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bao-cao.txt", "Báo cáo 6 tháng đầu năm")
    return out.getvalue()


# ---------------------------------------------------------------- damaged workbooks


def truncated(base: bytes) -> bytes:
    """The first half of a real workbook: a download interrupted half-way."""
    return base[: len(base) // 2]


def _data_offset(raw: bytes, name: str) -> tuple[int, int]:
    """Where the (compressed) data of one member starts in the archive, and its compressed size."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    name_length = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(raw[header + 28 : header + 30], "little")
    return header + 30 + name_length + extra_length, info.compress_size


def corrupt_directory(base: bytes) -> bytes:
    """A real workbook whose central directory (the zip's table of contents) is overwritten with zeros."""
    raw = bytearray(base)
    start = raw.find(b"PK\x01\x02")
    raw[start : start + 200] = b"\0" * 200
    return bytes(raw)


def corrupt_deflate(base: bytes, name: str = SHEET1) -> bytes:
    """Headers and directory intact, but the deflate stream of one member starts with an invalid block type."""
    raw = bytearray(base)
    start, _size = _data_offset(bytes(raw), name)
    raw[start] = 0xFF  # BFINAL=1, BTYPE=11: a reserved block type, which zlib refuses
    return bytes(raw)


def bad_crc(base: bytes, name: str = SHEET1) -> bytes:
    """Every header intact, but one byte of the (stored) sheet changed: only the CRC check notices."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as target:
        for info, content in _members(base):
            target.writestr(info.filename, content)
    raw = bytearray(out.getvalue())
    start, _size = _data_offset(bytes(raw), name)
    content = member(base, name)
    # Change the last digit inside the XML, so that it still parses if the CRC is not checked.
    position = start + max(i for i, ch in enumerate(content) if chr(ch).isdigit())
    raw[position] = ord("7") if raw[position] != ord("7") else ord("8")
    return bytes(raw)


def zip_bomb(base: bytes, *, inflated: int = 40 * MIB) -> bytes:
    """A real workbook whose first sheet, padded with blank rows, inflates to ``inflated`` bytes.

    The padding goes after the sheet's own rows: a reader that streams the rows meets every real
    row first. Deflate compresses the repetition about 1000 to 1, so this is tens of kilobytes.
    """
    sheet = no_dimension(member(base, SHEET1))
    head, tail = sheet.split(b"</sheetData>", 1)
    padding = b"<row/>" * (inflated // len(b"<row/>"))
    return rezip(base, replace={SHEET1: head + padding + b"</sheetData>" + tail})


def padded_to(base: bytes, size: int) -> bytes:
    """A real, readable workbook made exactly ``size`` bytes long by a stored member of random bytes."""
    name = "docProps/thumbnail.jpeg"

    def build(padding: int) -> bytes:
        return rezip(base, add={name: os.urandom(padding)}, stored=frozenset({name}))

    first = build(max(0, size - len(base)))
    exact = build(max(0, size - len(base)) + size - len(first))
    assert len(exact) == size, (len(exact), size)
    return exact


def xml_entity_bomb(base: bytes) -> bytes:
    """'Billion laughs' in the first sheet: nested entities that would expand to gigabytes."""
    sheet = no_dimension(member(base, SHEET1)).decode()
    levels = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE worksheet [" + "".join(levels) + "]>"
    sheet = _after_declaration(sheet, doctype)
    sheet = sheet.replace("</sheetData>", '<row r="9999"><c r="C9999" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                          "</sheetData>", 1)  # fmt: skip
    return rezip(base, replace={SHEET1: sheet.encode()})


def xml_external_entity(base: bytes, path: str = "/etc/passwd") -> bytes:
    """XXE: an external entity naming a file on the server, placed in the first text cell."""
    sheet = no_dimension(member(base, SHEET1)).decode()
    sheet = _after_declaration(sheet, f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{path}">]>')
    sheet = sheet.replace("</sheetData>", '<row r="9999"><c r="C9999" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
                          "</sheetData>", 1)  # fmt: skip
    return rezip(base, replace={SHEET1: sheet.encode()})


def _after_declaration(xml: str, text: str) -> str:
    match = re.match(r"<\?xml[^>]*\?>", xml)
    end = match.end() if match else 0
    return xml[:end] + text + xml[end:]


# ---------------------------------------------------------------- macros


def with_vba_project(base: bytes) -> bytes:
    """A workbook carrying a VBA project, as Excel saves an .xlsm (content type changed as well)."""
    types = member(base, CONTENT_TYPES).replace(XLSX_MAIN, XLSM_MAIN)
    types = types.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    return rezip(
        base,
        replace={CONTENT_TYPES: types},
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' * 8},
    )


def vba_project_only(base: bytes) -> bytes:
    """A vbaProject.bin slipped into an otherwise ordinary .xlsx (content types untouched)."""
    return rezip(base, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Sub Auto_Open()"})


def macro_content_type(base: bytes) -> bytes:
    """Declared macro-enabled in [Content_Types].xml, without a VBA part."""
    return rezip(base, replace={CONTENT_TYPES: member(base, CONTENT_TYPES).replace(XLSX_MAIN, XLSM_MAIN)})


def path_traversal_member(base: bytes) -> bytes:
    """A harmless-looking extra member whose name climbs out of any extraction directory."""
    return rezip(base, add={"../../../../tmp/xhht-pwned.txt": b"pwned"})


# ---------------------------------------------------------------- dense workbooks (small on disk, huge to parse)


def _pad_sheet(base: bytes, padding: bytes, *, keep_dimension: bool = False) -> bytes:
    sheet = member(base, SHEET1) if keep_dimension else no_dimension(member(base, SHEET1))
    head, tail = sheet.split(b"</sheetData>", 1)
    return rezip(base, replace={SHEET1: head + padding + b"</sheetData>" + tail})


def dense_cells(base: bytes, *, cells: int = 2_000_000, per_row: int = 10_000) -> bytes:
    """Two million empty cells in 200 rows after the real ones: 8 MB of XML, about 20 KB on disk."""
    return _pad_sheet(base, (b"<row>" + b"<c/>" * per_row + b"</row>") * (cells // per_row))


def dense_values(base: bytes, *, cells: int = 700_000, per_row: int = 1_000) -> bytes:
    """700,000 cells holding a number each: 10 MB of XML, about 25 KB on disk, over the cell limits."""
    return _pad_sheet(base, (b"<row>" + b"<c><v>1</v></c>" * per_row + b"</row>") * (cells // per_row))


def prefixed_cells(base: bytes, *, cells: int = 700_000, per_row: int = 10_000) -> bytes:
    """Dense cells behind a namespace prefix (<x:c/>), which openpyxl parses like <c/>."""
    row = b'<row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<x:c/>" * per_row + b"</row>"
    return _pad_sheet(base, row * (cells // per_row))


def far_row(base: bytes, number: int = 1_048_576) -> bytes:
    """One cell on the last row Excel has: a streaming reader yields a million empty rows before it."""
    return _pad_sheet(base, f'<row r="{number}"><c r="B{number}" t="inlineStr"><is><t>x</t></is></c></row>'.encode())


def huge_dimension(base: bytes) -> bytes:
    """A sheet that declares the whole grid (A1:XFD1048576) as its used range."""
    sheet = member(base, SHEET1)
    sheet = no_dimension(sheet).replace(b"<sheetViews>", b'<dimension ref="A1:XFD1048576"/><sheetViews>', 1)
    if b"XFD1048576" not in sheet:
        sheet = sheet.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1)
    return rezip(base, replace={SHEET1: sheet})


def many_shared_strings(base: bytes, count: int = 1_000_000) -> bytes:
    """A shared-strings table of a million entries, which openpyxl reads whole before any sheet."""
    name = "xl/sharedStrings.xml"
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        + f' count="{count}" uniqueCount="{count}">'.encode()
        + b"<si><t>x</t></si>" * count
        + b"</sst>"
    )
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        present = name in archive.namelist()
    if present:
        return rezip(base, replace={name: table})
    # openpyxl writes inline strings: declare the part, so that a reader really loads it.
    types = member(base, CONTENT_TYPES).replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return rezip(base, replace={CONTENT_TYPES: types}, add={name: table})
