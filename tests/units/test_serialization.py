"""export_units / import_units: a lossless round trip; a broken file names the entry and changes nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from units.loader import load_units
from units.models import Reorganisation, ReorganisationLink, Unit, lineage
from units.serialization import UnitFormatError, units_from_dict, units_to_dict

QN = Path(settings.BASE_DIR) / "fixtures" / "units-quang-ninh-2025.json"


@pytest.fixture
def quang_ninh(units):
    load_units(QN)


def _snapshot():
    return (
        sorted(
            map(
                repr, Unit.objects.values_list("code", "name", "kind", "parent__code", "valid_from", "valid_to", "path")
            )
        ),
        sorted(map(repr, ReorganisationLink.objects.values_list("predecessor__path", "successor__path", "share"))),
        Reorganisation.objects.count(),
    )


def test_the_fixture_holds_the_54_units_of_1_july_2025(quang_ninh):
    province = Unit.objects.get(code="22")
    new = Unit.objects.subtree(province).valid_on(dt.date(2025, 7, 1)).communes()
    assert new.count() == 54
    assert sorted({u.kind for u in new}) == ["commune", "special_zone", "ward"]
    assert Unit.objects.valid_on(dt.date(2025, 6, 30)).communes().subtree(province).count() == 171
    assert Unit.objects.get(code="BACHE").valid_to == dt.date(2025, 6, 30)
    ba_che = Unit.objects.resolve("06970", on=dt.date(2025, 12, 14))
    shares = {(u.name, u.parent.code): share for u, share in lineage(ba_che, dt.date(2024, 6, 14))}
    assert shares == {
        ("Thị trấn Ba Chẽ", "BACHE"): 1,
        ("Xã Thanh Sơn", "BACHE"): 1,
        ("Xã Nam Sơn", "BACHE"): 1,
        ("Xã Đồn Đạc", "BACHE"): 1,
        ("Xã Hải Lạng", "199"): None,  # "phần còn lại": NQ 1679 gives no size
    }
    ky_thuong = Unit.objects.resolve("06979", on=dt.date(2025, 12, 14))
    assert {u.name for u, _s in lineage(ky_thuong, dt.date(2025, 1, 1))} == {
        "Xã Thanh Lâm",
        "Xã Đạp Thanh",
        "Xã Kỳ Thượng",
    }
    luong_minh = Unit.objects.resolve("06985", on=dt.date(2025, 12, 14))
    assert {(u.name, s) for u, s in lineage(luong_minh, dt.date(2024, 6, 14))} == {
        ("Xã Lương Mông", 1),
        ("Xã Minh Cầm", 1),
        ("Xã Đồng Sơn", 1),
    }


def test_loading_twice_changes_nothing(quang_ninh):
    before = _snapshot()
    load_units(QN)
    assert _snapshot() == before


def test_export_then_import_is_lossless(quang_ninh, tmp_path):
    out = tmp_path / "units.json"
    call_command("export_units", "--format", "json", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any("@" in link["successor"] for r in data["reorganisations"] for link in r["links"])
    before = _snapshot()
    ReorganisationLink.objects.all().delete()
    Reorganisation.objects.all().delete()
    call_command("import_units", str(out))
    assert _snapshot() == before
    assert units_to_dict() == data


BROKEN = [
    (lambda d: d["units"][3].update(kind="tỉnh lỵ"), "units[4] (194)", "kind"),
    (lambda d: d["units"][3].update(valid_to="30/06/2025"), "units[4] (194)", "valid_to"),
    (lambda d: d["units"][3].update(parent="99"), "units[4] (194)", "không có đơn vị “99”"),
    (lambda d: d["units"].append(dict(d["units"][3], name="Trùng")), "units[", "hai lần"),
    (lambda d: d["reorganisations"][1]["links"][0].update(share=1.5), "reorganisations[2].links[1]", "share"),
    (lambda d: d["reorganisations"][1]["links"][0].update(successor="06985"), "reorganisations[2].links[1]", "06985"),
    (lambda d: d["reorganisations"][1].update(effective="2020-01-01"), "reorganisations[2].links[1]", "hiệu lực"),
]


@pytest.mark.parametrize(("breaks", "where", "what"), BROKEN)
def test_a_broken_file_is_refused_naming_the_entry_and_changes_nothing(quang_ninh, breaks, where, what):
    data = json.loads(QN.read_text(encoding="utf-8"))
    data["units"][3]["name"] = "Đổi tên để xem có lưu nửa chừng không"
    broken = copy.deepcopy(data)
    breaks(broken)
    before = _snapshot()
    with pytest.raises(UnitFormatError) as caught:
        units_from_dict(broken)
    assert where in str(caught.value) and what in str(caught.value)
    assert _snapshot() == before


def test_import_units_command_refuses_a_file_that_is_not_json(units, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON"):
        call_command("import_units", str(path))


def test_a_reorganisation_already_recorded_is_updated_not_doubled(units):
    event = Reorganisation.objects.get(effective=dt.date(2024, 11, 1))
    event.legal_act = "Nghị quyết 1199/NQ-UBTVQH15"  # as an older database wrote it
    event.save()
    load_units(Path(settings.BASE_DIR) / "fixtures" / "units-ba-che.json")
    event = Reorganisation.objects.get(effective=dt.date(2024, 11, 1))
    assert event.legal_act == "NQ 1199/NQ-UBTVQH15" and event.links.count() == 2
