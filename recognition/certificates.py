"""Certificates (Giấy công nhận) as PDF: WeasyPrint, A4 landscape, fonts read from disk."""

from __future__ import annotations

from pathlib import Path

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


def certificates_pdf(nominations: list[Nomination]) -> bytes:
    """One A4 landscape page per recognised entity."""
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(
            "recognition/certificate.html", {"certificates": [certificate_context(n) for n in nominations]}
        )
    return HTML(string=html, base_url="file:///portal/", url_fetcher=_fetcher()).write_pdf()
