"""The maintained totals always equal a recomputation from scratch, whatever happens to reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.models import Period
from reporting.rollup import compute_rollup
from reporting.services import (
    ValueInput,
    indicators_for,
    submission_approve,
    submission_reopen,
    submission_submit,
)
from reporting.totals import compute_totals, rebuild_totals, stored_totals
from targets.models import Entry
from tests.recognition import factories
from units.models import Reorganisation, ReorganisationKind, ReorganisationLink, Unit, UnitKind


def before_due(period: Period) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(period.due - dt.timedelta(days=1), dt.time(9)))


def full_values(unit: Unit, period: Period, share: int) -> dict[str, ValueInput]:
    values = {}
    for indicator in indicators_for(unit, period):
        if indicator.entry == Entry.YESNO:
            values[indicator.code] = ValueInput(flags=[share > 50] * len(indicator.answers))
        elif indicator.entry == Entry.TOTAL:
            values[indicator.code] = ValueInput(denominator=Decimal(1000))
        elif indicator.entry == Entry.NUMBER:
            values[indicator.code] = ValueInput(numerator=Decimal(2))
        else:
            values[indicator.code] = ValueInput(numerator=Decimal(share), denominator=Decimal(100))
    return values


def submit_and_approve(unit, period, officer, reviewer, share):
    submission = submission_submit(
        unit=unit, period=period, by=officer, values=full_values(unit, period, share), at=before_due(period)
    )
    return submission_approve(submission=submission, by=reviewer)


def assert_in_step():
    periods = list(Period.objects.all())
    assert stored_totals(periods) == compute_totals(periods)


@pytest.fixture
def year(units):
    return Period.objects.get(code="2018-Y")


def test_totals_follow_approve_reopen_and_edit(year, alice, bob, rita):
    first = submit_and_approve(alice.unit, year, alice, rita, share=60)
    submit_and_approve(bob.unit, year, bob, rita, share=80)
    assert_in_step()
    assert stored_totals([year])  # not trivially equal: there is something to compare

    submission_reopen(submission=first, by=rita, reason="Mẫu số chưa đúng")
    assert_in_step()

    submission_submit(
        unit=alice.unit,
        period=year,
        by=alice,
        values=full_values(alice.unit, year, share=70),
        version=first.version + 1,
        at=before_due(year),
    )
    first.refresh_from_db()
    submission_approve(submission=first, by=rita)
    assert_in_step()
    row = next(r for r in compute_rollup(period=year).rows if r.indicator.code == "I04")
    assert row.value == Decimal("75.0")  # (70 + 80) / 200


def test_a_recognition_decision_moves_the_figure_and_leaves_the_totals_in_step(year, alice, rita):
    factories.criteria()
    submit_and_approve(alice.unit, year, alice, rita, share=60)
    before = next(r for r in compute_rollup(period=year).rows if r.indicator.code == "I30").value
    factories.decided(alice, rita, names=[f"Hộ gia đình {n}" for n in range(50)], year=2018)
    after = next(r for r in compute_rollup(period=year).rows if r.indicator.code == "I30").value
    assert (before, after) == (Decimal("0.0"), Decimal("5.0"))  # 50 of 1,000 households
    assert_in_step()


def test_a_unit_merge_keeps_old_reports_with_the_old_units(units, alice, rita):
    year = Period.objects.get(code="2018-Y")
    submit_and_approve(alice.unit, year, alice, rita, share=60)
    successor = Unit.objects.create(
        code="MERGED",
        name="Xã sau sáp nhập",
        kind=UnitKind.COMMUNE,
        reporter_code="xa",
        valid_from=dt.date(2024, 11, 1),
    )
    Unit.objects.filter(pk=alice.unit.pk).update(valid_to=dt.date(2024, 10, 31))
    event = Reorganisation.objects.create(kind=ReorganisationKind.MERGER, effective=dt.date(2024, 11, 1))
    ReorganisationLink.objects.create(reorganisation=event, predecessor=alice.unit, successor=successor, share=1)
    assert_in_step()
    assert next(r for r in compute_rollup(period=year).rows if r.indicator.code == "I04").value == Decimal("60.0")


def test_rebuild_repairs_totals_that_were_damaged(year, alice, rita):
    submit_and_approve(alice.unit, year, alice, rita, share=60)
    from reporting.models import IndicatorTotal

    IndicatorTotal.objects.update(numerator_sum=0)
    with pytest.raises(AssertionError):
        assert_in_step()
    rebuild_totals()
    assert_in_step()


def test_approving_totals_after_the_decision_brings_the_recognitions_in(year, alice, rita):
    factories.criteria()
    factories.decided(alice, rita, names=[f"Hộ {n}" for n in range(30)], year=2018)
    submit_and_approve(alice.unit, year, alice, rita, share=60)
    assert next(r for r in compute_rollup(period=year).rows if r.indicator.code == "I30").value == Decimal("3.0")
    assert_in_step()


def test_rebuild_totals_command_checks_and_repairs(year, alice, rita):
    from io import StringIO

    from django.core.management import call_command

    from reporting.models import IndicatorTotal

    submit_and_approve(alice.unit, year, alice, rita, share=60)
    call_command("rebuild_totals", "--check", stdout=StringIO())
    IndicatorTotal.objects.update(reported=99)
    with pytest.raises(SystemExit):
        call_command("rebuild_totals", "--check", stdout=StringIO(), stderr=StringIO())
    call_command("rebuild_totals", stdout=StringIO())
    call_command("rebuild_totals", "--check", stdout=StringIO())


def test_a_half_year_counts_the_titles_in_force_not_decisions_taken_after_it(units, alice, rita):
    """Titles are decided in December: the 6-month report of 2018 counts the 2017 titles."""
    factories.criteria()
    half, year = Period.objects.get(code="2018-H1"), Period.objects.get(code="2018-Y")
    for period in (half, year):
        submit_and_approve(alice.unit, period, alice, rita, share=60)
    factories.decided(alice, rita, names=[f"Hộ {n}" for n in range(20)], year=2017)

    def i30(period):
        return next(r for r in compute_rollup(period=period).rows if r.indicator.code == "I30").value

    assert (i30(half), i30(year)) == (Decimal("2.0"), Decimal("0.0"))
    factories.decided(alice, rita, names=[f"Hộ mới {n}" for n in range(50)], year=2018)
    assert (i30(half), i30(year)) == (Decimal("2.0"), Decimal("5.0"))
    assert_in_step()


def test_totals_per_node_follow_a_unit_moved_under_another_parent(units, alice, bob, rita):
    """A reorganisation that moves a commune (with its reports) under another district."""
    from reporting.models import IndicatorTotal
    from targets.models import Indicator

    year = Period.objects.get(code="2018-Y")
    submit_and_approve(alice.unit, year, alice, rita, share=60)
    submit_and_approve(bob.unit, year, bob, rita, share=80)
    district, i04 = units["BACHE"], Indicator.objects.get(code="I04", plan__code="ba-che-2016-2020")
    other = Unit.objects.create(code="KHAC", name="Huyện khác", kind=UnitKind.DISTRICT, parent=district.parent)

    def reported(node):
        row = IndicatorTotal.objects.filter(unit=node, period=year, indicator=i04).first()
        return row.reported if row else 0

    assert (reported(district), reported(other)) == (2, 0)
    commune = Unit.objects.get(pk=alice.unit.pk)
    commune.parent = other
    commune.save()
    assert (reported(district), reported(other), reported(commune)) == (1, 1, 1)
    assert_in_step()
