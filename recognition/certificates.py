"""Certificates (Giấy công nhận) as PDF: WeasyPrint, A4 landscape, fonts read from disk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from recognition.models import Nomination, NomineeKind


def _static_path(url: str) -> Path | None:
    relative = url.split(settings.STATIC_URL, 1)[1] if settings.STATIC_URL in url else None
    if relative is None:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serve /static/ from disk; never fetch over HTTP (a sync worker would wait on itself)."""

        def fetch(self, url, headers=None):
            path = _static_path(url)
            if path is None:
                raise ValueError(f"refused to fetch {url}")
            return URLFetcherResponse(url, body=path.read_bytes())

    return StaticFileFetcher()


ENTITY_PREFIX = {
    NomineeKind.HOUSEHOLD: _("Gia đình ông (bà)"),
    NomineeKind.CLAN: _("Dòng họ"),
    NomineeKind.VILLAGE: _("Cộng đồng"),
    NomineeKind.COMMUNE: "",
    NomineeKind.UNIT: _("Đơn vị"),
    NomineeKind.PERSON: _("Ông (bà)"),
}


def _place(commune_name: str) -> str:
    """'Xã Thanh Sơn' → 'Thanh Sơn', as in the place-and-date line of a document."""
    for prefix in ("Xã ", "Thị trấn ", "Phường "):
        if commune_name.startswith(prefix):
            return commune_name[len(prefix) :]
    return commune_name


def certificate_context(nomination: Nomination) -> dict:
    register, decision = nomination.register, nomination.decision
    name = nomination.name
    kind = register.nominee_kind
    if kind == NomineeKind.CLAN and name.casefold().startswith("dòng họ "):
        name = name[len("dòng họ ") :]
    return {
        "issuer": decision.issuer,
        "signer_title": decision.signer_title,
        "signer_name": decision.signer_name,
        "entity_prefix": ENTITY_PREFIX.get(kind, ""),
        "name": name,
        "village": nomination.village.name if nomination.village and kind != NomineeKind.VILLAGE else "",
        "level": nomination.level,
        # The commune itself is the nominee: not repeated on the line below its name.
        "commune": "" if kind == NomineeKind.COMMUNE else register.commune.name,
        "district": settings.XHHT_PLACE,
        "title": register.get_title_display(),
        "year": register.year,
        "number": decision.number,
        "date": decision.date,
        "place": _place(register.commune.name),
    }


def _document(nominations: Sequence[Nomination], fetcher):
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(
            "recognition/certificate.html", {"certificates": [certificate_context(n) for n in nominations]}
        )
    return HTML(string=html, base_url="file:///portal/", url_fetcher=fetcher).render()


def certificates_pdf(nominations: list[Nomination]) -> bytes:
    """One A4 landscape page per recognised entity."""
    return _document(nominations, _fetcher()).write_pdf()


# Certificates laid out per batch, so the background job can report progress as it goes.
BATCH = 25


def write_certificates(
    *,
    nominations: Sequence[Nomination],
    stream: BinaryIO,
    progress: Callable[[int, int], None] | None = None,
    batch: int | None = None,
) -> None:
    """Lay out the certificates ``batch`` at a time (reporting ``progress(done, total)`` after each),
    then write one PDF with all their pages, in the order given."""
    progress = progress or (lambda done, total: None)
    batch = batch or BATCH
    total = len(nominations)
    fetcher = _fetcher()
    progress(0, total)
    documents = []
    for start in range(0, total, batch):
        documents.append(_document(nominations[start : start + batch], fetcher))
        # The last step is writing the file: "all done" only once it is written.
        progress(min(start + batch, total - 1) if total > 1 else 0, total)
    if not documents:
        documents.append(_document([], fetcher))
    pages = [page for document in documents for page in document.pages]
    documents[0].copy(pages).write_pdf(target=stream)
    progress(total, total)
