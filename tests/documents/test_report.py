"""The consolidated report: compiled from approved units only, edited, issued, re-issued with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from documents import services
from documents.models import ConsolidatedReport, DocumentSettings, ReportIssue
from reporting.models import NARRATIVE_FIELDS
from tests.documents.factories import narrative_report, open_period, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(period, alice, bob, rita, units):
    """Thanh Sơn and Nam Sơn approved; Thị trấn Ba Chẽ only submitted."""
    from tests.conftest import _make_user
    from xhht_portal.models import Role

    town_officer = _make_user("town", Role.COMMUNE_OFFICER, units["06970"])
    return {
        "a": narrative_report(alice.unit, period, alice, reviewer=rita),
        "b": narrative_report(bob.unit, period, bob, reviewer=rita),
        "pending": narrative_report(units["06970"], period, town_officer),
    }


def page_url(period):
    return reverse("documents:report_page", args=["BACHE", period.code])


def test_compiled_narrative_has_each_approved_units_text_under_its_heading_and_nothing_unapproved(
    reports, period, units
):
    narrative = services.compiled_narrative(unit=units["BACHE"], period=period)
    assert narrative["task_1"] == (
        "Xã Thanh Sơn: Tuyên truyền của Xã Thanh Sơn: 12 buổi.\n\nXã Nam Sơn: Tuyên truyền của Xã Nam Sơn: 12 buổi."
    )
    assert narrative["shortcomings"].count("Xã Thanh Sơn: Hạn chế của Xã Thanh Sơn") == 1
    assert "Xã Nam Sơn: Xã Nam Sơn đề nghị hỗ trợ tài liệu." in narrative["proposals"]
    assert narrative["task_2"] == ""  # nobody wrote under that heading
    everything = "\n".join(narrative.values())
    assert "Thị trấn Ba Chẽ" not in everything  # submitted, not approved
    # each passage stays under its own heading
    assert "Hạn chế" not in narrative["next_steps"] and "Kỳ tới" not in narrative["shortcomings"]


def test_compile_from_the_page_then_edit_and_issue_with_number_and_date(reports, period, login, rita, leo):
    client = login(rita)
    response = client.post(reverse("documents:report_compile", args=["BACHE", period.code]))
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(unit__code="BACHE", period=period)
    assert "Xã Thanh Sơn: Tuyên truyền" in report.narrative["task_1"]
    page = client.get(page_url(period)).content.decode()
    assert "Xã Thanh Sơn: Tuyên truyền của Xã Thanh Sơn: 12 buổi." in page
    assert "Thị trấn Ba Chẽ (đã gửi, chờ duyệt)" in page  # listed as not included

    data = {key: report.narrative.get(key, "") for key, _label in NARRATIVE_FIELDS}
    data.update(
        task_1="Toàn huyện tổ chức 24 buổi tuyên truyền (đã biên tập).",
        version=report.version,
        number="5",
        date="05/07/2018",
        action="issue",
    )
    response = client.post(page_url(period), data)
    assert response.status_code == 302
    issue = ReportIssue.objects.get(report=report)
    assert (issue.revision, issue.number, issue.date) == (1, 5, dt.date(2018, 7, 5))
    assert issue.number_text == "05/BC-BCĐ"
    assert issue.narrative["task_1"] == "Toàn huyện tổ chức 24 buổi tuyên truyền (đã biên tập)."
    # the leader reads what was issued, without the form
    page = login(leo).get(page_url(period)).content.decode()
    assert "Toàn huyện tổ chức 24 buổi tuyên truyền" in page and 'name="action"' not in page


def _issue(report, rita, *, number=5, date=dt.date(2018, 7, 5), reason="", **texts):
    narrative = {**report.narrative, **texts}
    report.refresh_from_db()
    return services.report_issue(
        report=report, by=rita, narrative=narrative, version=report.version, number=number, date=date, reason=reason
    )


def test_issued_pdf_carries_the_admin_signer_and_the_edited_text(reports, period, units, rita, login, leo):
    DocumentSettings.objects.create(
        unit=units["BACHE"],
        issuer_parent="UBND HUYỆN BA CHẼ",
        issuer="BAN CHỈ ĐẠO XÂY DỰNG XHHT",
        place="Ba Chẽ",
        symbol="BC-BCĐXHHT",
        signer_authority="TM. BAN CHỈ ĐẠO\nKT. TRƯỞNG BAN",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Hoàng Thị Lan",
        recipients="Tỉnh Quảng Ninh (để báo cáo)\nLưu trữ huyện",
        filing="VT, GDĐT.",
    )
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita, number=7, proposals="Đề nghị tỉnh cấp thêm tài liệu cho thư viện xã.")
    response = login(leo).get(reverse("documents:report_pdf", args=["BACHE", period.code]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Hoàng Thị Lan",
        "PHÓ TRƯỞNG BAN",
        "KT. TRƯỞNG BAN",
        "Số: 07/BC-BCĐXHHT",
        "Ba Chẽ, ngày 05 tháng 7 năm 2018",
        "Đề nghị tỉnh cấp thêm tài liệu cho thư viện xã.",
        "Xã Thanh Sơn: Tuyên truyền của Xã Thanh Sơn: 12 buổi.",
        "Tỉnh Quảng Ninh (để báo cáo)",
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    assert "Xã Nam Sơn đề nghị hỗ trợ tài liệu" not in text  # edited away


def test_the_dashboard_pdf_and_workbook_show_the_issued_version_not_the_later_draft(
    reports, period, units, rita, login, leo
):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita, task_1="Bản đã ban hành.")
    report.refresh_from_db()
    services.report_save(
        report=report, by=rita, narrative={**report.narrative, "task_1": "Bản đang sửa."}, version=report.version
    )
    client = login(leo)
    text = pdf_text(client.get(reverse("reporting:dashboard_pdf", args=[period.code])).content)
    assert "Bản đã ban hành." in text and "Bản đang sửa." not in text
    assert "Số: 05/BC-BCĐ" in text


def test_a_reissue_keeps_every_earlier_issue(reports, period, units, rita, login, leo):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita, task_1="Lần một.")
    with pytest.raises(services.DocumentError):
        _issue(report, rita, number=6, task_1="Lần hai.")  # no reason given
    _issue(report, rita, number=6, date=dt.date(2018, 7, 20), reason="Đính chính số liệu", task_1="Lần hai.")
    assert list(report.issues.values_list("revision", "number")) == [(2, 6), (1, 5)]
    client = login(leo)
    url = reverse("documents:report_pdf", args=["BACHE", period.code])
    assert "Lần hai." in pdf_text(client.get(url).content)
    first = pdf_text(client.get(url, {"revision": 1}).content)
    assert "Lần một." in first and "Số: 05/BC-BCĐ" in first
    assert client.get(url, {"revision": 9}).status_code == 404
    page = client.get(page_url(period)).content.decode()
    assert "Lần 1" in page and "Lần 2" in page and "Đính chính số liệu" in page


def test_a_draft_pdf_is_marked_as_such(reports, period, units, rita, login):
    services.report_compile(unit=units["BACHE"], period=period, by=rita)
    text = pdf_text(login(rita).get(reverse("documents:report_pdf", args=["BACHE", period.code])).content)
    assert "DỰ THẢO" in text and "Xã Nam Sơn: Tuyên truyền" in text


def test_recompiling_over_typed_text_needs_the_confirmation(reports, period, units, rita, login):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    services.report_save(report=report, by=rita, narrative={"task_1": "Đã biên tập."}, version=report.version)
    client = login(rita)
    url = reverse("documents:report_compile", args=["BACHE", period.code])
    response = client.post(url)
    assert response.status_code == 200
    assert "đánh dấu ô xác nhận" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative["task_1"] == "Đã biên tập."  # nothing replaced
    assert client.post(url, {"replace": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.narrative["task_1"].startswith("Xã Thanh Sơn:")


@pytest.mark.parametrize(
    ("number", "date", "field", "message"),
    [
        ("", "05/07/2018", "number", "Nhập số báo cáo để ban hành."),
        ("năm", "05/07/2018", "number", "Số báo cáo là số nguyên dương"),
        ("-3", "05/07/2018", "number", "Số báo cáo là số nguyên dương"),
        ("5", "", "date", "Nhập ngày ban hành"),
        ("5", "31/02/2018", "date", "Ngày không hợp lệ"),
        ("5", "hôm nay", "date", "Ngày không hợp lệ"),
        ("5", "01/01/2099", "date", "không được sau hôm nay"),
        ("5", "01/01/2017", "date", "không được trước ngày đầu kỳ"),
    ],
)
def test_bad_issue_input_is_refused_with_a_message_keeping_what_was_typed(
    reports, period, units, rita, login, number, date, field, message
):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    data = {key: report.narrative.get(key, "") for key, _label in NARRATIVE_FIELDS}
    data.update(task_1="Văn bản đã gõ lại <b>đậm</b>", version=report.version, number=number, date=date, action="issue")
    response = login(rita).post(page_url(period), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Văn bản đã gõ lại &lt;b&gt;đậm&lt;/b&gt;" in page  # kept, escaped
    assert f'value="{number}"' in page and f'value="{date}"' in page
    assert f'aria-describedby="error-{field}"' in page
    report.refresh_from_db()
    assert not report.issues.exists() and report.narrative["task_1"].startswith("Xã Thanh Sơn:")


def test_too_long_text_and_a_reissue_without_reason_are_refused(reports, period, units, rita, login):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita)
    report.refresh_from_db()
    client = login(rita)
    data = {"version": report.version, "task_1": "x" * 50_001, "action": "save"}
    response = client.post(page_url(period), data)
    assert response.status_code == 200 and "Quá dài" in response.content.decode()
    data = {"version": report.version, "task_1": "Sửa", "number": "6", "date": "06/07/2018", "action": "issue"}
    response = client.post(page_url(period), data)
    assert "ghi lý do ban hành lại" in response.content.decode()
    assert report.issues.count() == 1


def test_a_number_already_used_that_year_is_refused(reports, period, units, rita, login):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita, number=5)
    other = services.report_compile(unit=units["BACHE"], period=open_period("2018-Y"), by=rita)
    data = {"version": other.version, "number": "05", "date": "20/12/2018", "action": "issue"}
    response = login(rita).post(reverse("documents:report_page", args=["BACHE", "2018-Y"]), data)
    assert response.status_code == 200
    assert "Số 05 năm 2018 đã dùng cho báo cáo" in response.content.decode()
    assert not other.issues.exists()


def test_a_stale_save_is_refused_with_409_and_keeps_the_typed_text(reports, period, units, rita, login):
    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    old_version = report.version
    services.report_save(report=report, by=rita, narrative={"task_1": "Người khác sửa."}, version=report.version)
    response = login(rita).post(page_url(period), {"version": old_version, "task_1": "Tôi sửa.", "action": "save"})
    assert response.status_code == 409
    assert "Tôi sửa." in response.content.decode()
    report.refresh_from_db()
    assert report.narrative["task_1"] == "Người khác sửa."


def test_only_the_plan_owner_has_a_consolidated_report(reports, period, login, rita):
    assert login(rita).get(reverse("documents:report_page", args=["06973", period.code])).status_code == 404


def test_a_nodes_report_without_a_committee_report_carries_that_units_letterhead(period, units, commune_a):
    from reporting.hooks import report_document

    owner = report_document(period=period)
    assert owner.letterhead.issuer == "BAN CHỈ ĐẠO XÂY DỰNG XHHT" and not owner.sections
    commune = report_document(period=period, unit=commune_a)
    assert commune.letterhead.issuer == "ỦY BAN NHÂN DÂN\nXÃ THANH SƠN"
    assert commune.letterhead.signer_authority == "TM. ỦY BAN NHÂN DÂN"


def test_a_large_report_is_made_by_the_background_job(reports, period, units, rita, login, settings):
    settings.XHHT_EXPORT_TASK_UNITS = 3
    response = login(rita).get(reverse("documents:report_pdf", args=["BACHE", period.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard_pdf", args=[period.code])


def test_the_signature_block_shares_its_page_with_the_last_paragraph(reports, period, units, rita):
    import io

    from pypdf import PdfReader

    from reporting.exports.pdf import render_pdf
    from reporting.rollup import compute_rollup

    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    # 39 paragraphs: without the .ending wrapper the closing falls on a page of its own (checked by
    # removing the rule from static/css/decree30.css); the layout may drift, the rule must not.
    long_text = "\n".join(f"Đoạn đề xuất số {n}: nội dung kiến nghị cụ thể của Ban Chỉ đạo." for n in range(1, 40))
    issue = _issue(report, rita, proposals=long_text + "\nĐoạn cuối cùng của báo cáo.")
    content = render_pdf(compute_rollup(period=period, units=True), document=services.document_of_issue(issue))
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]
    signed = [text for text in pages if "Nơi nhận:" in text]
    assert len(signed) == 1
    assert "Đoạn cuối cùng của báo cáo." in signed[0]
    assert "TRƯỞNG BAN" in signed[0]


def test_two_people_compiling_at_once_do_not_get_a_server_error(reports, period, units, rita, monkeypatch):
    first = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    # The second one read "no report yet" just before the first one saved.
    monkeypatch.setattr(services, "_locked_report", lambda **kwargs: None)
    with pytest.raises(services.StaleReportError):
        services.report_compile(unit=units["BACHE"], period=period, by=rita)
    assert ConsolidatedReport.objects.get().pk == first.pk


def test_the_workbook_carries_the_issued_text_number_and_signer(reports, period, units, rita, login, leo):
    import io

    from openpyxl import load_workbook

    report = services.report_compile(unit=units["BACHE"], period=period, by=rita)
    _issue(report, rita, number=8, task_1="Bản đã ban hành.")
    report.refresh_from_db()
    services.report_save(
        report=report, by=rita, narrative={**report.narrative, "task_1": "Bản đang sửa."}, version=report.version
    )
    content = login(leo).get(reverse("reporting:dashboard_xlsx", args=[period.code])).content
    rows = list(load_workbook(io.BytesIO(content))["Thuyết minh"].iter_rows(min_row=2, values_only=True))
    assert rows[0][1] == "Đã ban hành: số 08/BC-BCĐ, ngày 05/07/2018 (lần 1)"
    assert "TRƯỞNG BAN" in rows[1][1]
    assert ("1. Tuyên truyền, nâng cao nhận thức", "Bản đã ban hành.") in rows
    assert not any("Bản đang sửa." in (text or "") for _heading, text in rows)
    assert ("Đề xuất, kiến nghị", "Xã Thanh Sơn: Xã Thanh Sơn đề nghị hỗ trợ tài liệu.") in rows


def test_the_admin_edits_a_committees_letterhead_that_the_next_pdf_uses(period, units, ada, login):
    client = login(ada)
    for name in ("documentsettings", "consolidatedreport", "signedcopy"):
        assert client.get(reverse(f"admin:documents_{name}_changelist")).status_code == 200
    response = client.post(
        reverse("admin:documents_documentsettings_add"),
        {
            "unit": units["BACHE"].pk,
            "issuer_parent": "UBND HUYỆN BA CHẼ",
            "issuer": "BAN CHỈ ĐẠO XÂY DỰNG XHHT",
            "place": "Ba Chẽ",
            "symbol": "BC-BCĐ",
            "signer_authority": "TM. BAN CHỈ ĐẠO",
            "signer_title": "TRƯỞNG BAN",
            "signer_name": "Trần Thị Hoa",
            "recipients": "Như trên",
            "filing": "VT.",
        },
    )
    assert response.status_code == 302
    assert services.report_document_for(period=period).letterhead.signer_name == "Trần Thị Hoa"


def test_the_index_counts_the_approved_reports_of_the_owners_subtree_only(reports, period, units, rita, login):
    from reporting.models import Submission, SubmissionState
    from units.models import Unit, UnitKind

    elsewhere = Unit.objects.create(code="ELSEWHERE", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    Submission.objects.create(unit=elsewhere, period=period, state=SubmissionState.APPROVED)
    rows = login(rita).get(reverse("documents:report_index")).context["rows"]
    row = next(r for r in rows if r["period"] == period)
    assert row["owner"].code == "BACHE"
    assert row["approved"] == 2  # Thanh Sơn and Nam Sơn; not the pending town, not the unit outside Ba Chẽ


def test_the_report_page_names_a_few_sources_and_counts_the_rest_whatever_the_tree(
    reports, period, rita, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.views import SOURCES_NAMED
    from reporting.models import Submission, SubmissionState
    from tests.reporting.rollup_data import make_communes

    client = login(rita)
    client.get(page_url(period))  # the caches a running server has warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(page_url(period)).status_code == 200
    many = make_communes(SOURCES_NAMED + 15)
    Submission.objects.bulk_create([Submission(unit=u, period=period, state=SubmissionState.SUBMITTED) for u in many])
    with CaptureQueriesContext(connection) as large:
        body = client.get(page_url(period)).content.decode()
    assert len(large) == len(small), [q["sql"][:90] for q in large]  # no query per unit
    assert "Xã thử 0 (" in body and "Xã thử 44 (" not in body
    assert "và 16 đơn vị khác" in body  # the town and 45 new communes waiting, 30 named
    assert "của 2 đơn vị được đưa vào" in body
