"""Bad values in the targets admin (Target.clean: a range whose end is below its start, a range
for a "≥" target) and in the plan page's code: a Vietnamese message, the row unchanged, never a 500.

The plan file (import_plan) and the assigned targets have their own tests (test_plan_json,
test_assigned_targets)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from targets.models import Comparator, Target

pytestmark = pytest.mark.django_db


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def admin_data(response) -> dict:
    """The POST data of an admin change page as it is shown (the form and its inlines)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[name] = _value(form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for each in formset.forms:
            for name in each.fields:
                if each[name].value() is not None:
                    data[each.add_prefix(name)] = _value(each[name].value())
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"comparator": Comparator.RANGE, "value_min": "80", "value_max": "70"}, "phải lớn hơn hoặc bằng"),
        ({"value_min": "40", "value_max": "95"}, "Chỉ khoảng giá trị mới có"),
        ({"value_min": "abc", "value_max": "abc"}, "Nhập một số"),
        ({"value_min": "", "value_max": ""}, "bắt buộc"),
        ({"value_min": "1e309", "value_max": "1e309"}, "12"),
        ({"value_min": str(10**20), "value_max": str(10**20)}, "12"),
        ({"value_min": "-1e309", "value_max": "NaN"}, "Nhập một số"),
        ({"comparator": "≈"}, "không phải là một trong các lựa chọn"),
        ({"year": "31/02/2026"}, "Nhập một số nguyên."),
    ],
    ids=["max-below-min", "range-for-gte", "text", "blank", "huge-exponent", "huge", "nan", "unknown-choice", "date"],
)
def test_admin_refuses_a_bad_target_in_vietnamese_and_keeps_the_row(plan, login, ada, changes, message):
    target = Target.objects.filter(comparator=Comparator.GTE).select_related("indicator").first()
    before = (target.comparator, target.value_min, target.value_max, target.year)
    client = login(ada)
    url = reverse("admin:targets_target_change", args=[target.pk])
    data = {**admin_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu: xin sửa các lỗi ghi bên dưới." in page and message in page
    assert "<title>Lỗi:" in page and "Please correct" not in page
    for name, value in changes.items():
        if name != "comparator" and value:
            assert f'value="{value}"' in page  # what was typed is back in its box
    target.refresh_from_db()
    assert (target.comparator, target.value_min, target.value_max, target.year) == before


def test_admin_saves_the_target_when_it_is_right(plan, login, ada):
    """The same page and data with a good value is saved: the refusals above come from the bad value."""
    target = Target.objects.filter(comparator=Comparator.GTE).first()
    client = login(ada)
    url = reverse("admin:targets_target_change", args=[target.pk])
    data = {**admin_data(client.get(url)), "value_min": "42", "value_max": "42"}
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.value_min == target.value_max == Decimal(42)


@pytest.mark.parametrize("code", ["khong-co", "a" * 300, "%00", "%3Cscript%3E"])
def test_a_plan_code_that_does_not_exist_is_a_404(plan, login, alice, code):
    assert login(alice).get(f"/plan/{code}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"base": "population_15_60"}, "Chỉ chỉ số có mẫu số mới dùng số liệu nền."),
        ({"reporters": '["khong-co"]'}, "Mã đơn vị báo cáo không hợp lệ: khong-co"),
        ({"reporters": "{không phải JSON"}, "JSON"),
        ({"entry": "abc"}, "không phải là một trong các lựa chọn"),
        ({"name": " "}, "bắt buộc"),
    ],
    ids=["base-on-yes-no", "unknown-reporter", "reporters-not-json", "unknown-entry", "blank-name"],
)
def test_admin_refuses_a_bad_indicator_in_vietnamese_and_keeps_it(plan, login, ada, changes, message):
    from targets.models import Entry, Indicator

    indicator = Indicator.objects.filter(entry=Entry.YESNO).first()
    before = (indicator.entry, indicator.base, indicator.reporters, indicator.name)
    client = login(ada)
    url = reverse("admin:targets_indicator_change", args=[indicator.pk])
    response = client.post(url, {**admin_data(client.get(url)), **changes})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu: xin sửa các lỗi ghi bên dưới." in page and message in page
    indicator.refresh_from_db()
    assert (indicator.entry, indicator.base, indicator.reporters, indicator.name) == before
