"""Charts as SVG markup rendered on the server: the page and the PDF show the same picture.

No JavaScript and no inline ``style`` (the CSP forbids it): only SVG presentation attributes.
Every chart has a <title> for screen readers and prints its figures as text, so colour is never
the only signal.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reporting.rollup import value_text
from targets.models import ValueUnit
from targets.numbers import format_number

STATUS_COLOURS = {
    "met": "#198754",
    "on_track": "#0d6efd",
    "behind": "#dc3545",
    "no_data": "#6c757d",
}
INK = "#212529"
MUTED = "#6c757d"


def _short(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{format_number(value)}{'%' if unit == ValueUnit.PERCENT else ''}"


# Labels are 12 px at the chart's own size (it is never scaled down on a phone): readable, and the
# layout below leaves room for them, so none is clipped whatever the language ("Target 100%").
LABEL_SIZE = 12
VALUE_ROOM = 46  # right of the plot: the last value, beside its point, never crossed by the target line


def label_width(text: str, *, size: int = LABEL_SIZE, bold: bool = False) -> float:
    """A generous estimate of a label's width in a sans-serif font (digits and Latin letters ≈ 0.6 em)."""
    return len(text) * size * (0.66 if bold else 0.6)


def trend_chart(row, *, width: int = 220, height: int = 96, font_family: str = "sans-serif") -> SafeString:
    """A small line over the periods so far, the target as a dashed line, first and last labelled.

    The target is named in a legend above the plot; the latest value stands right of its point,
    outside the plot, so neither label can be cut by the SVG's edge or crossed by a line.
    """
    unit = row.target.unit
    points = [(p.period, p.value) for p in row.trend]
    known = [v for _, v in points if v is not None]
    goal = row.target.value_min
    mapped_label = _("quy đổi")  # a point mapped from former units; outside the f-string for makemessages
    title = _("Diễn biến %(indicator)s qua các kỳ: %(values)s; chỉ tiêu năm %(year)s: %(target)s") % {
        "indicator": row.indicator.code,
        "values": "; ".join(
            f"{p.period.code} {_short(p.value, unit)}" + (f" ({mapped_label})" if getattr(p, "mapped", False) else "")
            for p in row.trend
            if p.value is not None
        )
        or _("chưa có số liệu"),
        "year": row.target.year,
        "target": row.target.display,
    }
    top_value = max([*known, goal, Decimal(1)])
    if unit == ValueUnit.PERCENT:
        top_value = max(top_value, Decimal(100)) if top_value > 60 else top_value * Decimal("1.2")
    else:
        top_value *= Decimal("1.15")
    last_text = _short(known[-1], unit) if known else ""
    room = max(VALUE_ROOM, round(label_width(last_text, bold=True)) + 8)
    left, right, top, bottom = 4, width - room, LABEL_SIZE + 12, height - LABEL_SIZE - 8

    def x(index: int) -> float:
        return left if len(points) < 2 else left + (right - left) * index / (len(points) - 1)

    def y(value: Decimal) -> float:
        return bottom - (bottom - top) * float(value / top_value)

    # "CT" = chỉ tiêu (the target line); outside the f-string so that makemessages finds it.
    goal_label = _("CT")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(font_family)}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        # Legend: a dashed sample, then "CT 90,9%".
        f'<line x1="{left}" y1="{LABEL_SIZE / 2 + 2}" x2="{left + 16}" y2="{LABEL_SIZE / 2 + 2}" stroke="{MUTED}" '
        f'stroke-width="1.5" stroke-dasharray="3 2"/>',
        f'<text x="{left + 20}" y="{LABEL_SIZE + 1}" font-size="{LABEL_SIZE}" fill="{MUTED}">'
        f"{escape(goal_label)} {escape(_short(goal, unit))}</text>",
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#adb5bd" stroke-width="1"/>',
        f'<line x1="{left}" y1="{y(goal):.1f}" x2="{right}" y2="{y(goal):.1f}" stroke="{MUTED}" '
        f'stroke-width="1.5" stroke-dasharray="3 2"/>',
    ]
    coords = [(x(i), y(v)) for i, (_p, v) in enumerate(points) if v is not None]
    if len(coords) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    colour = STATUS_COLOURS.get(row.status, INK)
    mapped = [getattr(p, "mapped", False) for p in row.trend if p.value is not None]
    for (cx, cy), is_mapped in zip(coords, mapped, strict=False):
        if is_mapped:  # mapped from former units: a hollow point
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="#fff" stroke="{colour}" stroke-width="1.2"/>'
            )
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>')
    if coords:
        _cx, cy = coords[-1]
        label_y = min(max(cy + LABEL_SIZE / 3, top), bottom)
        parts.append(
            f'<text x="{right + 5}" y="{label_y:.1f}" font-size="{LABEL_SIZE}" font-weight="bold" fill="{INK}">'
            f"{escape(last_text)}</text>"
        )
    if points:
        parts.append(
            f'<text x="{left}" y="{height - 3}" font-size="{LABEL_SIZE}" fill="{MUTED}">{escape(points[0][0].code)}</text>'
        )
        if len(points) > 1:
            parts.append(
                f'<text x="{right}" y="{height - 3}" font-size="{LABEL_SIZE}" fill="{MUTED}" text-anchor="end">'
                f"{escape(points[-1][0].code)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def section_bars(rows, *, width: int = 640, font_family: str = "sans-serif") -> SafeString:
    """One bar per target of a section: the value against the target mark, figures and status as text."""
    texts = [f"{value_text(row.value, row.target.unit)} / {row.target.display} · {row.status_label}" for row in rows]
    # Room right of the bars for the longest figure line ("292,4/1 vạn dân / 300/1 vạn dân · …"), so none is cut.
    text_room = min(max(190, round(max((label_width(t, size=10) for t in texts), default=0)) + 10), width // 2)
    row_height, code_width = 22, 70
    bar_width = width - code_width - text_room
    height = row_height * len(rows) + 8
    title = "; ".join(
        f"{row.indicator.code}: {value_text(row.value, row.target.unit)} / {row.target.display} ({row.status_label})"
        for row in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="section-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(font_family)}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for index, row in enumerate(rows):
        top = 4 + index * row_height
        unit = row.target.unit
        goal = row.target.value_max if row.target.comparator == "range" else row.target.value_min
        scale = Decimal(100) if unit == ValueUnit.PERCENT else max(goal, row.value or Decimal(0)) * Decimal("1.2")
        scale = max(scale, row.value or Decimal(0), Decimal(1))

        def to_x(value: Decimal, scale=scale) -> float:
            return code_width + bar_width * float(min(value, scale) / scale)

        colour = STATUS_COLOURS[row.status]
        parts.append(
            f'<text x="2" y="{top + 14}" font-size="11" fill="{INK}">{escape(row.indicator.code)}</text>'
            f'<rect x="{code_width}" y="{top + 3}" width="{bar_width}" height="14" fill="#e9ecef"/>'
        )
        if row.value is not None:
            parts.append(
                f'<rect x="{code_width}" y="{top + 3}" width="{to_x(row.value) - code_width:.1f}" height="14" '
                f'fill="{colour}"/>'
            )
        mark = to_x(row.target.value_min)
        parts.append(
            f'<line x1="{mark:.1f}" y1="{top}" x2="{mark:.1f}" y2="{top + 20}" stroke="{INK}" stroke-width="2"/>'
        )
        text = texts[index]
        parts.append(
            f'<text x="{code_width + bar_width + 6}" y="{top + 14}" font-size="10" fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
