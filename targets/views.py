"""Browse the action programme: sections, indicators, and their targets side by side."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from targets.models import Plan, Target


@require_GET
@login_required
def plan_detail(request, code: str | None = None):
    plans = Plan.objects.all()
    plan = get_object_or_404(Plan, code=code) if code else plans.filter(is_active=True).first() or plans.first()
    if plan is None:
        return render(request, "targets/plan_empty.html")
    targets = list(
        Target.objects.filter(indicator__plan=plan)
        .select_related("indicator", "section")
        .order_by("indicator__order", "year")
    )
    years = sorted({t.year for t in targets})
    rows: OrderedDict = OrderedDict()
    for target in targets:
        row = rows.setdefault(target.indicator_id, {"indicator": target.indicator, "by_year": {}, "notes": []})
        row["by_year"][target.year] = target
        if target.note:
            row["notes"].append(target)
    topics: OrderedDict = OrderedDict()
    for row in rows.values():
        row["cells"] = [row["by_year"].get(year) for year in years]
        topics.setdefault(row["indicator"].topic, []).append(row)
    return render(
        request,
        "targets/plan_detail.html",
        {
            "plan": plan,
            "plans": plans,
            "years": years,
            "topics": topics,
            "target_count": len(targets),
            "sections": plan.sections.all(),
        },
    )
