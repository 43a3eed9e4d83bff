"""The Education Office returns, approves, reopens and extends; the queue shows every expected report."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Period, Submission, SubmissionEvent, SubmissionState
from reporting.services import ValueInput
from reporting.signals import approved_data_changed
from tests.reporting.submission_factories import open_period, submitted_report
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(units):
    return open_period("2018-H1")


@pytest.fixture
def submitted(alice, period):
    return submitted_report(alice.unit, period, alice)


def detail(submission):
    return reverse("reporting:submission_detail", kwargs={"pk": submission.pk})


def test_return_with_reason_and_comments_reaches_the_officer(login, alice, rita, period, submitted):
    client = login(rita)
    response = client.post(
        reverse("reporting:submission_return", kwargs={"pk": submitted.pk}),
        {"reason": "Số người biết chữ chưa khớp hồ sơ phổ cập", "comment-I04": "Kiểm tra lại mẫu số"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.RETURNED
    assert submitted.values.get(indicator__code="I04").reviewer_comment == "Kiểm tra lại mẫu số"
    body = login(alice).get(reverse("reporting:submission_edit", kwargs={"period_code": period.code})).content.decode()
    assert "Báo cáo bị trả lại" in body and "Số người biết chữ chưa khớp hồ sơ phổ cập" in body
    assert "Kiểm tra lại mẫu số" in body
    assert "disabled" not in body  # the officer can correct it


def test_return_without_reason_is_refused_beside_the_field(login, rita, submitted):
    response = login(rita).post(
        reverse("reporting:submission_return", kwargs={"pk": submitted.pk}), {"reason": "   ", "comment-I04": "giữ"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cần ghi lý do trả lại." in page
    # The summary at the top of this long page links to the reason box at its foot.
    summary = page[page.index("data-error-summary") : page.index("</section>", page.index("data-error-summary"))]
    assert '<a href="#id_reason" class="alert-link">Lý do trả lại</a>: Cần ghi lý do trả lại.' in summary
    assert page.index("data-error-summary") < page.index('id="return-form"')
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.SUBMITTED


def test_approve_makes_it_read_only_and_signals_the_dashboard(login, alice, rita, period, submitted):
    received = []

    def listener(sender, submission, period, **kwargs):
        received.append((submission.pk, period.code, submission.state))

    approved_data_changed.connect(listener)
    try:
        assert login(rita).post(reverse("reporting:submission_approve", kwargs={"pk": submitted.pk})).status_code == 302
    finally:
        approved_data_changed.disconnect(listener)
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.APPROVED and submitted.approved_by == rita
    assert received == [(submitted.pk, "2018-H1", SubmissionState.APPROVED)]
    assert Submission.objects.for_period(period).approved().count() == 1
    client = login(alice)
    body = client.get(reverse("reporting:submission_edit", kwargs={"period_code": period.code})).content.decode()
    assert "đã được duyệt" in body and "disabled" in body
    with pytest.raises(services.SubmissionError):
        services.submission_save_draft(
            unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(1), Decimal(1))}
        )


def test_only_a_reviewer_reopens_with_a_reason(login, alice, rita, leo, submitted):
    services.submission_approve(submission=submitted, by=rita)
    url = reverse("reporting:submission_reopen", kwargs={"pk": submitted.pk})
    assert login(leo).post(url, {"reason": "x"}).status_code == 403
    assert login(alice).post(url, {"reason": "x"}).status_code == 403
    body = login(rita).post(url, {"reason": ""}).content.decode()
    assert "Cần ghi lý do mở lại." in body
    assert '<a href="#id_reopen_reason" class="alert-link">Lý do mở lại</a>' in body and 'id="id_reopen_reason"' in body
    received = []
    approved_data_changed.connect(receiver := lambda sender, **kw: received.append(kw["submission"].state))
    try:
        assert login(rita).post(url, {"reason": "Phát hiện sai số hộ"}).status_code == 302
    finally:
        approved_data_changed.disconnect(receiver)
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.RETURNED and submitted.return_reason == "Phát hiện sai số hộ"
    assert submitted.approved_at is None and received == [SubmissionState.RETURNED]


def test_cannot_approve_twice_or_a_draft(alice, rita, period, submitted):
    services.submission_approve(submission=submitted, by=rita)
    with pytest.raises(services.SubmissionError, match="Chỉ duyệt được"):
        services.submission_approve(submission=submitted, by=rita)
    draft = services.submission_save_draft(
        unit=Unit.objects.get(code="06976"), period=period, by=rita, values={"I04": ValueInput(Decimal(1), Decimal(2))}
    )
    with pytest.raises(services.SubmissionError):
        services.submission_approve(submission=draft, by=rita)
    with pytest.raises(services.SubmissionError):
        services.submission_return(submission=draft, by=rita, reason="x")


def test_extend_reopens_entry_for_one_unit_only(login, alice, bob, rita):
    period = Period.objects.get(code="2018-Y")  # due long ago
    url = reverse("reporting:submission_extend", kwargs={"period_code": period.code, "unit_code": alice.unit.code})
    until = timezone.localdate() + dt.timedelta(days=5)
    assert login(rita).post(url, {"until": until.isoformat(), "reason": "Mưa lũ"}).status_code == 302
    submission = Submission.objects.get(unit=alice.unit, period=period)
    assert submission.extended_until == until and submission.entry_open()
    assert services.entry_closed_reason(None, period) is not None  # bob's is still closed
    edit = reverse("reporting:submission_edit", kwargs={"period_code": period.code})
    assert "Đã hết hạn" not in login(alice).get(edit).content.decode()
    assert "Đã hết hạn" in login(bob).get(edit).content.decode()
    event = SubmissionEvent.objects.get(action="extended")
    assert (event.after, event.reason, event.actor) == (until.isoformat(), "Mưa lũ", rita)


@pytest.mark.parametrize(
    "until, message",
    [
        ("", "Gõ ngày gia hạn"),
        ("31/02/2030", "Ngày không hợp lệ"),
        ("hôm nay", "Ngày không hợp lệ"),
        ("02/30/2030", "Ngày không hợp lệ"),  # mm/dd/yyyy, as an English date picker would send
        ("2030-13-01", "Ngày không hợp lệ"),
    ],
)
def test_bad_extension_dates_are_refused_with_the_typed_value_kept(login, alice, rita, until, message):
    period = Period.objects.get(code="2018-Y")
    url = reverse("reporting:submission_extend", kwargs={"period_code": period.code, "unit_code": alice.unit.code})
    response = login(rita).post(url, {"until": until})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Chưa gia hạn cho {alice.unit}" in page and message in page
    assert f'<a href="#until-{alice.unit.code}" class="alert-link">Chưa gia hạn cho {alice.unit}' in page
    # The typed text is back in that unit's date box, marked invalid.
    box = re.search(rf'<input[^>]*id="until-{alice.unit.code}"[^>]*>', page).group(0)
    assert f'value="{until}"' in box and "is-invalid" in box
    assert not Submission.objects.filter(extended_until__isnull=False).exists()


def test_extension_before_the_due_date_is_refused_by_the_service(login, alice, rita):
    period = Period.objects.get(code="2018-Y")
    url = reverse("reporting:submission_extend", kwargs={"period_code": period.code, "unit_code": alice.unit.code})
    response = login(rita).post(url, {"until": "01/01/2018"}, follow=True)
    assert "phải sau hạn nộp" in response.content.decode()
    assert not Submission.objects.filter(extended_until__isnull=False).exists()


@pytest.mark.parametrize("typed", ["30/01/2031", "30-01-2031", "30.01.2031", "30 01 2031", "30012031", "2031-01-30"])
def test_extension_date_is_read_day_first_whatever_the_separator(login, alice, rita, typed):
    period = Period.objects.get(code="2018-Y")
    url = reverse("reporting:submission_extend", kwargs={"period_code": period.code, "unit_code": alice.unit.code})
    assert login(rita).post(url, {"until": typed}).status_code == 302
    assert Submission.objects.get(unit=alice.unit, period=period).extended_until == dt.date(2031, 1, 30)


def test_queue_shows_extension_dates_as_text_in_day_month_year(login, alice, rita):
    period = Period.objects.get(code="2018-Y")
    services.submission_extend(unit=alice.unit, period=period, by=rita, until=dt.date(2031, 1, 30))
    page = login(rita).get(reverse("reporting:review_queue") + "?period=2018-Y").content.decode()
    box = re.search(rf'<input[^>]*id="until-{alice.unit.code}"[^>]*>', page).group(0)
    assert 'type="text"' in box and 'value="30/01/2031"' in box and 'inputmode="numeric"' in box
    assert 'type="date"' not in page


def test_queue_lists_every_expected_unit_with_state_and_lateness(
    login, alice, bob, dora, rita, period, django_assert_max_num_queries
):
    submitted_report(alice.unit, period, alice)
    services.submission_save_draft(
        unit=bob.unit, period=period, by=bob, values={"I04": ValueInput(Decimal(1), Decimal(2))}
    )
    late_period = Period.objects.get(code="2018-Y")
    services.submission_extend(
        unit=dora.unit, period=late_period, by=rita, until=timezone.localdate() + dt.timedelta(days=2)
    )
    submitted_report(dora.unit, late_period, dora)
    client = login(rita)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("reporting:review_queue"), {"period": period.code}).content.decode()
    expected = Unit.objects.reporting().valid_on(period.end)
    assert expected.count() == 19  # the town, 7 communes, 11 departments and bodies; not Lương Minh (2024)
    for unit in expected:
        assert unit.name in body
    assert "Xã Lương Minh" not in body
    assert "Đã gửi, chờ duyệt (1)" in body and "Đang soạn (1)" in body and "Chưa báo cáo (17)" in body
    body = client.get(reverse("reporting:review_queue"), {"period": late_period.code}).content.decode()
    # Dora sent after 2018-Y's due date (inside her extension): late; the others never sent: late.
    assert body.count('data-timeliness="late"') == 19
    assert "Trễ hạn (19)" in body
    for other_word in ("Nộp muộn", "Quá hạn", "Chưa bắt đầu", "Muộn, quá hạn"):
        assert other_word not in body


def test_queue_query_count_does_not_grow_with_reports(login, alice, rita, period, django_assert_max_num_queries):
    for unit in Unit.objects.reporting().valid_on(period.end)[:12]:
        services.submission_save_draft(unit=unit, period=period, by=rita, values={})
        services.submission_extend(unit=unit, period=period, by=rita, until=period.due + dt.timedelta(days=1))
    client = login(rita)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("reporting:review_queue"), {"period": period.code}).content.decode()
    assert body.count("(gia hạn)") == 12


def test_history_lists_every_step_with_who_before_after_and_why(login, alice, rita, period, submitted):
    services.submission_return(submission=submitted, by=rita, reason="Thiếu số liệu hộ", comments={"I30": "Thiếu"})
    services.submission_submit(
        unit=alice.unit, period=period, by=alice, values={"I30": ValueInput(denominator=Decimal(512))}
    )
    services.submission_approve(submission=submitted, by=rita)
    body = login(alice).get(reverse("reporting:submission_history", kwargs={"pk": submitted.pk})).content.decode()
    for text in ("Tạo báo cáo", "Gửi báo cáo", "Trả lại", "Thiếu số liệu hộ", "Duyệt", "I30 · mẫu số", "512",
                 "Bị trả lại", "Đã duyệt", "Rita", "Alice", "I30 · nhận xét"):  # fmt: skip
        assert text in body, text


def test_home_pages_show_own_reports_and_waiting_reviews(login, alice, rita, period, submitted):
    assert "6 tháng đầu năm 2018" in login(alice).get(reverse("home")).content.decode()
    body = login(rita).get(reverse("home")).content.decode()
    assert "1 báo cáo chờ duyệt" in body and "Duyệt báo cáo" in body


def test_leader_reads_but_has_no_review_buttons(login, leo, submitted):
    body = login(leo).get(detail(submitted)).content.decode()
    assert "Xã Thanh Sơn" in body and "I04" in body
    assert "Duyệt báo cáo</button>" not in body and "Trả lại cho đơn vị" not in body
    assert login(leo).post(reverse("reporting:submission_approve", kwargs={"pk": submitted.pk})).status_code == 403
