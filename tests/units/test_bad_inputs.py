"""Bad values in the unit admin (Unit.clean: validity dates, a unit under itself, a code another
unit holds at the same time): a Vietnamese message beside the field, the unit unchanged.

Reorganisation links and the unit file (import_units) have their own tests (test_admin,
test_serialization)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.targets.test_bad_inputs import admin_data
from units.models import Unit

pytestmark = pytest.mark.django_db


def _row(unit: Unit) -> tuple:
    unit.refresh_from_db()
    return unit.code, unit.name, unit.parent_id, unit.valid_from, unit.valid_to, unit.path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_from": "2020-01-01", "valid_to": "2019-12-31"}, "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
        ({"parent": "self"}, "Một đơn vị không thể trực thuộc chính nó"),
        ({"code": "06982"}, "đã là của “Xã Nam Sơn” trong cùng thời gian hiệu lực"),
        ({"name": "   "}, "bắt buộc"),
        ({"name": "x" * 10_000}, "tối đa"),
        ({"valid_from": "31/02/2026"}, "Nhập một ngày hợp lệ"),
        ({"parent": "9" * 25}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"parent": "abc"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
    ids=[
        "to-before-from",
        "own-parent",
        "code-taken",
        "blank-name",
        "long-name",
        "bad-date",
        "huge-parent",
        "text-parent",
    ],
)
def test_admin_refuses_a_bad_unit_in_vietnamese_and_keeps_it(units, login, ada, changes, message):
    unit = units["06973"]
    before = _row(unit)
    client = login(ada)
    url = reverse("admin:units_unit_change", args=[unit.pk])
    data = admin_data(client.get(url))
    data.update({k: (unit.pk if v == "self" else v) for k, v in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu: xin sửa các lỗi ghi bên dưới." in page and message in page
    assert _row(unit) == before
