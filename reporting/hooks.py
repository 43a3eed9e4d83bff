"""Extension points that other apps plug into; ``reporting`` never imports them.

The recognition app registers a counter in its AppConfig.ready(); the rollup asks every
registered counter for the number of entities recognised for a year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# counter(years) -> {(title_code, unit_id, year): number recognised for that year}
# title_code is an Indicator.title_code ("family", "clan", "community", "unit"); unit_id is the
# reporting unit (commune, town) the recognised household, clan, village or body belongs to.
# It takes every year at once so the dashboard asks once, however many years its trend spans;
# ``unit_ids`` (None: all) narrows it to a few units, for the approval of one unit's report.
RecognitionCounter = Callable[..., dict[tuple[str, int, int], int]]

_recognition_counters: list[RecognitionCounter] = []


def register_recognition_counter(counter: RecognitionCounter) -> RecognitionCounter:
    if counter not in _recognition_counters:
        _recognition_counters.append(counter)
    return counter


def recognised_counts_by_year(
    *, years: list[int], unit_ids: list[int] | None = None
) -> dict[tuple[str, int, int], int]:
    """{(title_code, unit_id, year): count} for these years (and units), from every registered counter."""
    total: Counter = Counter()
    for counter in _recognition_counters:
        total.update(counter(sorted(set(years)), unit_ids=unit_ids))
    return dict(total)


def recognised_counts(*, year: int) -> dict[tuple[str, int], int]:
    """{(title_code, unit_id): count} for one year."""
    return {(title, unit): count for (title, unit, _year), count in recognised_counts_by_year(years=[year]).items()}


# ---------------------------------------------------------------- official documents

# The letterhead, number, date and narrative of a report come from the app that keeps the
# committee's settings and the issued reports (``documents``); without it the PDF falls back to
# the environment's letterhead and has no narrative.


@dataclass
class Letterhead:
    """What Decree 30 puts around the content: issuing body, number symbol, place, signature, recipients."""

    issuer_parent: str
    issuer: str
    place: str
    symbol: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)
    filing: str = ""


@dataclass
class ReportDocument:
    """The text of one unit's report for a period, as issued (or the draft being written)."""

    letterhead: Letterhead
    number: int | None = None
    date: dt.date | None = None
    # (NARRATIVE_FIELDS key, heading, text) in the Decree 09 order
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    issued: bool = False
    revision: int | None = None

    @property
    def number_text(self) -> str:
        """ "05" (below 10 with a leading zero, Decree 30); "" while not issued."""
        return f"{self.number:02d}" if self.number else ""


# Vietnamese document data (Decree 30/2020), not interface text: never translated.
COMMITTEE_RECIPIENTS = [
    "UBND huyện (để báo cáo)",
    "Ban Chỉ đạo tỉnh (để báo cáo)",
    "Các thành viên Ban Chỉ đạo",
    "UBND các xã, thị trấn",
]


def default_letterhead() -> Letterhead:
    """The committee's letterhead from the environment (XHHT_ISSUER …): the fallback of the admin's settings."""
    from django.conf import settings

    return Letterhead(
        issuer_parent=settings.XHHT_ISSUER_PARENT,
        issuer=settings.XHHT_ISSUER,
        place=settings.XHHT_PLACE,
        symbol=settings.XHHT_REPORT_SYMBOL,
        signer_authority="TM. BAN CHỈ ĐẠO",
        signer_title=settings.XHHT_SIGNER_TITLE,
        signer_name=settings.XHHT_SIGNER_NAME,
        recipients=list(COMMITTEE_RECIPIENTS),
        filing="VT, GD.",
    )


# provider(*, period, unit=None) -> ReportDocument | None  (unit None: the plan owner's report)
_report_document_providers: list[Callable[..., ReportDocument | None]] = []


def register_report_document(provider: Callable[..., ReportDocument | None]) -> Callable:
    if provider not in _report_document_providers:
        _report_document_providers.append(provider)
    return provider


def report_document(*, period, unit=None) -> ReportDocument | None:
    """The report document of (unit, period) from the first provider that has one."""
    for provider in _report_document_providers:
        document = provider(period=period, unit=unit)
        if document is not None:
            return document
    return None


# panel(request, submission, *, where) -> list of rendered HTML blocks (SafeString) shown on a
# submission's page (where="detail") and its history (where="history"): its PDF, its signed copies.
_submission_panels: list[Callable] = []


def register_submission_panel(func: Callable) -> Callable:
    if func not in _submission_panels:
        _submission_panels.append(func)
    return func


def submission_panels(request, submission, *, where: str) -> list:
    panels: list = []
    for func in _submission_panels:
        panels.extend(func(request, submission, where=where))
    return panels
