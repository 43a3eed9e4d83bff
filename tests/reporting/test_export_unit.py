"""export_report --unit: the report of any node with a plan, named by its code at the period's end."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reporting.rollup_data import report


def export(*args) -> dict:
    out = StringIO()
    call_command("export_report", *args, stdout=out)
    return json.loads(out.getvalue())


def i04(data: dict) -> dict:
    return next(t for t in data["targets"] if t["indicator"] == "I04")


def test_without_unit_the_plan_owner_reports(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06982"], "2018-Y", {"I04": (10, 1000)})
    data = export("--period", "2018-Y", "--format", "json")
    assert list(data)[0] == "unit"
    assert data["unit"] == {"code": "BACHE", "name": "Huyện Ba Chẽ", "level": "district"}
    assert i04(data)["value"] == 9.1


def test_a_commune_reports_its_own_subtree(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06982"], "2018-Y", {"I04": (10, 1000)})
    data = export("--unit", "06973", "--period", "2018-Y", "--format", "json")
    assert data["unit"] == {"code": "06973", "name": "Xã Thanh Sơn", "level": "commune"}
    assert i04(data)["value"] == 90
    assert [u["code"] for u in i04(data)["units"]] == ["06973"]
    assert [c["code"] for c in data["completeness"]] == ["06973"]


def test_pdf_and_xlsx_for_a_commune(units, tmp_path):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    for fmt in ("pdf", "xlsx"):
        output = tmp_path / f"xa.{fmt}"
        call_command("export_report", "--unit", "06973", "--period", "2018-Y", "--format", fmt, "--output", str(output))
        assert output.stat().st_size > 1000


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("KHONGCO", "Không có đơn vị mã “KHONGCO”"),
        ("LUONGMINH", "Không có đơn vị mã “LUONGMINH” còn hiệu lực"),  # formed 1/11/2024: not in 2018
    ],
)
def test_a_unit_that_did_not_exist_then_is_a_clear_error(units, code, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", "--unit", code, "--period", "2018-Y", "--format", "json", stdout=StringIO())
