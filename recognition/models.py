"""Learning titles: criteria sets, yearly registers, nominations and their score sheets, decisions.

A commune keeps one register per title and year. Each nominee (a household, clan, village or
body) is scored against the criteria set in force, sent for review, and either approved — in a
recorded decision — or refused with a reason the commune sees. Every change of state is kept
in ``NominationEvent``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class Title(models.TextChoices):
    # The codes equal targets.Indicator.title_code of I30–I33.
    FAMILY = "family", _("Gia đình học tập")
    CLAN = "clan", _("Dòng họ học tập")
    COMMUNITY = "community", _("Cộng đồng học tập")
    UNIT = "unit", _("Đơn vị học tập")


# What the nominee of each title is called, for column headers and labels.
NOMINEE_LABELS = {
    Title.FAMILY: _("Họ và tên chủ hộ"),
    Title.CLAN: _("Tên dòng họ"),
    Title.COMMUNITY: _("Thôn, bản, khu"),
    Title.UNIT: _("Tên đơn vị"),
}


class CriteriaSetQuerySet(models.QuerySet):
    def for_title(self, title: str) -> CriteriaSetQuerySet:
        return self.filter(title=title)

    def in_force(self, title: str, year: int) -> CriteriaSet | None:
        """The newest set for the title valid on at least one day of the year."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return (
            self.filter(title=title, valid_from__lte=end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            .order_by("-valid_from", "-pk")
            .first()
        )


class CriteriaSet(models.Model):
    """One version of the criteria of one title (e.g. QĐ 448/QĐ-KHVN, part A)."""

    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    title = models.CharField(_("danh hiệu"), max_length=20, choices=Title.choices)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    pass_mark = models.DecimalField(_("điểm đạt (tổng điểm tối thiểu)"), max_digits=6, decimal_places=2)
    min_per_criterion_share = models.DecimalField(
        _("tỷ lệ điểm tối thiểu mỗi tiêu chí (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống nếu không yêu cầu; ví dụ 50 nghĩa là mỗi tiêu chí phải đạt ít nhất một nửa số điểm."),
    )
    note = models.TextField(
        _("ghi chú"), blank=True, help_text=_("Những điểm chưa đối chiếu với văn bản gốc, cách hiểu đã chọn.")
    )

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["title", "-valid_from"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(_("số"), max_length=10)
    name = models.CharField(_("tiêu chí"), max_length=400)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["criteria_set", "order", "pk"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CriterionItem(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("số"), max_length=10)
    text = models.TextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["criterion", "order", "pk"]
        verbose_name = _("nội dung chấm điểm")
        verbose_name_plural = _("nội dung chấm điểm")

    def __str__(self) -> str:
        return f"{self.criterion.number}.{self.number} {self.text[:60]}"


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegisterQuerySet:
        from xhht_portal.access import sees_all_units

        if sees_all_units(user):
            return self
        if getattr(user, "unit_id", None):
            return self.filter(commune_id=user.unit_id)
        return self.none()


class Register(models.Model):
    """A commune's register of one title for one year: the batch the approver reviews."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="recognition_registers")
    title = models.CharField(_("danh hiệu"), max_length=20, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("gửi duyệt lúc"), null=True, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "commune__order", "commune__name", "title"]
        verbose_name = _("sổ đăng ký danh hiệu")
        verbose_name_plural = _("sổ đăng ký danh hiệu")
        constraints = [models.UniqueConstraint(fields=["commune", "title", "year"], name="one_register_per_title_year")]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.year} · {self.commune}"

    @property
    def nominee_label(self) -> str:
        return str(NOMINEE_LABELS[self.title])

    @property
    def needs_village(self) -> bool:
        return self.title in (Title.FAMILY, Title.COMMUNITY)


class NominationState(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    SCORED = "scored", _("Đã chấm điểm")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Được công nhận")
    REFUSED = "refused", _("Không công nhận")


EDITABLE_STATES = (NominationState.REGISTERED, NominationState.SCORED)


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        from xhht_portal.access import sees_all_units

        if sees_all_units(user):
            return self
        if getattr(user, "unit_id", None):
            return self.filter(register__commune_id=user.unit_id)
        return self.none()

    def recognised(self) -> NominationQuerySet:
        """Approved in a recorded decision: what counts towards the targets."""
        return self.filter(state=NominationState.APPROVED, decision__isnull=False)


class Nomination(models.Model):
    """One household, clan, village or body on a register; its score sheet is its Scores."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("tên"), max_length=200)
    # NFC, collapsed whitespace, casefolded name plus the village: two spellings of one household
    # (NFD from a Mac, double spaces, capitals) give the same key, so duplicates are refused.
    dedup_key = models.CharField(max_length=260, editable=False)
    village = models.ForeignKey(
        Unit, verbose_name=_("thôn, bản, khu"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=NominationState.choices, default=NominationState.REGISTERED
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), null=True, blank=True, on_delete=models.PROTECT
    )
    total_points = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("đạt theo thang điểm"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do không công nhận"), blank=True)
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["register", "village__order", "village__name", "name", "pk"]
        verbose_name = _("đề nghị công nhận")
        verbose_name_plural = _("đề nghị công nhận")
        permissions = [("decide_nomination", _("Duyệt, từ chối đề nghị công nhận danh hiệu"))]
        constraints = [
            models.UniqueConstraint(fields=["register", "dedup_key"], name="one_nomination_per_entity_register")
        ]
        indexes = [models.Index(fields=["register", "state"])]

    def __str__(self) -> str:
        return self.name

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(CriterionItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")
        constraints = [models.UniqueConstraint(fields=["nomination", "item"], name="one_score_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        from xhht_portal.access import sees_all_units

        if sees_all_units(user):
            return self
        if getattr(user, "unit_id", None):
            return self.filter(register__commune_id=user.unit_id)
        return self.none()


class Decision(models.Model):
    """A recognition decision ("Số: 12/QĐ-UBND"): the approved nominees point to it."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày ký"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_name = models.CharField(_("người ký"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class EventAction(models.TextChoices):
    ADDED = "added", _("Thêm vào sổ")
    IMPORTED = "imported", _("Nhập từ Excel")
    SCORED = "scored", _("Chấm điểm")
    SUBMITTED = "submitted", _("Gửi duyệt")
    APPROVED = "approved", _("Công nhận")
    REFUSED = "refused", _("Không công nhận")


class NominationEvent(models.Model):
    """History: who changed a nomination's state, when, and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30, choices=EventAction.choices)
    state = models.CharField(_("trạng thái sau"), max_length=20, choices=NominationState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("lý do, ghi chú"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử")
        verbose_name_plural = _("lịch sử")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"
