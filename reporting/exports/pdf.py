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
from reporting.rollup import STATUS_LABELS, STATUS_RULE, Rollup

# Resources are resolved against this made-up origin and served from disk by StaticFileFetcher:
# WeasyPrint never opens a network connection (fetching /static/ over HTTP from the same server
# deadlocks a single worker, stack-notes §4).
BASE_URL = "https://xhht-report.invalid/"

# The family name of the @font-face rules in report_pdf.html (Liberation Serif from static/fonts).
PDF_FONT = "Liberation Serif"

RECIPIENTS = [
    _("UBND huyện (để báo cáo)"),
    _("Ban Chỉ đạo tỉnh (để báo cáo)"),
    _("Các thành viên Ban Chỉ đạo"),
    _("UBND các xã, thị trấn"),
]


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


def vietnamese_date_line(day: dt.date) -> str:
    """ "Ba Chẽ, ngày 05 tháng 01 năm 2026": days 1–9 and months 1–2 with a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": settings.XHHT_PLACE,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def report_context(rollup: Rollup, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    for block in rollup.sections:
        block.chart = section_bars(block.rows, width=600, font_family=PDF_FONT)
    counts = rollup.status_counts
    return {
        "rollup": rollup,
        "period": rollup.period,
        "issuer_parent": settings.XHHT_ISSUER_PARENT,
        "issuer": settings.XHHT_ISSUER,
        "symbol": settings.XHHT_REPORT_SYMBOL,
        "date_line": vietnamese_date_line(today),
        "signer_title": settings.XHHT_SIGNER_TITLE,
        "signer_name": settings.XHHT_SIGNER_NAME,
        "status_counts": [(str(label), counts[status]) for status, label in STATUS_LABELS.items()],
        "status_rule": STATUS_RULE,
        "completeness": rollup.period_completeness,
        "recipients": RECIPIENTS,
    }


def render_pdf_html(rollup: Rollup, *, today: dt.date | None = None) -> str:
    return render_to_string("reporting/report_pdf.html", report_context(rollup, today=today))


def render_pdf(rollup: Rollup, *, today: dt.date | None = None) -> bytes:
    html = render_pdf_html(rollup, today=today)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).write_pdf()
