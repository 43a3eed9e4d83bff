"""The district report as PDF (WeasyPrint), in the administrative format of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting.charts import section_bars
from reporting.hooks import ReportDocument, default_letterhead, report_document
from reporting.nodes import children as node_children
from reporting.rollup import STATUS_LABELS, STATUS_RULE, ChildCompleteness, Rollup, children_completeness
from units.models import Unit

# Resources are resolved against this made-up origin and served from disk by StaticFileFetcher:
# WeasyPrint never opens a network connection (fetching /static/ over HTTP from the same server
# deadlocks a single worker, stack-notes §4).
BASE_URL = "https://xhht-report.invalid/"

# The family name of the @font-face rules in report_pdf.html (Liberation Serif from static/fonts).
PDF_FONT = "Liberation Serif"


class StaticFileFetcher(URLFetcher):
    """Serves /static/… from the finders (development) or STATIC_ROOT; refuses everything else."""

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"Refused a non-static resource in the report: {url}")
        relative = url[len(prefix) :].split("?")[0]
        if ".." in Path(relative).parts:
            raise ValueError(f"Refused a path outside the static files: {relative}")
        path = Path(finders.find(relative) or Path(settings.STATIC_ROOT) / relative)
        if not path.is_file():
            raise ValueError(f"Static file not found: {relative}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
TASK_KEYS = [f"task_{n}" for n in range(1, 8)]


def paragraphs(text: str) -> list[str]:
    """A typed text as the paragraphs of a document: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def vietnamese_date_line(day: dt.date, place: str | None = None) -> str:
    """ "Ba Chẽ, ngày 05 tháng 01 năm 2026": days 1–9 and months 1–2 with a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": settings.XHHT_PLACE if place is None else place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def document_outline(
    sections: list[tuple[str, str, str]], middle: tuple[str, ...] = ("figures", "completeness")
) -> dict:
    """Headings numbered I, II, III… in the order they appear, and the narrative split in paragraphs.

    ``sections`` are (NARRATIVE_FIELDS key, heading, text). When any text was written, the seven
    task groups of the programme all appear, numbered 1.–7. as in the programme (an empty one says
    so); then the parts in ``middle`` (figures…), then shortcomings, next steps and proposals that
    have text. The last paragraph is set apart so that the template keeps it with the signature.
    """
    texts = {key: paragraphs(text) for key, _label, text in sections}
    labels = {key: label for key, label, _text in sections}
    written = any(texts.values())
    task_sections = [
        {"label": labels[key], "paragraphs": texts[key] or [str(_("Không có."))]}
        for key in TASK_KEYS
        if written and key in labels
    ]
    numerals = iter(ROMAN)
    parts = {}
    if task_sections:
        parts["tasks"] = next(numerals)
    for name in middle:
        parts[name] = next(numerals)
    closing_sections = [
        {"numeral": next(numerals), "label": labels[key], "paragraphs": list(texts[key])}
        for key in ("shortcomings", "next_steps", "proposals")
        if texts.get(key)
    ]
    last_paragraph = ""
    if closing_sections:
        last_paragraph = closing_sections[-1]["paragraphs"].pop()
    return {
        "parts": parts,
        "task_sections": task_sections,
        "closing_sections": closing_sections,
        "last_paragraph": last_paragraph,
    }


def listed_units(rollup: Rollup, units: list | None = None) -> list:
    """The units section II lists: the node's children, never every unit below it.

    ``units``: the units to list (default: the children of the rollup's node in the period, or the
    roots of the tree for a plan without an owner). A child that reports itself (a district's
    commune or office) comes with its report's state; a larger one (a province, a district) with
    its subtree's counts (``children_completeness``). Children expected to report nothing are left out.
    """
    if units is None:
        period = rollup.period
        if rollup.node is not None:
            units = list(node_children(rollup.node, period))
        else:
            roots = Unit.objects.filter(parent__isnull=True).active_during(period.start, period.end)
            units = list(roots.order_by("order", "name", "pk"))
    entries = children_completeness(rollup.period, list(units))
    return [entry for entry in entries if not isinstance(entry, ChildCompleteness) or entry.expected]


def report_context(
    rollup: Rollup,
    *,
    today: dt.date | None = None,
    document: ReportDocument | None = None,
    units: list | None = None,
    annex: bool = False,
) -> dict:
    today = today or timezone.localdate()
    if document is None:
        document = report_document(period=rollup.period, unit=getattr(rollup, "node", None)) or ReportDocument(
            letterhead=default_letterhead()
        )
    for block in rollup.sections:
        block.chart = section_bars(block.rows, width=600, font_family=PDF_FONT)
    counts = rollup.status_counts
    letterhead = document.letterhead
    return {
        "rollup": rollup,
        "period": rollup.period,
        "document": document,
        "letterhead": letterhead,
        "number_text": document.number_text,
        "date_line": vietnamese_date_line(document.date if document.issued else today, letterhead.place),
        "status_counts": [(str(label), counts[status]) for status, label in STATUS_LABELS.items()],
        "status_rule": STATUS_RULE,
        "completeness": rollup.period_completeness,
        **document_outline(document.sections),
        "listed_units": listed_units(rollup, units),
        "annex_rows": (rollup.unit_completeness or []) if annex else None,
    }


def render_pdf_html(rollup: Rollup, **options) -> str:
    return render_to_string("reporting/report_pdf.html", report_context(rollup, **options))


def render_pdf(
    rollup: Rollup,
    *,
    today: dt.date | None = None,
    document: ReportDocument | None = None,
    units: list | None = None,
    annex: bool = False,
) -> bytes:
    """The report; ``units``: the units to list (default: the node's children); ``annex``: every unit's state."""
    html = render_pdf_html(rollup, today=today, document=document, units=units, annex=annex)
    return write_pdf(html)


def write_pdf(html: str) -> bytes:
    """A document's HTML as PDF bytes, its static resources read from disk."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).write_pdf()
