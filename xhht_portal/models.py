"""Users: each has one role and, for officers, the unit they report for."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
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
        "units.Unit",
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


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Không thành công")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """A job (and its file) belongs to the person who started it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def unfinished(self) -> JobQuerySet:
        return self.filter(state__in=(JobState.QUEUED, JobState.RUNNING))


class Job(models.Model):
    """Long work run by the task worker (``xhht_portal.jobs``): its progress, outcome and file.

    The kernel knows nothing of what a job does: each app registers its kinds
    (``xhht_portal.jobs.register_job``) and ``params`` carries what the kind needs, as JSON, so a
    failed job can be run again as it was (unless its input was an uploaded file, deleted once used).
    """

    kind = models.CharField(_("loại việc"), max_length=50)
    title = models.CharField(_("tên"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số bước"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    # What a kind that makes no file has to show when it ends (counts, row errors…), as JSON its
    # own template lays out (register_job(outcome_template=…)): the kernel only stores it.
    outcome = models.JSONField(_("kết quả"), default=dict, blank=True)
    result = models.FileField(_("tệp kết quả"), upload_to="jobs/", max_length=300, blank=True)
    filename = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("lúc yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    expires_at = models.DateTimeField(_("tệp lưu đến"), null=True, blank=True)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        indexes = [models.Index(fields=["state", "heartbeat_at"]), models.Index(fields=["owner", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.pk])

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the size of the work is not known yet."""
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def file_available(self) -> bool:
        return self.state == JobState.DONE and bool(self.result)
