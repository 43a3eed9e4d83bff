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
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind


class NomineeKind(models.TextChoices):
    """Who or what a title is given to; decides the register's columns and its certificate."""

    HOUSEHOLD = "household", _("Hộ gia đình")
    CLAN = "clan", _("Dòng họ")
    VILLAGE = "village", _("Thôn, bản, khu")
    COMMUNE = "commune", _("Xã, phường, thị trấn")
    UNIT = "unit", _("Cơ quan, đơn vị, trường học")
    PERSON = "person", _("Cá nhân")


# What the nominee of each kind is called, for column headers and labels.
NOMINEE_LABELS = {
    NomineeKind.HOUSEHOLD: _("Họ và tên chủ hộ"),
    NomineeKind.CLAN: _("Tên dòng họ"),
    NomineeKind.VILLAGE: _("Thôn, bản, khu"),
    NomineeKind.COMMUNE: _("Xã, phường, thị trấn"),
    NomineeKind.UNIT: _("Tên đơn vị"),
    NomineeKind.PERSON: _("Họ và tên"),
}
# Kinds whose nominee is a place of the unit tree, not a typed name.
PLACE_KINDS = (NomineeKind.VILLAGE, NomineeKind.COMMUNE)


class TitleQuerySet(models.QuerySet):
    def active(self) -> TitleQuerySet:
        return self.filter(active=True)


class Title(models.Model):
    """A learning title ("Gia đình học tập", "Công dân học tập"…): data an administrator adds.

    Who nominates and who recognises are configuration (the 2025 reform moved recognition from
    district offices to communes, and the new recogniser of some titles is not yet known);
    ``years_in_force`` says how long a recognition counts (TT 25/2023: 3 years), and
    ``indicator_code`` which plan indicator (``Indicator.title_code``) it feeds.
    """

    code = models.SlugField(
        _("mã"),
        max_length=30,
        unique=True,
        help_text=_("Chữ thường, số, gạch ngang; không đổi sau khi đã có sổ đăng ký."),
    )
    name = models.CharField(_("tên danh hiệu"), max_length=200)
    nominee_kind = models.CharField(_("đối tượng được công nhận"), max_length=20, choices=NomineeKind.choices)
    nominated_by = models.CharField(_("ai đề nghị"), max_length=300, blank=True)
    recognised_by = models.CharField(
        _("ai công nhận"), max_length=300, help_text=_("Ví dụ: Chủ tịch UBND xã. In trên trang và trong quyết định.")
    )
    recognised_by_verified = models.BooleanField(_("thẩm quyền công nhận đã đối chiếu văn bản"), default=False)
    issuer = models.CharField(
        _("cơ quan ban hành quyết định"),
        max_length=200,
        blank=True,
        help_text=_("Mặc định khi ghi quyết định; {commune} được thay bằng tên xã. Ví dụ: Ủy ban nhân dân {commune}."),
    )
    signer_title = models.CharField(_("chức vụ người ký (mặc định)"), max_length=100, blank=True)
    years_in_force = models.PositiveSmallIntegerField(
        _("số năm có hiệu lực"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1: chỉ tính trong năm công nhận; 3: năm công nhận và hai năm sau (TT 25/2023)."),
    )
    indicator_code = models.CharField(
        _("chỉ số kế hoạch được tính"),
        max_length=30,
        blank=True,
        help_text=_("Mã danh hiệu của chỉ số trong kế hoạch (ví dụ family); để trống nếu không tính vào chỉ số nào."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Những điểm chưa đối chiếu với văn bản gốc."))
    active = models.BooleanField(_("đang dùng"), default=True, help_text=_("Bỏ chọn để không mở sổ mới."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")

    def __str__(self) -> str:
        return self.name

    @property
    def nominee_label(self) -> str:
        return str(NOMINEE_LABELS[self.nominee_kind])

    @property
    def needs_village(self) -> bool:
        """A household and a village-community nominee are chosen within a village."""
        return self.nominee_kind in (NomineeKind.HOUSEHOLD, NomineeKind.VILLAGE)

    @property
    def takes_village(self) -> bool:
        return self.nominee_kind not in (NomineeKind.COMMUNE,)

    def in_force_years(self, year: int) -> range:
        """The years a recognition decided for ``year`` counts in."""
        return range(year, year + max(1, self.years_in_force))

    def decision_issuer(self, commune_name: str) -> str:
        template = self.issuer or "Ủy ban nhân dân {commune}"
        return template.replace("{commune}", commune_name)


NON_NEGATIVE = [MinValueValidator(Decimal(0))]


def _points_field(label, help_text="", max_digits: int = 6) -> models.DecimalField:
    """An optional, non-negative number of points with two decimals: a set's total and pass mark,
    a criterion's and an item's ceiling and floor."""
    return models.DecimalField(
        label,
        validators=NON_NEGATIVE,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=help_text,
    )


class Scoring(models.TextChoices):
    POINTS = "points", _("Chấm điểm")
    PASS_FAIL = "pass_fail", _("Đạt / chưa đạt từng chỉ tiêu")


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
    """One version of the criteria of one title (e.g. QĐ 448/QĐ-KHVN, part A; TT 25/2023, cấp xã).

    Chosen by date: a register of year Y uses the newest set valid on a day of Y. A set is scored
    in points (a pass mark, optional floors per criterion and per item) or criterion by criterion
    as met / not met, with levels (mức độ 1, 2) each needing the items that apply to it.
    A point value left empty is not known (not found in the sources): such a set cannot be
    scored until an administrator fills it in from the official text.
    """

    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    title = models.ForeignKey(
        Title,
        verbose_name=_("danh hiệu"),
        to_field="code",
        db_column="title",
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    scoring = models.CharField(_("cách đánh giá"), max_length=20, choices=Scoring.choices, default=Scoring.POINTS)
    max_total = _points_field(_("tổng điểm tối đa"), _("Để trống: bằng tổng điểm tối đa của các tiêu chí."))
    pass_mark = _points_field(_("điểm đạt (tổng điểm tối thiểu)"))
    min_per_criterion_share = _points_field(
        _("tỷ lệ điểm tối thiểu mỗi tiêu chí (%)"),
        _("Để trống nếu không yêu cầu; ví dụ 50 nghĩa là mỗi tiêu chí phải đạt ít nhất một nửa số điểm."),
        max_digits=5,
    )
    min_item_points = _points_field(
        _("điểm sàn mỗi nội dung"), _("Không nội dung (chỉ số) nào dưới mức này; ví dụ QĐ 324/QĐ-KHVN: 5 điểm.")
    )
    pass_rule_verified = models.BooleanField(_("quy tắc đạt đã đối chiếu văn bản gốc"), default=False)
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

    def clean(self) -> None:
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày kết thúc trước ngày bắt đầu áp dụng.")
        if self.min_per_criterion_share is not None and self.min_per_criterion_share > 100:
            errors["min_per_criterion_share"] = _("Tỷ lệ không quá 100%.")
        if self.max_total is not None and self.pass_mark is not None and self.pass_mark > self.max_total:
            errors["pass_mark"] = _("Điểm đạt lớn hơn tổng điểm tối đa.")
        if self.scoring == Scoring.PASS_FAIL and self.pass_mark is not None:
            errors["pass_mark"] = _("Bộ tiêu chí đánh giá đạt/chưa đạt không có điểm đạt; để trống.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_pass_fail(self) -> bool:
        return self.scoring == Scoring.PASS_FAIL

    @property
    def max_total_points(self) -> Decimal | None:
        if self.max_total is not None:
            return self.max_total
        points = [c.max_points for c in self.criteria.all()]
        return None if any(p is None for p in points) else sum(points, Decimal(0))

    @property
    def missing_points(self) -> list[str]:
        """Items of a points set whose maximum is not known: the set cannot be scored yet."""
        if self.is_pass_fail:
            return []
        return [
            f"{c.number}.{i.number}" for c in self.criteria.all() for i in c.items.all() if i.max_points is None
        ] + [c.number for c in self.criteria.all() if not c.items.all()]

    @property
    def fully_verified(self) -> bool:
        return self.pass_rule_verified and all(
            c.verified and all(i.verified for i in c.items.all()) for c in self.criteria.all()
        )


class CriteriaLevel(models.Model):
    """A level of a pass/fail set (TT 25/2023: mức độ 1, mức độ 2)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("mức độ"))
    name = models.CharField(_("tên"), max_length=100)
    label = models.CharField(_("xếp loại"), max_length=50, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["criteria_set", "number"]
        verbose_name = _("mức độ")
        verbose_name_plural = _("mức độ")
        constraints = [models.UniqueConstraint(fields=["criteria_set", "number"], name="one_level_number_per_set")]

    def __str__(self) -> str:
        return self.name


def _check_points(obj) -> None:
    if obj.max_points is not None and obj.min_points is not None and obj.min_points > obj.max_points:
        raise ValidationError({"min_points": _("Điểm sàn lớn hơn điểm tối đa.")})


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(_("số"), max_length=10)
    name = models.CharField(_("tiêu chí"), max_length=400)
    max_points = _points_field(_("điểm tối đa"), _("Để trống nếu chưa rõ."))
    min_points = _points_field(_("điểm sàn"), _("Để trống nếu không có."))
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["criteria_set", "order", "pk"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        _check_points(self)


class CriterionItem(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("số"), max_length=10)
    text = models.TextField(_("nội dung"))
    max_points = _points_field(_("điểm tối đa"), _("Để trống nếu chưa rõ."))
    min_points = _points_field(_("điểm sàn"), _("Để trống nếu không có."))
    level = models.PositiveSmallIntegerField(
        _("chỉ ở mức độ"), null=True, blank=True, help_text=_("Để trống: áp dụng cho mọi mức độ.")
    )
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["criterion", "order", "pk"]
        verbose_name = _("nội dung chấm điểm")
        verbose_name_plural = _("nội dung chấm điểm")

    def __str__(self) -> str:
        return f"{self.criterion.number}.{self.number} {self.text[:60]}"

    def clean(self) -> None:
        _check_points(self)
        if (
            self.level is not None
            and self.criterion_id
            and not CriteriaLevel.objects.filter(
                criteria_set_id=self.criterion.criteria_set_id, number=self.level
            ).exists()
        ):
            raise ValidationError({"level": _("Bộ tiêu chí này không có mức độ %(level)s.") % {"level": self.level}})


def _visible_registers(queryset, user, to_register: str):
    """``queryset`` limited to the registers ``user`` may see (``to_register``: the path from its
    rows to the register, "" for registers themselves): see ``RegisterQuerySet.visible_to``."""
    from xhht_portal.access import sees_all_units, territory_q

    if sees_all_units(user):
        scope = territory_q(user, prefix=f"{to_register}commune__")
        return queryset if scope is None else queryset.filter(scope)
    if getattr(user, "unit_id", None):
        return queryset.filter(**{f"{to_register}commune_id": user.unit_id})
    return queryset.none()


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegisterQuerySet:
        """A commune's officers see its registers; those who see every unit (reviewers, leadership)
        see the registers of their territory (``territory_q``: a province's reviewer the province,
        a commune's its commune), everywhere only without a unit of their own."""
        return _visible_registers(self, user, "")


class Register(models.Model):
    """A commune's register of one title for one year: the batch the approver reviews."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="recognition_registers")
    title = models.ForeignKey(
        Title,
        verbose_name=_("danh hiệu"),
        to_field="code",
        db_column="title",
        on_delete=models.PROTECT,
        related_name="registers",
    )
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
        return f"{self.title} {self.year} · {self.commune}"

    def get_title_display(self) -> str:
        return str(self.title)

    @property
    def nominee_label(self) -> str:
        return self.title.nominee_label

    @property
    def nominee_kind(self) -> str:
        return self.title.nominee_kind

    @property
    def needs_village(self) -> bool:
        return self.title.needs_village

    def villages(self) -> models.QuerySet[Unit]:
        """The commune's villages a nominee of this register may belong to."""
        return Unit.objects.filter(parent_id=self.commune_id, kind=UnitKind.VILLAGE)


class NominationState(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    SCORED = "scored", _("Đã chấm điểm")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Được công nhận")
    REFUSED = "refused", _("Không công nhận")
    WITHDRAWN = "withdrawn", _("Đã rút")


EDITABLE_STATES = (NominationState.REGISTERED, NominationState.SCORED)
# Before the decision a commune may withdraw a nominee (moved away, asked to be left out…).
WITHDRAWABLE_STATES = (NominationState.REGISTERED, NominationState.SCORED, NominationState.SUBMITTED)


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """As ``RegisterQuerySet.visible_to``, through the nominee's register."""
        return _visible_registers(self, user, "register__")

    def recognised(self) -> NominationQuerySet:
        """Approved in a recorded decision: what counts towards the targets."""
        return self.filter(state=NominationState.APPROVED, decision__isnull=False)


class Nomination(models.Model):
    """One household, clan, village or body on a register; its score sheet is its Scores."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("tên"), max_length=200)
    # The village and the name's ``vietnamese.same_key``: two spellings of one household (NFD from
    # a Mac, double spaces, capitals, "Hòa"/"Hoà") give the same key, so duplicates are refused.
    dedup_key = models.CharField(max_length=260, editable=False)
    # ``vietnamese.fold``: "dang van" finds "Đặng Văn". ``vietnamese.sort_key``: Vietnamese order on
    # SQLite (PostgreSQL sorts the name with ICU). Both kept in step with the name by ``save``.
    search_key = models.CharField(max_length=400, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=800, editable=False, default="")
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
    level = models.PositiveSmallIntegerField(_("mức độ đạt"), null=True, blank=True)
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

    def save(self, *args, **kwargs):
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("name" in update_fields or "village" in update_fields):
            kwargs["update_fields"] = {*update_fields, "dedup_key", "search_key", "sort_key"}
        super().save(*args, **kwargs)

    def refresh_keys(self) -> Nomination:
        """Recompute the duplicate, search and sort keys from the name (and village)."""
        from xhht_portal import vietnamese

        self.dedup_key = dedup_key(self.name, self.village_id)
        self.search_key = vietnamese.fold(self.name)[:400]
        self.sort_key = vietnamese.sort_key(self.name)[:800]
        return self

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES


def dedup_key(name: str, village_id: int | None) -> str:
    """One household, clan or body per register: the village and the name as people write it."""
    from xhht_portal import vietnamese

    return f"{village_id or 0}|{vietnamese.same_key(name)}"


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(CriterionItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    met = models.BooleanField(_("đạt"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")
        constraints = [models.UniqueConstraint(fields=["nomination", "item"], name="one_score_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        """As ``RegisterQuerySet.visible_to``, through the decision's register."""
        return _visible_registers(self, user, "register__")


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
    WITHDRAWN = "withdrawn", _("Rút đề nghị")


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
