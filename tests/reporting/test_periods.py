"""The reporting periods' data windows and due dates, asserted day by day (Decree 09/2019/NĐ-CP)."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting.models import Period, PeriodKind
from reporting.periods import create_periods, default_periods, review_period

D = dt.date


def test_six_month_and_annual_windows_follow_decree_09():
    half, annual = default_periods(2018)
    # 6-month: 15/12 of the previous year → 14/06; annual: 15/12 of the previous year → 14/12.
    assert (half["code"], half["kind"], half["start"], half["end"]) == (
        "2018-H1",
        PeriodKind.HALF,
        D(2017, 12, 15),
        D(2018, 6, 14),
    )
    assert (annual["code"], annual["kind"], annual["start"], annual["end"]) == (
        "2018-Y",
        PeriodKind.ANNUAL,
        D(2017, 12, 15),
        D(2018, 12, 14),
    )
    # At least one working day between cut-off and deadline; the portal gives six.
    assert half["due"] == D(2018, 6, 20) and annual["due"] == D(2018, 12, 20)
    assert (half["label"], annual["label"]) == ("6 tháng đầu năm 2018", "Năm 2018")


def test_review_periods_cover_the_school_year():
    midterm = review_period(PeriodKind.MIDTERM, 2016)
    final = review_period(PeriodKind.FINAL, 2019)
    assert (midterm["code"], midterm["start"], midterm["end"], midterm["due"]) == (
        "2017-SK",
        D(2016, 9, 1),
        D(2017, 5, 31),
        D(2017, 6, 15),
    )
    assert midterm["label"] == "Sơ kết năm học 2016–2017"
    assert (final["code"], final["start"], final["end"], final["label"]) == (
        "2020-TK",
        D(2019, 9, 1),
        D(2020, 5, 31),
        "Tổng kết năm học 2019–2020",
    )


@pytest.mark.django_db
def test_create_periods_keeps_an_overridden_window(plan):
    create_periods(plan=plan, first_year=2016, last_year=2017, midterm=2016)
    assert sorted(Period.objects.values_list("code", flat=True)) == [
        "2016-H1",
        "2016-Y",
        "2017-H1",
        "2017-SK",
        "2017-Y",
    ]
    Period.objects.filter(code="2017-Y").update(due=D(2018, 1, 10))
    again = create_periods(plan=plan, first_year=2016, last_year=2018)
    assert [p.code for p in again] == ["2018-H1", "2018-Y"]
    assert Period.objects.get(code="2017-Y").due == D(2018, 1, 10)


@pytest.mark.django_db
def test_create_periods_command_never_guesses_between_two_running_plans(plan):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from targets.models import Plan

    other = Plan.objects.create(
        code="tinh-2021-2030", name="Kế hoạch của tỉnh", is_active=True, start_year=2021, end_year=2030
    )
    with pytest.raises(CommandError, match="--plan: ba-che-2016-2020, tinh-2021-2030"):
        call_command("create_periods", "--from", "2021", "--to", "2022", stdout=StringIO())
    assert not Period.objects.exists()
    # A year already taken by another plan is left to it, and said so.
    create_periods(plan=plan, first_year=2021, last_year=2021)
    err = StringIO()
    call_command(
        "create_periods", "--plan", other.code, "--from", "2021", "--to", "2022", stdout=StringIO(), stderr=err
    )
    assert "Kỳ 2021-H1 đã thuộc chương trình “ba-che-2016-2020”" in err.getvalue()
    assert sorted(Period.objects.filter(plan=other).values_list("code", flat=True)) == ["2022-H1", "2022-Y"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2020", "--to", "2018"], "Năm kết thúc phải sau năm bắt đầu"),
        (["--from", "0", "--to", "2018"], "--from 0: năm phải trong khoảng 2000–2100"),
        (["--from", "2018", "--to", "20255"], "--to 20255: năm phải trong khoảng 2000–2100"),
        (["--from", "-5", "--to", "2018"], "--from -5"),
        (["--from", "2018", "--to", "2019", "--final", "9999"], "--final 9999"),
        (["--plan", "khong-co", "--from", "2018", "--to", "2019"], "Không tìm thấy chương trình"),
    ],
    ids=["to-before-from", "year-0", "five-digits", "negative", "final-far", "unknown-plan"],
)
def test_create_periods_refuses_bad_years_in_vietnamese_and_creates_nothing(plan, args, message):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=message):
        call_command("create_periods", *args, stdout=StringIO())
    assert not Period.objects.exists()


def test_create_periods_refuses_a_year_that_is_not_a_number(plan):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="“hai nghìn” không phải là một năm"):
        call_command("create_periods", "--from", "hai nghìn", "--to", "2018", stdout=StringIO())
    assert not Period.objects.exists()


def test_a_generated_period_label_is_shown_in_the_readers_language_a_written_one_as_written(plan):
    from django.utils import translation

    from reporting.models import Period
    from reporting.periods import create_periods

    create_periods(plan=plan, first_year=2018, last_year=2018, midterm=2017, final=2017)
    labels = {p.code: p for p in Period.objects.filter(code__in=["2018-H1", "2018-Y", "2018-SK", "2018-TK"])}
    with translation.override("vi"):
        assert [labels[c].display_label for c in ("2018-H1", "2018-Y")] == ["6 tháng đầu năm 2018", "Năm 2018"]
        assert labels["2018-SK"].display_label == labels["2018-SK"].label == "Sơ kết năm học 2017–2018"
    with translation.override("en"):
        assert labels["2018-H1"].display_label == "First half of 2018"
        assert str(labels["2018-Y"]) == "Year 2018"
        assert labels["2018-TK"].display_label == "Final review, school year 2017–2018"
        renamed = labels["2018-Y"]
        renamed.label = "Năm 2018 (bổ sung)"
        assert renamed.display_label == "Năm 2018 (bổ sung)"  # written by hand: data, as written
