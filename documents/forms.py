"""Forms of the documents pages: they validate and normalise, the services write."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import SignedCopy
from documents.uploads import ScanRefused, check_scan
from reporting.models import NARRATIVE_FIELDS
from xhht_portal.fields import DayMonthYearField

MAX_TEXT = 50_000


def clean_text(value: str) -> str:
    """NFC (typed Vietnamese can arrive decomposed), trimmed, line breaks kept, no NUL."""
    return unicodedata.normalize("NFC", value or "").replace("\x00", "").strip()


class ReportForm(forms.Form):
    """The consolidated report's text, and for issuing its number and date."""

    version = forms.IntegerField(label=_("Phiên bản"), widget=forms.HiddenInput, min_value=0)
    number = forms.CharField(
        label=_("Số báo cáo"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control", "autocomplete": "off"}),
    )
    date = DayMonthYearField(label=_("Ngày ban hành"), required=False)
    reason = forms.CharField(
        label=_("Lý do ban hành lại"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, issuing: bool = False, reissue: bool = False, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuing, self.reissue, self.period = issuing, reissue, period
        for key, label in NARRATIVE_FIELDS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_TEXT,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                error_messages={"max_length": _("Quá dài: tối đa %(limit_value)d ký tự (đang có %(show_value)d).")},
            )
        self.order_fields([key for key, _label in NARRATIVE_FIELDS] + ["number", "date", "reason", "version"])

    def clean_number(self) -> int | None:
        text = clean_text(self.cleaned_data.get("number", "")).replace(" ", "")
        if not text:
            if self.issuing:
                raise forms.ValidationError(_("Nhập số báo cáo để ban hành."), code="required")
            return None
        if not text.isdigit() or not 0 < int(text) < 100000:
            raise forms.ValidationError(_("Số báo cáo là số nguyên dương, ví dụ 05."), code="invalid")
        return int(text)

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is None:
            if self.issuing:
                raise forms.ValidationError(_("Nhập ngày ban hành (dd/mm/yyyy)."), code="required")
            return None
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày ban hành không được sau hôm nay."), code="future")
        if self.period is not None and day < self.period.start:
            raise forms.ValidationError(
                _("Ngày ban hành không được trước ngày đầu kỳ số liệu (%(start)s).")
                % {"start": self.period.start.strftime("%d/%m/%Y")},
                code="too_early",
            )
        return day

    def clean_reason(self) -> str:
        reason = clean_text(self.cleaned_data.get("reason", ""))
        if self.issuing and self.reissue and not reason:
            raise forms.ValidationError(_("Báo cáo đã ban hành: ghi lý do ban hành lại."), code="required")
        return reason

    def clean(self):
        cleaned = super().clean()
        for key, _label in NARRATIVE_FIELDS:
            if key in cleaned:
                cleaned[key] = clean_text(cleaned[key])
        return cleaned

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _label in NARRATIVE_FIELDS}


class CompileForm(forms.Form):
    replace = forms.BooleanField(
        label=_("Thay toàn bộ nội dung đang soạn bằng nội dung soạn lại từ báo cáo các đơn vị"), required=False
    )


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=_("Bản quét đã ký, đóng dấu (PDF hoặc JPEG)"),
        error_messages={
            "required": _("Chọn tệp bản quét để tải lên."),
            "empty": _("Tệp rỗng."),
            "invalid": _("Không đọc được tệp tải lên."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,.pdf,.jpg,.jpeg", "class": "form-control"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.content, self.content_type = check_scan(upload)
        except ScanRefused as refused:
            raise forms.ValidationError(refused.message, code="refused") from None
        name = unicodedata.normalize("NFC", upload.name or "").replace("\x00", "")
        self.original_name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "scan"
        return upload


class WithdrawSignedCopyForm(forms.Form):
    """Why a scan is withdrawn: required, at most 500 characters once normalised, kept with the copy."""

    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Ghi lý do thu hồi bản ký.")},
    )

    def clean_reason(self) -> str:
        # Counted after NFC: Vietnamese typed decomposed is longer than what is stored.
        reason = clean_text(self.cleaned_data.get("reason", ""))
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"], code="required")
        if len(reason) > SignedCopy.WITHDRAWAL_REASON_MAX:
            raise forms.ValidationError(
                _("Lý do thu hồi quá dài: tối đa %(max)d ký tự (đang có %(count)d)."),
                code="max_length",
                params={"max": SignedCopy.WITHDRAWAL_REASON_MAX, "count": len(reason)},
            )
        return reason
