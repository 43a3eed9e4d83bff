"""Workbooks the portal hands out never contain a live formula.

openpyxl turns any string that starts with ``=`` into a formula, and a spreadsheet re-reads a cell
that starts with ``+``, ``-`` or ``@`` as one as soon as someone edits it. Text typed by people
(narrative, unit, village and nominee names, plan wording) goes into cells through these helpers:
such a cell is a string cell with Excel's quote prefix, so it shows and stays as typed.

- :func:`text_cell` for write-only sheets (a cell object only when needed: exports stay fast);
- :func:`set_text` for a cell of an ordinary sheet;
- :func:`workbook_bytes` saves an ordinary workbook after turning every formula-looking string in
  every sheet into text, so nothing written without the helpers slips through.

Tests: ``tests/portal/test_no_formulas.py`` opens every generated workbook with hostile text.
"""

from __future__ import annotations

import io

from openpyxl.cell import WriteOnlyCell

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE command).
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def _as_text(cell) -> None:
    cell.data_type = "s"  # never "f": openpyxl writes the characters, not a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


def set_text(cell, value):
    """Put ``value`` into an ordinary sheet's cell; text that looks like a formula stays text."""
    cell.value = value
    if is_risky(value):
        _as_text(cell)
    return cell


def text_cell(sheet, value, *, font=None, fill=None, alignment=None):
    """A value for ``sheet.append`` of a write-only sheet: the plain value, or a text cell when needed."""
    if not is_risky(value) and font is None and fill is None and alignment is None:
        return value  # no cell object: a national export appends millions of values
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky(value):
        _as_text(cell)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def neutralise_formulas(book) -> int:
    """Turn every formula (and formula-looking string) in an ordinary workbook into text; returns how many."""
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_risky(cell.value):
                    if cell.data_type != "s" or not cell.quotePrefix:
                        _as_text(cell)
                        changed += 1
    return changed


def workbook_bytes(book) -> bytes:
    """Save an ordinary (not write-only) workbook to bytes with no live formula in it."""
    neutralise_formulas(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
