"""The progress dashboard of any node of the unit tree, its drill-down pages and report downloads.

``/dashboard/`` shows the node of the user's role (the province for province leadership, the
commune for a commune's leadership or officer, the district for the historical district roles);
``/dashboard/unit/<pk>/`` shows any node the user may see, for drilling down. A node's figures
are its subtree's, against the plan owned by the node or its nearest ancestor, in force for the
period. Who may see which node: ``xhht_portal.access.can_view_node``. Every figure comes from
``reporting.rollup.compute_rollup``.
"""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from reporting.charts import section_bars, trend_chart
from reporting.exports.report import FORMATS, report_filename, report_units, runs_in_background, write_report
from reporting.models import Period
from reporting.nodes import children as node_children
from reporting.nodes import home_node, node_chain, plan_periods
from reporting.rollup import (
    STATUS_CSS,
    STATUS_LABELS,
    STATUS_RULE,
    children_completeness,
    compute_rollup,
    dashboard_stamp,
    default_period,
)
from targets.models import Target
from units.models import Unit
from xhht_portal.access import can_view_node, home_territory, may_use_dashboard, require, sees_all_units
from xhht_portal.home import register_home_context, register_nav_items
from xhht_portal.jobs import job_start

CHILDREN_PER_PAGE = 50


def submission_url(submission_id: int | None) -> str | None:
    """The approved report behind a figure, once the report pages exist (reports app)."""
    if not submission_id:
        return None
    try:
        return reverse("reporting:submission_detail", args=[submission_id])
    except NoReverseMatch:
        return None


def _node_or_404(request, pk: int | None, stamp: tuple | None = None) -> Unit | None:
    """The node asked for (or the user's own); 403 for a role without a dashboard, 404 outside one's tree.

    ``stamp``: the data stamp, under which the node is kept in the cache (a unit's change moves it).
    """
    require(may_use_dashboard(request.user))
    if pk is None:
        return home_node(request.user)
    key = f"dashboard-unit:{hashlib.sha256(repr((stamp, pk)).encode()).hexdigest()}" if stamp else None
    node = cache.get(key) if key else None
    if node is None:
        node = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
        if key:
            cache.set(key, node, timeout=24 * 3600)
    if not can_view_node(request.user, node):
        raise Http404
    return node


def _period_for(node: Unit | None, code: str | None, chain: list[int] | None = None) -> tuple[Period | None, list]:
    """(the period asked for, the node's periods): 404 for a period that is not the node's; without
    a code, the latest with approved data in the node's subtree."""
    if node is None:
        if code:
            period = get_object_or_404(Period.objects.select_related("plan", "plan__owner"), code=code)
        else:
            period = default_period()
        return period, list(Period.objects.filter(plan_id=period.plan_id)) if period else []
    periods = plan_periods(node, chain)
    if code:
        return _named(periods, code), periods
    return default_period(node=node, periods=periods), periods


def _named(periods: list[Period], code: str) -> Period:
    """The node's period of that code; 404 for a period that is not the node's."""
    period = next((p for p in periods if p.code == code), None)
    if period is None:
        raise Http404
    return period


def _navigation(node: Unit | None, code: str | None, stamp: tuple) -> tuple[list[Unit], Period | None, list[Period]]:
    """(the node's ancestors from the top down, the period asked for, the node's periods), as ``_period_for``.

    They are the same for every user and change only with the units, plans, periods and approved
    data, all of which change ``dashboard_stamp``: kept in the cache under it (and the day, which
    moves the default period), so a dashboard served from the cache reads no tree, plan or period.
    """
    if node is None:  # no node of one's own: the period's plan owner's (uncached, a rare case)
        period, periods = _period_for(None, code)
        owner = period.plan.owner if period is not None else None
        return _trail(owner, _chain(owner)), period, periods
    key = (
        "dashboard-nav:" + hashlib.sha256(repr((stamp, node.pk, timezone.localdate().isoformat())).encode()).hexdigest()
    )
    nav = cache.get(key)
    if nav is None:
        chain = _chain(node)
        default, periods = _period_for(node, None, chain)
        nav = {"trail": _trail(node, chain), "periods": periods, "default": default}
        cache.set(key, nav, timeout=24 * 3600)
    period = _named(nav["periods"], code) if code else nav["default"]
    return nav["trail"], period, nav["periods"]


def _trail(node: Unit | None, chain: list[int]) -> list[Unit]:
    """The node's ancestors from the top down, the node itself last (one query)."""
    if node is None:
        return []
    if len(chain) == 1:
        return [node]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=chain).select_related("parent")}
    return [units[pk] for pk in reversed(chain) if pk in units]


def _breadcrumbs(request, node: Unit | None, chain: list[int], trail: list[Unit] | None = None) -> list[Unit]:
    """The node's ancestors the user may see, from the top down (the node itself last)."""
    trail = _trail(node, chain) if trail is None else trail
    return [u for u in trail if can_view_node(request.user, u)]


def _chain(node: Unit | None) -> list[int]:
    return node_chain([node.pk])[node.pk] if node is not None else []


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


def _node_urls(node: Unit | None, period: Period) -> dict[str, str]:
    """The node's own pages for a period (the user's home node keeps the short addresses)."""
    if node is None:
        return {
            "dashboard": reverse("reporting:dashboard"),
            "completeness": reverse("reporting:dashboard_completeness", args=[period.code]),
            "pdf": reverse("reporting:dashboard_pdf", args=[period.code]),
            "xlsx": reverse("reporting:dashboard_xlsx", args=[period.code]),
        }
    return {
        "dashboard": reverse("reporting:node_dashboard", args=[node.pk]),
        "completeness": reverse("reporting:node_completeness", args=[node.pk, period.code]),
        "pdf": reverse("reporting:node_pdf", args=[node.pk, period.code]),
        "xlsx": reverse("reporting:node_xlsx", args=[node.pk, period.code]),
    }


def _target_url(node: Unit | None, period: Period, target_pk: int) -> str:
    if node is None:
        return reverse("reporting:dashboard_target", args=[period.code, target_pk])
    return reverse("reporting:node_target", args=[node.pk, period.code, target_pk])


def _cache_key(request, node: Unit | None, period: Period, stamp: tuple) -> str:
    """What the figures of a dashboard depend on: the data (``dashboard_stamp``), the node, the
    period, the day (lateness), the language and what the user may see."""
    user = request.user
    home = home_territory(user)
    parts = (
        stamp,
        node.pk if node is not None else None,
        period.pk,
        timezone.localdate().isoformat(),
        get_language(),
        user.is_superuser,
        sees_all_units(user),
        home.pk if home is not None else None,
    )
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _dashboard(request, node: Unit | None, stamp: tuple):
    """The page around the figures is made per request; the figures themselves are rendered once
    per change of the data and served from the cache (a few ms at any size), never stale."""
    trail, period, periods = _navigation(node, request.GET.get("period", "").strip() or None, stamp)
    if period is None:
        return render(request, "reporting/dashboard_empty.html", {"node": node})
    node = node if node is not None else period.plan.owner
    urls = _node_urls(node, period)
    key = _cache_key(request, node, period, stamp)
    cached = cache.get(key)
    rollup = None
    if cached is None:
        rollup = compute_rollup(period=period, node=node)
        _decorate(rollup)
        for row in rollup.rows:
            row.drill_url = _target_url(node, period, row.target.pk)
        # A period before the node existed has no completeness page of its own: no link.
        own = {p.pk for p in periods}
        for entry in rollup.completeness:
            entry.url = _node_urls(node, entry.period)["completeness"] if entry.period.pk in own else None
        body = render_to_string(
            "reporting/_dashboard_body.html",
            {
                "rollup": rollup,
                "node": node,
                "period": period,
                "urls": urls,
                "status_summary": _status_summary(rollup),
                "status_rule": STATUS_RULE,
            },
        )
        completeness = rollup.period_completeness
        cached = {
            "body": body,
            "milestone_year": rollup.milestone_year,
            "expected": completeness.expected if completeness else 0,
        }
        cache.set(key, cached, timeout=24 * 3600)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "body": mark_safe(cached["body"]),  # rendered by our own template above
            "rollup": rollup,  # only when just computed (tests look at it)
            "milestone_year": cached["milestone_year"],
            "node": node,
            "period": period,
            "periods": periods,
            "urls": urls,
            "breadcrumbs": _breadcrumbs(request, node, [], trail),
            # The rollup counted the expected units already: no query more.
            "export_in_background": runs_in_background(period, cached["expected"]),
        },
    )


@require_GET
@login_required
def dashboard(request):
    node = _node_or_404(request, None)
    return _dashboard(request, node, dashboard_stamp())


@require_GET
@login_required
def node_dashboard(request, node_pk: int):
    stamp = dashboard_stamp()
    return _dashboard(request, _node_or_404(request, node_pk, stamp), stamp)


def _page(request, items):
    return Paginator(items, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))


def _target(request, node: Unit | None, period_code: str, pk: int):
    chain = _chain(node)
    period, _periods = _period_for(node, period_code, chain)
    target = get_object_or_404(Target.objects.select_related("indicator", "section"), pk=pk)
    if target.indicator.plan_id != period.plan_id or target.year != period.milestone_year:
        raise Http404
    node = node or period.plan.owner
    page = _page(request, node_children(node, period) if node is not None else Unit.objects.none())
    rollup = compute_rollup(period=period, target=target, node=node, children=list(page.object_list))
    row = rollup.rows[0]
    # 184 px: the narrowest its card gets (a quarter of the 992 px layout), so it is never scaled below 12 px labels.
    row.chart = trend_chart(row, width=184, height=100)
    for figure in row.units:
        figure.report_url = submission_url(figure.submission_id)
        figure.node_url = reverse("reporting:node_target", args=[figure.unit.pk, period.code, target.pk])
    return render(
        request,
        "reporting/dashboard_target.html",
        {
            "rollup": rollup,
            "node": node,
            "period": period,
            "row": row,
            "page": page,
            "urls": _node_urls(node, period),
            "breadcrumbs": _breadcrumbs(request, node, chain or _chain(node)),
            "status_rule": STATUS_RULE,
        },
    )


@require_GET
@login_required
def dashboard_target(request, period_code: str, pk: int):
    return _target(request, _node_or_404(request, None), period_code, pk)


@require_GET
@login_required
def node_target(request, node_pk: int, period_code: str, pk: int):
    return _target(request, _node_or_404(request, node_pk), period_code, pk)


def _completeness(request, node: Unit | None, period_code: str):
    chain = _chain(node)
    period, _periods = _period_for(node, period_code, chain)
    node = node or period.plan.owner
    page = _page(request, node_children(node, period) if node is not None else Unit.objects.none())
    entries = children_completeness(period, list(page.object_list))
    for entry in entries:
        entry.report_url = submission_url(entry.submission_id)
        entry.node_url = reverse("reporting:node_dashboard", args=[entry.unit.pk]) + f"?period={period.code}"
    return render(
        request,
        "reporting/dashboard_completeness.html",
        {
            "period": period,
            "node": node,
            "units": entries,
            "page": page,
            "urls": _node_urls(node, period),
            "breadcrumbs": _breadcrumbs(request, node, chain or _chain(node)),
        },
    )


@require_GET
@login_required
def dashboard_completeness(request, period_code: str):
    return _completeness(request, _node_or_404(request, None), period_code)


@require_GET
@login_required
def node_completeness(request, node_pk: int, period_code: str):
    return _completeness(request, _node_or_404(request, node_pk), period_code)


def _export(request, node: Unit | None, period_code: str, fmt: str):
    """GET: the file at once for a small report, else a page offering to make it in the background.
    POST: make it in the background (a job with a progress page, then a download).

    ``annex=1`` (PDF): every reporting unit's state in an annex; by default the report lists the
    node's children only."""
    period, _periods = _period_for(node, period_code, _chain(node))
    label = {"pdf": _("Báo cáo PDF"), "xlsx": _("Bảng Excel")}[fmt]
    own_node = node is not None and node.pk != period.plan.owner_id
    units = report_units(period, node)
    annex_offered = fmt == "pdf" and units <= settings.XHHT_PDF_ANNEX_MAX_UNITS
    annex = annex_offered and (request.POST if request.method == "POST" else request.GET).get("annex") == "1"
    if request.method == "POST":
        parts = (label, period.display_label, node.name if own_node else "", _("kèm phụ lục") if annex else "")
        job = job_start(
            kind=f"report_{fmt}",
            owner=request.user,
            title=" · ".join(str(part) for part in parts if part),
            # The plan owner's report is the period's report: no node in the job (as before).
            params={
                "period": period.code,
                **({"node": node.pk} if own_node else {}),
                **({"annex": True} if annex else {}),
            },
        )
        return redirect(job)
    if runs_in_background(period, units):
        return render(
            request,
            "reporting/export_start.html",
            {
                "period": period,
                "node": node,
                "label": label,
                "units": units,
                "fmt": fmt,
                "annex": annex,
                "annex_offered": annex_offered,
                "dashboard_url": _node_urls(node, period)["dashboard"],
            },
        )
    buffer = io.BytesIO()
    write_report(period=period, fmt=fmt, stream=buffer, node=node, annex=annex)
    response = HttpResponse(buffer.getvalue(), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(period, fmt, node)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def dashboard_pdf(request, period_code: str):
    return _export(request, _node_or_404(request, None), period_code, "pdf")


@require_http_methods(["GET", "POST"])
@login_required
def node_pdf(request, node_pk: int, period_code: str):
    return _export(request, _node_or_404(request, node_pk), period_code, "pdf")


@require_http_methods(["GET", "POST"])
@login_required
def dashboard_xlsx(request, period_code: str):
    return _export(request, _node_or_404(request, None), period_code, "xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def node_xlsx(request, node_pk: int, period_code: str):
    return _export(request, _node_or_404(request, node_pk), period_code, "xlsx")


@register_nav_items
def dashboard_nav(request) -> list[dict]:
    if not may_use_dashboard(request.user):
        return []
    return [{"url": reverse("reporting:dashboard"), "label": _("Tiến độ")}]


@register_home_context
def dashboard_home(request) -> dict:
    """A compact summary for the home pages of everyone with a dashboard."""
    if not may_use_dashboard(request.user):
        return {}
    node = home_node(request.user)
    period, _periods = _period_for(node, None)
    if period is None:
        return {"dashboard_summary": None}
    rollup = compute_rollup(period=period, node=node)
    return {
        "dashboard_summary": {
            "period": period,
            "node": rollup.node,
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
    path("dashboard/unit/<int:node_pk>/", node_dashboard, name="node_dashboard"),
    path("dashboard/unit/<int:node_pk>/<str:period_code>/target/<int:pk>/", node_target, name="node_target"),
    path(
        "dashboard/unit/<int:node_pk>/<str:period_code>/completeness/",
        node_completeness,
        name="node_completeness",
    ),
    path("dashboard/unit/<int:node_pk>/<str:period_code>/report.pdf", node_pdf, name="node_pdf"),
    path("dashboard/unit/<int:node_pk>/<str:period_code>/report.xlsx", node_xlsx, name="node_xlsx"),
]
