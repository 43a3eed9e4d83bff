"""Checking a scanned signed copy by its content, never by its name or the browser's word.

A PDF must start with ``%PDF-``, parse with pypdf, have pages, no password and nothing that runs
(JavaScript, launch actions); a JPEG must start with FF D8 FF and decode with Pillow. Anything
else, a script renamed to .pdf included, is refused with a message and nothing is stored.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
MAX_PAGES = 500
# Keys in a PDF's catalog or names that make a viewer run something: a scan never needs them.
ACTIVE_KEYS = ("/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFiles", "/RichMedia")


class ScanRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(getattr(settings, "XHHT_SIGNED_COPY_MAX_BYTES", 20 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}".replace(".", ",")


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ScanRefused(_("Tệp PDF có mật khẩu: hãy lưu lại bản không đặt mật khẩu."))
        pages = len(reader.pages)
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else DictionaryObject()
    except ScanRefused:
        raise
    except Exception:  # pypdf raises many kinds of error on a damaged file
        raise ScanRefused(_("Tệp PDF bị hỏng hoặc không đọc được.")) from None
    if pages < 1:
        raise ScanRefused(_("Tệp PDF không có trang nào."))
    if pages > MAX_PAGES:
        raise ScanRefused(_("Tệp PDF quá nhiều trang (tối đa %(max)s).") % {"max": MAX_PAGES})
    if any(key in root for key in ACTIVE_KEYS) or any(key in names for key in ACTIVE_KEYS):
        raise ScanRefused(_("Tệp PDF chứa mã lệnh hoặc tệp đính kèm: chỉ nhận bản quét."))


def _check_jpeg(data: bytes) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "JPEG":
                    raise ValueError(image.format)
                image.verify()
    except Exception:
        raise ScanRefused(_("Tệp ảnh JPEG bị hỏng hoặc quá lớn để mở.")) from None


def check_scan(upload) -> tuple[bytes, str]:
    """(content, content type) of an acceptable scan, or ScanRefused with the reason."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ScanRefused(_("Tệp quá lớn: tối đa %(max)s MB.") % {"max": _megabytes(limit)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ScanRefused(_("Tệp quá lớn: tối đa %(max)s MB.") % {"max": _megabytes(limit)})
    if not data:
        raise ScanRefused(_("Tệp rỗng."))
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return data, PDF
    if data.startswith(b"\xff\xd8\xff"):
        _check_jpeg(data)
        return data, JPEG
    raise ScanRefused(_("Chỉ nhận bản quét dạng PDF hoặc ảnh JPEG."))
