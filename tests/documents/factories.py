"""Reports with narrative for the documents tests, built through the services as the pages do."""

from __future__ import annotations

import io

from reporting import services
from tests.reporting.submission_factories import full_values, open_period

__all__ = ["open_period", "narrative_report", "pdf_bytes", "jpeg_bytes", "pdf_text"]


def narrative_report(unit, period, by, *, reviewer=None, tag: str = ""):
    """A full report whose narrative names the unit in every heading; approved when a reviewer is given."""
    tag = tag or unit.name
    narrative = {
        "task_1": f"Tuyên truyền của {tag}: 12 buổi.",
        "task_4": f"Hỗ trợ người học ở {tag}.\nDòng thứ hai của {tag}.",
        "shortcomings": f"Hạn chế của {tag}: thiếu kinh phí.",
        "next_steps": f"Kỳ tới {tag} mở thêm lớp.",
        "proposals": f"{tag} đề nghị hỗ trợ tài liệu.",
    }
    submission = services.submission_submit(
        unit=unit, period=period, by=by, values=full_values(unit, period), narrative=narrative
    )
    if reviewer is not None:
        submission = services.submission_approve(submission=submission, by=reviewer)
    return submission


def pdf_bytes(*, pages: int = 1, javascript: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_text(content: bytes) -> str:
    """The text of a PDF as pypdf reads it back, with runs of spaces collapsed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())
