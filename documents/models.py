"""Official documents: the committee's letterhead, the consolidated report and its issues, signed copies.

The consolidated report of a unit (the plan owner: Ba Chẽ district, later a province or commune)
for a period is compiled from the approved reports of the units below it, edited by the standing
agency and issued with a number and a date. Each issue is kept (``ReportIssue``): a re-issue adds
a revision, the earlier ones stay. A signed, stamped paper copy is scanned and attached to an
issue, or by a commune to its own submitted report.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import Period, Submission
from units.models import Unit


class DocumentSettings(models.Model):
    """The letterhead and signature of one unit's documents (Decree 30/2020), edited in the admin."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="document_settings", verbose_name=_("đơn vị")
    )
    issuer_parent = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: UBND HUYỆN BA CHẼ. Để trống nếu không có."),
    )
    issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, help_text=_("Ví dụ: BAN CHỈ ĐẠO XÂY DỰNG XHHT; UBND XÃ THANH SƠN.")
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Dòng địa danh, ngày tháng: Ba Chẽ, ngày …"))
    symbol = models.CharField(_("ký hiệu báo cáo"), max_length=50, help_text=_("Sau số văn bản, ví dụ: BC-BCĐ."))
    signer_authority = models.TextField(
        _("thẩm quyền ký"),
        blank=True,
        help_text=_("Mỗi dòng một cấp, ví dụ: TM. BAN CHỈ ĐẠO; KT. TRƯỞNG BAN. Để trống nếu người đứng đầu ký."),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, help_text=_("Ví dụ: PHÓ TRƯỞNG BAN."))
    signer_name = models.CharField(_("họ và tên người ký"), max_length=200, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    filing = models.CharField(_("lưu"), max_length=100, blank=True, default="VT, GD.", help_text=_("Ví dụ: VT, GD."))

    class Meta:
        verbose_name = _("thể thức văn bản của đơn vị")
        verbose_name_plural = _("thể thức văn bản của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} · {self.issuer}"


class ConsolidatedReport(models.Model):
    """The report a unit's committee compiles for a period: the text being written."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="consolidated_reports", verbose_name=_("đơn vị")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="consolidated_reports", verbose_name=_("kỳ")
    )
    # {NARRATIVE_FIELDS key: text}: the working text; what was issued is kept in ReportIssue.
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    # Optimistic locking, as for submissions: a form carrying an older version is refused.
    version = models.PositiveIntegerField(default=1)
    compiled_at = models.DateTimeField(_("soạn từ báo cáo đơn vị lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_consolidated_report_per_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def latest_issue(self) -> ReportIssue | None:
        return self.issues.order_by("-revision").first()


class ReportIssue(models.Model):
    """One issue of the report: the text, number, date and letterhead exactly as issued."""

    report = models.ForeignKey(ConsolidatedReport, on_delete=models.PROTECT, related_name="issues")
    revision = models.PositiveSmallIntegerField(_("lần ban hành"))
    number = models.PositiveIntegerField(_("số"))
    date = models.DateField(_("ngày ban hành"))
    narrative = models.JSONField(_("nội dung"), default=dict)
    letterhead = models.JSONField(_("thể thức"), default=dict)
    reason = models.TextField(_("lý do ban hành lại"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("ban hành lúc"), default=timezone.now)

    class Meta:
        ordering = ["report", "-revision"]
        verbose_name = _("lần ban hành")
        verbose_name_plural = _("lần ban hành")
        constraints = [models.UniqueConstraint(fields=["report", "revision"], name="one_issue_per_revision")]

    def __str__(self) -> str:
        return f"{self.number_text} ({self.date:%d/%m/%Y})"

    @property
    def number_text(self) -> str:
        """ "05/BC-BCĐ": numbers below 10 with a leading zero (Decree 30)."""
        symbol = self.letterhead.get("symbol", "")
        return f"{self.number:02d}/{symbol}" if symbol else f"{self.number:02d}"


def signed_copy_path(instance: SignedCopy, filename: str) -> str:
    """A name of our own (never the uploaded one) under MEDIA_ROOT/signed/<year>/."""
    extension = ".pdf" if instance.content_type == "application/pdf" else ".jpg"
    return f"signed/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


class SignedCopyQuerySet(models.QuerySet):
    def current(self) -> SignedCopyQuerySet:
        """The copies that stand as the signed document: those not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self) -> SignedCopyQuerySet:
        return self.filter(withdrawn_at__isnull=False)


class SignedCopy(models.Model):
    """A scan of the signed and stamped paper document: of an issued report, or of a unit's own report.

    A wrong scan is withdrawn, never deleted: the row and its file stay, marked with who withdrew
    it, when and why, so the history shows what was once filed as the signed copy.
    """

    issue = models.ForeignKey(
        ReportIssue, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_copies"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_copies"
    )
    file = models.FileField(_("tệp"), upload_to=signed_copy_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )
    withdrawal_reason = models.TextField(_("lý do thu hồi"), blank=True)

    WITHDRAWAL_REASON_MAX = 500

    objects = SignedCopyQuerySet.as_manager()

    class Meta:
        # Every list shows the current copies first (newest first), then the withdrawn ones.
        ordering = [F("withdrawn_at").desc(nulls_first=True), "-uploaded_at", "-pk"]
        verbose_name = _("bản ký, đóng dấu")
        verbose_name_plural = _("bản ký, đóng dấu")
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False, submission__isnull=True)
                | Q(issue__isnull=True, submission__isnull=False),
                name="signed_copy_of_one_document",
            ),
            # A withdrawal always says who, when and why; a current copy carries none of them.
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~Q(withdrawal_reason="")),
                name="signed_copy_withdrawal_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
