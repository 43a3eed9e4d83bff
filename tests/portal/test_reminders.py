"""send_reminders: officers hear about reports due soon or overdue, once per officer, in Vietnamese."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reporting.models import Period, Submission, SubmissionState
from reporting.reminders import pending_reports, send_reminders


@pytest.fixture
def period(units):
    """The first half of 2018: due date known, every commune expected to report."""
    return Period.objects.get(year=2018, kind="half")


@pytest.fixture
def officers(alice, bob, dora):
    for user, email in ((alice, "alice@xa.vn"), (bob, "bob@xa.vn"), (dora, "dora@phong.vn")):
        user.email = email
        user.save()
    return alice, bob, dora


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_officers_of_units_that_have_not_sent_get_one_vietnamese_reminder(period, officers):
    today = period.due - dt.timedelta(days=3)
    count = send_reminders(today=today)
    assert count == len(mail.outbox) >= 3
    (message,) = sent_to("alice@xa.vn")
    assert message.subject.startswith("[XHHT] Nhắc hạn nộp báo cáo")
    assert period.label in message.body
    assert f"còn 3 ngày, hạn {period.due:%d/%m/%Y}" in message.body
    assert "Chưa báo cáo, cần tạo và gửi báo cáo" in message.body
    assert f"/reports/period/{period.code}/" in message.body


def test_a_sent_or_approved_report_gets_no_reminder(period, officers, commune_a, commune_b):
    Submission.objects.create(unit=commune_a, period=period, state=SubmissionState.SUBMITTED)
    Submission.objects.create(unit=commune_b, period=period, state=SubmissionState.APPROVED)
    send_reminders(today=period.due - dt.timedelta(days=1))
    assert not sent_to("alice@xa.vn") and not sent_to("bob@xa.vn")
    assert sent_to("dora@phong.vn")


def test_a_returned_report_is_reminded_with_what_to_do(period, officers, commune_a):
    Submission.objects.create(unit=commune_a, period=period, state=SubmissionState.RETURNED)
    send_reminders(today=period.due)
    (message,) = sent_to("alice@xa.vn")
    assert "Bị trả lại, cần sửa và gửi lại" in message.body and "hạn nộp là hôm nay" in message.body


def test_overdue_reports_say_how_late_they_are(period, officers):
    send_reminders(today=period.due + dt.timedelta(days=5))
    (message,) = sent_to("alice@xa.vn")
    assert message.subject.startswith("[XHHT] Báo cáo trễ hạn nộp")
    assert "trễ hạn 5 ngày" in message.body


def test_an_extension_moves_the_deadline(period, officers, commune_a):
    Submission.objects.create(unit=commune_a, period=period, extended_until=period.due + dt.timedelta(days=20))
    send_reminders(today=period.due + dt.timedelta(days=2))
    assert not sent_to("alice@xa.vn"), "not overdue, and not due within 7 days"
    assert sent_to("bob@xa.vn")


def test_nothing_is_sent_far_from_any_deadline_or_long_after_it(period, officers):
    assert send_reminders(today=period.due - dt.timedelta(days=30)) == 0
    last_due = Period.objects.order_by("-due").first().due
    assert send_reminders(today=last_due + dt.timedelta(days=31)) == 0
    assert mail.outbox == []


def test_officers_without_email_or_inactive_are_skipped(period, officers, alice, bob):
    alice.email = ""
    alice.save()
    bob.is_active = False
    bob.save()
    send_reminders(today=period.due)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "bob@xa.vn" not in recipients and "dora@phong.vn" in recipients
    assert all(address for address in recipients)


def test_reviewers_and_leaders_get_no_reminders(period, officers, rita, leo):
    rita.email, leo.email = "rita@gddt.vn", "leo@ubnd.vn"
    rita.save()
    leo.save()
    send_reminders(today=period.due)
    assert not sent_to("rita@gddt.vn") and not sent_to("leo@ubnd.vn")


def test_pending_reports_lists_each_unit_once_per_period(period, officers):
    reports = pending_reports(today=period.due)
    keys = [(r.unit.pk, r.period.pk) for r in reports]
    assert keys, "the fixture has pending reports: an empty list would prove nothing"
    assert len(keys) == len(set(keys))


def test_command_dry_run_prints_and_sends_nothing(period, officers):
    out = StringIO()
    call_command("send_reminders", "--date", str(period.due), "--dry-run", stdout=out)
    assert "alice@xa.vn" in out.getvalue() and "Sẽ gửi" in out.getvalue()
    assert mail.outbox == []


def test_command_sends_and_reports_the_count(period, officers):
    out = StringIO()
    call_command("send_reminders", "--date", str(period.due), stdout=out)
    assert f"Đã gửi {len(mail.outbox)} thư nhắc" in out.getvalue() and mail.outbox


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_reminders", "--date", "31/12/2018")
