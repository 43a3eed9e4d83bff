"""Helpers that build recognition data for tests through the services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook

from recognition.criteria import load_default_criteria
from recognition.models import CriterionItem, Register
from recognition.services import (
    DecisionData,
    nomination_add,
    nomination_score,
    register_decide,
    register_open,
    register_submit,
)
from units.models import Unit, UnitKind


def criteria():
    load_default_criteria()


def village(commune, number: int = 1) -> Unit:
    return Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE).order_by("code")[number - 1]


def register(officer, title="family", year=2018) -> Register:
    return register_open(commune=officer.unit, title=title, year=year, by=officer)


def full_marks(nomination, ratio=Decimal(1)) -> dict[int, Decimal]:
    items = CriterionItem.objects.filter(criterion__criteria_set__title=nomination.register.title)
    return {item.pk: (item.max_points * ratio).quantize(Decimal("0.01")) for item in items}


def scored(officer, reg, name, number=1, ratio=Decimal("0.9")):
    nomination = nomination_add(register=reg, name=name, village=village(reg.commune, number), by=officer)
    return nomination_score(nomination=nomination, points=full_marks(nomination, ratio), by=officer)


def decided(officer, approver, names=("Triệu Văn An",), year=2018):
    """A register with the names approved in decision 12/QĐ-UBND."""
    reg = register(officer, year=year)
    nominations = [scored(officer, reg, name) for name in names]
    register_submit(register=reg, by=officer)
    decision = register_decide(
        register=reg,
        by=approver,
        approve=[n.pk for n in nominations],
        refuse={},
        decision=DecisionData(
            number="12/QĐ-UBND", date=dt.date(year, 12, 20), signer_title="Chủ tịch", signer_name="Triệu Văn Long"
        ),
    )
    return reg, nominations, decision


def workbook_bytes(rows, header=("Họ và tên chủ hộ", "Thôn, bản, khu", "Ghi chú")) -> bytes:
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
