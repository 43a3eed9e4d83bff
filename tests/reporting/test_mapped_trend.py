"""Before a unit existed, its trend sums its predecessors' approved figures (× the share that moved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import Period, Submission
from reporting.periods import default_periods
from reporting.rollup import compute_rollup
from targets.serialization import plan_from_dict
from tests.reporting.rollup_data import report
from units.models import Reorganisation, ReorganisationLink, Unit, UnitKind

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def merged(db):
    province = Unit.objects.create(code="P", name="Tỉnh thử", kind=UnitKind.PROVINCE)
    old_a = Unit.objects.create(
        code="A",
        name="Xã An",
        kind=UnitKind.COMMUNE,
        parent=province,
        reporter_code="xa",
        valid_to=dt.date(2025, 6, 30),
    )
    old_b = Unit.objects.create(
        code="B",
        name="Xã Bình",
        kind=UnitKind.COMMUNE,
        parent=province,
        reporter_code="xa",
        valid_to=dt.date(2025, 6, 30),
    )
    new = Unit.objects.create(
        code="A", name="Xã An Bình", kind=UnitKind.COMMUNE, parent=province, reporter_code="xa", valid_from=REFORM
    )
    reorganisation = Reorganisation.objects.create(kind="merger", effective=REFORM, legal_act="NQ thử")
    ReorganisationLink.objects.create(reorganisation=reorganisation, predecessor=old_a, successor=new, share=1)
    ReorganisationLink.objects.create(
        reorganisation=reorganisation, predecessor=old_b, successor=new, share=Decimal("0.4")
    )
    plan = plan_from_dict(
        {
            "plan": {"code": "thu-2021-2030", "name": "Kế hoạch thử", "start_year": 2021, "end_year": 2030, "owner": "P"},
            "sections": [{"code": "1", "title": "Mục tiêu"}],
            "indicators": [{"code": "M01", "name": "Tỷ lệ thử", "measure": "ratio", "reporters": ["xa"]}],
            "targets": [
                {"section": "1", "indicator": "M01", "year": 2025, "comparator": ">=", "value_min": 50,
                 "value_max": 50, "unit": "percent"}
            ],
        }
    )  # fmt: skip
    for spec in default_periods(2025):
        code = spec.pop("code")
        Period.objects.create(code=code, plan=plan, **spec)
    return {"province": province, "a": old_a, "b": old_b, "new": new}


def test_a_mapped_trend_is_the_sum_of_the_predecessors_figures_with_shares(merged):
    report(merged["a"], "2025-H1", {"M01": (30, 100)})
    report(merged["b"], "2025-H1", {"M01": (50, 200)})
    report(merged["new"], "2025-Y", {"M01": (60, 100)})
    rollup = compute_rollup(period=Period.objects.get(code="2025-Y"), node=merged["new"])
    row = rollup.rows[0]
    before, after = row.trend
    # (30 + 0.4 × 50) / (100 + 0.4 × 200) = 50 / 180
    assert before.mapped and before.value == Decimal("27.8")
    assert [(u.name, share) for u, share in before.sources] == [("Xã An", 1), ("Xã Bình", Decimal("0.4"))]
    assert not after.mapped and after.value == Decimal("60.0")
    assert "Xã Bình (40%)" in row.mapped_text
    # Historical reports stay on the units that existed then.
    assert set(Submission.objects.filter(period__code="2025-H1").values_list("unit__name", flat=True)) == {
        "Xã An",
        "Xã Bình",
    }


def test_the_province_trend_is_not_mapped_and_the_page_says_which_points_are(merged, login):
    from xhht_portal.models import Role, User

    report(merged["a"], "2025-H1", {"M01": (30, 100)})
    report(merged["b"], "2025-H1", {"M01": (50, 200)})
    report(merged["new"], "2025-Y", {"M01": (60, 100)})
    province = compute_rollup(period=Period.objects.get(code="2025-Y"), node=merged["province"])
    assert not any(p.mapped for p in province.rows[0].trend)
    leader = User.objects.create(username="lanhdao.tinh", role=Role.LEADER, unit=merged["province"])
    page = (
        login(leader)
        .get(reverse("reporting:node_dashboard", args=[merged["new"].pk]), {"period": "2025-Y"})
        .content.decode()
    )
    assert "Số liệu quy đổi từ các đơn vị cũ (2025-H1): Xã An, Xã Bình (40%)" in page
