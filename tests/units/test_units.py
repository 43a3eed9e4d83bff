"""The unit tree: validity by date, paths, subtrees, reorganisations, lineage, expected units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reporting import rollup, services
from reporting.models import Period
from reporting.periods import create_periods
from units.models import (
    Reorganisation,
    ReorganisationKind,
    ReorganisationLink,
    Unit,
    UnitKind,
    lineage,
    move_children,
)

D = dt.date


def test_a_code_names_a_unit_only_with_its_dates(units):
    assert Unit.objects.resolve("06985", on=D(2018, 6, 14)).name == "Xã Lương Mông"
    assert Unit.objects.resolve("06985", on=D(2024, 12, 14)).name == "Xã Lương Minh"
    assert Unit.objects.resolve("06991", on=D(2024, 12, 14)) is None  # Minh Cầm merged on 01/11/2024
    assert Unit.objects.resolve("06973", on=D(2025, 7, 1)) is None  # the old communes end on 30/06/2025


def test_two_units_cannot_share_a_code_on_the_same_day(units):
    clash = Unit(code="06985", name="Trùng", kind=UnitKind.COMMUNE, valid_from=D(2024, 12, 1))
    with pytest.raises(ValidationError) as caught:
        clash.full_clean()
    assert "Xã Lương Minh" in str(caught.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Unit.objects.create(code="06973", name="Trùng", kind=UnitKind.COMMUNE)  # both without a start date


def test_paths_give_the_subtree_and_the_ancestors_and_follow_a_move(units):
    district, commune = units["BACHE"], units["06973"]
    village = Unit.objects.get(code="06973-T1")
    assert [u.code for u in village.ancestors()] == ["VN", "22", "BACHE", "06973"]
    subtree = set(Unit.objects.subtree(district).values_list("code", flat=True))
    assert {"BACHE", "06973", "06973-T1", "PGDDT"} <= subtree and "22" not in subtree
    other = Unit.objects.create(code="X1", name="Huyện khác", kind=UnitKind.DISTRICT, parent=units["22"])
    commune.parent = other
    commune.save()
    village.refresh_from_db()
    assert village.path == f"{units['22'].path}{other.pk}/{commune.pk}/{village.pk}/"
    assert "06973-T1" not in set(Unit.objects.subtree(district).values_list("code", flat=True))
    other.parent = commune
    with pytest.raises(ValidationError):
        other.full_clean()


def test_rebuild_paths_numbers_bulk_inserted_units(units):
    Unit.objects.update(path="")
    assert Unit.objects.rebuild_paths() >= Unit.objects.count()
    assert Unit.objects.rebuild_paths() == 0  # nothing left to fix
    village = Unit.objects.get(code="06973-T1")
    assert village.path == "/".join(["", *(str(u.pk) for u in village.ancestors(include_self=True)), ""])


def test_an_officer_sees_their_units_whole_subtree(units, alice, leo):
    village = Unit.objects.get(code="06973-T1")
    hamlet = Unit.objects.create(code="06973-T1-X", name="Xóm", kind=UnitKind.VILLAGE, parent=village)
    seen = set(Unit.objects.visible_to(alice))
    assert {alice.unit, village, hamlet} <= seen and units["06982"] not in seen
    assert Unit.objects.visible_to(leo).count() == Unit.objects.count()


def _lương_minh_2025(units):
    """xã Lương Minh of 01/07/2025 = Lương Minh (2024) + Đồng Sơn (TP Hạ Long), as NQ 1679 k.8 says."""
    halong = Unit.objects.create(code="193", name="Thành phố Hạ Long", kind=UnitKind.DISTRICT, parent=units["22"])
    dong_son = Unit.objects.create(
        code="07036", name="Xã Đồng Sơn", kind=UnitKind.COMMUNE, parent=halong, valid_to=D(2025, 6, 30)
    )
    new = Unit.objects.create(
        code="06985", name="Xã Lương Minh", kind=UnitKind.COMMUNE, parent=units["22"], valid_from=D(2025, 7, 1)
    )
    event = Reorganisation.objects.create(
        kind=ReorganisationKind.MERGER, legal_act="NQ 1679/NQ-UBTVQH15", effective=D(2025, 7, 1)
    )
    for old in (units["06985@2024-11-01"], dong_son):
        ReorganisationLink.objects.create(reorganisation=event, predecessor=old, successor=new, share=1)
    return new, dong_son


def test_lineage_is_transitive_across_two_reorganisations(units):
    new, dong_son = _lương_minh_2025(units)
    names = lambda pairs: {(u.name, share) for u, share in pairs}  # noqa: E731
    assert names(lineage(new, D(2024, 6, 14))) == {
        ("Xã Lương Mông", 1),
        ("Xã Minh Cầm", 1),
        ("Xã Đồng Sơn", 1),
    }
    assert names(lineage(new, D(2025, 1, 1))) == {("Xã Lương Minh", 1), ("Xã Đồng Sơn", 1)}
    assert names(lineage(new, D(2025, 12, 14))) == {("Xã Lương Minh", 1)}  # itself
    assert lineage(units["06991"], D(2025, 1, 1)) == []  # ended before that day


def test_lineage_carries_shares_and_unknown_parts(units):
    new, dong_son = _lương_minh_2025(units)
    link = ReorganisationLink.objects.get(predecessor=dong_son)
    link.share = Decimal("0.25")
    link.save()
    shares = {u.name: share for u, share in lineage(new, D(2024, 6, 14))}
    assert shares["Xã Đồng Sơn"] == Decimal("0.25") and shares["Xã Minh Cầm"] == 1
    link.share = None  # a part the legal act gives no size for
    link.save()
    assert {u.name: share for u, share in lineage(new, D(2024, 6, 14))}["Xã Đồng Sơn"] is None


def test_villages_move_to_the_new_commune_as_new_rows(units):
    new, _dong_son = _lương_minh_2025(units)
    moved = move_children(units["06985@2024-11-01"], new, effective=D(2025, 7, 1), legal_act="NQ 1679/NQ-UBTVQH15")
    assert [v.code for v in moved] == ["06985-T1", "06985-T2"]
    assert all(v.parent == new and v.valid_from == D(2025, 7, 1) for v in moved)
    old = Unit.objects.get(code="06985-T1", valid_from=D(2024, 11, 1))
    assert old.valid_to == D(2025, 6, 30) and old.parent == units["06985@2024-11-01"]
    assert lineage(moved[0], D(2025, 1, 1)) == [(old, 1)]
    assert move_children(units["06985@2024-11-01"], new, effective=D(2025, 7, 1), legal_act="NQ 1679/NQ-UBTVQH15")
    assert Unit.objects.filter(code="06985-T1").count() == 3  # Lương Mông's, Lương Minh's and the new one: idempotent


@pytest.fixture
def later_periods(plan):
    create_periods(plan=plan, first_year=2024, last_year=2025, midterm=None, final=None)
    return {p.code: p for p in Period.objects.filter(year__gte=2024)}


def test_a_period_spanning_the_2024_merger_expects_the_successor(units, later_periods):
    period = later_periods["2024-Y"]  # 15/12/2023 – 14/12/2024, Lương Minh from 01/11/2024
    expected = set(services.expected_units(period).communes().values_list("name", flat=True))
    assert "Xã Lương Minh" in expected
    assert not {"Xã Lương Mông", "Xã Minh Cầm"} & expected
    assert len(expected) == 7
    assert set(rollup.expected_units(period).communes()) == set(services.expected_units(period).communes())
    assert rollup._UnitCensus().expected(period, ["xa"]) == 7
    h1 = later_periods["2024-H1"]  # before the merger: the two old communes
    assert {"Xã Lương Mông", "Xã Minh Cầm"} <= set(services.expected_units(h1).values_list("name", flat=True))


def test_a_period_spanning_the_2025_reform_expects_only_the_new_communes(units, plan, later_periods):
    new, _dong_son = _lương_minh_2025(units)
    new.reporter_code = "xa"
    new.save()
    plan.owner = units["22"]  # a plan of the province: its subtree holds the old and the new communes
    plan.save()
    for period in later_periods.values():
        period.plan.refresh_from_db()
    year = later_periods["2025-Y"]  # 15/12/2024 – 14/12/2025: the district and its communes ended 30/06/2025
    assert list(services.expected_units(year)) == [new]
    assert rollup._UnitCensus().expected(year, None) == 1
    h1 = later_periods["2025-H1"]  # 15/12/2024 – 14/06/2025: still the old communes
    assert new not in services.expected_units(h1) and services.expected_units(h1).communes().count() == 7
    plan.owner = units["BACHE"]  # the district's plan: nothing of it is left in 2025-Y
    plan.save()
    year.plan.refresh_from_db()
    assert not services.expected_units(year).exists()
