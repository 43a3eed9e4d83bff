"""A plan belongs to a unit, and units below it can be assigned their own targets."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reporting.models import Period
from reporting.rollup import compute_rollup
from targets.models import AssignedTarget, Plan, Target
from tests.reporting.rollup_data import period, report
from units.models import Unit


def export(plan_code="ba-che-2016-2020") -> dict:
    out = StringIO()
    call_command("export_plan", "--plan", plan_code, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def lowered(units):
    """Xã Đạp Thanh (mountainous) is given 70% instead of the plan's 94% for I04 in 2018."""
    target = Target.objects.get(indicator__code="I04", year=2018)
    return AssignedTarget.objects.create(
        target=target,
        unit=units["06979"],
        value_min=Decimal(70),
        value_max=Decimal(70),
        note="Xã miền núi, đặc biệt khó khăn: giao thấp hơn",
    )


def test_the_district_owns_the_2016_2020_plan(plan):
    assert plan.owner.code == "BACHE"
    assert export()["plan"]["owner"] == "BACHE"


def test_assigned_targets_round_trip_losslessly(units, lowered, tmp_path):
    first = export()
    i04 = next(t for t in first["targets"] if t["indicator"] == "I04" and t["year"] == 2018)
    assert i04["assigned"] == [
        {
            "unit": "06979",
            "valid_from": None,
            "value_min": 70.0,
            "value_max": 70.0,
            "note": "Xã miền núi, đặc biệt khó khăn: giao thấp hơn",
        }
    ]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    Period.objects.all().delete()
    Plan.objects.all().delete()
    call_command("import_plan", str(path), stdout=StringIO())
    assert export() == first
    assert AssignedTarget.objects.get().unit.code == "06979"


def test_replace_drops_an_assignment_the_file_no_longer_has(units, lowered, tmp_path):
    data = export()
    for row in data["targets"]:
        row.pop("assigned", None)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_plan", str(path), "--replace", stdout=StringIO())
    assert not AssignedTarget.objects.exists()


def _i04(data: dict) -> dict:
    return next(t for t in data["targets"] if t["indicator"] == "I04" and t["year"] == 2018)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _i04(d).update(assigned=[{"unit": "KHONGCO", "value_min": 70, "value_max": 70}]), "KHONGCO"),
        (lambda d: _i04(d).update(assigned=[{"unit": "06979", "value_min": 70, "value_max": 75}]), "so sánh"),
        (lambda d: _i04(d).update(assigned=[{"unit": "06979", "value_min": "nhiều", "value_max": 1}]), "value_min"),
        (lambda d: _i04(d).update(assigned="06979"), "assigned"),
        (
            lambda d: _i04(d).update(assigned=[{"unit": "06979", "value_min": 1, "value_max": 1}] * 2),
            "lặp",
        ),
        (lambda d: d["plan"].update(owner="KHONGCO"), "KHONGCO"),
        (lambda d: d["plan"].update(owner="BACHE", owner_valid_from="31/12/2015"), "YYYY-MM-DD"),
    ],
)
def test_a_broken_assignment_or_owner_is_refused_and_changes_nothing(units, lowered, tmp_path, mutate, message):
    before = export()
    data = export()
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(path), "--replace", stdout=StringIO())
    assert export() == before


def test_a_commune_is_judged_against_its_own_target_and_the_district_against_the_plans(units, lowered):
    report(units["06979"], "2018-Y", {"I04": (80, 100)})  # Đạp Thanh: 80% ≥ its 70%
    report(units["06973"], "2018-Y", {"I04": (80, 100)})  # Thanh Sơn: 80% < the plan's 94%
    district = compute_rollup(period=period("2018-Y"))
    row = next(r for r in district.rows if r.indicator.code == "I04")
    assert (row.target.display, row.value, row.target.assigned) == ("94%", Decimal("80.0"), False)
    assert row.status != "met"
    commune = compute_rollup(period=period("2018-Y"), node=units["06979"])
    own = next(r for r in commune.rows if r.indicator.code == "I04")
    assert (own.target.display, own.target.assigned, own.value, own.status) == ("70%", True, Decimal("80.0"), "met")
    drill = compute_rollup(period=period("2018-Y"), target=row.target, node=units["BACHE"])
    by_code = {f.unit.code: f for f in drill.rows[0].units}
    assert by_code["06979"].status == "met" and by_code["06979"].target.value_min == 70
    assert by_code["06973"].status != "met" and by_code["06973"].target.value_min == 94


def test_the_drill_down_shows_the_assigned_target_with_its_note(units, lowered, login, leo):
    report(units["06979"], "2018-Y", {"I04": (80, 100)})
    target = Target.objects.get(indicator__code="I04", year=2018)
    page = login(leo).get(reverse("reporting:dashboard_target", args=["2018-Y", target.pk])).content.decode()
    assert "Chỉ tiêu được giao: 70%" in page
    assert "đặc biệt khó khăn" in page
    commune = login(leo).get(reverse("reporting:node_dashboard", args=[units["06979"].pk]), {"period": "2018-Y"})
    assert "Chỉ tiêu được giao riêng (chương trình: 94%)" in commune.content.decode()


def test_admin_edits_owner_and_assigned_targets(units, lowered, login, ada):
    client = login(ada)
    plan = Plan.objects.get(code="ba-che-2016-2020")
    assert client.get(reverse("admin:targets_plan_change", args=[plan.pk])).status_code == 200
    assert client.get(reverse("admin:targets_assignedtarget_changelist")).status_code == 200
    page = client.get(reverse("admin:targets_target_change", args=[lowered.target_id])).content.decode()
    assert "đặc biệt khó khăn" in page
    response = client.post(
        reverse("admin:targets_assignedtarget_add"),
        {"target": lowered.target_id, "unit": Unit.objects.get(code="06982").pk, "value_min": "80", "value_max": "85"},
    )
    assert response.status_code == 200  # refused: a range for a "≥" target
    assert "Chỉ khoảng giá trị" in response.content.decode()
    assert AssignedTarget.objects.count() == 1
