"""Reporting periods, submissions with their values, and the history of every change."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from targets.models import Indicator, Plan

# Re-exported: other apps and older branches import the units from here.
from units.models import TERRITORIAL_COMMUNE_KINDS, Unit, UnitKind, UnitQuerySet  # noqa: F401


class PeriodKind(models.TextChoices):
    HALF = "half", _("6 tháng")
    ANNUAL = "annual", _("Năm")
    MIDTERM = "midterm", _("Sơ kết")
    FINAL = "final", _("Tổng kết")


# The labels ``reporting.periods`` gives the periods it creates (Vietnamese data, stored as written),
# and the same words as translatable text: a stored label that is still the generated one is shown
# in the reader's language; one an administrator rewrote is shown as written.
PERIOD_LABELS = {
    "half": ("6 tháng đầu năm {year}", _("6 tháng đầu năm %(year)s")),
    "annual": ("Năm {year}", _("Năm %(year)s")),
    "midterm": ("Sơ kết năm học {first}–{last}", _("Sơ kết năm học %(first)s–%(last)s")),
    "final": ("Tổng kết năm học {first}–{last}", _("Tổng kết năm học %(first)s–%(last)s")),
}


def period_label(kind: str, year: int) -> str:
    """The Vietnamese label a generated period of this kind and year is stored with."""
    pattern = PERIOD_LABELS[kind][0]
    return pattern.format(year=year, first=year - 1, last=year)


class PeriodQuerySet(models.QuerySet):
    def for_plan(self, plan: Plan) -> PeriodQuerySet:
        return self.filter(plan=plan)


class Period(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="periods", verbose_name=_("chương trình"))
    code = models.CharField(_("mã"), max_length=30, unique=True)
    label = models.CharField(_("tên kỳ báo cáo"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    start = models.DateField(_("số liệu từ ngày"))
    end = models.DateField(_("số liệu đến ngày"))
    due = models.DateField(_("hạn nộp"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["end", "code"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the reader's language ("Năm 2025" / "Year 2025"): see ``PERIOD_LABELS``."""
        if self.kind in PERIOD_LABELS and self.label == period_label(self.kind, self.year):
            return str(PERIOD_LABELS[self.kind][1] % {"year": self.year, "first": self.year - 1, "last": self.year})
        return self.label

    @property
    def milestone_year(self) -> int:
        """The plan year whose targets this period is measured against: the next milestone."""
        years = [y for y in self.plan.milestone_years if y >= self.year]
        return years[0] if years else self.year


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


NARRATIVE_FIELDS: list[tuple[str, str]] = [
    ("task_1", _("1. Tuyên truyền, nâng cao nhận thức")),
    ("task_2", _("2. Phát triển mạng lưới cơ sở giáo dục")),
    ("task_3", _("3. Gắn xây dựng XHHT với các quy hoạch, đề án, phong trào")),
    ("task_4", _("4. Hỗ trợ người học")),
    ("task_5", _("5. Học tập trong gia đình, dòng họ, cộng đồng; Hội Khuyến học")),
    ("task_6", _("6. Cơ chế, chính sách")),
    ("task_7", _("7. Phối hợp, huy động lực lượng")),
    ("shortcomings", _("Tồn tại, hạn chế, nguyên nhân")),
    ("next_steps", _("Phương hướng, nhiệm vụ kỳ tới")),
    ("proposals", _("Đề xuất, kiến nghị")),
]


class SubmissionQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> SubmissionQuerySet:
        return self.filter(period=period)

    def approved(self) -> SubmissionQuerySet:
        return self.filter(state=SubmissionState.APPROVED)

    def visible_to(self, user) -> SubmissionQuerySet:
        from xhht_portal.access import sees_all_units, territory_q

        if sees_all_units(user):
            # A role plus a unit sees that unit's territory (a province's reviewer the province).
            territory = territory_q(user, "unit__")
            return self if territory is None else self.filter(territory)
        if getattr(user, "unit_id", None):
            return self.filter(unit_id=user.unit_id)
        return self.none()


class Submission(models.Model):
    """One unit's report for one period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đơn vị"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("kỳ"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    # Optimistic locking: every save bumps it; a form carrying an older version is refused.
    version = models.PositiveIntegerField(default=1)
    task_1 = models.TextField(blank=True)
    task_2 = models.TextField(blank=True)
    task_3 = models.TextField(blank=True)
    task_4 = models.TextField(blank=True)
    task_5 = models.TextField(blank=True)
    task_6 = models.TextField(blank=True)
    task_7 = models.TextField(blank=True)
    shortcomings = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    proposals = models.TextField(blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_until = models.DateField(_("gia hạn đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["period__end", "unit__order"]
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        permissions = [
            ("review_submission", _("Duyệt, trả lại, mở lại báo cáo")),
            # Declared here (not on units.Unit) so that its name stays "reporting.view_all_units".
            ("view_all_units", _("Xem số liệu của mọi đơn vị")),
        ]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="one_submission_per_unit_period")]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def deadline(self) -> dt.date:
        return max(self.period.due, self.extended_until) if self.extended_until else self.period.due

    def entry_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state in (SubmissionState.DRAFT, SubmissionState.RETURNED) and today <= self.deadline

    @property
    def is_late(self) -> bool:
        """Sent (or still not sent) after the period's due date; an extension allows it, it is still late."""
        if self.submitted_at is None:
            return timezone.localdate() > self.period.due
        return timezone.localtime(self.submitted_at).date() > self.period.due


class SubmissionValue(models.Model):
    """The raw figures a unit reports for one indicator: never a typed percentage."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    numerator = models.DecimalField(_("tử số"), max_digits=15, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=15, decimal_places=2, null=True, blank=True)
    flags = models.JSONField(_("đạt / không đạt"), default=list, blank=True)
    reviewer_comment = models.TextField(_("nhận xét của người duyệt"), blank=True)

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="one_value_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.numerator}/{self.denominator} {self.flags}"

    @property
    def meets(self) -> bool | None:
        """For yes/no indicators: met when every part is met."""
        if not self.flags:
            return None
        return all(bool(f) for f in self.flags)


class BaseValue(models.Model):
    """A base figure of the unit for the period (population aged 15–60, households, staff…).

    Typed once per report and used as the denominator of every indicator naming the same ``base``
    key (``Indicator.base``): ``reporting.services`` copies it into those values' denominators, so
    the rollup, the maintained totals and the exports read denominators as before.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="bases")
    key = models.SlugField(_("số liệu nền"), max_length=40)
    value = models.DecimalField(_("giá trị"), max_digits=15, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu nền")
        verbose_name_plural = _("số liệu nền")
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="one_base_value_per_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


class SubmissionEvent(models.Model):
    """Who changed what, when, from what to what, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo báo cáo")
        SAVED = "saved", _("Lưu số liệu")
        IMPORTED = "imported", _("Nhập từ Excel")
        SUBMITTED = "submitted", _("Gửi báo cáo")
        RETURNED = "returned", _("Trả lại")
        APPROVED = "approved", _("Duyệt")
        REOPENED = "reopened", _("Mở lại")
        EXTENDED = "extended", _("Gia hạn")
        COMMENTED = "commented", _("Nhận xét")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    field = models.CharField(max_length=100, blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # The submission's version after this change: a refused stale save lists the events after the
    # version the person started from, i.e. exactly what the other person changed.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = _("lịch sử thay đổi")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"


class IndicatorTotal(models.Model):
    """Running sums of the approved values of one period and indicator in one node's subtree.

    A node is any unit of the tree (see reporting/totals.py). Kept in step with every approval,
    reopening and recognition decision inside the same transaction, so any node's dashboard reads
    a few dozen rows instead of re-aggregating every approved value of its subtree.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    numerator_sum = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    denominator_sum = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    numerator_count = models.IntegerField(default=0)
    denominator_count = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)
    meeting = models.IntegerField(default=0)
    # Recognition indicators: titles recognised for the period's year in the units that reported
    # the totals (households, clans, villages, bodies) of this indicator.
    recognised_sum = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("tổng số liệu đã duyệt")
        verbose_name_plural = _("tổng số liệu đã duyệt")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="one_total_per_node_period_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}/{self.indicator_id}: {self.numerator_sum}/{self.denominator_sum}"
