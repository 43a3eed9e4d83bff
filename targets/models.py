"""The plan: Plan → Section → Indicator → Target per milestone year.

This app knows nothing of reports; of units, the reporter codes, the unit that owns a plan and
the units assigned targets of their own. A plan is data: a later programme (2021–2030) is
imported as JSON, with no code change.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Reporter  # who reports an indicator; other apps may import it from here


class Measure(models.TextChoices):
    """How the plan-wide figure is computed from unit figures."""

    RATIO = "ratio", _("Tỷ lệ (Σ tử số / Σ mẫu số)")
    COVERAGE = "coverage", _("Tỷ lệ đơn vị đạt chuẩn")
    COUNT = "count", _("Số lượng (tổng)")
    PER_10000 = "per_10000", _("Trên 1 vạn dân")
    DISTRICT = "district", _("Số liệu do cơ quan chủ trì báo cáo")
    RECOGNITION = "recognition", _("Từ danh hiệu được công nhận")


class Entry(models.TextChoices):
    """What a reporting unit types for an indicator: raw numbers, never a percentage."""

    FRACTION = "fraction", _("Tử số và mẫu số")
    YESNO = "yesno", _("Đạt / không đạt")
    NUMBER = "number", _("Một số")
    TOTAL = "total", _("Tổng số (mẫu số)")


class Comparator(models.TextChoices):
    EQ = "=", _("đạt")
    GTE = ">=", _("từ … trở lên")
    GT = ">", _("trên")
    RANGE = "range", _("từ … đến …")


class ValueUnit(models.TextChoices):
    PERCENT = "percent", _("%")
    COUNT = "count", _("đơn vị")
    PER_10000 = "per_10000", _("/1 vạn dân")


class PlanQuerySet(models.QuerySet):
    def in_force(self, year: int) -> PlanQuerySet:
        """Plans whose years cover ``year``."""
        return self.filter(start_year__lte=year, end_year__gte=year)


class Plan(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=300)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    document = models.CharField(_("văn bản"), max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # The unit whose steering committee adopted the plan: its dashboard rolls up that unit's
    # subtree, and units below it may be assigned their own targets (AssignedTarget).
    owner = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị ban hành, thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Đơn vị có Ban chỉ đạo đã ban hành chương trình (ví dụ: huyện Ba Chẽ, tỉnh Quảng Ninh)."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")

    def __str__(self) -> str:
        return self.name

    @property
    def milestone_years(self) -> list[int]:
        return sorted({t.year for t in Target.objects.filter(indicator__plan=self)})


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("mục"), max_length=20)
    title = models.CharField(_("tiêu đề"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="section_code_per_plan")]
        verbose_name = _("mục")
        verbose_name_plural = _("mục")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class IndicatorQuerySet(models.QuerySet):
    def for_reporter(self, reporter: str) -> IndicatorQuerySet:
        """Indicators a unit with this reporter code is expected to report."""
        if not reporter:
            return self.none()
        matches = [i.pk for i in self if reporter in i.reporters or Reporter.ALL in i.reporters]
        return self.filter(pk__in=matches)


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("chỉ tiêu"), max_length=400)
    topic = models.CharField(_("nhóm"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    measure = models.CharField(_("cách tính"), max_length=20, choices=Measure.choices)
    entry = models.CharField(_("số liệu nhập"), max_length=20, choices=Entry.choices)
    numerator_label = models.CharField(_("tử số"), max_length=300, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=300, blank=True)
    parts = models.JSONField(
        _("các tiêu chuẩn thành phần"),
        default=list,
        blank=True,
        help_text=_("Với chỉ tiêu đạt/không đạt gồm nhiều chuẩn: đơn vị đạt khi đạt tất cả."),
    )
    reporters = models.JSONField(_("đơn vị báo cáo"), default=list, blank=True)
    confirmed_by = models.CharField(_("cơ quan phối hợp, xác nhận"), max_length=100, blank=True)
    title_code = models.CharField(
        _("danh hiệu"),
        max_length=30,
        blank=True,
        help_text=_("Với chỉ tiêu tính từ danh hiệu: family, clan, community, unit."),
    )
    # A base figure of the unit (population aged 15–60, households, staff…): typed once at the top
    # of the report and used as the denominator of every indicator naming the same key.
    base = models.SlugField(
        _("số liệu nền (mẫu số chung)"),
        max_length=40,
        blank=True,
        help_text=_(
            "Mã số liệu nền dùng làm mẫu số, ví dụ staff, population, households. Các chỉ số cùng mã dùng chung "
            "một số do đơn vị nhập một lần ở đầu báo cáo."
        ),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_per_plan")]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        if self.base and self.entry not in (Entry.FRACTION, Entry.TOTAL):
            raise ValidationError({"base": _("Chỉ chỉ số có mẫu số mới dùng số liệu nền.")})
        unknown = set(self.reporters) - set(Reporter.values)
        if unknown:
            raise ValidationError({"reporters": _("Mã đơn vị báo cáo không hợp lệ: %s") % ", ".join(sorted(unknown))})

    @property
    def base_label(self) -> str:
        """What the base figure counts, in the plan's words (the indicator's denominator label)."""
        return self.denominator_label or self.base

    @property
    def answers(self) -> list[str]:
        """Labels of the yes/no answers asked for a yes/no indicator (at least one)."""
        return list(self.parts) or [self.name]


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"))
    comparator = models.CharField(_("so sánh"), max_length=10, choices=Comparator.choices)
    value_min = models.DecimalField(_("giá trị (từ)"), max_digits=12, decimal_places=2)
    value_max = models.DecimalField(_("giá trị (đến)"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("đơn vị tính"), max_length=20, choices=ValueUnit.choices)
    wording = models.TextField(_("nguyên văn"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["year", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_indicator_year"),
            models.CheckConstraint(condition=models.Q(value_max__gte=models.F("value_min")), name="target_max_gte_min"),
        ]
        verbose_name = _("chỉ tiêu theo năm")
        verbose_name_plural = _("chỉ tiêu theo năm")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.display}"

    def clean(self) -> None:
        if self.value_min is not None and self.value_max is not None and self.value_max < self.value_min:
            raise ValidationError({"value_max": _("Giá trị “đến” phải lớn hơn hoặc bằng giá trị “từ”.")})
        if self.comparator != Comparator.RANGE and self.value_min != self.value_max:
            raise ValidationError({"value_max": _("Chỉ khoảng giá trị mới có “từ” khác “đến”.")})

    @property
    def display(self) -> str:
        """The target the way a Vietnamese reader writes it: ≥ 40%, > 80%, 3–5%, 300/1 vạn dân."""
        from targets.numbers import format_number

        suffix = {ValueUnit.PERCENT: "%", ValueUnit.COUNT: "", ValueUnit.PER_10000: str(_("/1 vạn dân"))}[
            ValueUnit(self.unit)
        ]
        low, high = format_number(self.value_min), format_number(self.value_max)
        if self.comparator == Comparator.RANGE:
            return f"{low}–{high}{suffix}"
        prefix = {Comparator.EQ: "", Comparator.GTE: "≥ ", Comparator.GT: "> "}[Comparator(self.comparator)]
        return f"{prefix}{low}{suffix}"

    def with_values(self, *, value_min: Decimal, value_max: Decimal, note: str = "") -> Target:
        """An unsaved copy with other values (an assigned target), marked ``assigned``."""
        copy = Target(
            pk=self.pk,
            indicator=self.indicator,
            section=self.section,
            year=self.year,
            comparator=self.comparator,
            value_min=value_min,
            value_max=value_max,
            unit=self.unit,
            wording=self.wording,
            note=self.note,
        )
        copy.assigned = True
        copy.assigned_note = note
        copy.plan_display = self.display
        return copy

    assigned = False  # True on a copy carrying a unit's own assigned values
    assigned_note = ""

    def evaluate(self, value: Decimal | float | None) -> str | None:
        """'met', 'exceeded' or 'not_met' for a value at the milestone; None without a value.

        "=" is read as "reach": 36% is met by 37%. A range is met from its lower bound; above the
        upper bound it is exceeded, not failed.
        """
        if value is None:
            return None
        value = Decimal(str(value))
        if self.comparator == Comparator.GT:
            return "met" if value > self.value_min else "not_met"
        if value < self.value_min:
            return "not_met"
        if self.comparator == Comparator.RANGE and value > self.value_max:
            return "exceeded"
        return "met"


class AssignedTarget(models.Model):
    """A plan target assigned to one unit below the plan's owner, with its own value.

    Without one, a unit is judged against the plan's value; a mountainous or very difficult
    commune may be given a lower one, with a note saying why. The comparator stays the plan's.
    """

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="assigned_targets"
    )
    value_min = models.DecimalField(_("giá trị (từ)"), max_digits=12, decimal_places=2)
    value_max = models.DecimalField(_("giá trị (đến)"), max_digits=12, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["target", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["target", "unit"], name="one_assignment_per_target_unit"),
            models.CheckConstraint(
                condition=models.Q(value_max__gte=models.F("value_min")), name="assigned_max_gte_min"
            ),
        ]
        verbose_name = _("chỉ tiêu giao cho đơn vị")
        verbose_name_plural = _("chỉ tiêu giao cho đơn vị")

    def __str__(self) -> str:
        return f"{self.target} → {self.unit}"

    def clean(self) -> None:
        if self.value_min is not None and self.value_max is not None and self.value_max < self.value_min:
            raise ValidationError({"value_max": _("Giá trị “đến” phải lớn hơn hoặc bằng giá trị “từ”.")})
        target = getattr(self, "target", None) if self.target_id else None
        if target and target.comparator != Comparator.RANGE and self.value_min != self.value_max:
            raise ValidationError({"value_max": _("Chỉ khoảng giá trị mới có “từ” khác “đến”.")})

    def applied(self) -> Target:
        """The plan target with this unit's values: what the unit's figure is judged against."""
        return self.target.with_values(value_min=self.value_min, value_max=self.value_max, note=self.note)


def base_figures(indicators) -> list[tuple[str, str, list[Indicator]]]:
    """(key, label, indicators using it) of the base figures among ``indicators``, in plan order.

    The label is the denominator label of the first indicator naming the key.
    """
    found: dict[str, tuple[str, list[Indicator]]] = {}
    for indicator in indicators:
        if indicator.base:
            found.setdefault(indicator.base, (indicator.base_label, []))[1].append(indicator)
    return [(key, label, using) for key, (label, using) in found.items()]
