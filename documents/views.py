"""The consolidated report (compile → edit → issue, re-issue with history), unit report PDFs, signed copies.

Every object is fetched through ``xhht_portal.access``: outside the unit → 404, a read-only role
→ 403, a wrong method → 405. Writes go through ``documents.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import services
from documents.forms import CompileForm, ReportForm, SignedCopyForm, WithdrawSignedCopyForm
from documents.letterheads import letterhead_for
from documents.models import ConsolidatedReport, ReportIssue, SignedCopy
from documents.uploads import max_bytes
from reporting.models import NARRATIVE_FIELDS, Period, Submission, SubmissionState
from units.models import Unit
from xhht_portal.access import can_issue_reports, require, sees_all_units, sees_unit

COPY_RELATED = ("uploaded_by", "withdrawn_by")
SOURCES_NAMED = 30  # units named in the draft's sources on the report page, approved and not

# ---------------------------------------------------------------- access


def _owner_report(request, unit_code: str, period_code: str) -> tuple[Unit, Period, ConsolidatedReport | None]:
    """The consolidated report of (unit, period): only the plan owner's, only for who may see that unit."""
    period = get_object_or_404(Period.objects.select_related("plan"), code=period_code)
    unit = Unit.objects.resolve(unit_code, on=period.end)  # a code names a unit only with its dates
    if unit is None or not sees_unit(request.user, unit):
        raise Http404
    owner = services.plan_owner(period)
    if owner is None or owner.pk != unit.pk:
        raise Http404
    report = ConsolidatedReport.objects.filter(unit=unit, period=period).first()
    return unit, period, report


def _visible_submission(request, pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("unit", "unit__parent", "period", "period__plan"),
        pk=pk,
    )


def _visible_copy(request, pk: int) -> SignedCopy:
    """A signed copy, current or withdrawn, for those who may see its report; anyone else gets 404."""
    copy = get_object_or_404(
        SignedCopy.objects.select_related("issue__report__unit", "issue__report__period", "submission__unit"), pk=pk
    )
    if copy.submission_id:
        allowed = Submission.objects.visible_to(request.user).filter(pk=copy.submission_id).exists()
    else:
        allowed = sees_unit(request.user, copy.issue.report.unit)
    if not allowed:
        raise Http404
    return copy


def _with_withdraw_forms(copies, *, allowed: bool, bound: WithdrawSignedCopyForm | None = None, bound_pk=None):
    """The copies as a list, each current one carrying its reason form when the person may withdraw it
    (the bound form, with what was typed, on the copy just refused)."""
    copies = list(copies)
    for copy in copies:
        copy.withdraw_form = None
        if allowed and not copy.is_withdrawn:
            if bound is not None and copy.pk == bound_pk:
                copy.withdraw_form = bound
            else:
                copy.withdraw_form = WithdrawSignedCopyForm(auto_id=_withdraw_auto_id(copy.pk))
    return copies


def _withdraw_auto_id(pk: int) -> str:
    """Field ids of one copy's form: several copies on one page, each with its own reason box."""
    return f"id_withdraw_{pk}_%s"


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the consolidated report


@require_GET
@login_required
def report_index(request):
    """Every period and where the committee's report for it stands."""
    require(sees_all_units(request.user))
    periods = list(Period.objects.select_related("plan").order_by("-end", "code"))
    owners: dict[int, Unit | None] = {}
    for period in periods:
        if period.plan_id not in owners:
            owners[period.plan_id] = services.plan_owner(period)
    reports = {
        (r.unit_id, r.period_id): r
        for r in ConsolidatedReport.objects.annotate(issue_count=Count("issues")).prefetch_related(
            Prefetch("issues", queryset=ReportIssue.objects.order_by("-revision"))
        )
    }
    # Approved reports of the units below each period's owner (as the report page counts them), in one query.
    below_owner = Q(pk__in=[])
    for plan_id, owner in owners.items():
        if owner is not None and owner.path:
            below_owner |= Q(period__plan_id=plan_id, unit__path__startswith=owner.path) & ~Q(unit_id=owner.pk)
    approved = dict(
        Submission.objects.filter(below_owner, state=SubmissionState.APPROVED)
        .values_list("period_id")
        .annotate(n=Count("pk"))
        .values_list("period_id", "n")
    )
    rows = []
    for period in periods:
        owner = owners[period.plan_id]
        if owner is None:
            continue
        report = reports.get((owner.pk, period.pk))
        issues = list(report.issues.all()) if report else []
        rows.append(
            {
                "period": period,
                "owner": owner,
                "report": report,
                "issue": issues[0] if issues else None,
                "approved": approved.get(period.pk, 0),
            }
        )
    return render(request, "documents/report_index.html", {"rows": rows})


def _render_report(
    request,
    *,
    unit,
    period,
    report,
    form=None,
    compile_form=None,
    upload_form=None,
    withdraw_form=None,
    withdraw_pk=None,
    error="",
    status=200,
):
    issuer = can_issue_reports(request.user)
    issues = (
        list(
            report.issues.select_related("issued_by").prefetch_related(
                Prefetch("signed_copies", queryset=SignedCopy.objects.select_related(*COPY_RELATED))
            )
        )
        if report
        else []
    )
    may_withdraw = services.may_file_signed_copy(request.user, committee=unit)
    for issue in issues:
        issue.copies = _with_withdraw_forms(
            issue.signed_copies.all(), allowed=may_withdraw, bound=withdraw_form, bound_pk=withdraw_pk
        )
    latest = issues[0] if issues else None
    if report is not None and issuer and form is None:
        form = ReportForm(
            initial={**(report.narrative or {}), "version": report.version}, period=period, reissue=latest is not None
        )
    # The sources of the draft: counted, and named up to SOURCES_NAMED each (a province has 54
    # communes, a nation thousands): the page does not grow with the tree.
    submissions = (
        Submission.objects.filter(period=period, unit__in=services.units_below(unit))
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )
    is_approved = Q(state=SubmissionState.APPROVED)
    counts = submissions.aggregate(approved=Count("pk", filter=is_approved), waiting=Count("pk", filter=~is_approved))
    approved = list(submissions.filter(is_approved)[:SOURCES_NAMED])
    waiting = list(submissions.exclude(is_approved)[:SOURCES_NAMED])
    shown = (latest.narrative if latest else (report.narrative if report else {})) or {}
    changed = bool(latest and report and (report.narrative or {}) != (latest.narrative or {}))
    context = {
        "unit": unit,
        "period": period,
        "report": report,
        "issues": issues,
        "latest": latest,
        "issuer": issuer,
        "form": form,
        "narrative_fields": [{"field": form[key], "rows": _rows(form[key].value())} for key, _label in NARRATIVE_FIELDS]
        if form is not None
        else [],
        "form_open": latest is None or (form is not None and form.is_bound),
        # Read-only roles read what was issued; the draft only while nothing is.
        "shown_text": [(label, shown.get(key, "")) for key, label in NARRATIVE_FIELDS],
        "symbol": latest.letterhead.get("symbol") if latest else letterhead_for(unit, committee=True).symbol,
        "compile_form": compile_form or CompileForm(),
        "upload_form": upload_form or SignedCopyForm(),
        "approved": approved,
        "waiting": waiting,
        "approved_count": counts["approved"],
        "approved_more": counts["approved"] - len(approved),
        "waiting_more": counts["waiting"] - len(waiting),
        "changed_since_issue": changed,
        "error": error,
    }
    return render(request, "documents/report_page.html", context, status=status)


def _rows(text) -> int:
    """A textarea tall enough for the compiled text (up to a screenful), never a slit."""
    lines = sum(1 + len(line) // 110 for line in str(text or "").splitlines())
    return max(4, min(24, lines + 1))


@require_http_methods(["GET", "POST"])
@login_required
def report_page(request, unit_code: str, period_code: str):
    """Read the report; the standing agency edits the draft and issues it with a number and date."""
    unit, period, report = _owner_report(request, unit_code, period_code)
    if request.method == "GET":
        return _render_report(request, unit=unit, period=period, report=report)
    require(can_issue_reports(request.user))
    if report is None:
        messages.error(request, _("Chưa có dự thảo: hãy soạn dự thảo từ báo cáo các đơn vị trước."))
        return redirect("documents:report_page", unit_code=unit.code, period_code=period.code)
    issuing = request.POST.get("action") == "issue"
    form = ReportForm(request.POST, issuing=issuing, reissue=report.issues.exists(), period=period)
    if not form.is_valid():  # the page's error summary says so, once, with a link to each field
        return _render_report(request, unit=unit, period=period, report=report, form=form)
    try:
        if issuing:
            issue = services.report_issue(
                report=report,
                by=request.user,
                narrative=form.narrative(),
                version=form.cleaned_data["version"],
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Đã ban hành báo cáo số %(number)s ngày %(date)s.")
                % {"number": issue.number_text, "date": issue.date.strftime("%d/%m/%Y")},
            )
        else:
            services.report_save(
                report=report, by=request.user, narrative=form.narrative(), version=form.cleaned_data["version"]
            )
            messages.success(request, _("Đã lưu dự thảo."))
    except services.StaleReportError as exc:
        data = request.POST.copy()
        report.refresh_from_db()
        data["version"] = str(report.version)
        form = ReportForm(data, issuing=issuing, reissue=report.issues.exists(), period=period)
        form.is_valid()
        return _render_report(
            request, unit=unit, period=period, report=report, form=form, error=exc.message, status=409
        )
    except services.DocumentError as exc:
        return _render_report(request, unit=unit, period=period, report=report, form=form, error=exc.message)
    return redirect("documents:report_page", unit_code=unit.code, period_code=period.code)


@require_POST
@login_required
def report_compile(request, unit_code: str, period_code: str):
    """Build (or rebuild) the draft from the approved units' text."""
    unit, period, report = _owner_report(request, unit_code, period_code)
    require(can_issue_reports(request.user))
    compile_form = CompileForm(request.POST)
    compile_form.is_valid()
    try:
        services.report_compile(
            unit=unit, period=period, by=request.user, replace=compile_form.cleaned_data.get("replace", False)
        )
    except services.DocumentError as exc:
        compile_form.add_error("replace", exc.message)
        return _render_report(request, unit=unit, period=period, report=report, compile_form=compile_form)
    messages.success(request, _("Đã soạn dự thảo từ báo cáo đã duyệt của các đơn vị."))
    return redirect("documents:report_page", unit_code=unit.code, period_code=period.code)


@require_GET
@login_required
def report_pdf(request, unit_code: str, period_code: str):
    """The report as issued (or one earlier issue: ?revision=N); before any issue, the draft marked as such."""
    from reporting.exports.pdf import render_pdf
    from reporting.rollup import compute_rollup

    unit, period, report = _owner_report(request, unit_code, period_code)
    document = None
    suffix = ""
    revision = request.GET.get("revision", "")
    if revision:
        # ASCII digits, at most 9 of them: "²" passes isdigit() but not int(), and int() refuses
        # thousands of digits (both were a 500); no report has a billion revisions.
        readable = revision.isascii() and revision.isdigit() and len(revision) <= 9
        issue = report.issues.filter(revision=int(revision)).first() if report is not None and readable else None
        if issue is None:
            raise Http404
        document = services.document_of_issue(issue)
        suffix = f"-lan-{issue.revision}"
    else:
        from reporting.exports.report import runs_in_background

        if runs_in_background(period, node=unit):
            # A province's or the country's report: the same file, made by a background job.
            return redirect("reporting:dashboard_pdf", period_code=period.code)
        document = services.report_document_for(period=period, unit=unit)
    rollup = compute_rollup(period=period, units=True, node=unit)
    return _download(render_pdf(rollup, document=document), f"bao-cao-{unit.code}-{period.code}{suffix}.pdf")


@require_POST
@login_required
def report_signed_upload(request, unit_code: str, period_code: str):
    """The scan of the signed, stamped report, attached to its latest issue."""
    unit, period, report = _owner_report(request, unit_code, period_code)
    require(services.may_file_signed_copy(request.user, committee=unit))
    issue = report.latest_issue if report else None
    if issue is None:
        messages.error(request, _("Báo cáo chưa ban hành: chưa thể tải bản ký lên."))
        return redirect("documents:report_page", unit_code=unit.code, period_code=period.code)
    form = SignedCopyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa tải lên: xem thông báo bên cạnh ô chọn tệp."))
        return _render_report(request, unit=unit, period=period, report=report, upload_form=form)
    services.signed_copy_add(
        by=request.user,
        data=form.content,
        content_type=form.content_type,
        original_name=form.original_name,
        issue=issue,
    )
    messages.success(request, _("Đã lưu bản ký, đóng dấu của báo cáo số %s.") % issue.number_text)
    return redirect("documents:report_page", unit_code=unit.code, period_code=period.code)


# ---------------------------------------------------------------- a unit's own report


@require_GET
@login_required
def submission_pdf(request, pk: int):
    """A unit's report for a period as a Decree 30 document under its own letterhead."""
    from documents.pdf import render_submission_pdf

    submission = _visible_submission(request, pk)
    content = render_submission_pdf(submission)
    return _download(content, f"bao-cao-{submission.unit.code}-{submission.period.code}.pdf")


def _render_submission_signed(request, submission, form, *, withdraw_form=None, withdraw_pk=None, error="", status=200):
    copies = _with_withdraw_forms(
        submission.signed_copies.select_related(*COPY_RELATED),
        allowed=services.may_file_signed_copy(request.user, submission=submission),
        bound=withdraw_form,
        bound_pk=withdraw_pk,
    )
    return render(
        request,
        "documents/submission_signed.html",
        {
            "submission": submission,
            "period": submission.period,
            "copies": copies,
            "error": error,
            "form": form,
            "max_mb": max_bytes() // (1024 * 1024),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def submission_signed(request, pk: int):
    """The unit's officers upload the scan of their signed, stamped report once it is sent."""
    submission = _visible_submission(request, pk)
    require(services.may_file_signed_copy(request.user, submission=submission))
    if request.method == "GET":
        return _render_submission_signed(request, submission, SignedCopyForm())
    form = SignedCopyForm(request.POST, request.FILES)
    if submission.state not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED):
        form.is_valid()
        form.add_error(None, _("Chỉ tải bản ký lên báo cáo đã gửi."))
    if not form.is_valid():
        messages.error(request, _("Chưa tải lên: xem thông báo bên cạnh ô chọn tệp."))
        return _render_submission_signed(request, submission, form)
    services.signed_copy_add(
        by=request.user,
        data=form.content,
        content_type=form.content_type,
        original_name=form.original_name,
        submission=submission,
    )
    messages.success(request, _("Đã lưu bản ký, đóng dấu của báo cáo."))
    return redirect("reporting:submission_detail", pk=submission.pk)


# ---------------------------------------------------------------- signed copies


@require_GET
@login_required
def signed_copy_download(request, pk: int):
    """Only those who may see the report may download its signed copy; anyone else gets 404.

    A withdrawn copy stays downloadable for them: an auditor sees what was filed and then withdrawn.
    """
    copy = _visible_copy(request, pk)
    return FileResponse(
        copy.file.open("rb"), as_attachment=True, filename=copy.original_name, content_type=copy.content_type
    )


@require_POST
@login_required
def signed_copy_withdraw(request, pk: int):
    """Withdraw a wrong scan with a reason; it stays listed, marked withdrawn, and the right one can be uploaded."""
    copy = _visible_copy(request, pk)
    require(services.may_withdraw_signed_copy(request.user, copy))
    form = WithdrawSignedCopyForm(request.POST, auto_id=_withdraw_auto_id(copy.pk))
    error, status = "", 200
    if form.is_valid():
        try:
            services.signed_copy_withdraw(copy=copy, by=request.user, reason=form.cleaned_data["reason"])
        except services.SignedCopyAlreadyWithdrawn as exc:
            error, status = exc.message, 409  # someone was first: the page shows it withdrawn, by whom
        except services.DocumentError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(
                request,
                _("Đã thu hồi bản ký “%(name)s”. Bản này vẫn được lưu trong lịch sử; hãy tải lên bản đúng.")
                % {"name": copy.original_name},
            )
            if copy.submission_id:
                return redirect("documents:submission_signed", pk=copy.submission_id)
            report = copy.issue.report
            return redirect("documents:report_page", unit_code=report.unit.code, period_code=report.period.code)
    if not error:
        messages.error(request, _("Chưa thu hồi: xem thông báo bên cạnh ô lý do thu hồi."))
    if copy.submission_id:
        submission = _visible_submission(request, copy.submission_id)
        return _render_submission_signed(
            request, submission, SignedCopyForm(), withdraw_form=form, withdraw_pk=copy.pk, error=error, status=status
        )
    report = copy.issue.report
    return _render_report(
        request,
        unit=report.unit,
        period=report.period,
        report=report,
        withdraw_form=form,
        withdraw_pk=copy.pk,
        error=error,
        status=status,
    )


# ---------------------------------------------------------------- hooks: submission page panel, menu


def submission_panel(request, submission, *, where: str) -> list[dict]:
    copies = list(submission.signed_copies.select_related(*COPY_RELATED))
    own = services.may_file_signed_copy(request.user, submission=submission)
    can_upload = own and submission.state in (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
    # The signed-copy page also withdraws: linked while there is a current copy to withdraw.
    can_manage = can_upload or (own and any(not copy.is_withdrawn for copy in copies))
    context = {"submission": submission, "copies": copies, "can_manage": can_manage, "where": where}
    return [render_to_string("documents/_submission_panel.html", context, request=request)]


def nav_items(request) -> list[dict]:
    if not sees_all_units(request.user):
        return []
    return [{"url": reverse("documents:report_index"), "label": _("Báo cáo tổng hợp")}]


app_name = "documents"
urlpatterns = [
    path("", report_index, name="report_index"),
    path("report/<str:unit_code>/<str:period_code>/", report_page, name="report_page"),
    path("report/<str:unit_code>/<str:period_code>/compile/", report_compile, name="report_compile"),
    path("report/<str:unit_code>/<str:period_code>/report.pdf", report_pdf, name="report_pdf"),
    path("report/<str:unit_code>/<str:period_code>/signed/", report_signed_upload, name="report_signed_upload"),
    path("submission/<int:pk>/report.pdf", submission_pdf, name="submission_pdf"),
    path("submission/<int:pk>/signed/", submission_signed, name="submission_signed"),
    path("signed/<int:pk>/", signed_copy_download, name="signed_copy_download"),
    path("signed/<int:pk>/withdraw/", signed_copy_withdraw, name="signed_copy_withdraw"),
]
