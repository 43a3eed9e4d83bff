"""Loading the unit tree from fixtures/units-*.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from units.models import Unit, UnitSuccession


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def load_units(path: Path) -> int:
    """Create or update the units of the file (matched by code), then their successions."""
    data = json.loads(path.read_text(encoding="utf-8"))
    by_code = {u.code: u for u in Unit.objects.all()}
    for order, row in enumerate(data["units"], start=1):
        unit = by_code.get(row["code"]) or Unit(code=row["code"])
        unit.name, unit.kind = row["name"], row["kind"]
        unit.parent = by_code.get(row["parent"]) if row.get("parent") else None
        unit.reporter_code = row.get("reporter_code", "")
        unit.valid_from, unit.valid_to = _date(row.get("valid_from")), _date(row.get("valid_to"))
        unit.order = order * 10
        unit.save()
        by_code[unit.code] = unit
    for row in data["units"]:
        for link in row.get("predecessors", []):
            UnitSuccession.objects.update_or_create(
                predecessor=by_code[link["code"]],
                successor=by_code[row["code"]],
                defaults={
                    "date": _date(link["date"]),
                    "partial": link.get("partial", False),
                    "legal_basis": link.get("legal_basis", ""),
                },
            )
    return len(data["units"])
