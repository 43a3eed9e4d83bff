"""Units: the administrative tree (province, district, commune, village) and the bodies attached to it.

This app is at the bottom of the dependency chain (`units ← targets ← reporting ← recognition`):
it imports nothing of ours except the kernel `xhht_portal`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Reporter(models.TextChoices):
    """Who reports an indicator's raw numbers (section IV of the programme)."""

    COMMUNE = "xa", _("UBND xã, thị trấn")
    EDUCATION = "GD", _("Phòng GD&ĐT")
    HOME_AFFAIRS = "NV", _("Phòng Nội vụ")
    LABOUR = "LD", _("Phòng LĐ-TB&XH")
    CENTRE = "TT", _("Trung tâm GDNN-GDTX")
    ALL = "all", _("Mọi đơn vị (cán bộ của đơn vị)")
    PROVINCE = "tinh", _("UBND tỉnh, thành phố")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    TOWN = "town", _("Thị trấn")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    VILLAGE = "village", _("Thôn, bản, khu")
    DEPARTMENT = "department", _("Phòng, ban")
    ASSOCIATION = "association", _("Hội, đoàn thể")
    CENTRE = "centre", _("Trung tâm")


TERRITORIAL_COMMUNE_KINDS = (UnitKind.TOWN, UnitKind.COMMUNE, UnitKind.WARD)


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active_during(self, start: dt.date, end: dt.date) -> UnitQuerySet:
        """Units valid on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )

    def reporting(self) -> UnitQuerySet:
        """Units that submit reports: those with a reporter code."""
        return self.exclude(reporter_code="")

    def communes(self) -> UnitQuerySet:
        return self.filter(kind__in=TERRITORIAL_COMMUNE_KINDS)

    def visible_to(self, user) -> UnitQuerySet:
        from xhht_portal.access import sees_all_units

        if sees_all_units(user):
            return self
        if getattr(user, "unit_id", None):
            return self.filter(Q(pk=user.unit_id) | Q(parent_id=user.unit_id))
        return self.none()


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    reporter_code = models.CharField(
        _("báo cáo các chỉ tiêu của"),
        max_length=10,
        choices=Reporter.choices,
        blank=True,
        help_text=_("Để trống nếu đơn vị không nộp báo cáo (ví dụ: thôn, bản)."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


class UnitSuccession(models.Model):
    """A merge or split: the predecessor's area (all or part) went to the successor."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_out")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_in")
    date = models.DateField(_("ngày hiệu lực"))
    partial = models.BooleanField(_("chỉ một phần"), default=False)
    legal_basis = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sáp nhập, chia tách")
        verbose_name_plural = _("sáp nhập, chia tách")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="one_succession_per_pair")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"
