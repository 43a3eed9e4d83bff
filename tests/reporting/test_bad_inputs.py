"""Bad values in the reporting inputs that had no such test: never a 500, a Vietnamese message or
the right 4xx, what was typed still on the page, nothing saved.

The report form's figures, answers and narrative, the Excel upload and the extension date have
their own tests (test_submission_entry, test_base_figures, test_excel, test_review, and
tests/portal/test_properties and test_bad_uploads); here: the review's comments, reasons and
versions, the queue's and dashboard's query strings, the period codes in the URL.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.models import Submission, SubmissionEvent, SubmissionState, SubmissionValue
from targets.models import Target
from tests.reporting.rollup_data import report
from tests.reporting.submission_factories import open_period, submitted_report

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000
QUERY_STRINGS = ["", "   ", "\x00", "abc", "-1", "999999", "2018-H1\x00", "<script>alert(1)</script>", LONG]


@pytest.fixture
def period(units):
    return open_period("2018-H1")


@pytest.fixture
def submitted(alice, period):
    return submitted_report(alice.unit, period, alice)


def _snapshot(submission: Submission) -> tuple:
    submission.refresh_from_db()
    values = sorted(SubmissionValue.objects.filter(submission=submission).values_list("pk", "reviewer_comment"))
    return submission.state, submission.version, submission.return_reason, values, SubmissionEvent.objects.count()


def test_a_comment_with_a_null_character_is_kept_without_it_and_never_a_500(login, rita, submitted):
    response = login(rita).post(
        reverse("reporting:submission_return", kwargs={"pk": submitted.pk}),
        {"reason": "Số liệu chưa khớp", "comment-I04": "Kiểm tra\x00 lại mẫu số"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.RETURNED
    assert submitted.values.get(indicator__code="I04").reviewer_comment == "Kiểm tra lại mẫu số"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Số liệu chưa khớp", "comment-I99": "Không có chỉ số này"}, "Không có số liệu I99 để nhận xét."),
        ({"reason": "\t \n", "comment-I04": "giữ lại"}, "Cần ghi lý do trả lại."),
        ({"reason": "Số liệu chưa khớp " + "x" * 4000, "comment-I04": "giữ lại"}, "4000"),
    ],
    ids=["unknown-indicator", "whitespace-reason", "too-long-reason"],
)
def test_a_refused_return_says_why_keeps_the_reason_and_changes_nothing(login, rita, submitted, data, message):
    before = _snapshot(submitted)
    response = login(rita).post(reverse("reporting:submission_return", kwargs={"pk": submitted.pk}), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if data["reason"].strip():
        assert data["reason"] in page  # the typed reason is back in its box
    assert _snapshot(submitted) == before


def test_a_too_long_reopen_reason_is_refused_and_changes_nothing(login, alice, rita, period):
    from tests.reporting.submission_factories import approved_report

    approved = approved_report(alice.unit, period, alice, rita)
    before = _snapshot(approved)
    reason = "Phát hiện sai " + "y" * 4000
    response = login(rita).post(reverse("reporting:submission_reopen", kwargs={"pk": approved.pk}), {"reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa mở lại" in page and "4000" in page and reason in page
    assert _snapshot(approved) == before


@pytest.mark.parametrize("version", ["abc", "", "-1", "1e309", "9" * 25, "9" * 5000, "1.5"])
def test_a_bad_version_on_approve_never_fails(login, rita, submitted, version):
    response = login(rita).post(
        reverse("reporting:submission_approve", kwargs={"pk": submitted.pk}), {"version": version}
    )
    assert response.status_code in (302, 409)
    submitted.refresh_from_db()
    if response.status_code == 409:
        # Not the version the reviewer saw: nothing was approved, and the page says why.
        assert submitted.state == SubmissionState.SUBMITTED
        assert "CHƯA được thực hiện" in response.content.decode()


@pytest.mark.parametrize("version", ["9" * 25, "1"])
def test_a_version_the_report_never_had_on_return_is_a_409_that_changes_nothing(login, rita, submitted, version):
    before = _snapshot(submitted)
    response = login(rita).post(
        reverse("reporting:submission_return", kwargs={"pk": submitted.pk}),
        {"reason": "Số liệu chưa khớp", "version": version},
    )
    assert response.status_code == 409
    assert "CHƯA được thực hiện" in response.content.decode()
    assert _snapshot(submitted) == before


def test_a_too_long_narrative_is_refused_keeping_every_typed_value(login, alice, period):
    url = reverse("reporting:submission_edit", kwargs={"period_code": period.code})
    data = {"version": "0", "action": "save", "I04-num": "1.250", "base-population_15_60": "1500"}
    data["task_1"] = "Đã mở lớp " + "a" * 20_000
    response = login(alice).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu" in page and "20000" in page
    assert 'value="1.250"' in page and 'value="1500"' in page
    assert not Submission.objects.filter(unit=alice.unit, period=period).exists()


@pytest.mark.parametrize("code", ["2099-H9", "%00", "2018-H1%00", "x" * 300, "%3Cscript%3E"])
def test_a_period_code_that_does_not_exist_is_a_404(login, alice, rita, period, code):
    client = login(alice)
    for path in (f"/reports/period/{code}/", f"/reports/period/{code}/excel/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/reports/period/{code}/", {"version": "0", "I04-num": "5"}).status_code == 404
    assert not Submission.objects.exists()
    response = login(rita).post(f"/reports/review/{code}/{alice.unit.code}/extend/", {"until": "31/12/2030"})
    assert response.status_code == 404
    response = login(rita).post(f"/reports/review/{period.code}/{code}/extend/", {"until": "31/12/2030"})
    assert response.status_code == 404
    assert not Submission.objects.filter(extended_until__isnull=False).exists()


def test_a_null_character_in_the_path_gets_the_vietnamese_404_page(login, alice):
    response = login(alice).get("/reports/period/%00/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_a_too_long_extension_reason_is_refused_with_the_date_kept(login, alice, rita, period):
    url = reverse("reporting:submission_extend", kwargs={"period_code": period.code, "unit_code": alice.unit.code})
    response = login(rita).post(url, {"until": "31/12/2030", "reason": "r" * 1001})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Chưa gia hạn cho {alice.unit}" in page and "1000" in page
    assert 'value="31/12/2030"' in page
    assert not Submission.objects.filter(extended_until__isnull=False).exists()


@pytest.mark.parametrize("value", QUERY_STRINGS)
def test_review_queue_ignores_an_unknown_period_or_state(login, rita, submitted, value):
    response = login(rita).get(reverse("reporting:review_queue"), {"period": value, "state": value})
    assert response.status_code == 200
    context = response.context
    assert context["period"] is not None and context["state_filter"] == value
    # An unknown state filters nothing out: every expected unit is listed.
    assert len(context["rows"]) == context["expected"] > 0
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("value", [v for v in QUERY_STRINGS if v.strip()])
def test_dashboard_with_a_period_that_does_not_exist_is_a_404(units, login, leo, ada, value):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    for user in (leo, ada):
        assert login(user).get(reverse("reporting:dashboard"), {"period": value}).status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1e309", "9" * 5000, "\x00"])
def test_drill_down_with_a_bad_page_number_shows_a_page(units, login, leo, page):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    target = Target.objects.get(indicator__code="I04", year=2018)
    client = login(leo)
    response = client.get(reverse("reporting:dashboard_target", args=["2018-Y", target.pk]), {"page": page})
    assert response.status_code == 200
    assert "Xã Thanh Sơn" in response.content.decode() or response.context["page"].number > 1
    response = client.get(reverse("reporting:dashboard_completeness", args=["2018-Y"]), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("annex", ["", "0", "yes", "\x00", "1" * 1000])
def test_report_export_with_a_bad_annex_value_is_the_report_without_annex(units, login, leo, annex):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    response = login(leo).get(reverse("reporting:dashboard_xlsx", args=["2018-Y"]), {"annex": annex})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("options", "content", "message"),
    [
        ({"period": "2099-H9"}, None, "Không có kỳ báo cáo mã 2099-H9"),
        ({"unit": "ZZZ"}, None, "Không có đơn vị mã ZZZ"),
        ({"user": "khong-co"}, None, "Không có người dùng khong-co"),
        ({}, b"", "Tệp không phải bảng tính Excel .xlsx hợp lệ"),
        ({}, b"Ho ten,So nguoi\nA,12\n", "Excel"),
        ({"missing": True}, None, "Không tìm thấy tệp"),
    ],
    ids=["unknown-period", "unknown-unit", "unknown-user", "empty-file", "csv-named-xlsx", "missing-file"],
)
def test_import_submission_command_refuses_bad_arguments_and_files_in_vietnamese(
    alice, period, tmp_path, options, content, message
):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bao-cao.xlsx"
    if content is None:
        call_command("export_template", unit="06973", period="2018-H1", output=str(path))
    else:
        path.write_bytes(content)
    arguments = {"unit": "06973", "period": "2018-H1", **options}
    if arguments.pop("missing", False):
        path = tmp_path / "khong-co.xlsx"
    with pytest.raises(CommandError, match=message):
        call_command("import_submission", str(path), **arguments)
    assert not Submission.objects.exists() and not SubmissionEvent.objects.exists()
