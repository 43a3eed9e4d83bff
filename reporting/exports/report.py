"""The report of a period as a file: the one function behind the download, the background job,
``export_report`` and ``benchmark`` (so the benchmark times exactly what people get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings

from reporting.models import Period
from reporting.rollup import compute_rollup, expected_units, unit_completeness
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
    *,
    period: Period,
    fmt: str,
    stream: BinaryIO,
    progress: Progress | None = None,
    node: Unit | None = None,
    annex: bool = False,
) -> None:
    """Compute the rollup of ``node`` (default: the plan's owner) and write the report in ``fmt`` to ``stream``.

    ``annex``: the PDF also lists every reporting unit's state (a national one: 350 pages more).
    """
    progress = progress or (lambda done, total: None)
    progress(0, 0)
    if fmt == "pdf":
        from reporting.exports.pdf import render_pdf

        # The PDF shows the node's figures and its children's report states, no unit figures:
        # every reporting unit is read only for the annex.
        rollup = compute_rollup(period=period, node=node)
        if annex:
            rollup.unit_completeness = unit_completeness(period, node=rollup.node)
        progress(1, 2)
        stream.write(render_pdf(rollup, annex=annex))
        progress(2, 2)
    elif fmt == "xlsx":
        from reporting.exports.xlsx import write_xlsx

        write_xlsx(compute_rollup(period=period, units=True, node=node), stream, progress=progress)
    elif fmt == "json":
        from reporting.exports.json import render_json

        stream.write(render_json(compute_rollup(period=period, units=True, node=node)))
    else:
        raise ValueError(f"Unknown report format {fmt!r}")
