from collections import Counter
from decimal import Decimal

import pytest

from targets.models import Comparator, Measure, Target, ValueUnit


@pytest.fixture
def targets(plan):
    return {
        (t.indicator.code, t.year): t
        for t in Target.objects.filter(indicator__plan=plan).select_related("indicator", "section")
    }


def test_fixture_has_all_61_targets_by_milestone(targets):
    assert len(targets) == 61
    assert Counter(year for _, year in targets) == {2016: 3, 2018: 28, 2020: 30}


def test_fixture_has_33_indicators(plan):
    assert plan.indicators.count() == 33


@pytest.mark.parametrize(
    ("code", "year", "comparator", "low", "high", "unit"),
    [
        ("I03", 2016, Comparator.EQ, "66.7", "66.7", ValueUnit.PERCENT),
        ("I03", 2018, Comparator.GT, "80", "80", ValueUnit.PERCENT),
        ("I03", 2020, Comparator.EQ, "90.9", "90.9", ValueUnit.PERCENT),
        ("I07", 2018, Comparator.RANGE, "4", "5", ValueUnit.COUNT),
        ("I10", 2018, Comparator.GTE, "40", "40", ValueUnit.PERCENT),
        ("I19", 2020, Comparator.GT, "75", "75", ValueUnit.PERCENT),
        ("I26", 2018, Comparator.RANGE, "3", "5", ValueUnit.PERCENT),
        ("I26", 2020, Comparator.RANGE, "6.5", "7.5", ValueUnit.PERCENT),
        ("I27", 2020, Comparator.EQ, "300", "300", ValueUnit.PER_10000),
        ("I28", 2020, Comparator.GTE, "70", "70", ValueUnit.PERCENT),
        ("I23", 2016, Comparator.EQ, "36", "36", ValueUnit.PERCENT),
        ("I25", 2020, Comparator.EQ, "7.5", "7.5", ValueUnit.PERCENT),
    ],
)
def test_targets_are_transcribed_exactly(targets, code, year, comparator, low, high, unit):
    target = targets[(code, year)]
    assert (target.comparator, target.value_min, target.value_max, target.unit) == (
        comparator,
        Decimal(low),
        Decimal(high),
        unit,
    )


def test_slips_in_the_seed_keep_the_figure_and_carry_a_note(targets):
    assert targets[("I06", 2018)].value_min == 100 and "100 xã" in targets[("I06", 2018)].note
    assert targets[("I32", 2018)].value_min == 65 and "65 cộng đồng" in targets[("I32", 2018)].note
    assert "100% trở lên" in targets[("I09", 2018)].note


def test_measures_follow_the_indicator_table(plan):
    measures = dict(plan.indicators.values_list("code", "measure"))
    assert measures["I01"] == measures["I02"] == measures["I06"] == Measure.COVERAGE
    assert measures["I07"] == Measure.COUNT
    assert measures["I27"] == Measure.PER_10000
    assert {measures[c] for c in ("I12", "I13", "I26")} == {Measure.DISTRICT}
    assert {measures[c] for c in ("I30", "I31", "I32", "I33")} == {Measure.RECOGNITION}


def test_i02_keeps_three_separate_answers(plan):
    assert len(plan.indicators.get(code="I02").parts) == 3


@pytest.mark.parametrize(
    ("code", "year", "value", "expected"),
    [
        ("I03", 2018, "80", "not_met"),  # "trên 80%" needs more than 80
        ("I03", 2018, "80.1", "met"),
        ("I07", 2018, "3", "not_met"),
        ("I07", 2018, "4", "met"),
        ("I07", 2018, "6", "exceeded"),  # above a range is exceeded, not failed
        ("I23", 2016, "36", "met"),
        ("I23", 2016, "35.9", "not_met"),
    ],
)
def test_target_evaluation(targets, code, year, value, expected):
    assert targets[(code, year)].evaluate(Decimal(value)) == expected


def test_display_is_vietnamese(targets):
    assert targets[("I03", 2016)].display == "66,7%"
    assert targets[("I26", 2020)].display == "6,5–7,5%"
    assert targets[("I10", 2018)].display == "≥ 40%"
    assert targets[("I27", 2020)].display == "300/1 vạn dân"
