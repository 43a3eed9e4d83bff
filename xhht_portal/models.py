"""Users: each has one role and, for officers, the unit they report for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã, thị trấn")
    DEPARTMENT_OFFICER = "department_officer", _("Cán bộ phòng, ban, hội, đoàn thể")
    REVIEWER = "reviewer", _("Phòng GD&ĐT (cơ quan thường trực)")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    unit = models.ForeignKey(
        "reporting.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Bắt buộc với cán bộ xã và cán bộ phòng, ban: họ chỉ thấy đơn vị của mình."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) before the given name (first_name)."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def get_short_name(self) -> str:
        return self.first_name.strip() or self.username

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from xhht_portal.roles import sync_role_group

        sync_role_group(self)
