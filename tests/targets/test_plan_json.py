import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from targets.models import Indicator, Plan, Target

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def export(plan_code=None) -> dict:
    out = StringIO()
    call_command("export_plan", "--format", "json", *(["--plan", plan_code] if plan_code else []), stdout=out)
    return json.loads(out.getvalue())


def test_export_shape_matches_the_documented_one(plan):
    data = export()
    target = next(t for t in data["targets"] if t["indicator"] == "I03" and t["year"] == 2018)
    assert target["section"] == "2.1"
    assert (target["comparator"], target["value_min"], target["value_max"], target["unit"], target["measure"]) == (
        ">",
        80.0,
        80.0,
        "percent",
        "ratio",
    )
    assert len(data["targets"]) == 61 and data["plan"]["code"] == "ba-che-2016-2020"


def test_round_trip_into_an_empty_database_is_lossless(plan, tmp_path):
    first = export()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    Plan.objects.all().delete()
    assert Target.objects.count() == 0
    call_command("import_plan", str(path), stdout=StringIO())
    assert export() == first


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("targets"), "targets"),
        (lambda d: d["targets"][5].update(comparator="≈"), "comparator"),
        (lambda d: d["targets"][5].update(value_min="nhiều"), "value_min"),
        (lambda d: d["targets"][5].update(indicator="I99"), "I99"),
        (lambda d: d["targets"].append(dict(d["targets"][0])), "I"),
        (lambda d: d["indicators"][0].update(measure="average"), "measure"),
        (lambda d: d["targets"][-1].update(year=2031), "2031"),
    ],
)
def test_a_broken_file_is_refused_and_changes_nothing(db, tmp_path, mutate, message):
    data = json.loads((FIXTURES / "plan-ba-che-2016-2020.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(path), stdout=StringIO())
    assert Plan.objects.count() == Indicator.objects.count() == Target.objects.count() == 0


def test_not_json_is_refused_with_a_clear_message(db, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"PK\x03\x04 not json")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_plan", str(path), stdout=StringIO())
    assert Plan.objects.count() == 0


def test_existing_plan_code_is_refused_without_replace(plan, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(export(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="ba-che-2016-2020"):
        call_command("import_plan", str(path), stdout=StringIO())
    call_command("import_plan", str(path), "--replace", stdout=StringIO())
    assert Target.objects.count() == 61


def test_the_national_2021_2030_plan_loads_without_code_changes(db):
    call_command("import_plan", str(FIXTURES / "plan-quoc-gia-2021-2030.json"), stdout=StringIO())
    plan = Plan.objects.get(code="quoc-gia-2021-2030")
    assert plan.milestone_years == [2025, 2030]
    assert Target.objects.filter(indicator__plan=plan, indicator__code="N10", year=2025).get().value_min == 12.5
    assert export("quoc-gia-2021-2030")["plan"]["start_year"] == 2021
