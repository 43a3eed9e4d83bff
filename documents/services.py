"""Writes of the documents app: compile, save, issue a consolidated report; attach a signed copy.

Each is one transaction and raises ``DocumentError`` with a message safe to show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import unicodedata

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.letterheads import letterhead_for
from documents.models import ConsolidatedReport, ReportIssue, SignedCopy
from reporting.hooks import Letterhead, ReportDocument
from reporting.models import NARRATIVE_FIELDS, Period, Submission, SubmissionState
from units.models import Unit
from xhht_portal.access import can_edit_unit, can_issue_reports, sees_unit

NARRATIVE_KEYS = [key for key, _label in NARRATIVE_FIELDS]


class DocumentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleReportError(DocumentError):
    pass


class SignedCopyAlreadyWithdrawn(DocumentError):
    pass


# ---------------------------------------------------------------- whose report, from which units


def plan_owner(period: Period) -> Unit | None:
    """The unit whose committee reports on the period's plan.

    The plan's owner once plans are owned by a unit; until then the top of the unit tree that is
    valid at the end of the period (Ba Chẽ district for the 2016–2020 plan).
    """
    owner = getattr(period.plan, "owner", None)
    if owner is not None:
        return owner
    # The deepest unit whose subtree holds every unit the period expects (its path is their
    # common prefix): Ba Chẽ district for the 2016–2020 plan, under the province and the nation.
    paths = [p for p in Unit.objects.reporting().valid_on(period.end).values_list("path", flat=True) if p]
    if not paths:
        tops = Unit.objects.filter(parent__isnull=True).order_by("order", "name")
        return tops.active_on(period.end).first() or tops.first()
    common = paths[0].strip("/").split("/")
    for path in paths[1:]:
        parts = path.strip("/").split("/")
        while common and parts[: len(common)] != common:
            common.pop()
    if not common:
        return None
    owner = Unit.objects.filter(pk=int(common[-1])).first()
    while owner is not None and owner.reporter_code:  # a reporting unit itself: its parent owns the plan
        owner = owner.parent
    return owner


def units_below(unit: Unit):
    """Every unit in ``unit``'s subtree, itself excluded: a queryset, used as a subquery (a prefix
    match on the path), never a list of ids that grows with the tree."""
    return Unit.objects.subtree(unit, include_self=False)


def approved_submissions(*, unit: Unit, period: Period):
    """The approved reports of the units below ``unit`` for the period, in the tree's order."""
    return (
        Submission.objects.filter(period=period, state=SubmissionState.APPROVED, unit__in=units_below(unit))
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )


def compiled_narrative(*, unit: Unit, period: Period) -> dict[str, str]:
    """Per heading, every approved unit's text, each passage attributed: "Xã Thanh Sơn: …"."""
    submissions = list(approved_submissions(unit=unit, period=period))
    narrative = {}
    for key in NARRATIVE_KEYS:
        passages = []
        for submission in submissions:
            text = (getattr(submission, key) or "").strip()
            if text:
                passages.append(f"{submission.unit.name}: {text}")
        narrative[key] = "\n\n".join(passages)
    return narrative


def _clean_narrative(narrative: dict[str, str]) -> dict[str, str]:
    return {key: (narrative.get(key) or "").strip() for key in NARRATIVE_KEYS}


def _locked_report(*, unit: Unit, period: Period) -> ConsolidatedReport | None:
    return ConsolidatedReport.objects.select_for_update().filter(unit=unit, period=period).first()


def _check_version(report: ConsolidatedReport, version: int) -> None:
    if version != report.version:
        raise StaleReportError(
            _(
                "Người khác vừa lưu báo cáo này (%(when)s). Nội dung bạn gõ vẫn còn trên trang: "
                "hãy đối chiếu rồi lưu lại."
            )
            % {"when": timezone.localtime(report.updated_at).strftime("%H:%M %d/%m/%Y")}
        )


# ---------------------------------------------------------------- writes


@transaction.atomic
def report_compile(*, unit: Unit, period: Period, by, replace: bool = False) -> ConsolidatedReport:
    """Start (or restart) the draft from the approved units' text; replacing typed text must be asked for."""
    report = _locked_report(unit=unit, period=period)
    if report is None:
        report = ConsolidatedReport(unit=unit, period=period, version=0)
    elif any((report.narrative or {}).get(key) for key in NARRATIVE_KEYS) and not replace:
        raise DocumentError(_("Dự thảo đã có nội dung: đánh dấu ô xác nhận để thay bằng nội dung soạn lại."))
    report.narrative = compiled_narrative(unit=unit, period=period)
    report.compiled_at = timezone.now()
    report.updated_by = by
    report.version += 1
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone compiled the same report a moment ago: theirs stands, nothing is overwritten.
        raise StaleReportError(_("Người khác vừa soạn dự thảo này: hãy xem lại trang.")) from None
    return report


@transaction.atomic
def report_save(*, report: ConsolidatedReport, by, narrative: dict[str, str], version: int) -> ConsolidatedReport:
    report = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
    _check_version(report, version)
    report.narrative = _clean_narrative(narrative)
    report.updated_by = by
    report.version += 1
    report.save()
    return report


@transaction.atomic
def report_issue(
    *,
    report: ConsolidatedReport,
    by,
    narrative: dict[str, str],
    version: int,
    number: int,
    date: dt.date,
    reason: str = "",
    at: dt.datetime | None = None,
) -> ReportIssue:
    """Issue the text as it stands, with its number and date; the letterhead is frozen with it."""
    report = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
    _check_version(report, version)
    previous = report.issues.aggregate(last=Max("revision"))["last"] or 0
    if previous and not reason.strip():
        raise DocumentError(_("Báo cáo đã ban hành: ghi lý do ban hành lại."))
    clash = (
        ReportIssue.objects.filter(report__unit=report.unit, number=number, date__year=date.year)
        .exclude(report=report)
        .select_related("report__period")
        .first()
    )
    if clash is not None:
        raise DocumentError(
            _("Số %(number)s năm %(year)s đã dùng cho báo cáo %(label)s.")
            % {"number": f"{number:02d}", "year": date.year, "label": clash.report.period.display_label}
        )
    cleaned = _clean_narrative(narrative)
    report.narrative = cleaned
    report.updated_by = by
    report.version += 1
    report.save()
    letterhead = letterhead_for(report.unit, committee=True)
    return ReportIssue.objects.create(
        report=report,
        revision=previous + 1,
        number=number,
        date=date,
        narrative=cleaned,
        letterhead=dataclasses.asdict(letterhead),
        reason=reason.strip(),
        issued_by=by,
        issued_at=at or timezone.now(),
    )


@transaction.atomic
def signed_copy_add(
    *,
    by,
    data: bytes,
    content_type: str,
    original_name: str,
    issue: ReportIssue | None = None,
    submission: Submission | None = None,
) -> SignedCopy:
    """Store a checked scan through Django's storage (MEDIA_ROOT, or S3 when configured)."""
    if (issue is None) == (submission is None):
        raise ValueError("a signed copy belongs to exactly one issue or one submission")
    if submission is not None and submission.state not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED):
        raise DocumentError(_("Chỉ tải bản ký lên báo cáo đã gửi."))
    copy = SignedCopy(
        issue=issue,
        submission=submission,
        original_name=original_name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    copy.file.save("scan", ContentFile(data), save=False)
    try:
        copy.save()
    except Exception:
        copy.file.delete(save=False)  # no orphan file when the row cannot be written
        raise
    return copy


def may_file_signed_copy(user, *, committee: Unit | None = None, submission: Submission | None = None) -> bool:
    """Who may upload (and so withdraw) a scan: the standing agency for its committee's issued
    report, a unit's own officers for their unit's report. The upload views and the withdrawal
    both ask this."""
    if submission is not None:
        return can_edit_unit(user, submission.unit)
    return committee is not None and can_issue_reports(user) and sees_unit(user, committee)


def may_withdraw_signed_copy(user, copy: SignedCopy) -> bool:
    if copy.submission_id:
        return may_file_signed_copy(user, submission=copy.submission)
    return may_file_signed_copy(user, committee=copy.issue.report.unit)


@transaction.atomic
def signed_copy_withdraw(*, copy: SignedCopy, by, reason: str) -> SignedCopy:
    """Mark a scan as withdrawn (wrong file, unreadable page): the row and the file stay, as in an archive.

    One conditional UPDATE, so of two people withdrawing the same copy at once only the first
    succeeds and the second is told who was first; nothing else is written.
    """
    reason = unicodedata.normalize("NFC", reason or "").replace("\x00", "").strip()
    if not reason:
        raise DocumentError(_("Ghi lý do thu hồi bản ký."))
    if len(reason) > SignedCopy.WITHDRAWAL_REASON_MAX:
        raise DocumentError(
            _("Lý do thu hồi quá dài: tối đa %(max)d ký tự (đang có %(count)d).")
            % {"max": SignedCopy.WITHDRAWAL_REASON_MAX, "count": len(reason)}
        )
    if not may_withdraw_signed_copy(by, copy):
        raise DocumentError(_("Bạn không có quyền thu hồi bản ký này."))
    updated = SignedCopy.objects.filter(pk=copy.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason
    )
    copy.refresh_from_db()
    if not updated:
        raise SignedCopyAlreadyWithdrawn(
            _("Bản ký “%(name)s” đã được %(who)s thu hồi lúc %(when)s: không cần thu hồi lại.")
            % {
                "name": copy.original_name,
                "who": copy.withdrawn_by,
                "when": timezone.localtime(copy.withdrawn_at).strftime("%H:%M %d/%m/%Y"),
            }
        )
    return copy


# ---------------------------------------------------------------- what the PDF and the workbook show


def _sections(narrative: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(key, str(label), (narrative or {}).get(key, "")) for key, label in NARRATIVE_FIELDS]


def document_of_issue(issue: ReportIssue) -> ReportDocument:
    fields = {f.name for f in dataclasses.fields(Letterhead)}
    letterhead = Letterhead(**{k: v for k, v in issue.letterhead.items() if k in fields})
    return ReportDocument(
        letterhead=letterhead,
        number=issue.number,
        date=issue.date,
        sections=_sections(issue.narrative),
        issued=True,
        revision=issue.revision,
    )


def document_of_draft(report: ConsolidatedReport) -> ReportDocument:
    return ReportDocument(letterhead=letterhead_for(report.unit, committee=True), sections=_sections(report.narrative))


def report_document_for(*, period: Period, unit: Unit | None = None) -> ReportDocument | None:
    """The reporting.hooks provider: the issued version if any, else the draft, else the letterhead alone."""
    owner = plan_owner(period)
    unit = unit or owner
    if unit is None:
        return None
    report = ConsolidatedReport.objects.filter(unit=unit, period=period).first()
    if report is not None:
        issue = report.latest_issue
        return document_of_issue(issue) if issue else document_of_draft(report)
    # Another node's figures (a commune's dashboard): under that unit's own letterhead.
    committee = owner is not None and unit.pk == owner.pk
    return ReportDocument(letterhead=letterhead_for(unit, committee=committee))
