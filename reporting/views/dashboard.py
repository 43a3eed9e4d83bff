"""The progress dashboard, its drill-down pages and the district report downloads.

For the roles that see every unit (Education Office reviewer, leaders, administrators); anyone
else who is logged in gets 403. Every figure comes from ``reporting.rollup.compute_rollup``.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from reporting.charts import section_bars, trend_chart
from reporting.exports.report import FORMATS, report_filename, report_units, runs_in_background, write_report
from reporting.models import Period
from reporting.rollup import STATUS_CSS, STATUS_LABELS, STATUS_RULE, compute_rollup, default_period, unit_completeness
from targets.models import Target
from xhht_portal.access import require, sees_all_units
from xhht_portal.home import register_home_context, register_nav_items
from xhht_portal.jobs import job_start


def submission_url(submission_id: int | None) -> str | None:
    """The approved report behind a figure, once the report pages exist (reports app)."""
    if not submission_id:
        return None
    try:
        return reverse("reporting:submission_detail", args=[submission_id])
    except NoReverseMatch:
        return None


def _period_or_404(code: str) -> Period:
    return get_object_or_404(Period.objects.select_related("plan"), code=code)


def _chosen_period(request) -> Period | None:
    code = request.GET.get("period", "").strip()
    if code:
        return _period_or_404(code)
    return default_period()


def _status_summary(rollup) -> list[tuple[str, str, int]]:
    """(css class, label, number of targets) per status."""
    counts = rollup.status_counts
    return [(STATUS_CSS[status], str(label), counts[status]) for status, label in STATUS_LABELS.items()]


def _decorate(rollup) -> None:
    """Attach the server-rendered charts to the rows (the same SVG goes into the PDF)."""
    for block in rollup.sections:
        block.chart = section_bars(block.rows)
        for row in block.rows:
            row.chart = trend_chart(row, width=224, height=96)


@require_GET
@login_required
def dashboard(request):
    require(sees_all_units(request.user))
    period = _chosen_period(request)
    if period is None:
        return render(request, "reporting/dashboard_empty.html")
    rollup = compute_rollup(period=period)
    _decorate(rollup)
    periods = Period.objects.filter(plan_id=period.plan_id).order_by("end", "code")
    return render(
        request,
        "reporting/dashboard.html",
        {
            "rollup": rollup,
            "period": period,
            "periods": periods,
            "status_summary": _status_summary(rollup),
            "status_rule": STATUS_RULE,
            # The rollup counted the expected units already: no query more.
            "export_in_background": runs_in_background(
                period, rollup.period_completeness.expected if rollup.period_completeness else 0
            ),
        },
    )


@require_GET
@login_required
def dashboard_target(request, period_code: str, pk: int):
    require(sees_all_units(request.user))
    period = _period_or_404(period_code)
    target = get_object_or_404(Target.objects.select_related("indicator", "section"), pk=pk)
    if target.indicator.plan_id != period.plan_id or target.year != period.milestone_year:
        raise Http404
    rollup = compute_rollup(period=period, target=target)
    row = rollup.rows[0]
    row.chart = trend_chart(row, width=240, height=100)
    for figure in row.units:
        figure.report_url = submission_url(figure.submission_id)
    return render(
        request,
        "reporting/dashboard_target.html",
        {"rollup": rollup, "period": period, "row": row, "status_rule": STATUS_RULE},
    )


@require_GET
@login_required
def dashboard_completeness(request, period_code: str):
    require(sees_all_units(request.user))
    period = _period_or_404(period_code)
    units = unit_completeness(period)
    for entry in units:
        entry.report_url = submission_url(entry.submission_id)
    return render(
        request,
        "reporting/dashboard_completeness.html",
        {"period": period, "units": units},
    )


def _export(request, period_code: str, fmt: str):
    """GET: the file at once for a small report, else a page offering to make it in the background.
    POST: make it in the background (a job with a progress page, then a download)."""
    require(sees_all_units(request.user))
    period = _period_or_404(period_code)
    label = {"pdf": _("Báo cáo PDF"), "xlsx": _("Bảng Excel")}[fmt]
    if request.method == "POST":
        job = job_start(
            kind=f"report_{fmt}",
            owner=request.user,
            title=f"{label} · {period.label}",
            params={"period": period.code},
        )
        return redirect(job)
    if runs_in_background(period):
        return render(
            request,
            "reporting/export_start.html",
            {"period": period, "label": label, "units": report_units(period), "fmt": fmt},
        )
    buffer = io.BytesIO()
    write_report(period=period, fmt=fmt, stream=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(period, fmt)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def dashboard_pdf(request, period_code: str):
    return _export(request, period_code, "pdf")


@require_http_methods(["GET", "POST"])
@login_required
def dashboard_xlsx(request, period_code: str):
    return _export(request, period_code, "xlsx")


@register_nav_items
def dashboard_nav(request) -> list[dict]:
    if not sees_all_units(request.user):
        return []
    return [{"url": reverse("reporting:dashboard"), "label": _("Tiến độ")}]


@register_home_context
def dashboard_home(request) -> dict:
    """A compact summary for the reviewer, leader and admin home pages."""
    if not sees_all_units(request.user):
        return {}
    period = default_period()
    if period is None:
        return {"dashboard_summary": None}
    rollup = compute_rollup(period=period)
    return {
        "dashboard_summary": {
            "period": period,
            "milestone_year": rollup.milestone_year,
            "statuses": _status_summary(rollup),
            "completeness": rollup.period_completeness,
        }
    }


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/<str:period_code>/target/<int:pk>/", dashboard_target, name="dashboard_target"),
    path("dashboard/<str:period_code>/completeness/", dashboard_completeness, name="dashboard_completeness"),
    path("dashboard/<str:period_code>/report.pdf", dashboard_pdf, name="dashboard_pdf"),
    path("dashboard/<str:period_code>/report.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
]
