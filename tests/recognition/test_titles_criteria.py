"""Titles and criteria sets are data: added in the admin or from a file, chosen by date, scored in
points with floors or met / not met with levels, in force for several years; broken files and
admin input refused with a message naming the entry, changing nothing."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from recognition.criteria import CriteriaFormatError, criteria_from_dict, criteria_to_dict
from recognition.forms import RegisterOpenForm
from recognition.models import CriteriaSet, CriterionItem, Nomination, Title
from recognition.services import (
    DecisionData,
    RecognitionError,
    criteria_set_for,
    nomination_add,
    nomination_score,
    recognised_counter,
    register_decide,
    register_submit,
)
from reporting.hooks import recognised_counts, recognised_counts_by_year
from reporting.signals import recognitions_changed
from tests.recognition import factories


def test_the_four_titles_are_data_after_the_migration():
    titles = {t.code: t for t in Title.objects.all()}
    assert {"family", "clan", "community", "unit"} <= set(titles)
    assert titles["family"].nominee_kind == "household" and titles["family"].indicator_code == "family"
    assert titles["community"].nominee_kind == "village" and titles["community"].years_in_force == 1


def test_new_titles_are_loaded_from_the_fixtures():
    citizen = Title.objects.get(code="citizen")
    assert (citizen.name, citizen.nominee_kind) == ("Công dân học tập", "person")
    community = Title.objects.get(code="community_commune")
    assert (community.nominee_kind, community.years_in_force) == ("commune", 3)
    assert community.recognised_by_verified is False  # who recognises since 07/2025 is not known
    assert Title.objects.get(code="unit_district").criteria_sets.get().is_pass_fail


def test_an_administrator_adds_a_title_in_the_admin_and_officers_can_open_its_register(login, ada, alice):
    response = login(ada).post(
        reverse("admin:recognition_title_add"),
        {
            "code": "hoc-tap-so",
            "name": "Gia đình học tập số",
            "nominee_kind": "household",
            "recognised_by": "Chủ tịch UBND xã",
            "years_in_force": "2",
            "order": "9",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ("hoc-tap-so", "Gia đình học tập số") in RegisterOpenForm().fields["title"].choices
    register = factories.register(alice, title="hoc-tap-so", year=2026)
    assert register.nominee_label == "Họ và tên chủ hộ" and register.needs_village


def test_admin_refuses_bad_title_input_with_a_message_and_saves_nothing(login, ada):
    before = Title.objects.count()
    response = login(ada).post(
        reverse("admin:recognition_title_add"),
        {"code": "có dấu cách", "name": "", "nominee_kind": "planet", "recognised_by": "", "years_in_force": "0"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"code", "name", "nominee_kind", "recognised_by", "years_in_force"} <= set(errors)
    assert Title.objects.count() == before


def test_admin_refuses_a_criteria_set_ending_before_it_starts(login, ada):
    criteria_set = CriteriaSet.objects.get(code="qd448-2015-gdht")
    response = login(ada).post(
        reverse("admin:recognition_criteriaset_change", args=[criteria_set.pk]),
        {
            "code": criteria_set.code,
            "name": criteria_set.name,
            "title": "family",
            "valid_from": "2016-01-01",
            "valid_to": "2015-01-01",
            "scoring": "points",
            "pass_mark": "-5",
            "levels-TOTAL_FORMS": "0",
            "levels-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert {"valid_to", "pass_mark"} <= set(response.context["adminform"].form.errors)
    criteria_set.refresh_from_db()
    assert criteria_set.valid_to is None and criteria_set.pass_mark == Decimal(80)


def test_a_used_title_code_cannot_be_changed_in_the_admin(login, ada, alice):
    factories.register(alice)
    response = login(ada).get(reverse("admin:recognition_title_change", args=[Title.objects.get(code="family").pk]))
    assert 'name="code"' not in response.content.decode()


# ---- sets chosen by date; points with floors; met / not met with levels -----------------------


def _set(title, code, valid_from, **fields):
    return CriteriaSet.objects.create(
        code=code, name=code, title_id=title, valid_from=valid_from, pass_mark=Decimal(80), **fields
    )


def test_the_set_in_force_is_chosen_by_the_register_year(alice):
    newer = _set("family", "family-2024", dt.date(2024, 1, 1))
    assert criteria_set_for(factories.register(alice, year=2023)).code == "qd448-2015-gdht"
    assert criteria_set_for(factories.register(alice, year=2024)) == newer


@pytest.fixture
def citizen_with_points():
    """QĐ 324's rule on a set whose points are filled in (the fixture leaves them unknown)."""
    criteria_set = CriteriaSet.objects.get(code="qd324-2023-cdht")
    for criterion in criteria_set.criteria.all():
        criterion.items.all().delete()
        for n in range(1, 4):
            CriterionItem.objects.create(criterion=criterion, number=str(n), text=f"Chỉ số {n}", max_points=Decimal(10))
    criteria_set.max_total = Decimal(90)
    criteria_set.save()
    return criteria_set


def test_citizen_set_from_the_fixture_cannot_be_scored_until_its_points_are_known(alice):
    reg = factories.register(alice, title="citizen", year=2024)
    nomination = nomination_add(register=reg, name="Triệu Thị Hoà", village=None, by=alice)
    with pytest.raises(RecognitionError, match="chưa đủ số điểm"):
        nomination_score(nomination=nomination, points={}, by=alice)


@pytest.mark.parametrize(
    ("points", "passed"),
    [
        ([9, 9, 9, 9, 9, 9, 9, 9, 8], True),  # 80, every index at 5 or more
        ([10, 10, 10, 10, 10, 10, 10, 10, 4], False),  # 84, but one index below 5
        ([9, 9, 9, 9, 9, 9, 9, 9, 7], False),  # 79
    ],
)
def test_citizen_passes_at_80_with_no_index_below_its_floor(alice, citizen_with_points, points, passed):
    reg = factories.register(alice, title="citizen", year=2024)
    nomination = nomination_add(register=reg, name="Triệu Thị Hoà", village=None, by=alice)
    items = CriterionItem.objects.filter(criterion__criteria_set=citizen_with_points).order_by(
        "criterion__order", "order"
    )
    sheet = {item.pk: Decimal(p) for item, p in zip(items, points, strict=True)}
    assert nomination_score(nomination=nomination, points=sheet, by=alice).passed is passed


def test_a_criterion_floor_fails_an_otherwise_passing_sheet(alice, citizen_with_points):
    first = citizen_with_points.criteria.first()
    first.min_points = Decimal(28)
    first.save()
    reg = factories.register(alice, title="citizen", year=2024)
    nomination = nomination_add(register=reg, name="Lý Văn Sáng", village=None, by=alice)
    items = CriterionItem.objects.filter(criterion__criteria_set=citizen_with_points).order_by(
        "criterion__order", "order"
    )
    sheet = {item.pk: Decimal(9) for item in items}  # 81 in all, 27 on criterion 1
    result = nomination_score(nomination=nomination, points=sheet, by=alice)
    assert (result.total_points, result.passed) == (Decimal(81), False)


def _commune_nomination(alice, year=2024):
    reg = factories.register(alice, title="community_commune", year=year)
    return reg, nomination_add(register=reg, name="ignored", village=None, by=alice)


def test_commune_community_is_the_commune_itself_and_reaches_a_level(alice):
    reg, nomination = _commune_nomination(alice)
    assert nomination.name == alice.unit.name and nomination.village is None
    items = list(CriterionItem.objects.filter(criterion__criteria_set__code="tt25-2023-xa"))
    all_met = {i.pk: True for i in items}
    assert nomination_score(nomination=nomination, points=all_met, by=alice).level == 2
    level_two_missed = {i.pk: i.level != 2 for i in items}
    scored = nomination_score(nomination=nomination, points=level_two_missed, by=alice)
    assert (scored.level, scored.passed) == (1, True)
    one_common_missed = {**all_met, next(i.pk for i in items if i.level is None): False}
    scored = nomination_score(nomination=nomination, points=one_common_missed, by=alice)
    assert (scored.level, scored.passed) == (None, False)
    with pytest.raises(RecognitionError):
        nomination_score(nomination=nomination, points={i.pk: Decimal(1) for i in items}, by=alice)


def test_score_page_of_a_pass_fail_set_takes_met_or_not_and_keeps_choices(login, alice):
    _reg, nomination = _commune_nomination(alice)
    items = list(CriterionItem.objects.filter(criterion__criteria_set__code="tt25-2023-xa"))
    c = login(alice)
    url = reverse("recognition:nomination_score", kwargs={"pk": nomination.pk})
    page = c.get(url).content.decode()
    assert "chưa đối chiếu" in page and "Mức độ 2" in page
    response = c.post(url, {f"item_{items[0].pk}": "met", f"item_{items[1].pk}": "maybe"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"item_{items[1].pk}"] == ["Chọn đạt hoặc chưa đạt."]
    met_radio = re.search(rf'<input[^>]*name="item_{items[0].pk}" value="met"[^>]*>', response.content.decode())
    assert met_radio and met_radio.group(0).endswith(" checked>"), met_radio  # the typed choice is kept
    response = c.post(url, {f"item_{i.pk}": "met" for i in items})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.level == 2


# ---- recognitions in force for several years ---------------------------------------------------


def _recognise(alice, rita, year):
    reg, nomination = _commune_nomination(alice, year)
    items = CriterionItem.objects.filter(criterion__criteria_set__code="tt25-2023-xa")
    nomination_score(nomination=nomination, points={i.pk: True for i in items}, by=alice)
    register_submit(register=reg, by=alice)
    register_decide(
        register=reg,
        by=rita,
        approve=[nomination.pk],
        refuse={},
        decision=DecisionData(
            number=f"{year - 2000}/QĐ-PGDĐT",
            date=dt.date(year + 1, 3, 20),
            signer_title="Trưởng phòng",
            signer_name="X",
        ),
    )


def test_a_2024_community_recognition_is_still_counted_in_2026(alice, rita, commune_a):
    announced = []

    def listen(sender, title, year, **kwargs):
        announced.append((title, year))

    recognitions_changed.connect(listen)
    try:
        _recognise(alice, rita, 2024)
    finally:
        recognitions_changed.disconnect(listen)
    key = ("community_commune", commune_a.pk)
    assert [recognised_counts(year=y).get(key, 0) for y in (2023, 2024, 2025, 2026, 2027)] == [0, 1, 1, 1, 0]
    # The dashboard's maintained totals are told about every year the recognition is in force.
    assert announced == [("community_commune", 2024), ("community_commune", 2025), ("community_commune", 2026)]


def test_recognised_again_while_in_force_counts_once(alice, rita, commune_a):
    _recognise(alice, rita, 2024)
    _recognise(alice, rita, 2025)
    counts = recognised_counts_by_year(years=[2024, 2025, 2026, 2027, 2028])
    assert [counts.get(("community_commune", commune_a.pk, y), 0) for y in range(2024, 2029)] == [1, 1, 1, 1, 0]
    assert recognised_counter([2026], unit_ids=[commune_a.pk]) == {("community_commune", commune_a.pk, 2026): 1}


def test_review_page_shows_who_recognises_and_the_decision_carries_the_issuer_typed(login, alice, rita):
    reg, nomination = _commune_nomination(alice, 2024)
    items = CriterionItem.objects.filter(criterion__criteria_set__code="tt25-2023-xa")
    nomination_score(nomination=nomination, points={i.pk: True for i in items}, by=alice)
    register_submit(register=reg, by=alice)
    c = login(rita)
    url = reverse("recognition:register_review", kwargs={"pk": reg.pk})
    assert "Trưởng Phòng GD&amp;ĐT cấp huyện" in c.get(url).content.decode()
    response = c.post(
        url,
        {
            f"action_{nomination.pk}": "approve",
            "number": "15/QĐ-PGDĐT",
            "date": "20/03/2025",
            "signer_title": "Trưởng phòng",
            "signer_name": "Nguyễn Văn Hải",
            "issuer": "Phòng Giáo dục và Đào tạo huyện Ba Chẽ",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.decision.issuer == "Phòng Giáo dục và Đào tạo huyện Ba Chẽ"


def test_a_title_feeding_no_indicator_is_not_counted(alice, rita):
    Title.objects.filter(code="community_commune").update(indicator_code="")
    _recognise(alice, rita, 2024)
    assert not any(code == "community_commune" for code, _u, _y in recognised_counter([2024]))


# ---- criteria as files ---------------------------------------------------------------------------


def _export() -> dict:
    out = StringIO()
    call_command("export_criteria", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_export_import_round_trip_is_lossless(tmp_path):
    first = _export()
    assert {t["code"] for t in first["titles"]} >= {"family", "citizen", "community_commune", "unit_district"}
    CriteriaSet.objects.filter(nomination__isnull=True).delete()
    Title.objects.filter(code__in=["citizen", "unit_district", "community_commune"]).delete()
    path = tmp_path / "criteria.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import_criteria", str(path), stdout=out)
    assert "7 danh hiệu, 7 bộ tiêu chí" in out.getvalue()
    assert _export() == first


def _broken(mutate):
    data = criteria_to_dict()
    mutate(data)
    return data


def _set_named(data, code):
    return next(s for s in data["criteria_sets"] if s["code"] == code)


BROKEN = [
    (lambda d: d["titles"][0].update(nominee_kind="planet"), "titles[0] (mã “family”)", "nominee_kind"),
    (lambda d: d["titles"][1].update(name=""), "titles[1] (mã “clan”)", "name"),
    (lambda d: d["titles"][2].update(years_in_force=0), "titles[2] (mã “community”)", "years_in_force"),
    (lambda d: d["titles"][3].update(code="có dấu"), "titles[3]", "code"),
    (lambda d: d["criteria_sets"][0].update(title="nope"), "criteria_sets[0] (mã “qd448-2015-gdht”)", "title"),
    (lambda d: d["criteria_sets"][1].update(valid_from="01/01/2016"), "criteria_sets[1]", "valid_from"),
    (lambda d: d["criteria_sets"][2].update(valid_to="2010-01-01"), "criteria_sets[2]", "valid_to"),
    (lambda d: d["criteria_sets"][0]["criteria"][0].update(max_points="-3"), "criteria[0]", "max_points"),
    (lambda d: d["criteria_sets"][0]["criteria"][0]["items"][0].update(max_points="abc"), "items[0]", "max_points"),
    (lambda d: d["criteria_sets"][0]["criteria"][1]["items"][1].update(text=None), "items[1]", "text"),
    (lambda d: _set_named(d, "tt25-2023-xa")["criteria"][3]["items"][0].update(level=3), "items[0]", "level"),
    (lambda d: d["criteria_sets"][0].update(scoring="vote"), "criteria_sets[0]", "scoring"),
    (lambda d: d["criteria_sets"].append(dict(d["criteria_sets"][0])), "criteria_sets[7]", "code"),
    (lambda d: d["criteria_sets"][0]["criteria"].append(7), "criteria[4]", ""),
]


@pytest.mark.parametrize(("mutate", "entry", "field"), BROKEN)
def test_broken_file_is_refused_naming_entry_and_field_and_changes_nothing(tmp_path, mutate, entry, field):
    before = _export()
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_broken(mutate), ensure_ascii=False), encoding="utf-8")
    for command in ("import_criteria", "load_criteria"):
        with pytest.raises(CommandError) as info:
            call_command(command, str(path), stdout=StringIO())
        message = str(info.value)
        assert "broken.json" in message and entry in message and "Không có gì thay đổi" in message
        assert f"“{field}”" in message if field else True
    assert _export() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "không phải JSON hợp lệ"), (b"[1, 2]", "đối tượng JSON"), (b"\xff\xfe", "không phải JSON")],
)
def test_what_is_not_a_criteria_file_is_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_criteria", str(path), stdout=StringIO())


def test_items_must_add_up_to_their_criterion():
    data = _broken(lambda d: d["criteria_sets"][0]["criteria"][0].update(max_points="31"))
    with pytest.raises(CriteriaFormatError, match=r"criteria\[0\] \(tiêu chí 1\), trường “max_points”: bằng 31"):
        criteria_from_dict(data)


def test_a_set_used_by_score_sheets_keeps_its_items_on_reload(alice):
    reg = factories.register(alice)
    factories.scored(alice, reg, "Triệu Văn An")
    items = set(
        CriterionItem.objects.filter(criterion__criteria_set__code="qd448-2015-gdht").values_list("pk", flat=True)
    )
    call_command("load_criteria", stdout=StringIO())
    assert (
        set(CriterionItem.objects.filter(criterion__criteria_set__code="qd448-2015-gdht").values_list("pk", flat=True))
        == items
    )
    assert Nomination.objects.get(register=reg).scores.count() == len(items)


def test_titles_page_shows_every_title_and_marks_what_is_unverified(login, alice, django_assert_max_num_queries):
    c = login(alice)
    with django_assert_max_num_queries(12):
        html = c.get(reverse("recognition:titles")).content.decode()
    for text in ("Công dân học tập", "Cộng đồng học tập cấp xã", "Đơn vị học tập cấp huyện (TT 24/2023)", "Mức độ 2"):
        assert text in html
    assert "chưa đối chiếu văn bản gốc" in html and "chưa rõ" in html  # QĐ 324's unknown points
    assert "3 năm (năm được công nhận và các năm sau)" in html


def test_reloading_the_fixtures_keeps_what_an_administrator_set_but_a_file_import_replaces(tmp_path):
    Title.objects.filter(code="community_commune").update(recognised_by="Chủ tịch UBND xã (Công văn 123)")
    call_command("load_criteria", stdout=StringIO())
    assert Title.objects.get(code="community_commune").recognised_by == "Chủ tịch UBND xã (Công văn 123)"
    call_command("import_criteria", "fixtures/criteria-tt25-2023.json", stdout=StringIO())
    assert Title.objects.get(code="community_commune").recognised_by.startswith("Trưởng Phòng GD&ĐT")


def test_the_fixtures_alone_set_up_every_title_on_an_empty_database():
    """A flushed database (browser tests, a fresh install's load_demo) has no migration rows."""
    CriteriaSet.objects.all().delete()
    Title.objects.all().delete()
    call_command("load_criteria", stdout=StringIO())
    assert set(Title.objects.values_list("code", flat=True)) == {
        "family",
        "clan",
        "community",
        "unit",
        "community_commune",
        "unit_district",
        "citizen",
    }


def test_admin_refuses_an_item_level_its_set_does_not_have(login, ada):
    criterion = CriteriaSet.objects.get(code="tt25-2023-xa").criteria.get(number="4")
    item = criterion.items.first()
    data = {
        "criteria_set": criterion.criteria_set_id,
        "number": criterion.number,
        "name": criterion.name,
        "order": "3",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(item.pk),
        "items-0-criterion": str(criterion.pk),
        "items-0-number": item.number,
        "items-0-text": item.text,
        "items-0-level": "5",
        "items-0-order": "0",
    }
    response = login(ada).post(reverse("admin:recognition_criterion_change", args=[criterion.pk]), data)
    assert response.status_code == 200
    assert "Bộ tiêu chí này không có mức độ 5." in response.content.decode()
    item.refresh_from_db()
    assert item.level == 1


def test_the_dashboard_counts_a_village_title_while_it_is_in_force(alice, rita, commune_a):
    """Through the rollup: a community recognised for 2016, in force for 3 years by
    configuration, is counted on the 2018 dashboard and no longer on the 2019 one."""
    from reporting.rollup import compute_rollup
    from tests.reporting.rollup_data import period, report

    Title.objects.filter(code="community").update(years_in_force=3)
    reg = factories.register(alice, title="community", year=2016)
    nomination = nomination_add(register=reg, name="", village=factories.village(alice.unit), by=alice)
    nomination_score(nomination=nomination, points=factories.full_marks(nomination), by=alice)
    register_submit(register=reg, by=alice)
    register_decide(
        register=reg,
        by=rita,
        approve=[nomination.pk],
        refuse={},
        decision=DecisionData(number="9/QĐ-UBND", date=dt.date(2016, 12, 20), signer_title="Chủ tịch", signer_name="X"),
    )
    figures = {}
    for code in ("2018-Y", "2019-Y"):
        report(commune_a, code, {"I32": {"denominator": 4}})
        row = next(r for r in compute_rollup(period=period(code)).rows if r.indicator.code == "I32")
        figures[code] = row.numerator
    assert figures == {"2018-Y": 1, "2019-Y": 0}
