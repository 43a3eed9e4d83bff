"""Forms: they validate and normalise what people type; services do the work."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recognition.importer import nominee_limits
from recognition.models import Decision, Nomination, NomineeKind, Register, Title
from recognition.services import clean_name, dedup_key
from reporting.excel import ExcelImportError, check_upload
from targets.numbers import format_number, parse_number
from units.models import Unit, UnitKind
from xhht_portal.fields import DayMonthYearInput

FIRST_YEAR = 2010
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def year_choices() -> list[tuple[int, int]]:
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


def title_choices() -> list[tuple[str, str]]:
    """The titles an administrator has set up (not hard-coded): code → name."""
    return list(Title.objects.active().values_list("code", "name"))


class RegisterOpenForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=year_choices)
    title = forms.ChoiceField(label=_("Danh hiệu"), choices=title_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages["invalid_choice"] = _("Chọn một năm trong danh sách.")
        self.fields["title"].error_messages["invalid_choice"] = _("Chọn một danh hiệu trong danh sách.")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút đề nghị"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Cần ghi lý do rút đề nghị."),
            "max_length": _("Lý do dài quá %(limit_value)s ký tự."),
        },
    )


class NominationForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200, required=False)
    village = forms.ModelChoiceField(label=_("Thôn, bản, khu"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        self.fields["village"].queryset = register.villages()
        self.fields["village"].required = register.needs_village
        self.fields["village"].error_messages["invalid_choice"] = _("Chọn một thôn, bản, khu của xã.")
        self.fields["name"].label = register.nominee_label
        self.fields["name"].error_messages["max_length"] = _("Tên dài quá %(limit_value)s ký tự.")
        kind = register.nominee_kind
        if kind in (NomineeKind.VILLAGE, NomineeKind.COMMUNE):
            del self.fields["name"]
        else:
            self.fields["name"].required = True
        if kind == NomineeKind.COMMUNE:
            del self.fields["village"]
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = _("Bắt buộc.")

    def clean_name(self):
        name = clean_name(self.cleaned_data.get("name", ""))
        if not name:
            raise forms.ValidationError(_("Bắt buộc."))
        return name

    def clean(self):
        data = super().clean()
        village = data.get("village")
        kind = self.register.nominee_kind
        if kind == NomineeKind.COMMUNE:
            name = self.register.commune.name
        elif kind == NomineeKind.VILLAGE:
            name = village.name if village else None
        else:
            name = data.get("name")
        if name:
            key = dedup_key(name, village.pk if village else None)
            if Nomination.objects.filter(register=self.register, dedup_key=key).exists():
                field = {NomineeKind.VILLAGE: "village", NomineeKind.COMMUNE: None}.get(kind, "name")
                self.add_error(
                    field,
                    _("“%(name)s” đã có trong sổ đăng ký năm %(year)s.") % {"name": name, "year": self.register.year},
                )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"), error_messages={"required": _("Chọn một tệp để nhập.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
                % {
                    "size": format_number(upload.size / 1024 / 1024),
                    "max": format_number(settings.UPLOAD_MAX_BYTES / 1024 / 1024),
                }
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp rỗng (0 byte)."))
        # The same gate as the report upload, before openpyxl opens anything: not a zip, macros
        # (.xlsm, vbaProject.bin, macro-enabled content types), a corrupt archive, a zip bomb.
        data = upload.read()
        upload.seek(0)
        try:
            check_upload(data=data, filename=upload.name, limits=nominee_limits())
        except ExcelImportError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


MET_CHOICES = [("met", _("Đạt")), ("not_met", _("Chưa đạt"))]


class ScoreSheetForm(forms.Form):
    """One field per item of the criteria set: points typed 7,5 or 7.5, or met / not met."""

    def __init__(self, *args, criteria_set, initial_points: dict[int, object] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria_set = criteria_set
        self.pass_fail = criteria_set.is_pass_fail
        self.groups = []
        initial_points = initial_points or {}
        for criterion in criteria_set.criteria.all():
            names = []
            for item in criterion.items.all():
                name = f"item_{item.pk}"
                label = f"{criterion.number}.{item.number}. {item.text}"
                if self.pass_fail:
                    self.fields[name] = forms.ChoiceField(
                        label=label,
                        choices=MET_CHOICES,
                        widget=forms.RadioSelect,
                        error_messages={
                            "required": _("Chọn đạt hoặc chưa đạt."),
                            "invalid_choice": _("Chọn đạt hoặc chưa đạt."),
                        },
                    )
                    if item.pk in initial_points and initial_points[item.pk] is not None:
                        self.fields[name].initial = "met" if initial_points[item.pk] else "not_met"
                else:
                    self.fields[name] = forms.CharField(
                        label=label,
                        required=True,
                        max_length=20,
                        error_messages={
                            "required": _("Nhập điểm (từ 0 đến %(max)s).") % {"max": format_number(item.max_points, 2)}
                        },
                        widget=forms.TextInput(
                            attrs={"inputmode": "decimal", "class": "score-input", "data-max": str(item.max_points)}
                        ),
                    )
                    if initial_points.get(item.pk) is not None:
                        self.fields[name].initial = format_number(initial_points[item.pk], 2)
                self.fields[name].item = item
                names.append(name)
            self.groups.append((criterion, names))

    def clean(self):
        data = super().clean()
        points = {}
        for name, field in self.fields.items():
            raw = data.get(name)
            if raw in (None, ""):
                continue
            if self.pass_fail:
                points[field.item.pk] = raw == "met"
                continue
            try:
                value = parse_number(raw)
            except ValueError:
                self.add_error(name, _("“%(value)s” không phải là số.") % {"value": raw})
                continue
            if value < 0 or value > field.item.max_points:
                self.add_error(
                    name, _("Điểm phải từ 0 đến %(max)s.") % {"max": format_number(field.item.max_points, 2)}
                )
                continue
            if value != value.quantize(value.__class__("0.01")):
                self.add_error(name, _("Điểm lấy tối đa hai chữ số thập phân."))
                continue
            points[field.item.pk] = value
        self.points = points
        return data


_NUMBER = re.compile(r"^\s*(?:số\s*:?\s*)?", re.IGNORECASE)


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=_("Số quyết định"),
        max_length=60,
        required=False,
        help_text=_("Ví dụ: 12/QĐ-UBND"),
    )
    date = forms.DateField(
        label=_("Ngày ký"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DayMonthYearInput(),
        error_messages={"invalid": _("Ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2018.")},
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=100, required=False)
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=200,
        required=False,
        help_text=_("Theo cấu hình của danh hiệu; sửa được nếu thẩm quyền đã thay đổi."),
    )

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        self.needed = False

    def clean_issuer(self):
        return clean_name(self.cleaned_data.get("issuer", ""))

    def clean_number(self):
        number = clean_name(_NUMBER.sub("", self.cleaned_data.get("number", "")))
        if number and not re.fullmatch(r"\d+[A-Za-z]?/[^\s/][^\s]*", number):
            raise forms.ValidationError(_("Số quyết định theo dạng số/ký hiệu, ví dụ 12/QĐ-UBND."))
        return number

    def clean_date(self):
        date = self.cleaned_data.get("date")
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("Ngày ký không được sau hôm nay."))
        if date and date.year < self.register.year:
            raise forms.ValidationError(
                _("Ngày ký phải trong năm %(year)s hoặc sau đó.") % {"year": self.register.year}
            )
        return date

    def require_all(self) -> None:
        """A decision is needed once at least one nominee is approved."""
        for name in self.fields:
            if name == "issuer":
                continue  # empty: the title's configured issuer
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Bắt buộc khi có đề nghị được công nhận."))
        number, date = self.cleaned_data.get("number"), self.cleaned_data.get("date")
        if (
            number
            and date
            and Decision.objects.filter(register__commune=self.register.commune, number=number, date__year=date.year)
            # The same decision (this register, number and date) taking the next batch of approvals.
            .exclude(register=self.register, number=number, date=date)
            .exists()
        ):
            self.add_error("number", _("Số quyết định này đã được dùng trong năm %(year)s.") % {"year": date.year})


class RecognisedFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    title = forms.ChoiceField(label=_("Danh hiệu"), required=False)
    commune = forms.ModelChoiceField(label=_("Xã, thị trấn"), queryset=Unit.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Thôn, bản, khu"), queryset=Unit.objects.none(), required=False)
    q = forms.CharField(label=_("Tìm tên"), required=False, max_length=100)

    def __init__(self, *args, user, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả"))] + [(y, str(y)) for y in years]
        self.fields["title"].choices = [("", _("Tất cả"))] + list(Title.objects.values_list("code", "name"))
        communes = Unit.objects.communes().visible_to(user)
        self.fields["commune"].queryset = communes
        self.fields["commune"].empty_label = _("Tất cả")
        self.fields["village"].queryset = Unit.objects.filter(
            kind=UnitKind.VILLAGE, parent__in=communes
        ).select_related("parent")
        self.fields["village"].empty_label = _("Tất cả")
        self.fields["village"].label_from_instance = lambda u: f"{u.name} ({u.parent.name})"
        for name in ("year", "title", "commune", "village"):
            self.fields[name].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ; đã bỏ qua.")
