"""Units and reorganisations as JSON: the same shape is exported, imported and shipped in fixtures/.

{"format": 1, "units": [{"code": "06985", "name": "Xã Lương Minh", "kind": "commune",
"parent": "BACHE", "reporter_code": "xa", "valid_from": "2024-11-01", "valid_to": "2025-06-30",
"order": 100}], "reorganisations": [{"kind": "merger", "legal_act": "NQ 1199/NQ-UBTVQH15",
"effective": "2024-11-01", "note": "", "links": [{"predecessor": "06985@", "successor":
"06985@2024-11-01", "share": 1, "share_basis": ""}]}]}

A reference to a unit ("parent", "predecessor", "successor") is its code when only one unit
carries that code, else "CODE@YYYY-MM-DD" with the day its validity starts ("CODE@" when it has
no start date): a code names a unit only together with its dates. A share is 1 for the whole
unit, a number in (0, 1) for a known part, null for a part whose size the legal act does not give.

Import matches units by (code, start of validity) and updates them; units not in the file are
left alone. A reorganisation is matched by (date, successors); its kind, legal act, note and
links are replaced. A broken file is refused with a message naming the entry and field, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from units.models import Reorganisation, ReorganisationKind, ReorganisationLink, Reporter, ShareBasis, Unit, UnitKind

FORMAT_VERSION = 1


class UnitFormatError(Exception):
    """The file is not a valid unit list; the message is safe to show."""


def unit_ref(unit: Unit, shared_codes: set[str]) -> str:
    if unit.code not in shared_codes:
        return unit.code
    return f"{unit.code}@{unit.valid_from.isoformat() if unit.valid_from else ''}"


def _share(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def units_to_dict(units=None) -> dict[str, Any]:
    """Every unit (or those given) and every reorganisation touching them."""
    units = list((units if units is not None else Unit.objects.all()).select_related("parent").order_by("path", "pk"))
    counts: dict[str, int] = {}
    for code in Unit.objects.values_list("code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    shared = {code for code, n in counts.items() if n > 1}
    ids = {u.pk for u in units}
    reorganisations = (
        Reorganisation.objects.filter(links__successor__in=ids)
        .distinct()
        .prefetch_related("links__predecessor", "links__successor")
        .order_by("effective", "pk")
    )
    return {
        "format": FORMAT_VERSION,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "parent": unit_ref(u.parent, shared) if u.parent else None,
                "reporter_code": u.reporter_code,
                "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                "valid_to": u.valid_to.isoformat() if u.valid_to else None,
                "order": u.order,
            }
            for u in units
        ],
        "reorganisations": [
            {
                "kind": r.kind,
                "legal_act": r.legal_act,
                "effective": r.effective.isoformat(),
                "note": r.note,
                "links": [
                    {
                        "predecessor": unit_ref(link.predecessor, shared),
                        "successor": unit_ref(link.successor, shared),
                        "share": _share(link.share),
                        "share_basis": link.share_basis,
                    }
                    for link in sorted(r.links.all(), key=lambda link: link.pk)
                ],
            }
            for r in reorganisations
        ],
    }


# ---------------------------------------------------------------- import


def _fail(where: str, message: str, **values) -> UnitFormatError:
    return UnitFormatError(_("%(where)s: %(message)s") % {"where": where, "message": message % values})


def _text(row: dict, key: str, where: str, *, required: bool = True, default: str = "") -> str:
    if key not in row or row[key] is None:
        if required:
            raise _fail(where, _("thiếu trường “%(key)s”."), key=key)
        return default
    value = row[key]
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(where, _("trường “%(key)s” phải là một chuỗi không rỗng."), key=key)
    return value.strip()


def _choice(row: dict, key: str, where: str, choices, *, required: bool = True) -> str:
    value = _text(row, key, where, required=required)
    if value and value not in choices.values:
        raise _fail(
            where,
            _("“%(value)s” không phải giá trị hợp lệ của “%(key)s” (%(allowed)s)."),
            value=value,
            key=key,
            allowed=", ".join(choices.values),
        )
    return value


def _date(row: dict, key: str, where: str, *, required: bool = False) -> dt.date | None:
    value = row.get(key)
    if value is None or value == "":
        if required:
            raise _fail(where, _("thiếu trường “%(key)s”."), key=key)
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    raise _fail(where, _("“%(key)s” phải là một ngày dạng YYYY-MM-DD."), key=key)


def _share_value(row: dict, where: str) -> Decimal | None:
    value = row.get("share")
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InvalidOperation
        share = Decimal(str(value))
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite() or not (0 < share <= 1):
        raise _fail(where, _("“share” phải là một số lớn hơn 0 và không quá 1 (1 = toàn bộ), hoặc null."))
    return share.quantize(Decimal("0.000001"))


class _Index:
    """Finds units by reference among the database's units."""

    def __init__(self):
        self.by_code: dict[str, list[Unit]] = {}
        for unit in Unit.objects.all():
            self.add(unit)

    def add(self, unit: Unit) -> None:
        rows = self.by_code.setdefault(unit.code, [])
        if unit not in rows:
            rows.append(unit)

    def find(self, ref: Any, where: str, key: str) -> Unit:
        if not isinstance(ref, str) or not ref.strip():
            raise _fail(where, _("“%(key)s” phải là mã đơn vị."), key=key)
        code, at, start = ref.strip().partition("@")
        candidates = self.by_code.get(code, [])
        if at:
            try:
                day = dt.date.fromisoformat(start) if start else None
            except ValueError:
                raise _fail(where, _("“%(key)s”: “%(ref)s” phải có dạng MÃ@YYYY-MM-DD."), key=key, ref=ref) from None
            candidates = [u for u in candidates if u.valid_from == day]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise _fail(where, _("“%(key)s”: không có đơn vị “%(ref)s”."), key=key, ref=ref)
        raise _fail(
            where,
            _("“%(key)s”: có nhiều đơn vị mã “%(ref)s”; ghi thêm ngày bắt đầu hiệu lực, ví dụ “%(ref)s@2025-07-01”."),
            key=key,
            ref=ref,
        )


@transaction.atomic
def units_from_dict(data: Any) -> tuple[int, int]:
    """Create or update the units and reorganisations of ``data``; all or nothing.

    Returns (units, reorganisations) read from the file.
    """
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise UnitFormatError(_("Tệp phải là một đối tượng JSON có danh sách “units”."))
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise UnitFormatError(_("Định dạng %(format)s không được hỗ trợ.") % {"format": data.get("format")})
    index = _Index()
    parsed = []
    seen: set[tuple[str, dt.date | None]] = set()
    for number, row in enumerate(data["units"], start=1):
        where = _("units[%(n)s]") % {"n": number}
        if not isinstance(row, dict):
            raise _fail(where, _("mỗi đơn vị phải là một đối tượng JSON."))
        code = _text(row, "code", where)
        where = f"{where} ({code})"
        if len(code) > 30 or "@" in code:
            raise _fail(where, _("“code” dài quá 30 ký tự hoặc có ký tự “@”."))
        fields = {
            "name": _text(row, "name", where),
            "kind": _choice(row, "kind", where, UnitKind),
            "reporter_code": _choice(row, "reporter_code", where, Reporter, required=False),
            "valid_from": _date(row, "valid_from", where),
            "valid_to": _date(row, "valid_to", where),
        }
        if len(fields["name"]) > 200:
            raise _fail(where, _("“name” dài quá 200 ký tự."))
        order = row.get("order", number * 10)
        if not isinstance(order, int) or isinstance(order, bool) or order < 0:
            raise _fail(where, _("“order” phải là một số nguyên không âm."))
        fields["order"] = order
        if fields["valid_from"] and fields["valid_to"] and fields["valid_from"] > fields["valid_to"]:
            raise _fail(where, _("“valid_to” phải sau “valid_from”."))
        if (code, fields["valid_from"]) in seen:
            raise _fail(where, _("đơn vị này có hai lần trong tệp (cùng mã, cùng ngày bắt đầu hiệu lực)."))
        seen.add((code, fields["valid_from"]))
        unit = Unit.objects.filter(code=code, valid_from=fields["valid_from"]).first() or Unit(code=code)
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.save()
        index.add(unit)
        parsed.append((where, unit, row.get("parent")))
    for where, unit, parent_ref in parsed:
        parent = index.find(parent_ref, where, "parent") if parent_ref is not None else None
        if parent is not None and parent.pk == unit.pk:
            raise _fail(where, _("một đơn vị không thể trực thuộc chính nó."))
        if unit.parent_id != (parent.pk if parent else None):
            Unit.objects.filter(pk=unit.pk).update(parent=parent)
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))
    for where, unit, _parent in parsed:
        node, steps = parent_of.get(unit.pk), 0
        while node is not None and steps < 64:
            if node == unit.pk:
                raise _fail(where, _("cây đơn vị có vòng lặp (một đơn vị trực thuộc đơn vị cấp dưới của nó)."))
            node, steps = parent_of.get(node), steps + 1
    Unit.objects.rebuild_paths()
    for where, unit, _parent in parsed:
        other = unit.overlapping().first()
        if other is not None:
            raise _fail(
                where,
                _("mã %(code)s đã là của “%(name)s” trong cùng thời gian hiệu lực."),
                code=unit.code,
                name=other.name,
            )

    reorganisations = data.get("reorganisations", [])
    if not isinstance(reorganisations, list):
        raise UnitFormatError(_("“reorganisations” phải là một danh sách."))
    for number, row in enumerate(reorganisations, start=1):
        where = _("reorganisations[%(n)s]") % {"n": number}
        if not isinstance(row, dict):
            raise _fail(where, _("mỗi lần sắp xếp phải là một đối tượng JSON."))
        kind = _choice(row, "kind", where, ReorganisationKind)
        effective = _date(row, "effective", where, required=True)
        legal_act = _text(row, "legal_act", where, required=False)
        note = row.get("note") or ""
        if not isinstance(note, str):
            raise _fail(where, _("trường “%(key)s” phải là một chuỗi không rỗng."), key="note")
        links = row.get("links")
        if not isinstance(links, list) or not links:
            raise _fail(where, _("cần ít nhất một liên kết trong “links”."))
        wanted = []
        for link_number, link in enumerate(links, start=1):
            link_where = f"{where}.links[{link_number}]"
            if not isinstance(link, dict):
                raise _fail(link_where, _("mỗi liên kết phải là một đối tượng JSON."))
            predecessor = index.find(link.get("predecessor"), link_where, "predecessor")
            successor = index.find(link.get("successor"), link_where, "successor")
            share = _share_value(link, link_where)
            basis = _choice(link, "share_basis", link_where, ShareBasis, required=False)
            if predecessor.pk == successor.pk:
                raise _fail(link_where, _("đơn vị cũ và đơn vị mới phải khác nhau."))
            if not successor.is_valid_on(effective):
                raise _fail(
                    link_where,
                    _("đơn vị mới “%(name)s” không có hiệu lực ngày %(day)s."),
                    name=successor.name,
                    day=f"{effective:%d/%m/%Y}",
                )
            before = effective - dt.timedelta(days=1)
            if not predecessor.is_valid_on(before):
                raise _fail(
                    link_where,
                    _("đơn vị cũ “%(name)s” không còn hiệu lực ngày %(day)s."),
                    name=predecessor.name,
                    day=f"{before:%d/%m/%Y}",
                )
            if any(p.pk == predecessor.pk and s.pk == successor.pk for p, s, _sh, _b in wanted):
                raise _fail(link_where, _("liên kết này có hai lần."))
            wanted.append((predecessor, successor, share, basis))
        successors = {s.pk for _p, s, _sh, _b in wanted}
        existing = next(
            (
                r
                for r in Reorganisation.objects.filter(effective=effective).prefetch_related("links")
                if {link.successor_id for link in r.links.all()} == successors
            ),
            None,
        )
        reorganisation = existing or Reorganisation(effective=effective)
        reorganisation.kind, reorganisation.legal_act, reorganisation.note = kind, legal_act, note
        reorganisation.save()
        reorganisation.links.all().delete()
        ReorganisationLink.objects.bulk_create(
            ReorganisationLink(
                reorganisation=reorganisation, predecessor=p, successor=s, share=share, share_basis=basis or ""
            )
            for p, s, share, basis in wanted
        )
    _check_shares()
    return len(parsed), len(reorganisations)


def _check_shares() -> None:
    """No unit can give away more than all of itself."""
    totals: dict[int, Decimal] = {}
    for predecessor_id, share in ReorganisationLink.objects.exclude(share=None).values_list("predecessor_id", "share"):
        totals[predecessor_id] = totals.get(predecessor_id, Decimal(0)) + share
    over = [pk for pk, total in totals.items() if total > 1]
    if over:
        unit = Unit.objects.get(pk=over[0])
        raise UnitFormatError(
            _("“%(name)s” (%(code)s): tổng tỷ lệ chuyển sang các đơn vị mới vượt quá 1.")
            % {"name": unit.name, "code": unit.code}
        )
