"""The report's document (number, date, signer, narrative) as rows for the workbook.

The same ``ReportDocument`` the PDF shows (``reporting.hooks.report_document``: the issued version
when there is one), so the workbook and the PDF never disagree about what was issued.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.hooks import ReportDocument, report_document
from reporting.rollup import Rollup


def narrative_document(rollup: Rollup) -> ReportDocument | None:
    """The document of the rollup's node for its period, or None when nothing was written."""
    document = report_document(period=rollup.period, unit=getattr(rollup, "node", None))
    if document is None or not any(text.strip() for _key, _label, text in document.sections):
        return None
    return document


def narrative_rows(document: ReportDocument) -> list[tuple[str, str]]:
    """(heading, text) rows: how the document stands, then one row per paragraph under its heading."""
    letterhead = document.letterhead
    if document.issued:
        status = _("Đã ban hành: số %(number)s/%(symbol)s, ngày %(date)s (lần %(revision)s)") % {
            "number": document.number_text,
            "symbol": letterhead.symbol,
            "date": document.date.strftime("%d/%m/%Y"),
            "revision": document.revision,
        }
    else:
        status = _("Dự thảo, chưa ban hành")
    signer = " ".join(
        part
        for part in (letterhead.signer_authority.replace("\n", " / "), letterhead.signer_title, letterhead.signer_name)
        if part
    )
    rows = [(_("Văn bản"), status), (_("Người ký"), signer)]
    for _key, label, text in document.sections:
        paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for index, paragraph in enumerate(paragraphs):
            rows.append((str(label) if index == 0 else "", paragraph))
    return rows
