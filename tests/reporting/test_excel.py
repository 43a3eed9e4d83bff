"""The offline report: export a template, fill it with openpyxl, import it; bad files change nothing."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.excel import META_SHEET, build_template
from reporting.models import Submission, SubmissionEvent, SubmissionValue
from reporting.services import ValueInput
from tests.reporting.submission_factories import approved_report, open_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(units):
    return open_period("2018-H1")


def rows_by_key(sheet) -> dict[str, int]:
    return {
        sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value
    }


def filled(template: bytes, values: dict[str, object], *, mutate=None) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    rows = rows_by_key(sheet)
    for key, value in values.items():
        sheet.cell(row=rows[key], column=6, value=value)
    if mutate:
        mutate(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, period, data: bytes, name="bao-cao.xlsx"):
    return client.post(
        reverse("reporting:submission_upload", kwargs={"period_code": period.code}),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )


def draft(alice, period):
    return services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(900), Decimal(1000))}
    )


def test_template_carries_unit_period_indicators_and_last_period(alice, rita, period):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)
    book = load_workbook(io.BytesIO(build_template(unit=alice.unit, period=period)))
    sheet, meta = book.worksheets[0], book[META_SHEET]
    assert meta.sheet_state == "hidden" and sheet.column_dimensions["A"].hidden
    assert [meta.cell(row=r, column=2).value for r in (2, 3)] == ["06973", "2018-H1"]
    assert "Xã Thanh Sơn" in sheet["B2"].value and "6 THÁNG ĐẦU NĂM 2018" in sheet["B1"].value
    rows = rows_by_key(sheet)
    assert {"I04.num", "base.population_15_60", "I02.flag.0", "I02.flag.2", "base.households", "text.task_1"} <= set(
        rows
    )
    assert "I03.num" not in rows and "I30.num" not in rows
    last = SubmissionValue.objects.get(submission__period=previous, indicator__code="I04")
    assert sheet.cell(row=rows["base.population_15_60"], column=5).value == int(last.denominator)


def test_round_trip_lands_in_the_draft(login, alice, period):
    data = filled(
        build_template(unit=alice.unit, period=period),
        {"I04.num": 1180, "base.population_15_60": "1.250", "I05.num": "12", "I05.den": 15.0, "I02.flag.0": "Có",
         "I02.flag.1": "không", "I02.flag.2": 1, "base.households": 480, "text.task_1": "Mở 5 lớp tin học"},
    )  # fmt: skip
    response = upload(login(alice), period, data)
    assert response.status_code == 302
    submission = Submission.objects.get(unit=alice.unit, period=period)
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    assert (values["I04"].numerator, values["I04"].denominator) == (1180, 1250)
    assert (values["I05"].numerator, values["I05"].denominator) == (12, 15)
    assert values["I02"].flags == [True, False, True]
    assert values["I30"].denominator == 480 and values["I30"].numerator is None
    assert submission.task_1 == "Mở 5 lớp tin học"
    assert SubmissionEvent.objects.filter(action="imported", field="I04.num", after="1180").exists()


def test_reordered_rows_and_renamed_sheet_still_put_numbers_in_place(alice, period):
    def shuffle(book):
        sheet = book.worksheets[0]
        sheet.title = "Đã đổi tên"
        rows = rows_by_key(sheet)
        # Swap the I04 numerator row with the I05 numerator row, keys and all.
        a, b = rows["I04.num"], rows["I05.num"]
        for column in range(1, 7):
            x, y = sheet.cell(row=a, column=column), sheet.cell(row=b, column=column)
            x.value, y.value = y.value, x.value
        book.move_sheet(sheet, offset=1)

    data = filled(
        build_template(unit=alice.unit, period=period),
        {"I04.num": 700, "base.population_15_60": 800, "I05.num": 3},
        mutate=shuffle,
    )
    services.submission_import_excel(unit=alice.unit, period=period, by=alice, data=data, filename="x.xlsx")
    values = {v.indicator.code: v for v in SubmissionValue.objects.select_related("indicator")}
    assert values["I04"].numerator == 700 and values["I05"].numerator == 3


def bad_files(template: bytes) -> dict[str, tuple[bytes, str, str]]:
    def corrupt_zip() -> bytes:
        raw = bytearray(template)
        raw[len(raw) // 2 : len(raw) // 2 + 200] = b"\0" * 200
        return bytes(raw)

    def with_macro() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                target.writestr(item, source.read(item.filename))
            target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
        return out.getvalue()

    def hidden_codes_removed(book):
        del book[META_SHEET]

    return {
        "not a spreadsheet": (b"%PDF-1.4 not a workbook", "bao-cao.xlsx", "không phải bảng tính"),
        "csv renamed": (b"I04.num;1000\n", "bao-cao.csv", "không phải bảng tính Excel .xlsx"),
        "corrupt zip": (corrupt_zip(), "bao-cao.xlsx", "hỏng"),
        "macro-enabled name": (template, "bao-cao.xlsm", "macro"),
        "vba inside": (with_macro(), "bao-cao.xlsx", "macro"),
        "formula": (filled(template, {"I04.num": "=1000+180"}), "bao-cao.xlsx", "công thức"),
        "text": (filled(template, {"I04.num": "một nghìn"}), "bao-cao.xlsx", "không phải là số"),
        "percentage": (filled(template, {"I04.num": 66.7}), "bao-cao.xlsx", "số nguyên"),
        "percent text": (filled(template, {"I04.num": "66,7%"}), "bao-cao.xlsx", "không nhập tỷ lệ %"),
        "negative": (filled(template, {"base.population_15_60": -3}), "bao-cao.xlsx", "không được âm"),
        "numerator above denominator": (filled(template, {"I04.num": 20, "base.population_15_60": 10}), "bao-cao.xlsx", "lớn hơn số liệu nền"),
        "bad yes/no": (filled(template, {"I02.flag.0": "có lẽ"}), "bao-cao.xlsx", "Có"),
        "no hidden codes": (filled(template, {"I04.num": 5}, mutate=hidden_codes_removed), "bao-cao.xlsx", "mã đơn vị và kỳ báo cáo ẩn"),
    }  # fmt: skip


def test_each_kind_of_bad_file_is_refused_and_the_draft_is_unchanged(login, alice, period):
    before = draft(alice, period)
    template = build_template(unit=alice.unit, period=period)
    client = login(alice)
    for kind, (data, name, message) in bad_files(template).items():
        response = upload(client, period, data, name)
        body = response.content.decode()
        assert response.status_code == 200, kind
        assert message in body, kind
        assert 'id="upload-errors"' in body, kind
        value = SubmissionValue.objects.get(submission=before, indicator__code="I04")
        assert (value.numerator, value.denominator) == (900, 1000), kind
        assert Submission.objects.get(pk=before.pk).version == before.version, kind


def test_errors_name_sheet_row_and_column_and_nothing_is_half_saved(login, alice, period):
    before = draft(alice, period)
    template = build_template(unit=alice.unit, period=period)
    rows = rows_by_key(load_workbook(io.BytesIO(template)).worksheets[0])
    data = filled(template, {"I05.num": 4, "I05.den": 9, "I04.num": "=A1", "I17.den": "abc"})
    body = upload(login(alice), period, data).content.decode()
    assert f"Trang “Báo cáo”, dòng {rows['I04.num']}, cột F" in body
    assert f"Trang “Báo cáo”, dòng {rows['I17.den']}, cột F" in body
    assert "Tệp có 2 lỗi" in body
    assert not SubmissionValue.objects.filter(submission=before, indicator__code="I05").exists()


def test_file_over_the_size_limit_is_refused(login, alice, period, settings):
    before = draft(alice, period)
    settings.UPLOAD_MAX_BYTES = 1000
    body = upload(login(alice), period, build_template(unit=alice.unit, period=period)).content.decode()
    assert "Tệp quá lớn" in body
    assert Submission.objects.get(pk=before.pk).version == before.version


def test_upload_without_a_file_says_so(login, alice, period):
    response = login(alice).post(reverse("reporting:submission_upload", kwargs={"period_code": period.code}))
    assert response.status_code == 200 and "Chọn tệp Excel để tải lên." in response.content.decode()


def test_template_of_commune_b_is_refused_for_commune_a(login, alice, bob, period):
    template_b = filled(build_template(unit=bob.unit, period=period), {"I04.num": 1, "base.population_15_60": 2})
    body = upload(login(alice), period, template_b).content.decode()
    assert "mẫu báo cáo của đơn vị khác (mã 06982)" in body
    assert not Submission.objects.exists()


def test_template_of_another_period_is_refused(alice, period):
    other = build_template(unit=alice.unit, period=open_period("2018-Y"))
    with pytest.raises(services.SubmissionError, match="kỳ báo cáo khác"):
        services.submission_import_excel(unit=alice.unit, period=period, by=alice, data=other, filename="a.xlsx")


def test_template_older_than_an_online_save_is_refused(alice, period):
    draft(alice, period)
    template = build_template(unit=alice.unit, period=period)
    services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I05": ValueInput(Decimal(1), Decimal(2))}
    )
    with pytest.raises(services.StaleSubmissionError):
        services.submission_import_excel(
            unit=alice.unit, period=period, by=alice, data=filled(template, {"I04.num": 5}), filename="a.xlsx"
        )
    assert SubmissionValue.objects.get(indicator__code="I04").numerator == 900


def test_template_download_is_an_xlsx_of_the_own_unit(login, bob, period):
    response = login(bob).get(reverse("reporting:submission_template", kwargs={"period_code": period.code}))
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-06982-2018-H1.xlsx"'
    meta = load_workbook(io.BytesIO(response.content))[META_SHEET]
    assert meta.cell(row=2, column=2).value == "06982"


def test_commands_export_and_import(alice, period, tmp_path):
    path = tmp_path / "tanh-son.xlsx"
    call_command("export_template", unit="06973", period="2018-H1", output=str(path))
    path.write_bytes(filled(path.read_bytes(), {"I04.num": 321, "base.population_15_60": 400}))
    call_command("import_submission", str(path), unit="06973", period="2018-H1", user="alice")
    value = SubmissionValue.objects.get(submission__unit=alice.unit, indicator__code="I04")
    assert (value.numerator, value.denominator) == (321, 400)
    assert SubmissionEvent.objects.filter(action="imported", actor=alice).exists()
    with pytest.raises(CommandError, match="đơn vị khác"):
        call_command("import_submission", str(path), unit="06982", period="2018-H1")
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("export_template", unit="XX", period="2018-H1", output=str(path))


def test_an_inserted_column_cannot_shift_last_period_into_this_period(alice, rita, period):
    previous = open_period("2017-Y")
    approved_report(alice.unit, previous, alice, rita)

    def insert_column(book):
        book.worksheets[0].insert_cols(4)

    data = filled(
        build_template(unit=alice.unit, period=period),
        {"I04.num": 700, "base.population_15_60": 800},
        mutate=insert_column,
    )
    # The figures typed before the insertion moved with their column to G, and are read from there.
    services.submission_import_excel(unit=alice.unit, period=period, by=alice, data=data, filename="x.xlsx")
    value = SubmissionValue.objects.get(submission__period=period, indicator__code="I04")
    assert (value.numerator, value.denominator) == (700, 800)

    def break_markers(book):
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(min_row=1, max_row=10):
            if row[0].value == "xhht-columns":
                for cell in row[1:]:
                    cell.value = None

    data = filled(build_template(unit=alice.unit, period=period), {"I04.num": 1}, mutate=break_markers)
    with pytest.raises(services.SubmissionError) as refused:
        services.submission_import_excel(unit=alice.unit, period=period, by=alice, data=data, filename="x.xlsx")
    assert "không tìm thấy cột số liệu" in " ".join(refused.value.errors)


def test_zip_bomb_is_refused_before_it_is_opened(alice, period):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (7 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(services.SubmissionError, match="giải nén ra quá lớn"):
        services.submission_import_excel(
            unit=alice.unit, period=period, by=alice, data=out.getvalue(), filename="b.xlsx"
        )


def test_damage_anywhere_in_the_file_is_refused_with_a_message_never_a_crash(login, alice, period):
    """Zeros or noise written over 64 bytes at 60 places: whatever part of the zip it hits (a
    header, the directory, a deflate stream), the upload is refused cleanly and nothing changes."""
    before = draft(alice, period)
    template = build_template(unit=alice.unit, period=period)
    client = login(alice)
    step = max(1, len(template) // 60)
    for offset in range(0, len(template), step):
        for filler in (b"\0" * 64, bytes((offset * 7 + i * 13) % 256 for i in range(64))):
            damaged = bytearray(template)
            damaged[offset : offset + 64] = filler[: len(damaged) - offset]
            response = upload(client, period, bytes(damaged))
            assert response.status_code == 200, offset
            assert 'id="upload-errors"' in response.content.decode() or response.context["form"].errors, offset
    assert Submission.objects.get(pk=before.pk).version == before.version
