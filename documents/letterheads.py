"""Whose name heads a document, who signs it and where it goes: from the admin, else sensible defaults.

A unit's ``DocumentSettings`` (edited in the admin) win. Without them the committee of the plan's
owner (a district or a province) falls back to the environment (``XHHT_ISSUER`` …), a commune to
"ỦY BAN NHÂN DÂN / XÃ …" signed for the commune's People's Committee, and a department or an
association to its own name under its parent's People's Committee. These are Vietnamese document
data (Decree 30/2020), not interface text: they are never translated.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from documents.models import DocumentSettings
from reporting.hooks import COMMITTEE_RECIPIENTS, Letterhead, default_letterhead
from units.models import TERRITORIAL_COMMUNE_KINDS, Unit, UnitKind

# Units with a People's Committee of their own: their documents are headed "ỦY BAN NHÂN DÂN / …".
TERRITORIAL_KINDS = (*TERRITORIAL_COMMUNE_KINDS, UnitKind.DISTRICT, UnitKind.PROVINCE)

UNIT_PREFIXES = ("Thị trấn ", "Xã ", "Phường ", "Đặc khu ", "Huyện ", "Tỉnh ", "Thành phố ")


def place_name(name: str) -> str:
    """ "Xã Thanh Sơn" → "Thanh Sơn", as the place in "Thanh Sơn, ngày … tháng … năm …"."""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def in_sentence(name: str) -> str:
    """ "Huyện Ba Chẽ" → "huyện Ba Chẽ" inside a sentence; a body's own name ("Phòng Nội vụ") stays."""
    if any(name.startswith(prefix) for prefix in UNIT_PREFIXES):
        return name[:1].lower() + name[1:]
    return name


def committee_recipients(unit: Unit) -> list[str]:
    """Where a steering committee's report goes, by the level of the committee's territory.

    A district's committee (2016–2020) keeps the seed plan's list; a province's reports to the
    Ministry and the provincial leadership and goes to its communes; a commune's (from 2025) to
    the province's committee and its own Party committee and council, and to its villages.
    """
    name = in_sentence(unit.name)
    parent = in_sentence(unit.parent.name) if unit.parent_id else ""
    if unit.kind == UnitKind.NATION:
        return ["Thủ tướng Chính phủ (để báo cáo)", "Các thành viên Ban Chỉ đạo", "UBND các tỉnh, thành phố"]
    if unit.kind == UnitKind.PROVINCE:
        return [
            "Bộ Giáo dục và Đào tạo (để báo cáo)",
            f"Thường trực Tỉnh ủy, HĐND {name} (để báo cáo)",
            f"UBND {name} (để báo cáo)",
            "Các thành viên Ban Chỉ đạo",
            "UBND các xã, phường, đặc khu",
        ]
    if unit.kind in TERRITORIAL_COMMUNE_KINDS:
        return [
            f"Ban Chỉ đạo xây dựng XHHT {parent} (để báo cáo)".replace("  ", " "),
            f"Đảng ủy, HĐND {name} (để báo cáo)",
            "Các thành viên Ban Chỉ đạo",
            "Các thôn, bản, khu, tổ dân phố",
        ]
    return list(COMMITTEE_RECIPIENTS)


def plan_place(request) -> str | None:
    """Where the plan a person works under was adopted, as the place in the portal's name: "Quảng
    Ninh" for the province and its new communes, "Ba Chẽ" for the district's 2016–2020 units; the
    latest active plan's for someone without a unit (and on the sign-in page). Kept in the cache
    under the dashboards' data version, which moves when units or plans change: no query on a hit,
    one on a miss (the plans owned by the unit's ancestors, by its materialised path)."""
    from django.core.cache import cache
    from django.db.models import F, Subquery
    from django.db.models.functions import Length

    from reporting.rollup import DATA_VERSION_KEY
    from targets.models import Plan

    user = getattr(request, "user", None)
    unit_id = user.unit_id if user is not None and user.is_authenticated else None
    key = f"xhht:portal-place:{cache.get(DATA_VERSION_KEY, 0)}:{unit_id}"
    place = cache.get(key)
    if place is None:
        plans = Plan.objects.filter(owner__isnull=False).select_related("owner")
        if unit_id:
            # Plans of the unit's ancestors (its path starts with theirs), the nearest owner first.
            unit_path = Subquery(Unit.objects.filter(pk=unit_id).values("path")[:1])
            plan = (
                plans.annotate(unit_path=unit_path)
                .filter(unit_path__startswith=F("owner__path"))
                .order_by(Length("owner__path").desc(), "-start_year", "code")
                .first()
            )
        else:
            plan = plans.filter(is_active=True).order_by("-start_year", "code").first()
        place = place_name(plan.owner.name) if plan is not None else ""
        cache.set(key, place, timeout=24 * 3600)
    return place or None


def running_name(unit: Unit) -> str:
    """How a unit names itself in a sentence: "UBND xã Thanh Sơn", "UBND huyện Ba Chẽ", "Phòng Nội vụ"."""
    if unit.kind in TERRITORIAL_KINDS:
        return f"UBND {in_sentence(unit.name)}"
    return unit.name


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-").strip().rstrip(";") for line in text.splitlines() if line.strip()]


def from_settings(row: DocumentSettings) -> Letterhead:
    return Letterhead(
        issuer_parent=row.issuer_parent,
        issuer=row.issuer,
        place=row.place,
        symbol=row.symbol,
        signer_authority=row.signer_authority,
        signer_title=row.signer_title,
        signer_name=row.signer_name,
        recipients=_lines(row.recipients),
        filing=row.filing,
    )


def letterhead_for(unit: Unit | None, *, committee: bool = False) -> Letterhead:
    """The letterhead of ``unit``'s documents; ``committee``: it is the plan owner's steering committee."""
    row = DocumentSettings.objects.filter(unit=unit).first() if unit is not None else None
    if row is not None:
        return from_settings(row)
    if unit is None or committee:
        head = default_letterhead()
        if unit is not None and not head.issuer_parent and unit.kind in TERRITORIAL_KINDS:
            # No superior body configured: the committee belongs to the plan owner's People's Committee.
            head = replace(head, issuer_parent=f"UBND {unit.name.upper()}", place=place_name(unit.name))
        if unit is not None and head.recipients == COMMITTEE_RECIPIENTS:
            # The environment's list is a district's: a province's or a commune's committee reports elsewhere.
            head = replace(head, recipients=committee_recipients(unit))
        return head
    parent_name = unit.parent.name if unit.parent_id else ""
    if unit.kind in TERRITORIAL_KINDS:
        return Letterhead(
            issuer_parent="",
            issuer=f"ỦY BAN NHÂN DÂN\n{unit.name.upper()}",
            place=place_name(unit.name),
            symbol="BC-UBND",
            signer_authority="TM. ỦY BAN NHÂN DÂN",
            signer_title="CHỦ TỊCH",
            signer_name="",
            recipients=[f"Ban Chỉ đạo xây dựng XHHT {in_sentence(parent_name)}".rstrip() + " (để báo cáo)"],
            filing="VT.",
        )
    return Letterhead(
        issuer_parent=f"UBND {parent_name.upper()}" if parent_name else "",
        issuer=unit.name.upper(),
        place=place_name(parent_name) if parent_name else settings.XHHT_PLACE,
        symbol="BC",
        signer_authority="",
        signer_title="THỦ TRƯỞNG CƠ QUAN",
        signer_name="",
        recipients=["Ban Chỉ đạo xây dựng XHHT (để báo cáo)"],
        filing="VT.",
    )
