"""The report form: raw counts and yes/no answers per indicator, and the narrative.

Fields are named by indicator code (``I04-num``, ``I04-den``, ``I02-flag-1``, ``task_1``); the
form validates and normalises, the services in ``reporting.services`` do the writing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reporting.models import NARRATIVE_FIELDS
from reporting.services import MAX_COUNT, ValueInput
from targets.models import Entry, Indicator, base_figures
from targets.numbers import parse_number
from xhht_portal.fields import DayMonthYearField

FLAG_CHOICES = [("", _("— chưa trả lời —")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]


def clean_text(value: str) -> str:
    """NFC-normalise Vietnamese text and trim the ends; keeps line breaks."""
    return unicodedata.normalize("NFC", value or "").strip()


class CountField(forms.CharField):
    """A whole non-negative number, typed the Vietnamese or the English way (1.250 or 1250; 66,7 is refused)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "class": "form-control", "maxlength": "30"}
        )

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("Số quá lớn."), code="too_big")
        if "%" in text:
            raise forms.ValidationError(_("Không nhập tỷ lệ %: hãy nhập số người, số đơn vị."), code="percent")
        try:
            number = parse_number(text)
        except ValueError:
            raise forms.ValidationError(_("Nhập một số, ví dụ 1250."), code="invalid") from None
        if number < 0:
            raise forms.ValidationError(_("Số liệu không được âm."), code="negative")
        if number > MAX_COUNT:
            raise forms.ValidationError(_("Số quá lớn."), code="too_big")
        if number != number.to_integral():
            raise forms.ValidationError(
                _("Nhập số nguyên (số người, số đơn vị…), không nhập số lẻ hay tỷ lệ %."), code="fraction"
            )
        if number > MAX_COUNT:
            raise forms.ValidationError(_("Số quá lớn."), code="too_big")
        return number.quantize(Decimal(1))


def base_field_name(key: str) -> str:
    """The form field of a base figure (typed once at the top of the report)."""
    return f"base-{key}"


def field_names(indicator: Indicator) -> list[tuple[str, str]]:
    """(form field name, part key) of the fields one indicator asks for itself.

    An indicator whose denominator is a base figure asks only for its numerator: the base figure
    is one field at the top of the form (``base_field_name``), shared by every indicator using it.
    """
    code = indicator.code
    if indicator.entry == Entry.FRACTION:
        if indicator.base:
            return [(f"{code}-num", "num")]
        return [(f"{code}-num", "num"), (f"{code}-den", "den")]
    if indicator.entry == Entry.NUMBER:
        return [(f"{code}-num", "num")]
    if indicator.entry == Entry.TOTAL:
        return [] if indicator.base else [(f"{code}-den", "den")]
    return [(f"{code}-flag-{i}", f"flag.{i}") for i in range(len(indicator.answers))]


def initial_from(values: dict[str, ValueInput], narrative: dict[str, str], bases: dict | None = None) -> dict:
    initial: dict = dict(narrative)
    for key, number in (bases or {}).items():
        if number is not None:
            initial[base_field_name(key)] = str(int(number))
    for code, value in values.items():
        if value.numerator is not None:
            initial[f"{code}-num"] = str(int(value.numerator))
        if value.denominator is not None:
            initial[f"{code}-den"] = str(int(value.denominator))
        for index, flag in enumerate(value.flags or []):
            initial[f"{code}-flag-{index}"] = "" if flag is None else ("1" if flag else "0")
    return initial


class SubmissionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, indicators: list[Indicator], submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.submitting = submitting
        self.base_figures = base_figures(indicators)
        for key, label, _using in self.base_figures:
            self.fields[base_field_name(key)] = CountField(label=label)
        for indicator in indicators:
            if indicator.entry == Entry.YESNO:
                for index, answer in enumerate(indicator.answers):
                    self.fields[f"{indicator.code}-flag-{index}"] = forms.ChoiceField(
                        # One question without parts: its wording is the indicator's name, shown above.
                        label=answer if indicator.parts else _("Đơn vị đạt chuẩn chưa?"),
                        choices=FLAG_CHOICES,
                        required=False,
                        widget=forms.Select(attrs={"class": "form-select"}),
                    )
                continue
            if indicator.entry in (Entry.FRACTION, Entry.NUMBER):
                self.fields[f"{indicator.code}-num"] = CountField(label=indicator.numerator_label or _("Số lượng"))
            if indicator.entry in (Entry.FRACTION, Entry.TOTAL) and not indicator.base:
                self.fields[f"{indicator.code}-den"] = CountField(label=indicator.denominator_label or _("Tổng số"))
        for key, label in NARRATIVE_FIELDS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    def clean(self):
        data = super().clean()
        if self.submitting:
            for key, _label, _using in self.base_figures:
                name = base_field_name(key)
                if name not in self.errors and data.get(name) is None:
                    self.add_error(name, _("Cần nhập trước khi gửi báo cáo."))
        for indicator in self.indicators:
            numerator, denominator = data.get(f"{indicator.code}-num"), self._denominator(indicator)
            if numerator is not None and denominator is not None and numerator > denominator:
                if indicator.base:
                    self.add_error(
                        f"{indicator.code}-num",
                        _("Không được lớn hơn %(label)s (%(number)s, số liệu nền ở đầu báo cáo).")
                        % {"label": indicator.base_label, "number": int(denominator)},
                    )
                else:
                    self.add_error(f"{indicator.code}-num", _("Tử số không được lớn hơn mẫu số."))
            if not self.submitting:
                continue
            for name, _part in field_names(indicator):
                if name in self.errors:
                    continue
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Cần nhập trước khi gửi báo cáo."))
        for key, _label in NARRATIVE_FIELDS:
            if key in data:
                data[key] = clean_text(data[key])
        return data

    def _denominator(self, indicator: Indicator):
        name = base_field_name(indicator.base) if indicator.base else f"{indicator.code}-den"
        return self.cleaned_data.get(name)

    def bases(self) -> dict[str, Decimal | None]:
        """The base figures typed at the top, by key."""
        return {key: self.cleaned_data.get(base_field_name(key)) for key, _label, _using in self.base_figures}

    def values(self) -> dict[str, ValueInput]:
        data = self.cleaned_data
        result = {}
        for indicator in self.indicators:
            flags = []
            if indicator.entry == Entry.YESNO:
                for index in range(len(indicator.answers)):
                    answer = data.get(f"{indicator.code}-flag-{index}")
                    flags.append(None if answer in (None, "") else answer == "1")
            result[indicator.code] = ValueInput(
                numerator=data.get(f"{indicator.code}-num"),
                denominator=self._denominator(indicator),
                flags=flags,
            )
        return result

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _label in NARRATIVE_FIELDS}

    def summary_label(self, name: str) -> str:
        """The field's name in the error summary: labels repeat, so the indicator's code leads."""
        code = name.split("-", 1)[0]
        label = self.fields[name].label
        return f"{code} · {label}" if "-" in name and any(i.code == code for i in self.indicators) else str(label)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi lý do trả lại.")},
    )

    def clean_reason(self) -> str:
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Cần ghi lý do trả lại."))
        return reason


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do mở lại.")},
    )

    def clean_reason(self) -> str:
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Cần ghi lý do mở lại."))
        return reason


class ExtendForm(forms.Form):
    until = DayMonthYearField(
        label=_("Gia hạn đến ngày"),
        error_messages={"required": _("Gõ ngày gia hạn, ví dụ 30/01/2027.")},
    )
    reason = forms.CharField(label=_("Lý do"), max_length=1000, required=False)

    def clean_until(self) -> dt.date:
        return self.cleaned_data["until"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel đã điền (.xlsx)"),
        error_messages={"required": _("Chọn tệp Excel để tải lên."), "empty": _("Tệp rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn; giới hạn là %(limit)s MB.") % {"limit": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}"}
            )
        return upload


def denominator_warning_share() -> Decimal:
    return Decimal(str(getattr(settings, "XHHT_DENOMINATOR_WARNING_SHARE", 0.2)))
