"""Criteria sets as data: load them from JSON (fixtures/criteria-*.json), safe to run again."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from recognition.models import CriteriaSet, Criterion, CriterionItem


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def load_criteria(path: Path) -> int:
    """Create or replace the sets of the file (by code); returns how many sets were loaded.

    A set already used by a score sheet keeps its items (the score sheets point to them); only
    its header fields are updated.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for row in data["criteria_sets"]:
        criteria_set, _created = CriteriaSet.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "title": row["title"],
                "legal_basis": row.get("legal_basis", ""),
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row.get("valid_to")),
                "pass_mark": Decimal(row["pass_mark"]),
                "min_per_criterion_share": Decimal(row["min_per_criterion_share"])
                if row.get("min_per_criterion_share")
                else None,
                "note": row.get("note", ""),
            },
        )
        if criteria_set.nomination_set.exists():
            continue
        criteria_set.criteria.all().delete()
        for order, c in enumerate(row["criteria"]):
            criterion = Criterion.objects.create(
                criteria_set=criteria_set,
                number=c["number"],
                name=c["name"],
                max_points=Decimal(c["max_points"]),
                verified=c.get("verified", False),
                note=c.get("note", ""),
                order=order,
            )
            CriterionItem.objects.bulk_create(
                CriterionItem(
                    criterion=criterion,
                    number=i["number"],
                    text=i["text"],
                    max_points=Decimal(i["max_points"]),
                    verified=i.get("verified", False),
                    note=i.get("note", ""),
                    order=n,
                )
                for n, i in enumerate(c["items"])
            )
    return len(data["criteria_sets"])


def load_default_criteria() -> int:
    return sum(load_criteria(path) for path in sorted((Path(settings.BASE_DIR) / "fixtures").glob("criteria-*.json")))
