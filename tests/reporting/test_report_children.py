"""A node's report lists its children, not every unit below it; every unit only in an optional annex."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse

from reporting.exports.report import write_report
from reporting.models import SubmissionState
from reporting.rollup import expected_units
from tests.reporting.rollup_data import period, report
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def _pdf(**options) -> bytes:
    buffer = io.BytesIO()
    write_report(period=period("2018-Y"), fmt="pdf", stream=buffer, **options)
    return buffer.getvalue()


@pytest.fixture
def province(units):
    """Ba Chẽ under a province, beside a second district with two communes of its own."""
    top = Unit.objects.create(code="QN", name="Tỉnh Quảng Ninh", kind=UnitKind.PROVINCE)
    Unit.objects.filter(code="BACHE").update(parent=top)
    Unit.objects.rebuild_paths()  # update() skips save(): renumber the moved subtree
    other = Unit.objects.create(code="TY", name="Huyện Tiên Yên", kind=UnitKind.DISTRICT, parent=top)
    first = Unit.objects.create(code="TY1", name="Xã Hải Lạng", kind=UnitKind.COMMUNE, parent=other, reporter_code="xa")
    Unit.objects.create(code="TY2", name="Xã Đông Hải", kind=UnitKind.COMMUNE, parent=other, reporter_code="xa")
    report(first, "2018-Y", {"I04": (5, 10)})
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06976"], "2018-Y", {"I04": (1, 2)}, state=SubmissionState.SUBMITTED)
    return top


def test_a_district_report_lists_its_communes_and_offices_with_their_state(units):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    text = _text(_pdf())
    section = text.split("TÌNH HÌNH NỘP BÁO CÁO", 1)[1]
    assert "Đã duyệt" in next(line for line in section.splitlines() if "Xã Thanh Sơn" in line)
    assert "Chưa báo cáo" in next(line for line in section.splitlines() if "Xã Nam Sơn" in line)
    assert "PHỤ LỤC" not in text


def test_a_province_report_lists_its_districts_with_counts_not_every_commune(province):
    text = _text(_pdf(node=province))
    section = text.split("TÌNH HÌNH NỘP BÁO CÁO", 1)[1]
    tien_yen = next(line for line in section.splitlines() if "Huyện Tiên Yên" in line)
    assert "1/2 đã duyệt" in tien_yen and "1/2 đã gửi" in tien_yen
    in_ba_che = expected_units(period("2018-Y"), node=Unit.objects.get(code="BACHE")).count()
    ba_che = next(line for line in section.splitlines() if "Huyện Ba Chẽ" in line)
    assert f"1/{in_ba_che} đã duyệt" in ba_che and f"2/{in_ba_che} đã gửi" in ba_che
    assert "Xã Hải Lạng" not in text and "Xã Thanh Sơn" not in text

    annexed = _text(_pdf(node=province, annex=True))
    annex = annexed.split("PHỤ LỤC", 1)[1]
    assert "Xã Hải Lạng" in annex and "Xã Thanh Sơn" in annex and "Xã Đông Hải" in annex


def test_the_annex_is_offered_up_to_a_size(units, login, rita, settings):
    settings.XHHT_EXPORT_TASK_UNITS = 5
    client = login(rita)
    url = reverse("reporting:dashboard_pdf", args=["2018-Y"])
    assert 'name="annex"' in client.get(url).content.decode()
    settings.XHHT_PDF_ANNEX_MAX_UNITS = 5
    page = client.get(url).content.decode()
    assert 'name="annex"' not in page and "bảng Excel" in page


def test_a_child_whose_subtree_has_not_all_reported_is_provisional_on_the_drill_down(province):
    from reporting.exports.json import rollup_to_dict
    from reporting.rollup import compute_rollup
    from targets.models import Target

    target = Target.objects.get(indicator__code="I04", year=2018)
    rollup = compute_rollup(period=period("2018-Y"), node=province, target=target)
    children = {f.unit.code: f for f in rollup.rows[0].units}
    tien_yen, ba_che = children["TY"], children["BACHE"]
    # Tiên Yên: 1 of its 2 communes reported, 50% is behind 94% and says it is provisional.
    assert tien_yen.provisional and tien_yen.provisional_text == "tạm tính, 1/2 đơn vị đã báo cáo"
    assert tien_yen.status_text.endswith("(tạm tính)")
    assert ba_che.provisional and ba_che.provisional_text.startswith("tạm tính, 1/")
    # The exports list every unit: a unit's own figure is never provisional.
    data = rollup_to_dict(compute_rollup(period=period("2018-Y"), node=province, units=True))
    i04 = next(t for t in data["targets"] if t["indicator"] == "I04")
    assert i04["provisional"] is True
    assert {u["code"] for u in i04["units"] if u["provisional"]} == set()


def test_the_drill_down_page_writes_a_childs_provisional_figure(province, login, ada):
    from targets.models import Target

    target = Target.objects.get(indicator__code="I04", year=2018)
    target.indicator.plan.__class__.objects.filter(pk=target.indicator.plan_id).update(owner=province)
    url = reverse("reporting:node_target", args=[province.pk, "2018-Y", target.pk])
    page = login(ada).get(url).content.decode()
    assert "tạm tính, 1/2 đơn vị đã báo cáo" in page  # Tiên Yên
    assert "Chậm (tạm tính)" in page or "Đúng tiến độ (tạm tính)" in page
