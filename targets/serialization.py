"""A plan as JSON: the same shape is exported, imported and shipped in fixtures/.

{"plan": {...}, "sections": [...], "indicators": [...], "targets": [{"section": "2.1",
"indicator": "I03", "indicator_name": "...", "year": 2018, "comparator": ">", "value_min": 80.0,
"value_max": 80.0, "unit": "percent", "measure": "ratio", "wording": "...", "note": "...",
"assigned": [{"unit": "06979", "valid_from": "2025-07-01", "value_min": 70.0, "value_max": 70.0,
"note": "..."}]}]}

``plan.owner`` is the code of the unit whose steering committee adopted the plan (with its
``owner_valid_from`` when the unit has one: GSO codes are reused across reorganisations, so a
code names a unit only together with its validity). ``assigned`` lists the units given their own
value for a target; the others are judged against the plan's value.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from targets.models import (
    AssignedTarget,
    Comparator,
    Entry,
    Indicator,
    Measure,
    Plan,
    Section,
    Target,
    ValueUnit,
)
from units.models import Reporter

FORMAT_VERSION = 1


class PlanFormatError(Exception):
    """The file is not a valid plan; the message is safe to show."""


def _number(value: Decimal) -> float | int:
    return float(value)


def _assigned_rows(target: Target, assignments: list[AssignedTarget]) -> list[dict[str, Any]]:
    return [
        {
            "unit": a.unit.code,
            "valid_from": a.unit.valid_from.isoformat() if a.unit.valid_from else None,
            "value_min": _number(a.value_min),
            "value_max": _number(a.value_max),
            "note": a.note,
        }
        for a in assignments
    ]


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    sections = list(plan.sections.order_by("order", "code"))
    indicators = list(plan.indicators.order_by("order", "code"))
    targets = (
        Target.objects.filter(indicator__plan=plan)
        .select_related("indicator", "section")
        .order_by("year", "section__order", "indicator__order")
    )
    assignments: dict[int, list[AssignedTarget]] = {}
    for assignment in (
        AssignedTarget.objects.filter(target__indicator__plan=plan)
        .select_related("unit")
        .order_by("unit__code", "unit__valid_from", "pk")
    ):
        assignments.setdefault(assignment.target_id, []).append(assignment)
    plan_part: dict[str, Any] = {
        "code": plan.code,
        "name": plan.name,
        "issuer": plan.issuer,
        "document": plan.document,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
    }
    if plan.owner_id:
        plan_part["owner"] = plan.owner.code
        plan_part["owner_valid_from"] = plan.owner.valid_from.isoformat() if plan.owner.valid_from else None
    if plan.note:
        plan_part["note"] = plan.note
    return {
        "format": FORMAT_VERSION,
        "plan": plan_part,
        "sections": [{"code": s.code, "title": s.title} for s in sections],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "topic": i.topic,
                "measure": i.measure,
                "entry": i.entry,
                "numerator_label": i.numerator_label,
                "denominator_label": i.denominator_label,
                "parts": list(i.parts),
                "reporters": list(i.reporters),
                "confirmed_by": i.confirmed_by,
                "title_code": i.title_code,
                "base": i.base,
            }
            for i in indicators
        ],
        "targets": [
            {
                "section": t.section.code,
                "indicator": t.indicator.code,
                "indicator_name": t.indicator.name,
                "year": t.year,
                "comparator": t.comparator,
                "value_min": _number(t.value_min),
                "value_max": _number(t.value_max),
                "unit": t.unit,
                "measure": t.indicator.measure,
                "wording": t.wording,
                "note": t.note,
                **({"assigned": _assigned_rows(t, assignments[t.pk])} if t.pk in assignments else {}),
            }
            for t in targets
        ],
    }


def _require(mapping: Any, key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise PlanFormatError(_("%(where)s: thiếu trường “%(key)s”.") % {"where": where, "key": key})
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PlanFormatError(_("%(where)s: trường “%(key)s” sai kiểu dữ liệu.") % {"where": where, "key": key})
    return value


def _choice(mapping: dict, key: str, where: str, choices: type, default: str | None = None) -> str:
    if default is not None and key not in mapping:
        return default
    value = _require(mapping, key, where)
    if value not in choices.values:
        raise PlanFormatError(
            _("%(where)s: “%(value)s” không phải giá trị hợp lệ của “%(key)s” (%(allowed)s).")
            % {"where": where, "value": value, "key": key, "allowed": ", ".join(choices.values)}
        )
    return value


def _decimal(mapping: dict, key: str, where: str) -> Decimal:
    value = _require(mapping, key, where, (int, float, str))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise PlanFormatError(_("%(where)s: “%(key)s” phải là một số không âm.") % {"where": where, "key": key})
    return number


def _optional_date(mapping: dict, key: str, where: str) -> dt.date | None:
    value = mapping.get(key)
    if value in (None, ""):
        return None
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise PlanFormatError(_("%(where)s: “%(key)s” phải là ngày dạng YYYY-MM-DD.") % {"where": where, "key": key})


def _resolve_unit(code: Any, valid_from: dt.date | None, first_year: int, last_year: int, where: str):
    """The unit with this code valid at some time in these years (the latest such), or exactly the
    one valid from ``valid_from`` when given: GSO codes are reused across reorganisations."""
    from units.models import Unit

    if not isinstance(code, str) or not code.strip():
        raise PlanFormatError(_("%s: thiếu mã đơn vị.") % where)
    units = Unit.objects.filter(code=code.strip())
    if valid_from is not None:
        unit = units.filter(valid_from=valid_from).first()
    else:
        unit = (
            units.active_during(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)).order_by("-valid_from").first()
        ) or units.order_by("-valid_from").first()
    if unit is None:
        raise PlanFormatError(
            _("%(where)s: không có đơn vị mã “%(code)s”; hãy nạp danh mục đơn vị trước.")
            % {"where": where, "code": code}
        )
    return unit


DEFAULT_ENTRY = {
    Measure.RATIO: Entry.FRACTION,
    Measure.PER_10000: Entry.FRACTION,
    Measure.DISTRICT: Entry.FRACTION,
    Measure.COVERAGE: Entry.YESNO,
    Measure.COUNT: Entry.NUMBER,
    Measure.RECOGNITION: Entry.TOTAL,
}


@transaction.atomic
def plan_from_dict(data: Any, *, replace: bool = False) -> Plan:
    """Create a plan from its JSON shape; all or nothing.

    A plan whose code already exists is refused unless ``replace`` is given, in which case it
    is updated in place (indicators and targets matched by code and year), so reports that
    point at its indicators keep pointing at them.
    """
    plan_data = _require({"root": data}, "root", _("Tệp"), dict) and data.get("plan")
    if not isinstance(plan_data, dict):
        raise PlanFormatError(_("Tệp không có phần “plan”."))
    code = _require(plan_data, "code", "plan")
    start_year = _require(plan_data, "start_year", "plan", int)
    end_year = _require(plan_data, "end_year", "plan", int)
    if end_year < start_year:
        raise PlanFormatError(_("plan: năm kết thúc trước năm bắt đầu."))
    existing = Plan.objects.filter(code=code).first()
    if existing and not replace:
        raise PlanFormatError(_("Đã có chương trình mã “%(code)s”.") % {"code": code})
    plan = existing or Plan(code=code)
    plan.name = _require(plan_data, "name", "plan")
    plan.issuer = plan_data.get("issuer", "") or ""
    plan.document = plan_data.get("document", "") or ""
    plan.note = plan_data.get("note", "") or ""
    plan.start_year, plan.end_year = start_year, end_year
    plan.save()

    sections_data = _require(data, "sections", _("Tệp"), list)
    indicators_data = _require(data, "indicators", _("Tệp"), list)
    targets_data = _require(data, "targets", _("Tệp"), list)

    sections: dict[str, Section] = {}
    for order, row in enumerate(sections_data, start=1):
        where = _("mục thứ %d") % order
        section_code = _require(row, "code", where)
        if section_code in sections:
            raise PlanFormatError(_("Mục “%s” bị lặp.") % section_code)
        sections[section_code], _created = Section.objects.update_or_create(
            plan=plan, code=section_code, defaults={"title": _require(row, "title", where), "order": order}
        )

    indicators: dict[str, Indicator] = {}
    for order, row in enumerate(indicators_data, start=1):
        where = _("chỉ số thứ %d") % order
        indicator_code = _require(row, "code", where)
        if indicator_code in indicators:
            raise PlanFormatError(_("Chỉ số “%s” bị lặp.") % indicator_code)
        measure = _choice(row, "measure", where, Measure)
        reporters = row.get("reporters", [])
        if not isinstance(reporters, list) or any(r not in Reporter.values for r in reporters):
            raise PlanFormatError(_("%s: danh sách đơn vị báo cáo không hợp lệ.") % where)
        parts = row.get("parts", [])
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise PlanFormatError(_("%s: “parts” phải là danh sách chuỗi.") % where)
        base = row.get("base", "") or ""
        entry = _choice(row, "entry", where, Entry, default=DEFAULT_ENTRY[Measure(measure)])
        if base and (not isinstance(base, str) or not re.fullmatch(r"[a-z0-9_-]{1,40}", base)):
            raise PlanFormatError(_("%s: “base” phải là mã ngắn (chữ thường, số, gạch dưới).") % where)
        if base and entry not in (Entry.FRACTION, Entry.TOTAL):
            raise PlanFormatError(_("%s: chỉ chỉ số có mẫu số mới dùng số liệu nền (“base”).") % where)
        indicators[indicator_code], _created = Indicator.objects.update_or_create(
            plan=plan,
            code=indicator_code,
            defaults={
                "name": _require(row, "name", where),
                "topic": row.get("topic", "") or "",
                "order": order,
                "measure": measure,
                "entry": entry,
                "numerator_label": row.get("numerator_label", "") or "",
                "denominator_label": row.get("denominator_label", "") or "",
                "parts": parts,
                "reporters": reporters,
                "confirmed_by": row.get("confirmed_by", "") or "",
                "title_code": row.get("title_code", "") or "",
                "base": base,
            },
        )

    seen: set[tuple[str, int]] = set()
    for number, row in enumerate(targets_data, start=1):
        where = _("chỉ tiêu thứ %d") % number
        indicator_code = _require(row, "indicator", where)
        section_code = _require(row, "section", where)
        year = _require(row, "year", where, int)
        if indicator_code not in indicators:
            raise PlanFormatError(
                _("%(where)s: không có chỉ số “%(code)s”.") % {"where": where, "code": indicator_code}
            )
        if section_code not in sections:
            raise PlanFormatError(_("%(where)s: không có mục “%(code)s”.") % {"where": where, "code": section_code})
        if not start_year <= year <= end_year:
            raise PlanFormatError(_("%(where)s: năm %(year)s nằm ngoài chương trình.") % {"where": where, "year": year})
        if (indicator_code, year) in seen:
            raise PlanFormatError(
                _("%(where)s: chỉ số “%(code)s” đã có chỉ tiêu năm %(year)s.")
                % {"where": where, "code": indicator_code, "year": year}
            )
        seen.add((indicator_code, year))
        comparator = _choice(row, "comparator", where, Comparator)
        value_min = _decimal(row, "value_min", where)
        value_max = _decimal(row, "value_max", where)
        if value_max < value_min or (comparator != Comparator.RANGE and value_max != value_min):
            raise PlanFormatError(_("%s: giá trị “từ”/“đến” không khớp với phép so sánh.") % where)
        if "measure" in row and row["measure"] != indicators[indicator_code].measure:
            raise PlanFormatError(_("%s: cách tính khác với cách tính của chỉ số.") % where)
        assigned = row.get("assigned", [])
        if not isinstance(assigned, list):
            raise PlanFormatError(_("%s: “assigned” phải là danh sách.") % where)
        assignments = []
        for position, part in enumerate(assigned, start=1):
            part_where = _("%(where)s, đơn vị được giao thứ %(n)d") % {"where": where, "n": position}
            if not isinstance(part, dict):
                raise PlanFormatError(_("%s: sai kiểu dữ liệu.") % part_where)
            unit = _resolve_unit(
                part.get("unit"), _optional_date(part, "valid_from", part_where), start_year, year, part_where
            )
            part_min, part_max = _decimal(part, "value_min", part_where), _decimal(part, "value_max", part_where)
            if part_max < part_min or (comparator != Comparator.RANGE and part_max != part_min):
                raise PlanFormatError(_("%s: giá trị “từ”/“đến” không khớp với phép so sánh.") % part_where)
            if any(a[0].pk == unit.pk for a in assignments):
                raise PlanFormatError(_("%s: đơn vị bị lặp.") % part_where)
            assignments.append((unit, part_min, part_max, part.get("note", "") or ""))
        saved, _created = Target.objects.update_or_create(
            indicator=indicators[indicator_code],
            year=year,
            defaults={
                "section": sections[section_code],
                "comparator": comparator,
                "value_min": value_min,
                "value_max": value_max,
                "unit": _choice(row, "unit", where, ValueUnit),
                "wording": row.get("wording", "") or "",
                "note": row.get("note", "") or "",
            },
        )
        saved.assignments.exclude(unit__in=[a[0] for a in assignments]).delete()
        for unit, part_min, part_max, note in assignments:
            AssignedTarget.objects.update_or_create(
                target=saved, unit=unit, defaults={"value_min": part_min, "value_max": part_max, "note": note}
            )
    # The owner last, so a file broken elsewhere names that error first.
    plan.owner = (
        _resolve_unit(
            plan_data["owner"],
            _optional_date(plan_data, "owner_valid_from", "plan"),
            start_year,
            end_year,
            "plan.owner",
        )
        if plan_data.get("owner")
        else None
    )
    plan.save(update_fields=["owner"])
    if replace:
        Target.objects.filter(indicator__plan=plan).exclude(
            pk__in=[t.pk for t in Target.objects.filter(indicator__plan=plan) if (t.indicator.code, t.year) in seen]
        ).delete()
    return plan
