"""Withdrawing a signed copy: kept with its file, marked with who, when and why, never deleted."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse

from documents import services
from documents.models import SignedCopy
from tests.documents.factories import narrative_report, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrong_scan(report_a, alice):
    return services.signed_copy_add(
        by=alice,
        data=pdf_bytes(pages=2),
        content_type="application/pdf",
        original_name="quet-nham.pdf",
        submission=report_a,
    )


@pytest.fixture
def issued(period, units, alice, rita):
    narrative_report(alice.unit, period, alice, reviewer=rita)
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    return services.report_issue(
        report=report, by=rita, narrative=report.narrative, version=report.version, number=3, date=dt.date(2018, 7, 1)
    )


def withdraw_url(copy) -> str:
    return reverse("documents:signed_copy_withdraw", args=[copy.pk])


def listed(page: str) -> str:
    """The page from its last list of signed copies on (past the messages, which may name a file)."""
    return page[page.rindex('class="list-unstyled small mb-0 mt-1 signed-copies"') :]


def unchanged(copy) -> bool:
    copy.refresh_from_db()
    return (copy.withdrawn_at, copy.withdrawn_by, copy.withdrawal_reason) == (None, None, "")


def test_the_officer_withdraws_a_wrong_scan_which_stays_listed_with_its_file(
    wrong_scan, report_a, login, alice, rita, leo, bob, media
):
    content = (media / wrong_scan.file.name).read_bytes()
    response = login(alice).post(withdraw_url(wrong_scan), {"reason": "  Quét nhầm trang 2 của báo cáo khác.  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:submission_signed", args=[report_a.pk])
    copy = SignedCopy.objects.get()  # nothing deleted, nothing added
    assert copy.is_withdrawn and copy.withdrawn_by == alice
    assert copy.withdrawal_reason == "Quét nhầm trang 2 của báo cáo khác."
    assert (media / copy.file.name).read_bytes() == content
    assert not SignedCopy.objects.current().exists()
    page = login(alice).get(response["Location"]).content.decode()
    assert "Đã thu hồi bản ký “quet-nham.pdf”" in page  # the success message
    assert "Đã thu hồi</span>" in page and "Quét nhầm trang 2 của báo cáo khác." in page
    assert "Chưa có bản ký, đóng dấu." in page  # no current copy any more
    assert withdraw_url(copy) not in page  # no form to withdraw it again
    # In the report's page and its history, marked withdrawn, with who and why.
    for name in ("reporting:submission_detail", "reporting:submission_history"):
        shown = login(rita).get(reverse(name, args=[report_a.pk])).content.decode()
        assert "quet-nham.pdf" in shown and "Đã thu hồi</span>" in shown, name
        assert "Quét nhầm trang 2 của báo cáo khác." in shown and "Chưa có bản ký, đóng dấu." in shown
    # Still downloadable by those who may see the report (an auditor sees what was withdrawn).
    download = reverse("documents:signed_copy_download", args=[copy.pk])
    assert b"".join(login(leo).get(download).streaming_content) == content
    assert login(bob).get(download).status_code == 404


def test_the_right_scan_uploaded_after_a_withdrawal_is_the_current_one_listed_first(wrong_scan, report_a, login, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(alice)
    assert client.post(withdraw_url(wrong_scan), {"reason": "Thiếu dấu."}).status_code == 302
    upload = SimpleUploadedFile("ban-dung.pdf", pdf_bytes(), content_type="application/pdf")
    assert client.post(reverse("documents:submission_signed", args=[report_a.pk]), {"file": upload}).status_code == 302
    assert [c.original_name for c in SignedCopy.objects.filter(submission=report_a)] == [
        "ban-dung.pdf",
        "quet-nham.pdf",
    ]
    assert [c.original_name for c in SignedCopy.objects.current()] == ["ban-dung.pdf"]
    page = client.get(reverse("documents:submission_signed", args=[report_a.pk])).content.decode()
    assert listed(page).index("ban-dung.pdf") < listed(page).index("quet-nham.pdf")
    assert "Chưa có bản ký, đóng dấu." not in page
    current = SignedCopy.objects.current().get()
    assert withdraw_url(current) in page and withdraw_url(wrong_scan) not in page


LONG = "Bản quét bị mờ. " * 32  # 512 characters


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"reason": ""}, "Ghi lý do thu hồi bản ký.", ""),
        ({"reason": "   \n\t "}, "Ghi lý do thu hồi bản ký.", "   \n\t "),
        ({}, "Ghi lý do thu hồi bản ký.", ""),
        ({"reason": "x" * 501}, "Lý do thu hồi quá dài: tối đa 500 ký tự (đang có 501).", "x" * 501),
        ({"reason": LONG}, "tối đa 500 ký tự (đang có 511)", LONG),  # counted trimmed, kept as typed
    ],
)
def test_a_missing_or_too_long_reason_is_refused_keeping_what_was_typed(wrong_scan, login, alice, data, message, kept):
    response = login(alice).post(withdraw_url(wrong_scan), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Chưa thu hồi: xem thông báo bên cạnh ô lý do thu hồi." in page
    field = f'id="id_withdraw_{wrong_scan.pk}_reason"'
    assert field in page and 'aria-invalid="true"' in page
    textarea = page[page.index(field) :]
    assert textarea[textarea.index(">") + 1 :].startswith(f"{kept}</textarea>")
    assert " open>" in page or " open\n" in page  # the form stays unfolded where the person typed
    assert unchanged(wrong_scan)


def test_a_reason_of_500_characters_typed_decomposed_is_accepted_as_nfc(wrong_scan, login, alice):
    reason = "ế" * 500
    decomposed = unicodedata.normalize("NFD", reason)
    assert len(decomposed) > 500
    assert login(alice).post(withdraw_url(wrong_scan), {"reason": decomposed}).status_code == 302
    wrong_scan.refresh_from_db()
    assert wrong_scan.withdrawal_reason == reason


@pytest.mark.parametrize(
    ("persona", "status"), [("bob", 404), ("dora", 404), ("rita", 403), ("leo", 403), ("ada", 403)]
)
def test_only_the_units_officers_withdraw_its_copy(wrong_scan, login, personas, persona, status):
    response = login(personas[persona]).post(withdraw_url(wrong_scan), {"reason": "Không phải của tôi."})
    assert response.status_code == status
    assert unchanged(wrong_scan)


def test_anonymous_is_sent_to_log_in_and_get_is_not_allowed(wrong_scan, client, login, alice):
    response = client.post(withdraw_url(wrong_scan), {"reason": "Nhầm."})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert login(alice).get(withdraw_url(wrong_scan)).status_code == 405
    assert unchanged(wrong_scan)
    assert (
        login(alice).post(reverse("documents:signed_copy_withdraw", args=[999999]), {"reason": "x"}).status_code == 404
    )


def test_withdrawing_twice_says_who_was_first_and_keeps_their_reason(wrong_scan, login, alice):
    client = login(alice)
    assert client.post(withdraw_url(wrong_scan), {"reason": "Lý do thứ nhất."}).status_code == 302
    response = client.post(withdraw_url(wrong_scan), {"reason": "Lý do thứ hai."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bản ký “quet-nham.pdf” đã được" in page and "không cần thu hồi lại" in page
    wrong_scan.refresh_from_db()
    assert wrong_scan.withdrawal_reason == "Lý do thứ nhất."


def test_a_concurrent_second_withdrawal_from_a_stale_copy_changes_nothing(wrong_scan, alice):
    """Both people loaded the copy while it was current; the second write must not overwrite the first."""
    seen_by_first = SignedCopy.objects.get(pk=wrong_scan.pk)
    seen_by_second = SignedCopy.objects.get(pk=wrong_scan.pk)
    services.signed_copy_withdraw(copy=seen_by_first, by=alice, reason="Người thứ nhất.")
    assert seen_by_second.withdrawn_at is None  # stale: still looks current
    with pytest.raises(services.SignedCopyAlreadyWithdrawn) as refused:
        services.signed_copy_withdraw(copy=seen_by_second, by=alice, reason="Người thứ hai.")
    assert "không cần thu hồi lại" in refused.value.message
    wrong_scan.refresh_from_db()
    assert wrong_scan.withdrawal_reason == "Người thứ nhất."


def test_the_service_refuses_a_blank_reason_and_someone_who_may_not_upload(wrong_scan, rita, bob, alice):
    for user, reason, message in (
        (alice, " \n ", "Ghi lý do thu hồi bản ký."),
        (alice, "y" * 501, "tối đa 500 ký tự"),
        (rita, "Nhầm.", "Bạn không có quyền thu hồi bản ký này."),
        (bob, "Nhầm.", "Bạn không có quyền thu hồi bản ký này."),
    ):
        with pytest.raises(services.DocumentError) as refused:
            services.signed_copy_withdraw(copy=wrong_scan, by=user, reason=reason)
        assert message in refused.value.message
        assert unchanged(wrong_scan)


def test_the_standing_agency_withdraws_the_issued_reports_scan_and_uploads_the_right_one(
    issued, period, login, rita, leo, alice
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    issue = issued
    copy = services.signed_copy_add(
        by=rita, data=pdf_bytes(), content_type="application/pdf", original_name="bc-chua-dong-dau.pdf", issue=issue
    )
    page_url = reverse("documents:report_page", args=["BACHE", period.code])
    # leo reads the report but may not withdraw (403); alice does not see the committee's report (404).
    assert login(leo).post(withdraw_url(copy), {"reason": "Nhầm."}).status_code == 403
    assert login(alice).post(withdraw_url(copy), {"reason": "Nhầm."}).status_code == 404
    assert unchanged(copy)
    client = login(rita)
    assert withdraw_url(copy) in client.get(page_url).content.decode()
    response = client.post(withdraw_url(copy), {"reason": "  "})
    assert response.status_code == 200 and "Ghi lý do thu hồi bản ký." in response.content.decode()
    assert unchanged(copy)
    response = client.post(withdraw_url(copy), {"reason": "Bản chưa đóng dấu."})
    assert response.status_code == 302 and response["Location"] == page_url
    upload = SimpleUploadedFile("bc-da-ky.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("documents:report_signed_upload", args=["BACHE", period.code]), {"file": upload})
    page = login(leo).get(page_url).content.decode()
    assert listed(page).index("bc-da-ky.pdf") < listed(page).index("bc-chua-dong-dau.pdf")
    assert "Bản chưa đóng dấu." in page and "Đã thu hồi</span>" in page
    assert withdraw_url(copy) not in page  # leo sees no form; nobody can withdraw it again
    assert [c.original_name for c in issue.signed_copies.current()] == ["bc-da-ky.pdf"]
