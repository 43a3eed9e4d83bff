"""Reporting periods with Decree 09/2019/NĐ-CP data windows by default."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from reporting.models import Period, PeriodKind, period_label
from targets.models import Plan

# Decree 09/2019 requires at least one working day between cut-off and deadline; the committee's
# own deadline is configuration: these defaults give units six days.
DUE_AFTER_CUTOFF = dt.timedelta(days=6)


def default_periods(year: int) -> list[dict]:
    """The 6-month and annual periods of a year (Decree 09: 15/12 of the previous year → 14/06, → 14/12)."""
    start = dt.date(year - 1, 12, 15)
    half_end, year_end = dt.date(year, 6, 14), dt.date(year, 12, 14)
    return [
        {
            "code": f"{year}-H1",
            "label": period_label(PeriodKind.HALF, year),
            "kind": PeriodKind.HALF,
            "year": year,
            "start": start,
            "end": half_end,
            "due": half_end + DUE_AFTER_CUTOFF,
        },
        {
            "code": f"{year}-Y",
            "label": period_label(PeriodKind.ANNUAL, year),
            "kind": PeriodKind.ANNUAL,
            "year": year,
            "start": start,
            "end": year_end,
            "due": year_end + DUE_AFTER_CUTOFF,
        },
    ]


def review_period(kind: str, first_year: int) -> dict:
    """A mid-term (sơ kết) or final (tổng kết) review over a school year: 1/9 → 31/5."""
    suffix = "SK" if kind == PeriodKind.MIDTERM else "TK"
    end = dt.date(first_year + 1, 5, 31)
    return {
        "code": f"{first_year + 1}-{suffix}",
        "label": period_label(kind, first_year + 1),
        "kind": kind,
        "year": first_year + 1,
        "start": dt.date(first_year, 9, 1),
        "end": end,
        "due": dt.date(first_year + 1, 6, 15),
    }


@transaction.atomic
def create_periods(
    *, plan: Plan, first_year: int, last_year: int, midterm: int | None = None, final: int | None = None
) -> list[Period]:
    """Create the periods that are missing; existing ones (and their overrides) are left as they are."""
    specs = [spec for year in range(first_year, last_year + 1) for spec in default_periods(year)]
    if midterm is not None:
        specs.append(review_period(PeriodKind.MIDTERM, midterm))
    if final is not None:
        specs.append(review_period(PeriodKind.FINAL, final))
    created = []
    for spec in specs:
        period, was_created = Period.objects.get_or_create(code=spec.pop("code"), defaults={"plan": plan, **spec})
        if was_created:
            created.append(period)
    return created
