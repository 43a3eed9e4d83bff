"""Reminder e-mails: reports due within a few days, and reports overdue, to each unit's officers.

A report needs a reminder while its unit has not sent it (no submission yet, a draft, or one that
was returned). The deadline is the period's due date, or the unit's extension when a reviewer gave
one. Overdue reminders stop after ``overdue_days``: nobody needs a daily mail about 2016.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reporting import services, states
from reporting.models import Period, Submission, SubmissionState
from units.models import Unit
from xhht_portal.models import Role

NOT_YET_SENT = (SubmissionState.DRAFT, SubmissionState.RETURNED)
OFFICER_ROLES = (Role.COMMUNE_OFFICER, Role.DEPARTMENT_OFFICER)


@dataclass(frozen=True)
class PendingReport:
    unit: Unit
    period: Period
    deadline: dt.date
    state: str  # "missing", "draft" or "returned"

    def overdue(self, today: dt.date) -> bool:
        return today > self.deadline

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days


def pending_reports(*, today: dt.date, soon_days: int = 7, overdue_days: int = 30) -> list[PendingReport]:
    """Reports not yet sent whose deadline is in [today - overdue_days, today + soon_days]."""
    # Extensions can push a deadline past the period's due date, so look a little wider first.
    window_start = today - dt.timedelta(days=overdue_days)
    periods = Period.objects.filter(due__lte=today + dt.timedelta(days=soon_days)).select_related("plan")
    pending: list[PendingReport] = []
    for period in periods:
        units = services.expected_units(period)
        submissions = {s.unit_id: s for s in Submission.objects.filter(period=period, unit__in=units)}
        for unit in units:
            submission = submissions.get(unit.pk)
            if submission is not None and submission.state not in NOT_YET_SENT:
                continue
            deadline = submission.deadline if submission is not None else period.due
            if not (window_start <= deadline <= today + dt.timedelta(days=soon_days)):
                continue
            state = submission.state if submission is not None else "missing"
            pending.append(PendingReport(unit=unit, period=period, deadline=deadline, state=state))
    return sorted(pending, key=lambda p: (p.deadline, p.unit.order, p.unit.name))


def recipients_by_unit(units) -> dict[int, list]:
    """Active officers with an e-mail address, per unit."""
    users = get_user_model().objects.filter(unit__in=units, is_active=True, role__in=OFFICER_ROLES).exclude(email="")
    by_unit: dict[int, list] = defaultdict(list)
    for user in users.order_by("pk"):
        by_unit[user.unit_id].append(user)
    return by_unit


def _report_url(period: Period) -> str:
    try:
        path = reverse("reporting:submission_edit", kwargs={"period_code": period.code})
    except NoReverseMatch:
        path = reverse("home")
    return settings.XHHT_PORTAL_URL.rstrip("/") + path


def _line(report: PendingReport, today: dt.date) -> str:
    deadline = report.deadline.strftime("%d/%m/%Y")
    if report.overdue(today):
        when = _("trễ hạn %(days)s ngày (hạn %(deadline)s)") % {
            "days": -report.days_left(today),
            "deadline": deadline,
        }
    elif report.days_left(today) == 0:
        when = _("hạn nộp là hôm nay, %(deadline)s") % {"deadline": deadline}
    else:
        when = _("còn %(days)s ngày, hạn %(deadline)s") % {"days": report.days_left(today), "deadline": deadline}
    # The state in the words every page uses (reporting.states), then what to do about it.
    state = states.state_label(states.NOT_STARTED if report.state == "missing" else report.state)
    state += {
        "missing": _(", cần tạo và gửi báo cáo"),
        SubmissionState.DRAFT: _(", cần hoàn thành và gửi"),
        SubmissionState.RETURNED: _(", cần sửa và gửi lại"),
    }[report.state]
    return f"- {report.period.display_label} · {report.unit.name}: {state}; {when}.\n  {_report_url(report.period)}"


def build_messages(*, today: dt.date, soon_days: int = 7, overdue_days: int = 30) -> list[EmailMessage]:
    """One e-mail per officer, listing every pending report of their unit."""
    pending = pending_reports(today=today, soon_days=soon_days, overdue_days=overdue_days)
    recipients = recipients_by_unit({report.unit for report in pending})
    per_user: dict = defaultdict(list)
    for report in pending:
        for user in recipients.get(report.unit.pk, []):
            per_user[user].append(report)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user, reports in per_user.items():
            overdue = any(r.overdue(today) for r in reports)
            subject = (
                _("[XHHT] Báo cáo trễ hạn nộp") if overdue else _("[XHHT] Nhắc hạn nộp báo cáo")
            ) + f" – {reports[0].unit.name}"
            body = "\n".join(
                [
                    _("Kính gửi %(name)s,") % {"name": user.get_full_name() or user.username},
                    "",
                    _("Cổng thông tin XHHT xin nhắc các báo cáo sau chưa được gửi:"),
                    "",
                    *(_line(report, today) for report in reports),
                    "",
                    _("Nếu đã gửi báo cáo, xin bỏ qua thư này. Cần gia hạn, xin liên hệ Phòng GD&ĐT."),
                    "",
                    settings.XHHT_ISSUER,
                ]
            )
            messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    return messages


def send_reminders(*, today: dt.date, soon_days: int = 7, overdue_days: int = 30, dry_run: bool = False) -> int:
    """Send the reminders of ``today``; returns how many e-mails went (or would go) out."""
    messages = build_messages(today=today, soon_days=soon_days, overdue_days=overdue_days)
    if messages and not dry_run:
        from django.core.mail import mailers

        mailers.default.send_messages(messages)
    return len(messages)
