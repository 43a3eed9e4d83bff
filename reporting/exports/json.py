"""The district report as JSON, in the shape the issue fixes (figures as numbers, missing as null)."""

from __future__ import annotations

import json
from decimal import Decimal

from reporting.rollup import Rollup


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rollup_to_dict(rollup: Rollup) -> dict:
    targets = []
    for block in rollup.sections:
        for row in block.rows:
            targets.append(
                {
                    "section": block.section.code,
                    "indicator": row.indicator.code,
                    "year": row.target.year,
                    "comparator": row.target.comparator,
                    "value_min": _number(row.target.value_min),
                    "value_max": _number(row.target.value_max),
                    "unit": row.target.unit,
                    "measure": row.indicator.measure,
                    "value": _number(row.value),
                    "numerator": _number(row.numerator),
                    "denominator": _number(row.denominator),
                    "reported": row.units_reported,
                    "expected": row.units_expected,
                    "provisional": row.provisional,
                    "status": row.status,
                    "status_label": row.status_text,
                    "exceeded": row.exceeded,
                    "expected_now": _number(row.expected_now),
                    "units": [
                        {
                            "code": figure.unit.code,
                            "name": figure.unit.name,
                            "numerator": _number(figure.numerator),
                            "denominator": _number(figure.denominator),
                            "value": _number(figure.value),
                            "meets": figure.meets,
                            "reported": figure.reported,
                            "provisional": figure.provisional,
                            "status": figure.status,
                        }
                        for figure in row.units or []
                    ],
                }
            )
    node = rollup.node
    return {
        "unit": {"code": node.code, "name": node.name, "level": node.kind} if node is not None else None,
        "period": rollup.period.code,
        "targets": targets,
        "completeness": [
            {
                "code": entry.unit.code,
                "name": entry.unit.name,
                "state": entry.state,
                "on_time": entry.on_time,
                "timeliness": entry.timeliness,
            }
            for entry in rollup.unit_completeness or []
        ],
    }


def render_json(rollup: Rollup) -> bytes:
    return json.dumps(rollup_to_dict(rollup), ensure_ascii=False, indent=2).encode("utf-8")
