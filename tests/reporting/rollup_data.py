"""Approved (or not) reports straight through the ORM, for the rollup, dashboard and export tests.

The submission workflow has its own services and tests; these helpers only put rows in place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from reporting.models import Period, Submission, SubmissionState, SubmissionValue
from reporting.totals import rebuild_totals
from targets.models import Indicator
from units.models import Reporter, Unit, UnitKind


def period(code: str) -> Period:
    return Period.objects.select_related("plan").get(code=code)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def report(
    unit: Unit,
    period_code: str,
    values: dict,
    *,
    state: str = SubmissionState.APPROVED,
    submitted_on: dt.date | None = None,
) -> Submission:
    """One unit's report for a period: ``values`` maps an indicator code to (numerator,
    denominator), a list of yes/no answers, or {"denominator": n} for a reported total."""
    the_period = period(period_code)
    submitted_on = submitted_on or the_period.due
    submitted_at = (
        timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9, 0)))
        if state != SubmissionState.DRAFT
        else None
    )
    submission, _ = Submission.objects.update_or_create(
        unit=unit,
        period=the_period,
        defaults={
            "state": state,
            "submitted_at": submitted_at,
            "approved_at": submitted_at if state == SubmissionState.APPROVED else None,
        },
    )
    by_code = {i.code: i for i in Indicator.objects.filter(plan=the_period.plan, code__in=list(values))}
    for code, given in values.items():
        fields = {"numerator": None, "denominator": None, "flags": []}
        if isinstance(given, list):
            fields["flags"] = given
        elif isinstance(given, dict):
            fields.update({k: Decimal(str(v)) if v is not None else None for k, v in given.items()})
        else:
            numerator, denominator = given
            fields["numerator"], fields["denominator"] = Decimal(str(numerator)), Decimal(str(denominator))
        SubmissionValue.objects.update_or_create(submission=submission, indicator=by_code[code], defaults=fields)
    # Written straight through the ORM, like a data import: bring the maintained totals in step,
    # as the approval service does in normal use.
    rebuild_totals([the_period])
    return submission


def make_communes(count: int, *, parent: Unit | None = None, prefix: str = "QC") -> list[Unit]:
    """Extra communes, created in bulk (for query-count tests), under huyện Ba Chẽ by default."""
    parent = parent or Unit.objects.filter(code="BACHE").first()
    communes = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{prefix}{n:05d}",
                name=f"Xã thử {n}",
                kind=UnitKind.COMMUNE,
                parent=parent,
                reporter_code=Reporter.COMMUNE,
                order=10_000 + n,
            )
            for n in range(count)
        ]
    )
    Unit.objects.rebuild_paths()  # bulk inserts skip save(): number them, as every import does
    return communes


def approve_everywhere(units: list[Unit], period_codes: list[str], indicator_codes: list[str]) -> None:
    """An approved report with every given indicator for every unit and period, in bulk."""
    periods = list(Period.objects.filter(code__in=period_codes))
    indicators = list(Indicator.objects.filter(code__in=indicator_codes))
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(unit=u, period=p, state=SubmissionState.APPROVED, submitted_at=now, approved_at=now)
            for u in units
            for p in periods
        ]
    )
    values = []
    for n, submission in enumerate(submissions):
        for ind in indicators:
            if ind.entry == "yesno":
                values.append(SubmissionValue(submission=submission, indicator=ind, flags=[True] * len(ind.answers)))
            else:
                values.append(
                    SubmissionValue(
                        submission=submission,
                        indicator=ind,
                        numerator=Decimal(50 + n % 40),
                        denominator=Decimal(100),
                    )
                )
    SubmissionValue.objects.bulk_create(values, batch_size=2000)
