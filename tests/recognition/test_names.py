"""Names as people write them: tone placement, NFC/NFD, spaces and case are one name; search
without diacritics; Vietnamese alphabetical order in every list, export and PDF (SQLite and
PostgreSQL: run this file with DATABASE_URL=postgres:///… too)."""

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from recognition.models import Nomination
from recognition.services import RecognitionError, nomination_add
from recognition.views import by_name
from tests.recognition import factories
from xhht_portal import vietnamese

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Written by hand in Vietnamese dictionary order (a ă â b c d đ e ê … ơ … u ư v; tones after
# the base letter: none, huyền, hỏi, ngã, sắc, nặng).
HAND_ORDERED = [
    "An",
    "Ăn",
    "Ân",
    "Bàn Thị Mai",
    "Dương",
    "Dương Văn Lộc",
    "Đặng Thị Hằng",
    "Đặng Văn An",
    "Đỗ Thị Thu",
    "Em",
    "Hòa",
    "Hoàng Thị Ngọc",
    "Lý Thị Yến",
    "Nguyễn Văn Hai",
    "Nguyễn Văn Hài",
    "Nguyễn Văn Hải",
    "Ông Văn Ba",
    "Ơn Thị Lan",
    "Ưng Thị Hoa",
    "Vũ Văn Đức",
]
SHUFFLED = [HAND_ORDERED[i] for i in (19, 7, 0, 13, 4, 18, 11, 2, 16, 9, 5, 15, 1, 8, 17, 3, 12, 6, 10, 14)]

# (old style, new style): both NFC, different code points.
TONE_PAIRS = [("Hòa", "Hoà"), ("Thủy", "Thuỷ"), ("Khỏe", "Khoẻ"), ("Xòe", "Xoè"), ("Lụa", "Lụa")]


@pytest.mark.parametrize(("old", "new"), TONE_PAIRS[:3])
def test_tone_placement_styles_are_different_code_points_but_one_key(old, new):
    assert unicodedata.is_normalized("NFC", old) and unicodedata.is_normalized("NFC", new)
    assert old != new
    assert vietnamese.same_key(f"Nguyễn Thị {old}") == vietnamese.same_key(f" nguyễn  THỊ {new.upper()}")
    assert vietnamese.same_key(unicodedata.normalize("NFD", old)) == vietnamese.same_key(new)


def test_different_tones_or_letters_stay_different_names():
    assert vietnamese.same_key("Hòa") != vietnamese.same_key("Hóa")
    assert vietnamese.same_key("Hoa") != vietnamese.same_key("Hòa")
    assert vietnamese.same_key("Dang") != vietnamese.same_key("Đặng")
    assert vietnamese.same_key("Thủy") != vietnamese.same_key("Thùy")


def test_fold_drops_every_diacritic():
    assert vietnamese.fold("  Đặng   Văn Hoà ") == "dang van hoa"
    assert vietnamese.fold(unicodedata.normalize("NFD", "Ưng Thị Khỏe")) == "ung thi khoe"


def test_python_sort_key_gives_the_hand_made_order():
    assert vietnamese.sorted_names(SHUFFLED) == HAND_ORDERED
    assert sorted(["Vũ", "Đặng", "Em", "Dương"], key=vietnamese.sort_key) == ["Dương", "Đặng", "Em", "Vũ"]


@pytest.fixture
def clan_register(alice):
    return factories.register(alice, title="clan", year=2018)


def test_database_order_is_the_hand_made_order(alice, clan_register):
    """SQLite: the stored sort key; PostgreSQL: ICU "vi-x-icu". The same list either way."""
    for name in SHUFFLED:
        nomination_add(register=clan_register, name=name, village=None, by=alice)
    ordered = list(clan_register.nominations.order_by(by_name(), "pk").values_list("name", flat=True))
    assert ordered == HAND_ORDERED


def test_register_page_lists_names_in_vietnamese_order(login, alice, clan_register):
    for name in ("Vũ Văn Đức", "Em", "Đặng Văn An", "Dương"):
        nomination_add(register=clan_register, name=name, village=None, by=alice)
    response = login(alice).get(reverse("recognition:register", kwargs={"pk": clan_register.pk}))
    assert _names(response) == ["Dương", "Đặng Văn An", "Em", "Vũ Văn Đức"]
    html = response.content.decode()
    positions = [html.index(f">{name}<") for name in ("Dương", "Đặng Văn An", "Em", "Vũ Văn Đức")]
    assert positions == sorted(positions)


# ---- duplicates: entry one by one and import -------------------------------------------------


@pytest.mark.parametrize(("old", "new"), TONE_PAIRS[:3])
def test_entry_refuses_the_other_tone_placement_as_a_duplicate(alice, old, new):
    reg = factories.register(alice)
    village = factories.village(alice.unit)
    nomination_add(register=reg, name=f"Triệu Thị {old}", village=village, by=alice)
    with pytest.raises(RecognitionError, match="đã có trong sổ"):
        nomination_add(register=reg, name=f"  triệu  thị {new} ", village=village, by=alice)
    with pytest.raises(RecognitionError, match="đã có trong sổ"):
        nomination_add(
            register=reg, name=unicodedata.normalize("NFD", f"TRIỆU THỊ {new.upper()}"), village=village, by=alice
        )
    assert reg.nominations.count() == 1


def test_entry_form_says_duplicate_beside_the_field_and_keeps_what_was_typed(login, alice):
    reg = factories.register(alice)
    village = factories.village(alice.unit)
    nomination_add(register=reg, name="Lý Thị Hòa", village=village, by=alice)
    response = login(alice).post(
        reverse("recognition:nomination_add", kwargs={"pk": reg.pk}), {"name": "LÝ THỊ HOÀ", "village": village.pk}
    )
    assert response.status_code == 200
    assert "đã có trong sổ đăng ký năm 2018" in response.context["form"].errors["name"][0]
    assert 'value="LÝ THỊ HOÀ"' in response.content.decode()
    assert reg.nominations.count() == 1


def _upload(client, reg, rows):
    return client.post(
        reverse("recognition:register_import", kwargs={"pk": reg.pk}),
        {"file": SimpleUploadedFile("ds.xlsx", factories.workbook_bytes(rows), content_type=XLSX)},
    )


def test_import_refuses_tone_placement_duplicates_of_the_register_and_inside_the_file(login, alice):
    reg = factories.register(alice)
    nomination_add(register=reg, name="Đặng Văn Thủy", village=factories.village(alice.unit), by=alice)
    c = login(alice)
    response = _upload(c, reg, [("Bàn Thị Mai", "Thôn 1", ""), ("ĐẶNG VĂN THUỶ", "Thôn 1", "")])
    errors = [(e.row, e.message) for e in response.context["result"].errors]
    assert errors == [(3, "“ĐẶNG VĂN THUỶ” đã có trong sổ đăng ký năm 2018 (trùng).")]
    response = _upload(
        c, reg, [("Hoàng Thị Khỏe", "Thôn 1", ""), (unicodedata.normalize("NFD", "hoàng  thị khoẻ"), "thôn 1", "")]
    )
    errors = [(e.row, e.message) for e in response.context["result"].errors]
    assert errors == [(3, "“hoàng thị khoẻ” trùng với dòng 2 trong tệp.")]
    assert reg.nominations.count() == 1


def test_keys_follow_a_name_changed_in_the_admin(alice):
    reg = factories.register(alice)
    nomination = nomination_add(register=reg, name="Triệu Văn An", village=factories.village(alice.unit), by=alice)
    nomination.name = "Đặng Thị Hoà"
    nomination.save(update_fields=["name"])
    nomination.refresh_from_db()
    assert nomination.search_key == "dang thi hoa"
    assert nomination.dedup_key.endswith(vietnamese.same_key("Đặng Thị Hòa"))


# ---- search without diacritics ---------------------------------------------------------------


@pytest.fixture
def family_register(alice):
    reg = factories.register(alice)
    village = factories.village(alice.unit)
    for name in ("Đặng Văn Sáng", "Đặng Thị Hòa", "Bàn Thị Hoà", "Lý Văn Hoa", "Dương Văn Tài"):
        nomination_add(register=reg, name=name, village=village, by=alice)
    return reg


def _names(response):
    return [n.name for n in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Dang", {"Đặng Văn Sáng", "Đặng Thị Hòa"}),
        ("dang van", {"Đặng Văn Sáng"}),
        ("DANG  VAN", {"Đặng Văn Sáng"}),
        ("Hoa", {"Đặng Thị Hòa", "Bàn Thị Hoà", "Lý Văn Hoa"}),
        ("Đặng Văn", {"Đặng Văn Sáng"}),
        ("xyz", set()),
    ],
)
def test_register_search_without_diacritics(login, alice, family_register, q, expected):
    response = login(alice).get(reverse("recognition:register", kwargs={"pk": family_register.pk}), {"q": q})
    assert set(_names(response)) == expected


def test_exact_diacritics_rank_first_whatever_the_tone_placement(login, alice, family_register):
    response = login(alice).get(reverse("recognition:register", kwargs={"pk": family_register.pk}), {"q": "Hoà"})
    names = _names(response)
    assert set(names[:2]) == {"Đặng Thị Hòa", "Bàn Thị Hoà"}  # "Hoà" is "Hòa" in the other style
    assert names[2:] == ["Lý Văn Hoa"]


def test_recognised_list_search_and_export_in_vietnamese_order(login, alice, rita):
    factories.decided(alice, rita, names=("Vũ Văn Đức", "Đặng Thị Hòa", "Em Thị Lan", "Dương Văn Tài"))
    c = login(rita)
    response = c.get(reverse("recognition:recognised"), {"q": "hoa"})
    assert [n.name for n in response.context["page"].object_list] == ["Đặng Thị Hòa"]
    response = c.get(reverse("recognition:recognised"), {"q": "Thị Hoà"})
    assert [n.name for n in response.context["page"].object_list] == ["Đặng Thị Hòa"]
    listed = [n.name for n in c.get(reverse("recognition:recognised")).context["page"].object_list]
    assert listed == ["Dương Văn Tài", "Đặng Thị Hòa", "Em Thị Lan", "Vũ Văn Đức"]
    sheet = load_workbook(io.BytesIO(c.get(reverse("recognition:recognised_export")).content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == listed


def test_certificates_of_a_decision_come_in_vietnamese_order(login, alice, rita):
    _reg, _nominations, decision = factories.decided(alice, rita, names=("Vũ Văn Đức", "Đặng Văn An", "Dương Văn Tài"))
    pdf = login(rita).get(reverse("recognition:decision_certificates", kwargs={"pk": decision.pk})).content
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    order = [next(n for n in ("Dương Văn Tài", "Đặng Văn An", "Vũ Văn Đức") if n in text) for text in pages]
    assert order == ["Dương Văn Tài", "Đặng Văn An", "Vũ Văn Đức"]


def test_every_nomination_gets_its_keys_on_bulk_import_too(login, alice):
    reg = factories.register(alice)
    _upload(login(alice), reg, [("Đặng Văn Sáng", "Thôn 1", "")])
    row = Nomination.objects.get(register=reg)
    assert (row.search_key, row.sort_key) == ("dang van sang", vietnamese.sort_key("Đặng Văn Sáng"))
