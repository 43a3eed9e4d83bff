"""Village lists for the village meeting (bình xét): PDF and workbook per village."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from recognition.models import CriteriaSet
from recognition.services import nomination_add, nomination_withdraw
from tests.recognition import factories

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"recognition:{name}", kwargs=kwargs)


@pytest.fixture
def register(alice):
    reg = factories.register(alice, year=2018)
    first, second = factories.village(alice.unit, 1), factories.village(alice.unit, 2)
    for name in ("Vũ Văn Em", "Đặng Thị Hòa", "Dương Văn Bình"):
        nomination_add(register=reg, name=name, village=first, by=alice, note="Hộ nghèo" if name == "Vũ Văn Em" else "")
    gone = nomination_add(register=reg, name="Lò Văn Rút", village=first, by=alice)
    nomination_withdraw(nomination=gone, by=alice, reason="Chuyển đi nơi khác")
    nomination_add(register=reg, name="Hoàng Thị Khác", village=second, by=alice)
    return reg


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_village_pdf_lists_its_nominees_in_order_with_signature_lines(login, alice, register, artifacts_dir):
    village = factories.village(alice.unit, 1)
    response = login(alice).get(url("village_list_pdf", pk=register.pk, village_pk=village.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (artifacts_dir / "village-list.pdf").write_bytes(response.content)
    text = _pdf_text(response.content)
    assert "DANH SÁCH BÌNH XÉT" in text and village.name in text and alice.unit.name in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "2018" in text
    assert "TRƯỞNG THÔN" in text and "NGƯỜI LẬP BIỂU / THƯ KÝ" in text and "Hộ nghèo" in text
    # Vietnamese order (Dương before Đặng before Vũ); the withdrawn and the other village's are left out.
    assert text.index("Dương Văn Bình") < text.index("Đặng Thị Hòa") < text.index("Vũ Văn Em")
    assert "Lò Văn Rút" not in text and "Hoàng Thị Khác" not in text
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_village_workbook_has_blank_score_columns_and_prints(login, alice, rita, register):
    village = factories.village(alice.unit, 1)
    response = login(rita).get(url("village_list_xlsx", pk=register.pk, village_pk=village.pk))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    criteria_set = CriteriaSet.objects.in_force(register.title, 2018)
    criteria = list(criteria_set.criteria.all())
    header = [cell.value for cell in sheet[8]]
    assert header[:2] == ["STT", register.nominee_label]
    assert header[2 : 2 + len(criteria)] == [f"Tiêu chí {c.number}\n(tối đa {c.max_points:.0f} điểm)" for c in criteria]
    assert header[2 + len(criteria)].startswith("Tổng điểm") and header[-2:] == ["Đạt/Chưa đạt", "Ghi chú"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=9, max_row=11)]
    assert [row[:2] for row in rows] == [[1, "Dương Văn Bình"], [2, "Đặng Thị Hòa"], [3, "Vũ Văn Em"]]
    assert all(value is None for row in rows for value in row[2:-1]) and rows[2][-1] == "Hộ nghèo"
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "TRƯỞNG THÔN" in texts and "NGƯỜI LẬP BIỂU / THƯ KÝ" in texts and "Lò Văn Rút" not in texts
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$8:$8"


def test_village_without_nominees_gives_a_message_not_an_empty_file(login, alice, register):
    # The second village's only nominee withdrawn: nothing to put to the meeting.
    empty = factories.village(alice.unit, 2)
    only = register.nominations.get(village=empty)
    nomination_withdraw(nomination=only, by=alice, reason="Không tham gia")
    client = login(alice)
    for name in ("village_list_pdf", "village_list_xlsx"):
        response = client.get(url(name, pk=register.pk, village_pk=empty.pk), follow=True)
        assert response.redirect_chain[0][0] == url("register", pk=register.pk) + "#village-lists"
        assert f"Thôn “{empty.name}” chưa có đề nghị nào" in response.content.decode()


def test_register_page_links_each_village_list(login, alice, leo, register):
    html = login(alice).get(url("register", pk=register.pk)).content.decode()
    first, second = factories.village(alice.unit, 1), factories.village(alice.unit, 2)
    assert 'id="village-lists"' in html
    assert url("village_list_pdf", pk=register.pk, village_pk=first.pk) in html
    assert url("village_list_xlsx", pk=register.pk, village_pk=second.pk) in html
    # A reader who may neither change nor decide sees no village lists.
    assert 'id="village-lists"' not in login(leo).get(url("register", pk=register.pk)).content.decode()


def test_village_of_another_commune_is_404_and_outsiders_are_kept_out(login, alice, bob, leo, register):
    other = factories.village(bob.unit, 1)
    assert login(alice).get(url("village_list_pdf", pk=register.pk, village_pk=other.pk)).status_code == 404
    village = factories.village(alice.unit, 1)
    assert login(bob).get(url("village_list_xlsx", pk=register.pk, village_pk=village.pk)).status_code == 404
    assert login(leo).get(url("village_list_xlsx", pk=register.pk, village_pk=village.pk)).status_code == 403
