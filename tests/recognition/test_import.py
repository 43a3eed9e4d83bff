"""Excel import of nominee lists: every row error by row and column, nothing saved until clean."""

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from recognition.importer import read_workbook
from recognition.models import Nomination, NominationEvent
from recognition.services import nomination_add
from tests.recognition import factories

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, reg, content: bytes, name="danh-sach.xlsx"):
    return client.post(
        reverse("recognition:register_import", kwargs={"pk": reg.pk}),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
    )


@pytest.fixture
def reg(alice):
    return factories.register(alice, year=2018)


def errors_of(response):
    return [(e.row, e.column, e.message) for e in response.context["result"].errors]


def test_clean_file_is_saved_with_history(login, alice, reg):
    content = factories.workbook_bytes([("Triệu Văn An", "Thôn 1", "hộ nghèo"), ("Bàn Thị Mai", "thôn 2", None)])
    response = upload(login(alice), reg, content)
    assert response.status_code == 302
    assert sorted(reg.nominations.values_list("name", "village__name", "note")) == [
        ("Bàn Thị Mai", "Thôn 2", ""),
        ("Triệu Văn An", "Thôn 1", "hộ nghèo"),
    ]
    assert NominationEvent.objects.filter(nomination__register=reg, action="imported", by=alice).count() == 2


def test_nfd_name_and_stray_spaces_are_a_duplicate_of_the_register(login, alice, reg):
    nomination_add(register=reg, name="Triệu Văn Ẩn", village=factories.village(alice.unit), by=alice)
    nfd = unicodedata.normalize("NFD", "  TRIỆU   văn ẩn ")
    assert nfd != "Triệu Văn Ẩn"
    response = upload(login(alice), reg, factories.workbook_bytes([("Bàn Thị Mai", "Thôn 1", ""), (nfd, "Thôn 1", "")]))
    assert response.status_code == 200
    assert errors_of(response) == [(3, "Họ và tên chủ hộ", "“TRIỆU văn ẩn” đã có trong sổ đăng ký năm 2018 (trùng).")]
    assert reg.nominations.count() == 1  # the clean row was not saved either
    assert "chưa lưu dòng nào" in response.content.decode()


def test_duplicates_inside_the_file_name_both_rows(login, alice, reg):
    nfc = unicodedata.normalize("NFC", "Đặng Thị Hằng")
    nfd = unicodedata.normalize("NFD", "Đặng  Thị Hằng")
    response = upload(login(alice), reg, factories.workbook_bytes([(nfc, "Thôn 1", ""), (nfd, "Thôn 1", "")]))
    assert errors_of(response) == [(3, "Họ và tên chủ hộ", "“Đặng Thị Hằng” trùng với dòng 2 trong tệp.")]
    assert not reg.nominations.exists()


def test_same_name_in_another_village_is_another_household(login, alice, reg):
    response = upload(
        login(alice), reg, factories.workbook_bytes([("Lý Văn Sáng", "Thôn 1", ""), ("Lý Văn Sáng", "Thôn 2", "")])
    )
    assert response.status_code == 302
    assert reg.nominations.count() == 2


def test_same_name_in_another_year_is_allowed(login, alice, reg):
    nomination_add(register=reg, name="Lý Văn Sáng", village=factories.village(alice.unit), by=alice)
    other = factories.register(alice, year=2019)
    assert upload(login(alice), other, factories.workbook_bytes([("Lý Văn Sáng", "Thôn 1", "")])).status_code == 302


def test_missing_columns_are_named(login, alice, reg):
    response = upload(login(alice), reg, factories.workbook_bytes([("Triệu Văn An", "x")], header=("Tên", "Địa chỉ")))
    assert errors_of(response) == [
        (1, "Họ và tên chủ hộ", "Thiếu cột “Họ và tên chủ hộ” ở dòng tiêu đề."),
        (1, "Thôn, bản, khu", "Thiếu cột “Thôn, bản, khu” ở dòng tiêu đề."),
    ]


def test_header_matching_ignores_case_and_spaces(login, alice, reg):
    content = factories.workbook_bytes([("Triệu Văn An", "Thôn 1")], header=("  họ và TÊN chủ hộ ", "THÔN, BẢN, KHU"))
    assert upload(login(alice), reg, content).status_code == 302


def test_wrong_types_unknown_village_and_blank_cells_are_reported_by_row_and_column(login, alice, reg):
    import datetime as dt

    rows = [
        ("Triệu Văn An", "Thôn 1", ""),
        (12345, "Thôn 1", ""),
        ("Bàn Thị Mai", "Thôn 99", ""),
        ("", "Thôn 1", "ghi chú"),
        ("Lý Văn Sáng", dt.date(2018, 1, 1), ""),
        ("Chìu Văn Tài", "", ""),
        ("x" * 201, "Thôn 1", ""),
    ]
    response = upload(login(alice), reg, factories.workbook_bytes(rows))
    assert errors_of(response) == [
        (3, "Họ và tên chủ hộ", "Cần chữ, không phải số hay ngày tháng: “12345”."),
        (4, "Thôn, bản, khu", "Không có thôn, bản, khu “Thôn 99” trong Xã Thanh Sơn."),
        (5, "Họ và tên chủ hộ", "Bắt buộc, đang để trống."),
        (6, "Thôn, bản, khu", "Cần chữ, không phải số hay ngày tháng: “2018-01-01 00:00:00”."),
        (7, "Thôn, bản, khu", "Bắt buộc, đang để trống."),
        (8, "Họ và tên chủ hộ", "Dài quá 200 ký tự."),
    ]
    assert not Nomination.objects.exists()


def test_formulas_are_refused(login, alice, reg):
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên chủ hộ", "Thôn, bản, khu"])
    ws.append(['=CONCAT("Triệu ","An")', "Thôn 1"])
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(login(alice), reg, buffer.getvalue())
    assert errors_of(response) == [(2, "Họ và tên chủ hộ", "Ô chứa công thức; xin thay bằng giá trị (chữ).")]


@pytest.mark.parametrize(
    "content",
    [b"STT,Ho ten\n1,An\n", b"PK\x03\x04 corrupt zip"],
    ids=["csv-not-a-spreadsheet", "corrupt"],
)
def test_what_is_not_a_workbook_is_refused_beside_the_field(login, alice, reg, content):
    # The same gate as the report upload (reporting.excel.check_upload), before openpyxl.
    response = upload(login(alice), reg, content)
    assert response.status_code == 200
    assert "không phải bảng tính Excel .xlsx" in response.context["form"].errors["file"][0]
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (factories.workbook_bytes([], header=None), "Tệp trống: không có dòng tiêu đề và không có dữ liệu."),
        (factories.workbook_bytes([]), "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."),
    ],
    ids=["empty", "header-only"],
)
def test_broken_files_are_refused_with_a_message(login, alice, reg, content, message):
    response = upload(login(alice), reg, content)
    assert response.status_code == 200
    assert errors_of(response) == [(None, "", message)]
    assert message in response.content.decode()
    assert not Nomination.objects.exists()


def test_zero_byte_and_too_large_files_are_refused_beside_the_field(login, alice, reg, settings):
    client = login(alice)
    response = upload(client, reg, b"")
    assert response.context["form"].errors["file"]
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(client, reg, factories.workbook_bytes([("Triệu Văn An", "Thôn 1")] * 50))
    assert "Tệp quá lớn" in response.context["form"].errors["file"][0]
    assert not Nomination.objects.exists()


def test_no_file_chosen(login, alice, reg):
    response = login(alice).post(reverse("recognition:register_import", kwargs={"pk": reg.pk}), {})
    assert response.context["form"].errors["file"] == ["Chọn một tệp để nhập."]


def test_template_has_the_expected_headers_and_imports_back(login, alice, reg):
    client = login(alice)
    response = client.get(reverse("recognition:import_template", kwargs={"pk": reg.pk}))
    assert response["Content-Type"] == XLSX
    assert upload(client, reg, response.content).status_code == 302
    assert reg.nominations.count() == 2


def test_community_register_takes_villages(login, alice):
    reg = factories.register(alice, title="community")
    content = factories.workbook_bytes([("Thôn 1", ""), ("thôn  2", "")], header=("Thôn, bản, khu", "Ghi chú"))
    assert upload(login(alice), reg, content).status_code == 302
    assert sorted(reg.nominations.values_list("name", flat=True)) == ["Thôn 1", "Thôn 2"]


def test_five_thousand_rows_import_through_the_view(login, alice, reg, settings):
    # Speed is measured by `manage.py benchmark` (import rows/s), not by a wall-clock assertion
    # that fails on a busy machine. Above the threshold the worker does it (test_import_job.py).
    settings.XHHT_IMPORT_TASK_ROWS = 5000
    rows = [(f"Hộ gia đình số {n}", f"Thôn {1 + n % 2}", "") for n in range(5000)]
    response = upload(login(alice), reg, factories.workbook_bytes(rows))
    assert response.status_code == 302
    assert reg.nominations.count() == 5000


def test_five_thousand_rows_with_one_error_saves_nothing(login, alice, reg, settings):
    import io

    settings.XHHT_IMPORT_TASK_ROWS = 5000

    rows = [(f"Hộ gia đình số {n}", "Thôn 1", "") for n in range(5000)]
    rows[4321] = ("Hộ gia đình số 7", "Thôn 1", "")
    content = factories.workbook_bytes(rows)
    result = read_workbook(io.BytesIO(content), reg)
    assert [(e.row, e.column) for e in result.errors] == [(4323, "Họ và tên chủ hộ")]
    assert not result.ok
    # Through the upload itself: the one bad row keeps all 4,999 good ones out.
    response = upload(login(alice), reg, content)
    assert response.status_code == 200
    assert "4323" in response.content.decode()
    assert reg.nominations.count() == 0


def test_template_of_another_commune_is_refused_and_saves_nothing(login, alice, bob, reg):
    theirs = factories.register(bob, year=2018)
    template = login(bob).get(reverse("recognition:import_template", kwargs={"pk": theirs.pk})).content
    response = upload(login(alice), reg, template)
    assert response.status_code == 200
    message = " ".join(e.message for e in response.context["result"].errors)
    assert "mẫu danh sách của Xã Nam Sơn" in message and "không phải của Xã Thanh Sơn" in message
    assert reg.nominations.count() == 0 and theirs.nominations.count() == 0


def test_template_of_another_title_or_year_of_the_same_commune_is_refused(login, alice, reg):
    client = login(alice)
    for other in (factories.register(alice, title="clan", year=2018), factories.register(alice, year=2019)):
        template = client.get(reverse("recognition:import_template", kwargs={"pk": other.pk})).content
        response = upload(client, reg, template)
        assert response.status_code == 200
        assert "mẫu danh sách của sổ khác" in " ".join(e.message for e in response.context["result"].errors)
    assert reg.nominations.count() == 0


def test_template_carries_its_register_in_a_hidden_sheet(login, alice, reg):
    import io

    from openpyxl import load_workbook

    content = login(alice).get(reverse("recognition:import_template", kwargs={"pk": reg.pk})).content
    book = load_workbook(io.BytesIO(content))
    meta = book["_xhht"]
    assert meta.sheet_state == "hidden" and book.worksheets[0].sheet_state == "visible"
    assert {row[0]: row[1] for row in meta.iter_rows(values_only=True)} == {
        "xhht-nominee-template": "1",
        "commune": alice.unit.code,
        "title": "family",
        "year": "2018",
    }
