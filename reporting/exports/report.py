"""The report of a period as a file: the one function behind the download, the background job,
``export_report`` and ``benchmark`` (so the benchmark times exactly what people get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings

from reporting.models import Period
from reporting.rollup import compute_rollup, expected_units
from units.models import Unit

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

Progress = Callable[[int, int], None]


def report_filename(period: Period, fmt: str, node: Unit | None = None) -> str:
    if node is not None and node.pk != period.plan.owner_id:
        return f"bao-cao-xhht-{node.code}-{period.code}.{fmt}"
    return f"bao-cao-xhht-{period.code}.{fmt}"


def report_units(period: Period, node: Unit | None = None) -> int:
    """How many reporting units the report covers: what decides whether it runs in the background."""
    return expected_units(period, node=node if node is not None else period.plan.owner).count()


def runs_in_background(period: Period, units: int | None = None, node: Unit | None = None) -> bool:
    """Above ``XHHT_EXPORT_TASK_UNITS`` units (``units``: the count if the caller knows it already)."""
    return (report_units(period, node) if units is None else units) > settings.XHHT_EXPORT_TASK_UNITS


def write_report(
    *, period: Period, fmt: str, stream: BinaryIO, progress: Progress | None = None, node: Unit | None = None
) -> None:
    """Compute the rollup of ``node`` (default: the plan's owner) and write the report in ``fmt`` to ``stream``."""
    progress = progress or (lambda done, total: None)
    progress(0, 2)
    rollup = compute_rollup(period=period, units=True, node=node)
    progress(1, 2)
    if fmt == "pdf":
        from reporting.exports.pdf import render_pdf

        stream.write(render_pdf(rollup))
    elif fmt == "xlsx":
        from reporting.exports.xlsx import render_xlsx

        stream.write(render_xlsx(rollup))
    elif fmt == "json":
        from reporting.exports.json import render_json

        stream.write(render_json(rollup))
    else:
        raise ValueError(f"Unknown report format {fmt!r}")
    progress(2, 2)
