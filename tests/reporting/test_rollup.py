"""The rollup against figures computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting import hooks
from reporting.models import SubmissionState
from reporting.rollup import compute_rollup, unit_completeness
from tests.reporting.rollup_data import period, report

pytestmark = pytest.mark.django_db

COMMUNES = ["06970", "06973", "06976", "06979", "06982", "06985", "06988", "06991"]


def row_for(rollup, code):
    return next(row for row in rollup.rows if row.indicator.code == code)


def test_ratio_is_sum_over_sum_not_mean_of_percentages(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06982"], "2018-Y", {"I04": (10, 1000)})
    row = row_for(compute_rollup(period=period("2018-Y")), "I04")
    assert row.numerator == Decimal(100)
    assert row.denominator == Decimal(1100)
    assert row.value == Decimal("9.1")  # 100 / 1100, not (90% + 1%) / 2 = 45,5%
    assert row.units_reported == 2
    assert row.units_expected == 8


def test_values_of_unapproved_reports_are_ignored(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    for state in (SubmissionState.SUBMITTED, SubmissionState.RETURNED, SubmissionState.DRAFT):
        report(units["06982"], "2018-Y", {"I04": (0, 100_000)}, state=state)
        row = row_for(compute_rollup(period=period("2018-Y")), "I04")
        assert row.value == Decimal("90.0"), state
        assert row.units_reported == 1


def test_missing_units_are_missing_not_zero(units):
    report(units["06973"], "2018-Y", {"I04": (95, 100)})
    rollup = compute_rollup(period=period("2018-Y"), units=True)
    row = row_for(rollup, "I04")
    assert row.value == Decimal("95.0")
    figures = {f.unit.code: f for f in row.units}
    assert set(figures) == set(COMMUNES)
    assert figures["06973"].reported and figures["06973"].value == Decimal("95.0")
    assert figures["06973"].status == "met"
    assert not figures["06982"].reported
    assert figures["06982"].value is None and figures["06982"].status == "no_data"


def test_no_approved_data_means_no_value(units):
    row = row_for(compute_rollup(period=period("2018-Y")), "I04")
    assert row.value is None
    assert row.status == "no_data"


def test_coverage_counts_units_meeting_every_part_over_units_that_reported(units):
    # I02 has three parts: a commune counts only when all three are met. The five communes that
    # have not reported are missing, not "not meeting": 2 of 3, not 2 of 8.
    report(units["06973"], "2018-Y", {"I02": [True, True, True], "I06": [True]})
    report(units["06982"], "2018-Y", {"I02": [True, False, True], "I06": [True]})
    report(units["06976"], "2018-Y", {"I02": [True, True, True], "I06": [False]})
    rollup = compute_rollup(period=period("2018-Y"))
    i02, i06 = row_for(rollup, "I02"), row_for(rollup, "I06")
    assert (i02.numerator, i02.denominator, i02.value) == (2, 3, Decimal("66.7"))
    assert (i06.numerator, i06.denominator, i06.value) == (2, 3, Decimal("66.7"))
    assert (i02.units_reported, i02.units_expected) == (3, 8)
    assert i02.provisional and i02.provisional_text == "tạm tính, 3/8 đơn vị đã báo cáo"


def test_one_commune_of_eight_meeting_is_100_percent_provisional_not_12_5(units):
    report(units["06973"], "2018-Y", {"I06": [True]})
    row = row_for(compute_rollup(period=period("2018-Y")), "I06")
    assert row.value == Decimal("100.0")
    assert row.provisional and row.provisional_text == "tạm tính, 1/8 đơn vị đã báo cáo"
    # 100% of the one that reported, but seven could still fail the standard: not "Đạt" yet.
    assert row.status == "on_track" and row.status_text == "Đúng tiến độ (tạm tính)"


def test_every_measure_is_provisional_while_an_expected_unit_is_missing(units):
    values = {"I04": (90, 100), "I02": [True, True, True], "I07": [True], "I27": (1, 100), "I30": {"denominator": 9}}
    for code in COMMUNES[:-1]:
        report(units[code], "2018-Y", values)
    report(units["PNV"], "2018-Y", {"I12": (45, 50)})
    rollup = compute_rollup(period=period("2018-Y"))
    for code in ("I04", "I02", "I07", "I30"):
        row = row_for(rollup, code)
        assert row.provisional, code
        assert row.provisional_text == "tạm tính, 7/8 đơn vị đã báo cáo", code
    assert not row_for(rollup, "I12").provisional  # its only expected unit reported
    assert not row_for(rollup, "I05").provisional  # no figure at all: "Chưa có số liệu"
    report(units[COMMUNES[-1]], "2018-Y", values)
    rollup = compute_rollup(period=period("2018-Y"))
    assert not any(row_for(rollup, code).provisional for code in ("I04", "I02", "I07", "I30"))


def test_provisional_figure_is_met_only_when_the_missing_units_cannot_change_it(units):
    # I04 2018: 94%. Seven communes at 95%: the eighth could bring it below 94%.
    for code in COMMUNES[:-1]:
        report(units[code], "2018-Y", {"I04": (95, 100), "I07": [code in COMMUNES[:4]], "I02": [True, True, True]})
    rollup = compute_rollup(period=period("2018-Y"))
    i04, i07, i02 = row_for(rollup, "I04"), row_for(rollup, "I07"), row_for(rollup, "I02")
    assert i04.provisional and i04.status == "on_track"
    # A count only grows as more communes report: 4 of the 4–5 wanted is secured.
    assert i07.provisional and i07.value == 4 and i07.status == "met"
    # 7 of 8 meet: 100% of those reported, but the eighth may not meet the 100% target.
    assert i02.provisional and i02.value == 100 and i02.status == "on_track"
    report(units[COMMUNES[-1]], "2018-Y", {"I04": (95, 100), "I02": [True, True, True]})
    rollup = compute_rollup(period=period("2018-Y"))
    assert row_for(rollup, "I04").status == "met" and not row_for(rollup, "I04").provisional
    assert row_for(rollup, "I02").status == "met"


def test_a_unit_is_judged_by_the_districts_rule_from_its_own_first_figure(units):
    # I04 2018 target 94%. Đạp Thanh started at 80% in 2016: its path at 2018-Y is 93,7%.
    # Nam Sơn reports for the first time in 2018: its first figure is on track by the rule.
    report(units["06973"], "2016-Y", {"I04": (80, 100)})
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06982"], "2018-Y", {"I04": (90, 100)})
    report(units["06976"], "2018-Y", {"I04": (95, 100)})
    row = row_for(compute_rollup(period=period("2018-Y"), units=True), "I04")
    figures = {f.unit.code: f for f in row.units}
    assert figures["06973"].status == "behind" and figures["06973"].expected_now == Decimal("93.7")
    assert figures["06973"].baseline.period.code == "2016-Y"
    assert figures["06982"].status == "on_track" and figures["06982"].status_label == "Đúng tiến độ"
    assert figures["06976"].status == "met"
    assert figures["06970"].status == "no_data"


def test_a_units_baseline_is_its_first_report_that_has_the_figure(units):
    # Đạp Thanh's first report (2016-Y) left I04 blank: its baseline is 2017-Y, where I04 first
    # appears; Thanh Sơn's first report has it. Nam Sơn reported nothing before 2018-Y.
    report(units["06973"], "2016-Y", {"I07": [True]})
    report(units["06973"], "2017-Y", {"I04": (80, 100)})
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06970"], "2016-Y", {"I04": (70, 100)})
    report(units["06970"], "2018-Y", {"I04": (91, 100)})
    report(units["06982"], "2018-Y", {"I04": (90, 100)})
    row = row_for(compute_rollup(period=period("2018-Y"), units=True), "I04")
    figures = {f.unit.code: f for f in row.units}
    assert figures["06973"].baseline.period.code == "2017-Y"
    assert figures["06973"].baseline.value == Decimal("80.0")
    assert figures["06970"].baseline.period.code == "2016-Y"
    assert figures["06970"].baseline.value == Decimal("70.0")
    assert figures["06982"].baseline.period.code == "2018-Y"  # its own first figure: on track
    assert figures["06982"].status == "on_track"


def test_unit_figures_read_a_fixed_number_of_queries_per_target(units, django_assert_max_num_queries):
    for code in COMMUNES:
        report(units[code], "2017-Y", {"I04": (80, 100), "I02": [True, True, True]})
        report(units[code], "2018-Y", {"I04": (90, 100), "I02": [True, False, True]})
    rollup = compute_rollup(period=period("2018-Y"), units=True)
    rows = [row for row in rollup.rows if row.units is not None]
    # The reports are indexed once for the whole export; then each target reads its values and
    # baselines by report id, the later reports of units whose first one left it blank, and its
    # units' own targets: never a query per unit.
    with django_assert_max_num_queries(2 + 4 * len(rows)):
        for row in rows:
            assert len(list(row.units)) == len(row.units)


def test_the_same_figure_gets_the_same_verdict_for_a_unit_and_the_district(units):
    # One commune only: the district's figure is that commune's, so must be its verdict.
    report(units["06973"], "2017-Y", {"I04": (50, 100)})
    report(units["06973"], "2018-Y", {"I04": (54, 100)})
    report(units["06973"], "2019-Y", {"I04": (54, 100)})
    for code in ("2017-Y", "2018-Y", "2019-Y"):
        row = row_for(compute_rollup(period=period(code), units=True), "I04")
        unit = next(f for f in row.units if f.unit.code == "06973")
        assert unit.value == row.value
        assert (unit.status, unit.expected_now) == (row.status, row.expected_now), code


def test_yes_no_answers_of_a_unit_are_not_a_second_verdict(units):
    report(units["06973"], "2018-Y", {"I02": [True, False, True]})
    row = row_for(compute_rollup(period=period("2018-Y"), units=True), "I02")
    figure = next(f for f in row.units if f.unit.code == "06973")
    assert figure.meets is False and figure.value_text == "Không đạt"
    assert figure.status == "not_evaluated"


def test_count_of_units_meeting_against_a_range(units):
    for code in ("06973", "06982", "06976", "06979"):
        report(units[code], "2018-Y", {"I07": [True]})
    report(units["06988"], "2018-Y", {"I07": [False]})
    row = row_for(compute_rollup(period=period("2018-Y")), "I07")
    assert row.value == Decimal(4)
    assert row.target.display == "4–5"
    assert row.status == "met" and not row.exceeded
    for code in ("06970", "06985"):
        report(units[code], "2018-Y", {"I07": [True]})
    row = row_for(compute_rollup(period=period("2018-Y")), "I07")
    assert row.value == Decimal(6)
    assert row.status == "met" and row.exceeded  # above a range is exceeded, not failed


def test_rate_per_ten_thousand(units):
    report(units["06973"], "2020-Y", {"I27": (60, 20_000)})
    report(units["06982"], "2020-Y", {"I27": (40, 30_000)})
    row = row_for(compute_rollup(period=period("2020-Y")), "I27")
    assert row.value == Decimal("20.0")  # 100 / 50,000 × 10,000
    assert row.target.display == "300/1 vạn dân"


def test_district_figure_comes_from_the_responsible_department(units):
    report(units["PNV"], "2018-Y", {"I12": (45, 50), "I26": (4, 100)})
    rollup = compute_rollup(period=period("2018-Y"), units=True)
    i12, i26 = row_for(rollup, "I12"), row_for(rollup, "I26")
    assert i12.value == Decimal("90.0") and i12.units_expected == 1
    assert [f.unit.code for f in i12.units] == ["PNV"]
    assert i26.value == Decimal("4.0") and i26.status == "met"  # range 3–5%


def test_staff_indicators_sum_over_every_unit(units):
    report(units["06973"], "2018-Y", {"I10": (10, 40)})
    report(units["PNV"], "2018-Y", {"I10": (30, 60)})
    row = row_for(compute_rollup(period=period("2018-Y")), "I10")
    assert row.value == Decimal("40.0")
    assert row.units_expected == 19  # 8 communes and 11 departments, centres and associations


@pytest.fixture
def recognitions(units):
    counts = {2018: {("family", units["06973"].pk): 700, ("family", units["06982"].pk): 150}}

    def counter(years, unit_ids=None):
        return {(title, unit, year): n for year in years for (title, unit), n in counts.get(year, {}).items()}

    hooks.register_recognition_counter(counter)
    yield counts
    hooks._recognition_counters.remove(counter)


def test_recognition_rate_over_reported_totals(units, recognitions):
    report(units["06973"], "2018-Y", {"I30": {"denominator": 1000}})
    # Nam Sơn has recognitions but has not reported its households: it counts in neither part.
    row = row_for(compute_rollup(period=period("2018-Y")), "I30")
    assert (row.numerator, row.denominator, row.value) == (700, 1000, Decimal("70.0"))
    report(units["06982"], "2018-Y", {"I30": {"denominator": 500}})
    row = row_for(compute_rollup(period=period("2018-Y"), units=True), "I30")
    assert (row.numerator, row.denominator, row.value) == (850, 1500, Decimal("56.7"))
    figures = {f.unit.code: f for f in row.units}
    assert figures["06982"].numerator == 150 and figures["06982"].value == Decimal("30.0")


def test_targets_are_those_of_the_next_milestone(units):
    assert compute_rollup(period=period("2016-Y")).milestone_year == 2016
    assert compute_rollup(period=period("2017-H1")).milestone_year == 2018
    rollup = compute_rollup(period=period("2019-Y"))
    assert rollup.milestone_year == 2020
    assert len(rollup.rows) == 30
    assert [block.section.code for block in rollup.sections] == ["3.1", "3.2", "3.3", "3.4", "3.5"]


def test_status_on_track_or_behind_against_a_straight_path(units):
    # I04 2020 target 96%. Baseline 2016-Y (end 14/12/2016) at 80%; milestone 31/12/2020.
    report(units["06973"], "2016-Y", {"I04": (80, 100)})
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    rollup = compute_rollup(period=period("2018-Y"))
    row = row_for(rollup, "I04")  # 2018 target: 94%
    # path: 80 + (94 - 80) × (14/12/2018 - 14/12/2016) / (31/12/2018 - 14/12/2016) = 93,7
    assert row.expected_now == Decimal("93.7")
    assert row.status == "behind"
    report(units["06973"], "2017-Y", {"I04": (88, 100)})
    row = row_for(compute_rollup(period=period("2017-Y")), "I04")
    # path at 14/12/2017: 80 + 14 × 365 / 747 = 86,8; 88 is ahead of it
    assert row.expected_now == Decimal("86.8")
    assert row.status == "on_track"
    assert row.baseline.period.code == "2016-Y"
    assert [p.value for p in row.trend if p.value is not None] == [Decimal("80.0"), Decimal("88.0")]


def test_first_reported_period_is_on_track_and_a_met_target_is_met(units):
    for code in COMMUNES:
        report(units[code], "2017-Y", {"I04": (50, 100), "I05": (70, 100)})
    rollup = compute_rollup(period=period("2017-Y"))
    assert row_for(rollup, "I04").status == "on_track"
    assert row_for(rollup, "I05").status == "met"  # 70% ≥ 65%, every commune reported


def test_completeness_by_state_and_on_time(units):
    the_period = period("2018-Y")
    report(units["06973"], "2018-Y", {"I04": (1, 2)})
    report(units["06982"], "2018-Y", {"I04": (1, 2)}, state=SubmissionState.SUBMITTED)
    late_day = the_period.due + dt.timedelta(days=3)
    report(units["06976"], "2018-Y", {"I04": (1, 2)}, state=SubmissionState.RETURNED, submitted_on=late_day)
    report(units["06979"], "2018-Y", {}, state=SubmissionState.DRAFT)
    rollup = compute_rollup(period=the_period)
    summary = rollup.period_completeness
    assert summary.expected == 19
    assert summary.by_state == {"approved": 1, "submitted": 1, "returned": 1, "draft": 1, "not_started": 15}
    # 2018 is long past: the draft and the 15 not started are late, as is the late return.
    assert (summary.on_time, summary.late) == (2, 17)
    assert summary.share_on_time == Decimal("10.5")
    per_unit = {c.unit.code: c for c in unit_completeness(the_period)}
    assert len(per_unit) == 19
    assert (per_unit["06973"].state, per_unit["06973"].on_time) == ("approved", True)
    assert (per_unit["06976"].state, per_unit["06976"].on_time) == ("returned", False)
    assert (per_unit["06979"].state, per_unit["06979"].on_time) == ("draft", False)
    assert (per_unit["PNV"].state, per_unit["PNV"].on_time) == ("not_started", False)
    on_time = sum(1 for c in per_unit.values() if c.on_time)
    late = sum(1 for c in per_unit.values() if c.on_time is False)
    assert (on_time, late) == (summary.on_time, summary.late)


def test_merged_communes_are_expected_only_while_they_exist(units, plan):
    from reporting.periods import create_periods

    create_periods(plan=plan, first_year=2024, last_year=2025)
    # A period expects the units valid on its last day: Lương Minh (from 01/11/2024), not Lương
    # Mông and Minh Cầm (until 31/10/2024), for 2024-Y (15/12/2023 – 14/12/2024)…
    assert compute_rollup(period=period("2024-Y")).period_completeness.expected == 19 - 2 + 1
    # …and none of the district's units for 2025-Y: they all ended on 30/06/2025.
    assert compute_rollup(period=period("2025-Y")).period_completeness.expected == 0
