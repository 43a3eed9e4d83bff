"""Form fields every app shares: dates typed one way everywhere, dd/mm/yyyy, whatever the browser's locale.

A browser's own date picker shows the format of the browser's locale (mm/dd/yyyy in an English
Chrome beside "30/01/2027" in the page), so dates are text inputs that the server parses.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
_SEPARATORS = re.compile(r"\s*[./\-\s]\s*")


class DayMonthYearInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, with the phone's number keyboard."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DayMonthYearField(forms.DateField):
    """30/01/2027, 30-01-2027, 30.01.2027, 30 01 2027 and 30012027 all mean 30 January 2027."""

    widget = DayMonthYearInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Ngày không hợp lệ: gõ theo dạng ngày/tháng/năm, ví dụ 30/01/2027.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if re.fullmatch(r"\d{8}", value):
                value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
            elif re.fullmatch(r"\d{1,2}\s*[./\-\s]\s*\d{1,2}\s*[./\-\s]\s*\d{4}", value):
                value = _SEPARATORS.sub("/", value)
        return super().to_python(value)
