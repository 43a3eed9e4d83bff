"""Running totals of approved values per (period, indicator), kept in step with every approval.

Re-aggregating every approved value at national size (10,600 communes, 3 million values over the
2016–2020 periods) takes about half a second on PostgreSQL; the dashboard reads these totals
instead: one row per period and indicator. They are maintained inside the same transaction as
the approval or the reopening that changes them (``approved_data_changed``), so the dashboard
never lags the data, and ``rebuild_totals`` recomputes them from scratch to check or repair.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.dispatch import receiver

from reporting import hooks
from reporting.models import IndicatorTotal, Period, Submission, SubmissionState, SubmissionValue
from reporting.rollup import FIELDS as VALUE_FIELDS
from reporting.rollup import recognition_year
from reporting.signals import approved_data_changed, recognitions_changed
from targets.models import Indicator

ZERO = Decimal(0)


def _contribution(value: SubmissionValue) -> dict:
    flags = value.flags or []
    return {
        "numerator_sum": value.numerator or ZERO,
        "denominator_sum": value.denominator or ZERO,
        "numerator_count": int(value.numerator is not None),
        "denominator_count": int(value.denominator is not None),
        "reported": 1,
        "meeting": int(bool(flags) and all(bool(flag) for flag in flags)),
    }


FIELDS = (*VALUE_FIELDS, "recognised_sum")


def apply_submission(submission: Submission, sign: int) -> None:
    """Add (+1) or remove (-1) one submission's values from its period's totals.

    For the recognition indicators this also adds (or removes) the titles recognised in that unit
    in force for the period (``recognition_year``): one more query. Rows are locked in indicator order, so two approvals at
    the same time cannot deadlock.
    """
    values = sorted(submission.values.select_related("indicator"), key=lambda v: v.indicator_id)
    if not values:
        return
    year = recognition_year(submission.period)
    recognised = (
        hooks.recognised_counts_by_year(years=[year], unit_ids=[submission.unit_id])
        if any(v.indicator.title_code for v in values)
        else {}
    )
    existing = set(
        IndicatorTotal.objects.select_for_update()
        .filter(period_id=submission.period_id, indicator_id__in=[v.indicator_id for v in values])
        .order_by("indicator_id")
        .values_list("indicator_id", flat=True)
    )
    IndicatorTotal.objects.bulk_create(
        [
            IndicatorTotal(period_id=submission.period_id, indicator_id=v.indicator_id)
            for v in values
            if v.indicator_id not in existing
        ],
        ignore_conflicts=True,
    )
    for value in values:
        delta = _contribution(value)
        delta["recognised_sum"] = (
            recognised.get((value.indicator.title_code, submission.unit_id, year), 0)
            if value.indicator.title_code
            else 0
        )
        IndicatorTotal.objects.filter(period_id=submission.period_id, indicator_id=value.indicator_id).update(
            **{field: F(field) + sign * delta[field] for field in FIELDS}
        )


@receiver(approved_data_changed)
def keep_totals_current(sender, submission: Submission, **kwargs) -> None:
    """Approval adds the report's values; reopening (state no longer approved) removes them."""
    apply_submission(submission, +1 if submission.state == SubmissionState.APPROVED else -1)


@receiver(recognitions_changed)
def refresh_recognised(sender, title: str, year: int, **kwargs) -> None:
    """A decision recognised entities: recount that title's sums for the periods that count that year."""
    periods = [p for p in Period.objects.filter(year__in=[year, year + 1]) if recognition_year(p) == year]
    indicators = list(Indicator.objects.filter(title_code=title))
    sums = _recognised_sums(periods, indicators)
    for period in periods:
        for indicator in indicators:
            IndicatorTotal.objects.filter(period=period, indicator=indicator).update(
                recognised_sum=sums.get((period.pk, indicator.pk), 0)
            )


def _recognised_sums(periods: list[Period], indicators: list[Indicator]) -> dict[tuple[int, int], int]:
    """Σ of titles recognised in each period's year, over the units that reported the indicator."""
    from reporting.rollup import _recognised_by_period

    sums, _per_unit = _recognised_by_period(periods, [i for i in indicators if i.title_code])
    return {key: int(value) for key, value in sums.items()}


def compute_totals(periods: Iterable[Period]) -> dict[tuple[int, int], dict]:
    """Totals straight from the approved values (the slow path; what the maintained rows must equal)."""
    from reporting.rollup import aggregate_approved_values

    periods = list(periods)
    totals = aggregate_approved_values([p.pk for p in periods])
    recognised = _recognised_sums(periods, list(Indicator.objects.exclude(title_code="")))
    for key, row in totals.items():
        row["recognised_sum"] = recognised.get(key, 0)
    return totals


def stored_totals(periods: Iterable[Period]) -> dict[tuple[int, int], dict]:
    rows = IndicatorTotal.objects.filter(period__in=list(periods)).exclude(reported=0)
    return {(r.period_id, r.indicator_id): {field: getattr(r, field) for field in FIELDS} for r in rows}


@transaction.atomic
def rebuild_totals(periods: Iterable[Period] | None = None) -> int:
    """Recompute the totals of these periods (all if None) from the approved values."""
    periods = list(periods if periods is not None else Period.objects.all())
    IndicatorTotal.objects.filter(period__in=periods).delete()
    fresh = compute_totals(periods)
    IndicatorTotal.objects.bulk_create(
        [
            IndicatorTotal(period_id=period_id, indicator_id=indicator_id, **row)
            for (period_id, indicator_id), row in fresh.items()
        ],
        batch_size=5000,
    )
    return len(fresh)
