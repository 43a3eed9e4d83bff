"""A unit's own report as a Decree 30 PDF: its letterhead, its figures, its narrative."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.letterheads import letterhead_for, running_name
from reporting import services as reporting_services
from reporting.exports.pdf import document_outline, vietnamese_date_line, write_pdf
from reporting.models import NARRATIVE_FIELDS, Submission, SubmissionState
from targets.models import Entry, Indicator, Measure
from targets.numbers import format_number


def _count(value) -> str:
    return format_number(value, 0) if value is not None else "—"


def _share(indicator: Indicator, numerator, denominator) -> str:
    if indicator.entry != Entry.FRACTION or numerator is None or not denominator:
        return ""
    if indicator.measure == Measure.PER_10000:
        return _("%s/1 vạn dân") % format_number(Decimal(numerator) * 10000 / Decimal(denominator))
    return f"{format_number(Decimal(numerator) * 100 / Decimal(denominator))}%"


def figure_groups(submission: Submission) -> list[dict]:
    """The unit's figures by topic of the plan: one row per indicator, each part labelled."""
    values = {v.indicator_id: v for v in submission.values.all()}
    groups: list[dict] = []
    for indicator in reporting_services.indicators_for(submission.unit, submission.period):
        if not groups or groups[-1]["topic"] != indicator.topic:
            groups.append({"topic": indicator.topic, "rows": []})
        value = values.get(indicator.pk)
        parts = []
        if indicator.entry == Entry.YESNO:
            flags = list(value.flags or []) if value else []
            for index, answer in enumerate(indicator.answers):
                flag = flags[index] if index < len(flags) else None
                parts.append((answer, "—" if flag is None else (_("Đạt") if flag else _("Chưa đạt"))))
        else:
            if indicator.entry in (Entry.FRACTION, Entry.NUMBER):
                parts.append((indicator.numerator_label or _("Số lượng"), _count(value.numerator if value else None)))
            if indicator.entry in (Entry.FRACTION, Entry.TOTAL):
                parts.append(
                    (indicator.denominator_label or _("Tổng số"), _count(value.denominator if value else None))
                )
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "parts": parts,
                "share": _share(indicator, value.numerator, value.denominator) if value else "",
            }
        )
    return groups


def submission_context(submission: Submission) -> dict:
    letterhead = letterhead_for(submission.unit)
    sections = [(key, str(label), getattr(submission, key)) for key, label in NARRATIVE_FIELDS]
    sent = submission.submitted_at
    day = timezone.localtime(sent).date() if sent else timezone.localdate()
    return {
        "submission": submission,
        "unit": submission.unit,
        "period": submission.period,
        "letterhead": letterhead,
        "number_text": "",
        "date_line": vietnamese_date_line(day, letterhead.place),
        "draft": submission.state not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED),
        "groups": figure_groups(submission),
        "reporter": running_name(submission.unit),
        **document_outline(sections, middle=("figures",)),
    }


def render_submission_pdf(submission: Submission) -> bytes:
    return write_pdf(render_to_string("documents/submission_pdf.html", submission_context(submission)))
