"""Building reports for the tests through the services, the way the pages do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from reporting import services
from reporting.models import Period
from reporting.services import ValueInput
from targets.models import Entry


def open_period(code: str = "2018-H1", days: int = 30) -> Period:
    """A period whose due date is still ahead, so units can type into it."""
    period = Period.objects.get(code=code)
    period.due = timezone.localdate() + dt.timedelta(days=days)
    period.save(update_fields=["due"])
    return period


def full_values(unit, period, *, scale: int = 1, numerator_share: float = 0.8) -> dict[str, ValueInput]:
    """A complete set of plausible figures for every indicator the unit reports."""
    values = {}
    base_figures: dict[str, Decimal] = {}  # one figure per base key, as the form asks it once
    for index, indicator in enumerate(services.indicators_for(unit, period)):
        denominator = Decimal(100 * scale + index * 10)
        if indicator.base:
            denominator = base_figures.setdefault(indicator.base, denominator)
        numerator = Decimal(int(denominator * Decimal(str(numerator_share))))
        if indicator.entry == Entry.YESNO:
            values[indicator.code] = ValueInput(flags=[True] * len(indicator.answers))
        elif indicator.entry == Entry.TOTAL:
            values[indicator.code] = ValueInput(denominator=denominator)
        elif indicator.entry == Entry.NUMBER:
            values[indicator.code] = ValueInput(numerator=numerator)
        else:
            values[indicator.code] = ValueInput(numerator=numerator, denominator=denominator)
    return values


def submitted_report(unit, period, by, **kwargs):
    return services.submission_submit(unit=unit, period=period, by=by, values=full_values(unit, period, **kwargs))


def approved_report(unit, period, by, reviewer, **kwargs):
    submission = submitted_report(unit, period, by, **kwargs)
    return services.submission_approve(submission=submission, by=reviewer)
