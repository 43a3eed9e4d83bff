"""Base figures (staff, population by age, households…) are typed once and feed every indicator
that divides by them; the migration creates them from the figures already entered."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.excel import build_template
from reporting.models import BaseValue, Submission, SubmissionValue
from reporting.rollup import compute_rollup
from reporting.services import ValueInput
from tests.reporting.rollup_data import period as get_period
from tests.reporting.rollup_data import report
from tests.reporting.submission_factories import approved_report, open_period
from tests.reporting.test_excel import filled, rows_by_key, upload

STAFF = ("I09", "I10", "I11")


@pytest.fixture
def period(units):
    return open_period("2018-H1")


def edit_url(period):
    return reverse("reporting:submission_edit", kwargs={"period_code": period.code})


def staff_denominators(unit, period) -> list:
    return list(
        SubmissionValue.objects.filter(submission__unit=unit, submission__period=period, indicator__code__in=STAFF)
        .order_by("indicator__code")
        .values_list("denominator", flat=True)
    )


def test_one_staff_figure_typed_once_feeds_i09_i10_i11(login, dora, period):
    client = login(dora)
    page = client.get(edit_url(period)).content.decode()
    assert page.count('name="base-staff"') == 1
    assert 'name="I09-den"' not in page and 'name="I10-den"' not in page and 'name="I11-den"' not in page
    assert "mẫu số của I09, I10, I11" in page
    data = {"version": "0", "action": "save", "base-staff": "28", "I09-num": "20", "I10-num": "12", "I11-num": "5"}
    assert client.post(edit_url(period), data).status_code == 302
    assert staff_denominators(dora.unit, period) == [28, 28, 28]
    submission = Submission.objects.get(unit=dora.unit, period=period)
    assert list(submission.bases.values_list("key", "value")) == [("staff", 28)]
    # Changed once, changed everywhere.
    client.post(edit_url(period), {**data, "version": str(submission.version), "base-staff": "30"})
    assert staff_denominators(dora.unit, period) == [30, 30, 30]
    assert 'value="30"' in client.get(edit_url(period)).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "Nhập một số"), ("-3", "không được âm"), ("12,5", "số nguyên"), ("4%", "Không nhập tỷ lệ %")],
)
def test_bad_base_figure_is_refused_beside_it_and_everything_typed_stays(login, dora, period, typed, message):
    data = {"version": "0", "action": "save", "base-staff": typed, "I09-num": "20", "task_1": "Đã làm"}
    response = login(dora).post(edit_url(period), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and 'id="error-base-staff"' in body
    assert f'value="{typed}"' in body and 'value="20"' in body and "Đã làm" in body
    assert not Submission.objects.filter(unit=dora.unit).exists()


def test_a_numerator_above_the_base_figure_is_refused(login, dora, period):
    data = {"version": "0", "action": "save", "base-staff": "10", "I09-num": "9", "I10-num": "11"}
    body = login(dora).post(edit_url(period), data).content.decode()
    assert 'id="error-I10-num"' in body and 'id="error-I09-num"' not in body
    assert "Không được lớn hơn Tổng số CB, CC, VC (10" in body
    assert not Submission.objects.filter(unit=dora.unit).exists()


def test_submitting_needs_the_base_figure(login, dora, period):
    data = {"version": "0", "action": "submit", "I09-num": "9"}
    body = login(dora).post(edit_url(period), data).content.decode()
    assert 'id="error-base-staff"' in body
    assert not Submission.objects.filter(unit=dora.unit).exists()


def test_a_base_figure_that_jumps_from_last_period_is_flagged_once(login, alice, rita, period):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    previous.due = previous.end
    previous.save()
    last = BaseValue.objects.get(submission__unit=alice.unit, submission__period=previous, key="staff").value
    client = login(alice)
    data = {"version": "0", "action": "save", "base-staff": str(int(last) * 3), "I09-num": "1"}
    body = client.post(edit_url(period), data, follow=True).content.decode()
    assert body.count("Mẫu số thay đổi 200% so với kỳ trước") == 1
    assert f"Kỳ trước: {int(last)}" in body


def test_services_refuse_indicators_that_disagree_on_a_shared_base(dora, period):
    values = {code: ValueInput(Decimal(10), Decimal(d)) for code, d in zip(STAFF, (28, 25, 26), strict=True)}
    with pytest.raises(services.SubmissionError, match="dùng chung một số liệu nền"):
        services.submission_save_draft(unit=dora.unit, period=period, by=dora, values=values)
    assert not Submission.objects.filter(unit=dora.unit).exists()
    # With the base figure given, the per-indicator denominators do not matter: one figure wins.
    services.submission_save_draft(unit=dora.unit, period=period, by=dora, values=values, bases={"staff": 27})
    assert staff_denominators(dora.unit, period) == [27, 27, 27]


def test_excel_template_asks_the_base_figure_once_and_the_upload_reads_it_back(login, dora, period):
    template = build_template(unit=dora.unit, period=period)
    rows = rows_by_key(load_workbook(io.BytesIO(template)).worksheets[0])
    assert "base.staff" in rows and not {"I09.den", "I10.den", "I11.den"} & set(rows)
    assert rows["base.staff"] < rows["I09.num"]  # at the top
    data = filled(template, {"base.staff": 28, "I09.num": 20, "I10.num": 12, "I11.num": 5})
    assert upload(login(dora), period, data).status_code == 302
    assert staff_denominators(dora.unit, period) == [28, 28, 28]
    bad = filled(template, {"base.staff": "nhiều", "I09.num": 20})
    body = upload(login(dora), period, bad).content.decode()
    assert "số liệu nền" in body and "không phải là số" in body
    assert staff_denominators(dora.unit, period) == [28, 28, 28]  # nothing half-saved


def test_the_rollup_divides_by_the_one_base_figure(dora, rita, units, period):
    approved_report(dora.unit, period, dora, rita)
    row = next(r for r in compute_rollup(period=period, units=True).rows if r.indicator.code == "I10")
    figure = next(f for f in row.units if f.unit.pk == dora.unit.pk)
    base = BaseValue.objects.get(submission__unit=dora.unit, key="staff").value
    assert figure.denominator == base


def _approved_figures() -> tuple:
    """Every approved value as stored, and every figure of every target in two periods."""
    stored = sorted(
        SubmissionValue.objects.filter(submission__state="approved").values_list(
            "submission_id", "indicator__code", "numerator", "denominator", "flags"
        )
    )
    figures = []
    for code in ("2017-Y", "2018-Y"):
        for row in compute_rollup(period=get_period(code), units=True).rows:
            figures.append((code, row.indicator.code, row.numerator, row.denominator, row.value, row.status))
            figures += [(code, row.indicator.code, f.unit.code, f.value) for f in row.units]
    return stored, figures


@pytest.mark.django_db(transaction=True)
def test_migration_creates_base_figures_without_changing_any_approved_figure(units):
    # An approved 2018 report that typed 28, 25 and 26 staff, as the demo once did.
    report(units["PNV"], "2018-Y", {"I09": (20, 28), "I10": (12, 25), "I11": (5, 26), "I12": (45, 50)})
    report(units["06973"], "2017-Y", {"I04": (80, 100), "I09": (3, 9), "I30": {"denominator": 500}})
    report(units["06973"], "2018-Y", {"I04": (90, 110), "I10": (4, 9), "I30": {"denominator": 510}})
    BaseValue.objects.all().delete()
    before = _approved_figures()

    executor = MigrationExecutor(connection)
    executor.migrate(
        [("reporting", "0009_indicator_totals_per_node"), ("targets", "0003_plan_note_plan_owner_assignedtarget")]
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _approved_figures() == before
    assert staff_denominators(units["PNV"], get_period("2018-Y")) == [28, 25, 26]  # as approved
    bases = dict(BaseValue.objects.filter(submission__unit=units["PNV"]).values_list("key", "value"))
    assert bases == {"staff": 28}  # the first in plan order
    bases = set(
        BaseValue.objects.filter(submission__unit=units["06973"]).values_list(
            "submission__period__code", "key", "value"
        )
    )
    assert bases == {
        ("2017-Y", "population_15_60", 100),
        ("2017-Y", "staff", 9),
        ("2017-Y", "households", 500),
        ("2018-Y", "population_15_60", 110),
        ("2018-Y", "staff", 9),
        ("2018-Y", "households", 510),
    }
