"""The rollup: every figure of the dashboard, the PDF, the workbook and the JSON, from approved data.

``compute_rollup(period=...)`` is the one entry point. Exporters only lay its result out.

How the figures are computed (DESIGN.md, "Targets"):

- only values of submissions in state ``approved`` count; a unit that has not reported is
  missing, never zero;
- ratio = Σnumerator / Σdenominator × 100 (never the mean of unit percentages); per 10,000 the
  same × 10,000; district = the same over the responsible unit(s); count = Σ (units meeting the
  standard for a yes/no indicator); coverage = units meeting / units that reported × 100 (a unit
  that has not reported is missing, never "not meeting"); recognition = titles recognised in the
  period's year (``reporting.hooks``) in the units that reported their totals / Σ those totals × 100;
- while any expected unit has not reported, every figure is provisional (``TargetRow.provisional``)
  and a provisional figure is "Đạt" only when the missing units cannot change it (``_secured``);
- one status rule for every level (``_status``): a unit's figure is judged like the district's,
  against the same straight path from its own first reported value.

Query count: the district figures come from one GROUP BY (period, indicator) over approved values
(``approved_totals``), the expected units from one GROUP BY over the unit table, the completeness
summary from one GROUP BY (period, state, late). None of them grows with the number of units or
periods, so the dashboard's query count is the same for 8 or 10,600 communes. ``approved_totals``
returns exactly the shape of a maintained per-(period, indicator) totals table, so a precomputed
table can replace the GROUP BY (issue 6) without touching anything else. Per-unit figures (the
drill-down and the exports) are only read when asked for, with one query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting import hooks, states
from reporting.models import (
    IndicatorTotal,
    Period,
    PeriodKind,
    Submission,
    SubmissionEvent,
    SubmissionState,
    SubmissionValue,
)
from reporting.nodes import MAX_DEPTH, in_subtree
from reporting.nodes import children as node_children
from reporting.states import STATE_ORDER, state_label
from targets.models import AssignedTarget, Entry, Indicator, Measure, Target, ValueUnit
from targets.numbers import format_number
from units.models import Reporter, Unit
from units.models import lineage as units_lineage
from xhht_portal.lookups import AnyOf

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10_000)
ONE_PLACE = Decimal("0.1")

# The sums of approved values per (period, indicator): aggregate_approved_values() computes these
# and the maintained IndicatorTotal rows hold them, with recognised_sum besides.
FIELDS = ("numerator_sum", "denominator_sum", "numerator_count", "denominator_count", "reported", "meeting")


def _recognised(total: dict | None) -> Decimal | None:
    return Decimal(total["recognised_sum"]) if total else None


STATUS_LABELS = {
    "met": _("Đạt"),
    "on_track": _("Đúng tiến độ"),
    "behind": _("Chậm"),
    "no_data": _("Chưa có số liệu"),
}
# A unit's part of a plain count (no target of its own) and a yes/no answer get no verdict: the
# answer or the number is all there is to say.
NO_VERDICT = "not_evaluated"
NO_VERDICT_LABEL = _("Không đánh giá riêng")
PROVISIONAL_LABEL = _("tạm tính")
# CSS classes of static/css/portal.css: the colour always comes with the label.
STATUS_CSS = {
    "met": "status-met",
    "on_track": "status-on-track",
    "behind": "status-behind",
    "no_data": "status-no-data",
    NO_VERDICT: "status-no-data",
}
STATUS_RULE = _(
    "Đạt: giá trị của kỳ đã đạt chỉ tiêu của mốc tiếp theo. Đúng tiến độ: chưa đạt, nhưng bằng hoặc cao "
    "hơn mức cần có trên đường thẳng nối giá trị của kỳ đầu tiên có số liệu với chỉ tiêu vào ngày 31/12 "
    "của năm mốc (kỳ đầu tiên có số liệu được coi là đúng tiến độ). Chậm: thấp hơn mức đó. Chưa có số "
    "liệu: chưa đơn vị nào có báo cáo được duyệt cho chỉ tiêu này. Chỉ tính số liệu của báo cáo đã duyệt; "
    "đơn vị chưa báo cáo không được tính là 0, cũng không được tính là không đạt: tỷ lệ đơn vị đạt chuẩn "
    "= số đơn vị đạt / số đơn vị đã báo cáo. Khi còn đơn vị phải báo cáo mà chưa báo cáo, mọi kết quả là "
    "tạm tính (ghi rõ số đơn vị đã báo cáo) và được đánh giá theo cùng quy tắc, với một ngoại lệ: kết quả "
    "tạm tính chỉ được ghi “Đạt” khi các đơn vị còn thiếu không thể làm thay đổi kết luận (số lượng đã đủ, "
    "hoặc số đơn vị đạt chuẩn đã đủ so với tổng số đơn vị phải báo cáo); nếu chưa chắc chắn thì ghi “Đúng "
    "tiến độ (tạm tính)”. Cùng một quy tắc áp dụng cho từng đơn vị: mỗi đơn vị được so với đường thẳng "
    "đi từ kỳ đầu tiên có số liệu của chính đơn vị đó."
)


def round_value(value: Decimal | None) -> Decimal | None:
    """The one rounding of a figure (one decimal place): what every output shows and compares."""
    if value is None:
        return None
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def value_text(value: Decimal | None, unit: str) -> str:
    """A figure with its unit the Vietnamese way: 66,7% · 4 · 312,5/1 vạn dân; missing is "—"."""
    if value is None:
        return "—"
    suffix = {ValueUnit.PERCENT: "%", ValueUnit.PER_10000: str(_("/1 vạn dân"))}.get(unit, "")
    return f"{format_number(value)}{suffix}"


# --------------------------------------------------------------------------- result types


@dataclass
class TrendPoint:
    period: Period
    value: Decimal | None
    # Before the node existed: its predecessors' approved figures summed (× the share of a partial
    # transfer), "số liệu quy đổi từ các đơn vị cũ". [(unit, share)]; empty for the node's own figure.
    sources: list = field(default_factory=list)

    @property
    def mapped(self) -> bool:
        return bool(self.sources)


def status_label(status: str) -> str:
    """The words for a status key, for the district and for a unit alike."""
    if status == NO_VERDICT:
        return str(NO_VERDICT_LABEL)
    return str(STATUS_LABELS[status])


@dataclass
class UnitFigure:
    """One unit's figure for one target: missing (``reported`` False) is not zero."""

    unit: Unit
    reported: bool
    submission_id: int | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    meets: bool | None = None  # yes/no indicators
    value: Decimal | None = None
    status: str = "no_data"  # the district's statuses (STATUS_LABELS), or NO_VERDICT
    value_unit: str = ValueUnit.PERCENT
    exceeded: bool = False
    expected_now: Decimal | None = None  # the straight path from the unit's own first value
    baseline: TrendPoint | None = None
    # A child node (a district, a province) whose subtree is not all reported: provisional, as
    # the node's own figure would be (``units_reported`` of ``expected``).
    provisional: bool = False
    units_reported: int = 0
    expected: int = 0

    @property
    def provisional_text(self) -> str:
        """ "tạm tính, 3/8 đơn vị đã báo cáo" for a provisional child's figure, else ""."""
        if not self.provisional:
            return ""
        return str(
            _("tạm tính, %(reported)s/%(expected)s đơn vị đã báo cáo")
            % {"reported": self.units_reported, "expected": self.expected}
        )

    @property
    def value_text(self) -> str:
        if self.meets is not None:
            return self.answer_text
        return value_text(self.value, self.value_unit)

    @property
    def numerator_text(self) -> str:
        return format_number(self.numerator, places=2)

    @property
    def denominator_text(self) -> str:
        return format_number(self.denominator, places=2)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_text(self) -> str:
        """The verdict as every output writes it: "Đạt (vượt)", "Chậm (tạm tính)"."""
        text = self.status_label + (f" ({_('vượt')})" if self.exceeded else "")
        return text + (f" ({PROVISIONAL_LABEL})" if self.provisional else "")

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def expected_now_text(self) -> str:
        return value_text(self.expected_now, self.value_unit)

    @property
    def answer_text(self) -> str:
        """A yes/no figure in words: Đạt / Không đạt."""
        if self.meets is None:
            return "—"
        return str(_("Đạt") if self.meets else _("Không đạt"))

    @property
    def answer_css(self) -> str:
        return "status-met" if self.meets else "status-behind"


@dataclass
class TargetRow:
    target: Target
    indicator: Indicator
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    units_reported: int
    units_expected: int
    status: str
    exceeded: bool = False
    expected_now: Decimal | None = None  # the straight path's value at this period
    baseline: TrendPoint | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    units: list[UnitFigure] | _UnitFigures | None = None
    # Some expected unit has not reported (yet): the figure may still change.
    provisional: bool = False

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_text(self) -> str:
        """The verdict as every output writes it: "Đúng tiến độ (tạm tính)", "Đạt (vượt)"."""
        text = self.status_label
        if self.exceeded:
            text += f" ({_('vượt')})"
        if self.provisional:
            text += f" ({PROVISIONAL_LABEL})"
        return text

    @property
    def provisional_text(self) -> str:
        """ "tạm tính, 1/8 đơn vị đã báo cáo" for a provisional figure, else ""."""
        if not self.provisional:
            return ""
        return str(
            _("tạm tính, %(reported)s/%(expected)s đơn vị đã báo cáo")
            % {"reported": self.units_reported, "expected": self.units_expected}
        )

    @property
    def reported_text(self) -> str:
        """ "tạm tính, 1/8 đơn vị đã báo cáo" or "8/8 đơn vị đã báo cáo": what is shown under a figure."""
        if self.provisional:
            return self.provisional_text
        return str(
            _("%(reported)s/%(expected)s đơn vị đã báo cáo")
            % {"reported": self.units_reported, "expected": self.units_expected}
        )

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def mapped_text(self) -> str:
        """Which trend points are mapped from which former units: "" when none is."""
        points = [p for p in self.trend if p.mapped]
        if not points:
            return ""
        names: dict[str, str] = {}
        for point in points:
            for unit, share in point.sources:
                if share is None:
                    text = str(_("%(name)s (một phần, chưa rõ tỷ lệ: không cộng)") % {"name": unit.name})
                elif share == 1:
                    text = unit.name
                else:
                    text = f"{unit.name} ({format_number(round_value(share * HUNDRED))}%)"
                names.setdefault(unit.name, text)
        return str(
            _("Số liệu quy đổi từ các đơn vị cũ (%(periods)s): %(units)s")
            % {"periods": ", ".join(p.period.code for p in points), "units": ", ".join(names.values())}
        )

    @property
    def expected_now_text(self) -> str:
        return value_text(self.expected_now, self.target.unit)

    @property
    def is_yesno(self) -> bool:
        return self.indicator.entry == Entry.YESNO

    @property
    def value_text(self) -> str:
        return value_text(self.value, self.target.unit)

    @property
    def numerator_text(self) -> str:
        return format_number(self.numerator, places=2)

    @property
    def denominator_text(self) -> str:
        return format_number(self.denominator, places=2)


@dataclass
class SectionBlock:
    section: object
    rows: list[TargetRow]


@dataclass
class UnitCompleteness:
    unit: Unit
    state: str  # not_started / draft / submitted / returned / approved
    timeliness: str  # reporting.states: on_time / late / extended / not_due
    submission_id: int | None = None
    submitted_at: dt.datetime | None = None

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def timeliness_label(self) -> str:
        return str(states.TIMELINESS_LABELS[self.timeliness])

    @property
    def timeliness_css(self) -> str:
        return states.TIMELINESS_CSS[self.timeliness]

    @property
    def on_time(self) -> bool | None:
        """True sent on time, False late, None neither yet (not due, or inside an extension)."""
        return {states.ON_TIME: True, states.LATE: False}.get(self.timeliness)


@dataclass
class PeriodCompleteness:
    period: Period
    expected: int
    by_state: dict[str, int]
    on_time: int
    late: int

    @property
    def share_on_time(self) -> Decimal | None:
        if not self.expected:
            return None
        return round_value(Decimal(self.on_time) / Decimal(self.expected) * HUNDRED)

    @property
    def share_on_time_text(self) -> str:
        return value_text(self.share_on_time, ValueUnit.PERCENT)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(state, state_label(state), self.by_state.get(state, 0)) for state in STATE_ORDER]


@dataclass
class Rollup:
    period: Period
    milestone_year: int
    periods: list[Period]
    sections: list[SectionBlock]
    completeness: list[PeriodCompleteness]
    unit_completeness: list[UnitCompleteness] | None = None
    node: Unit | None = None

    @property
    def rows(self) -> list[TargetRow]:
        return [row for block in self.sections for row in block.rows]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def provisional_count(self) -> int:
        """How many targets have a provisional figure (some expected unit has not reported)."""
        return sum(1 for row in self.rows if row.provisional)

    @property
    def period_completeness(self) -> PeriodCompleteness | None:
        return next((c for c in self.completeness if c.period.pk == self.period.pk), None)


# --------------------------------------------------------------------------- SQL aggregates

# A yes/no value meets the standard when every answer is true. Exact JSON comparison works the
# same on SQLite and PostgreSQL; the answers are stored as a list of booleans.
_MEETS = Q()
for _length in range(1, 13):
    _MEETS |= Q(flags=[True] * _length)


def approved_totals(
    period_ids: list[int], indicator_ids: list[int] | None = None, node: Unit | None = None
) -> dict[tuple[int, int], dict]:
    """Σ of approved values per (period, indicator) in a node's subtree, read from the maintained totals.

    ``reporting.totals`` keeps one ``IndicatorTotal`` row per node, period and indicator in step
    with every approval and reopening, so this reads a few hundred rows whatever the size of the
    subtree. Without a node: the whole database, as the sum of the roots' rows (one GROUP BY).
    ``aggregate_approved_values`` is the same figures recomputed from the values themselves.
    """
    rows = IndicatorTotal.objects.filter(period_id__in=period_ids, reported__gt=0)
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=indicator_ids)
    all_fields = (*FIELDS, "recognised_sum")
    if node is not None:
        return {
            (row.period_id, row.indicator_id): {field: getattr(row, field) for field in all_fields}
            for row in rows.filter(unit=node)
        }
    grouped = (
        rows.filter(unit__parent__isnull=True)
        .values("period_id", "indicator_id")
        .annotate(**{f"s_{field}": Sum(field) for field in all_fields})
        .order_by()
    )
    return {
        (row["period_id"], row["indicator_id"]): {field: row[f"s_{field}"] for field in all_fields} for row in grouped
    }


def aggregate_approved_values(
    period_ids: list[int], indicator_ids: list[int] | None = None
) -> dict[tuple[int, int], dict]:
    """Σ of approved values per (period, indicator), recomputed in one GROUP BY query."""
    values = SubmissionValue.objects.filter(
        submission__state=SubmissionState.APPROVED, submission__period_id__in=period_ids
    )
    if indicator_ids is not None:
        values = values.filter(indicator_id__in=indicator_ids)
    rows = (
        values.values("submission__period_id", "indicator_id")
        .annotate(
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            numerator_count=Count("numerator"),
            denominator_count=Count("denominator"),
            reported=Count("id"),
            meeting=Count("id", filter=_MEETS),
        )
        .order_by()
    )
    totals = {}
    for row in rows:
        key = (row.pop("submission__period_id"), row.pop("indicator_id"))
        row["numerator_sum"] = row["numerator_sum"] or Decimal(0)
        row["denominator_sum"] = row["denominator_sum"] or Decimal(0)
        totals[key] = row
    return totals


class _UnitCensus:
    """How many reporting units of each reporter code are valid in a period (in a node's subtree), from one GROUP BY."""

    def __init__(self, node: Unit | None = None):
        units = Unit.objects.reporting()
        if node is not None:
            units = units.filter(in_subtree(node))
        self.groups = list(units.values("reporter_code", "valid_from", "valid_to").annotate(n=Count("id")).order_by())

    def expected(self, period: Period, reporters: list[str] | None) -> int:
        """Units valid on the period's last day whose code is among ``reporters`` (None: all)."""
        total = 0
        for group in self.groups:
            if group["valid_from"] and group["valid_from"] > period.end:
                continue
            if group["valid_to"] and group["valid_to"] < period.end:
                continue
            if reporters is None or Reporter.ALL in reporters or group["reporter_code"] in reporters:
                total += group["n"]
        return total


def expected_units(period: Period, indicator: Indicator | None = None, node: Unit | None = None):
    """The units expected to report (the indicator, if given) in a period (in a node's subtree), in
    display order: those valid on the last day of its data window (a successor reports for its
    predecessors' part)."""
    units = Unit.objects.reporting()
    if node is not None:
        units = units.filter(in_subtree(node))
    units = units.valid_on(period.end)
    if indicator is not None and Reporter.ALL not in indicator.reporters:
        units = units.filter(reporter_code__in=indicator.reporters)
    return units.order_by("order", "name")


def _change_stamp() -> tuple:
    """Changes whenever any report is created or changes state or values: every change writes a
    SubmissionEvent, bulk loads create submissions. Two primary-key lookups in one query."""
    quote = connection.ops.quote_name
    reports, events = (
        f"SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)}" for m in (Submission, SubmissionEvent)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({reports}), ({events})")
        return tuple(cursor.fetchone())


DATA_VERSION_KEY = "xhht:data-version"


def bump_data_version() -> None:
    """Something the dashboards show changed (totals, recognitions, units, targets): after the
    commit, so no reader caches the old figures under the new version."""

    def bump():
        if cache.add(DATA_VERSION_KEY, 1, timeout=None):
            return
        try:
            cache.incr(DATA_VERSION_KEY)
        except ValueError:  # expired between add and incr
            cache.set(DATA_VERSION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


def dashboard_stamp() -> tuple:
    """Changes whenever anything a dashboard shows changes: the reports (``_change_stamp``) and
    everything else (``bump_data_version``). Three cheap reads."""
    return (*_change_stamp(), cache.get(DATA_VERSION_KEY, 0))


def _completeness_cached(
    periods: list[Period], census: _UnitCensus, node: Unit | None = None
) -> list[PeriodCompleteness]:
    """The completeness summary, cached under a key that changes with the data, so it never lags.

    At national size the GROUP BY over every report of every period takes ~100 ms; the key (the
    change stamp, today's date since lateness depends on it, the unit census) costs ~1 ms.
    """
    key = (
        "completeness:"
        + hashlib.sha256(
            repr(
                (
                    [p.pk for p in periods],
                    node.pk if node else None,
                    _change_stamp(),
                    timezone.localdate(),
                    sorted(map(repr, census.groups)),
                )
            ).encode()
        ).hexdigest()
    )
    summary = cache.get(key)
    if summary is None:
        summary = _completeness_summary(periods, census, node)
        cache.set(key, summary, timeout=24 * 3600)
    return summary


def _completeness_summary(
    periods: list[Period], census: _UnitCensus, node: Unit | None = None
) -> list[PeriodCompleteness]:
    """Per period: submissions by state, on time and late, in one GROUP BY.

    Late is ``reporting.states.timeliness`` in SQL: sent after the period's due date (an extension
    allows a late report, it does not make it on time), or not sent when the due date has passed
    and no extension is still running.
    """
    today = timezone.localdate()
    submissions = Submission.objects.filter(period__in=periods)
    if node is not None:
        submissions = submissions.filter(in_subtree(node, prefix="unit__"))
    rows = (
        submissions
        # Only units expected in that period, as in unit_completeness(): the same counts both ways.
        .exclude(unit__reporter_code="")
        .filter(Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=F("period__end")))
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=F("period__end")))
        .annotate(sent_on=TruncDate("submitted_at"))
        .annotate(
            sent=Case(
                When(submitted_at__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            late=Case(
                When(
                    submitted_at__isnull=True,
                    extended_until__gte=today,
                    state__in=[SubmissionState.DRAFT, SubmissionState.RETURNED],
                    then=Value(False),
                ),
                When(submitted_at__isnull=True, period__due__lt=today, then=Value(True)),
                When(submitted_at__isnull=False, sent_on__gt=F("period__due"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("period_id", "state", "sent", "late")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_period: dict[int, dict] = defaultdict(lambda: {"states": defaultdict(int), "on_time": 0, "late": 0})
    for row in rows:
        entry = by_period[row["period_id"]]
        entry["states"][row["state"]] += row["n"]
        if row["late"]:
            entry["late"] += row["n"]
        elif row["sent"]:
            entry["on_time"] += row["n"]
    result = []
    for period in periods:
        entry = by_period[period.pk]
        expected = census.expected(period, None)
        by_state = dict(entry["states"])
        not_started = max(0, expected - sum(by_state.values()))
        by_state[states.NOT_STARTED] = not_started
        late = entry["late"] + (not_started if today > period.due else 0)
        result.append(
            PeriodCompleteness(period=period, expected=expected, by_state=by_state, on_time=entry["on_time"], late=late)
        )
    return result


def unit_completeness(period: Period, node: Unit | None = None, units=None) -> list[UnitCompleteness]:
    """Every expected unit's state for a period (in a node's subtree; or of ``units``), two queries."""
    today = timezone.localdate()
    submissions = Submission.objects.filter(period=period)
    if units is not None:
        units = list(units)
        submissions = submissions.filter(unit__in=[u.pk for u in units])
    else:
        units = expected_units(period, node=node)
        if node is not None:
            submissions = submissions.filter(in_subtree(node, prefix="unit__"))
    submissions = {s.unit_id: s for s in submissions.select_related("period").order_by()}
    result = []
    for unit in units:
        submission = submissions.get(unit.pk)
        timeliness = states.submission_timeliness(submission, period, today)
        if submission is None:
            result.append(UnitCompleteness(unit=unit, state=states.NOT_STARTED, timeliness=timeliness))
            continue
        result.append(
            UnitCompleteness(
                unit=unit,
                state=submission.state,
                timeliness=timeliness,
                submission_id=submission.pk,
                submitted_at=submission.submitted_at,
            )
        )
    return result


# --------------------------------------------------------------------------- figures


def _multiplier(indicator: Indicator, target: Target) -> Decimal | None:
    """× 100 for a percentage, × 10,000 per 10,000 people, None for a plain sum."""
    if indicator.measure == Measure.PER_10000 or target.unit == ValueUnit.PER_10000:
        return TEN_THOUSAND
    if target.unit == ValueUnit.PERCENT:
        return HUNDRED
    return None


def _figure(target: Target, totals: dict | None, recognised: Decimal | None) -> tuple[Decimal | None, ...]:
    """(numerator, denominator, value) of the district for one target in one period.

    A unit that has not reported counts nowhere: coverage is units meeting / units that reported.
    """
    indicator = target.indicator
    if not totals or not totals["reported"]:
        return None, None, None
    measure = indicator.measure
    if measure == Measure.COVERAGE:
        numerator, denominator = Decimal(totals["meeting"]), Decimal(totals["reported"])
        return numerator, denominator, round_value(numerator / denominator * HUNDRED)
    if measure == Measure.COUNT:
        total = Decimal(totals["meeting"]) if indicator.entry == Entry.YESNO else totals["numerator_sum"]
        return total, None, round_value(total)
    if measure == Measure.RECOGNITION:
        numerator, denominator = recognised or Decimal(0), totals["denominator_sum"]
        value = numerator / denominator * HUNDRED if denominator else None
        return numerator, denominator, round_value(value)
    # ratio, per 10,000, district figure
    numerator, denominator = totals["numerator_sum"], totals["denominator_sum"]
    multiplier = _multiplier(indicator, target)
    if multiplier is None:
        return numerator, None, round_value(numerator)
    value = numerator / denominator * multiplier if denominator else None
    return numerator, denominator, round_value(value)


def _secured(target: Target, totals: dict, expected: int) -> bool:
    """Whether a provisional figure that reaches the target keeps reaching it whatever the missing
    units report: a count only grows as units report; a coverage is secured when the units meeting
    already reach the target out of every expected unit. A ratio never is (a missing unit may bring
    a large denominator)."""
    indicator = target.indicator
    if indicator.measure == Measure.COUNT:
        return True
    if indicator.measure == Measure.COVERAGE and expected:
        lowest = round_value(Decimal(totals["meeting"]) / Decimal(expected) * HUNDRED)
        return target.evaluate(lowest) in ("met", "exceeded")
    return False


def _unit_value(target: Target, value_row: dict, recognised: int) -> tuple:
    """(numerator, denominator, value, meets) of one unit's approved value for one target."""
    indicator = target.indicator
    if indicator.entry == Entry.YESNO:
        flags = value_row["flags"] or []
        meets = bool(flags) and all(bool(f) for f in flags)
        return None, None, Decimal(1 if meets else 0), meets
    numerator, denominator = value_row["numerator"], value_row["denominator"]
    multiplier = _multiplier(indicator, target)
    if indicator.measure == Measure.RECOGNITION:
        numerator, multiplier = Decimal(recognised), HUNDRED
    if multiplier is None:
        value = round_value(numerator)
    elif numerator is not None and denominator:
        value = round_value(numerator / denominator * multiplier)
    else:
        value = None
    return numerator, denominator, value, None


def _has_unit_verdict(target: Target) -> bool:
    """A unit's yes/no answer or its part of a plain count is not judged against the target."""
    return target.indicator.entry != Entry.YESNO and _multiplier(target.indicator, target) is not None


def _unit_figure(
    target: Target,
    unit: Unit,
    value_row: dict | None,
    recognised: int,
    period: Period,
    baseline: TrendPoint | None = None,
) -> UnitFigure:
    """One unit's figure, judged by the district's rule (``_status``) from the unit's own baseline."""
    if value_row is None:
        return UnitFigure(unit=unit, reported=False, value_unit=target.unit)
    figure = UnitFigure(unit=unit, reported=True, submission_id=value_row["submission_id"], value_unit=target.unit)
    figure.numerator, figure.denominator, figure.value, figure.meets = _unit_value(target, value_row, recognised)
    if figure.value is not None and not _has_unit_verdict(target):
        figure.status = NO_VERDICT
        return figure
    if baseline is None or baseline.value is None:
        baseline = TrendPoint(period=period, value=figure.value)  # its first figure: on track
    figure.baseline = baseline
    figure.status, figure.exceeded, figure.expected_now = _status(target, figure.value, period, baseline)
    return figure


def _milestone_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _path_value(target: Target, period: Period, baseline: TrendPoint) -> Decimal:
    """The straight path's value at the end of ``period``: from the baseline to the target on 31/12."""
    goal = target.value_min
    start, end = baseline.period.end, _milestone_date(target.year)
    if end <= start:
        return round_value(goal)
    elapsed = Decimal((period.end - start).days) / Decimal((end - start).days)
    return round_value(baseline.value + (goal - baseline.value) * min(max(elapsed, Decimal(0)), Decimal(1)))


def _status(
    target: Target,
    value: Decimal | None,
    period: Period,
    baseline: TrendPoint | None,
    *,
    secured: bool = True,
):
    """(status, exceeded, expected_now) by the rule in STATUS_RULE, for the district and a unit alike.

    ``secured`` False (a provisional figure the missing units could still pull down): a value that
    reaches the target is "on track", not "met".
    """
    if value is None:
        return "no_data", False, None
    verdict = target.evaluate(value)
    if verdict in ("met", "exceeded") and secured:
        return "met", verdict == "exceeded", None
    if baseline is None or baseline.value is None:
        return "behind", False, None
    expected = _path_value(target, period, baseline)
    if verdict in ("met", "exceeded"):
        return "on_track", False, expected
    return ("on_track" if value >= expected else "behind"), False, expected


def recognition_year(period: Period) -> int:
    """The year whose learning titles are in force when the period's data window closes.

    Titles are decided at the end of each year, so an annual report counts that year's titles, and
    a 6-month report or a school-year review (closing in June or May) counts the previous year's:
    the latest ones decided by then, never decisions taken after the window.
    """
    return period.year if period.kind == PeriodKind.ANNUAL else period.year - 1


def _recognised_by_period(
    periods: list[Period], indicators: list[Indicator], node: Unit | None = None
) -> tuple[dict[tuple[int, int], Decimal], dict[tuple[int, int, int], int]]:
    """Titles recognised in each period's year, in the units that reported that indicator's totals.

    Returns the district sums per (period, indicator) and the count per (period, indicator, unit).
    The recognition app answers for all the years at once through ``reporting.hooks``; a unit that has not reported
    its totals contributes neither to the numerator nor to the denominator.
    """
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    per_unit: dict[tuple[int, int, int], int] = {}
    if not indicators:
        return sums, per_unit
    counts = hooks.recognised_counts_by_year(years=sorted({recognition_year(p) for p in periods}))
    year_of = {p.pk: recognition_year(p) for p in periods}
    titles = {i.pk: i.title_code for i in indicators}
    rows = SubmissionValue.objects.filter(
        submission__state=SubmissionState.APPROVED,
        submission__period_id__in=list(year_of),
        indicator_id__in=list(titles),
    )
    if node is not None:
        rows = rows.filter(in_subtree(node, prefix="submission__unit__"))
    rows = rows.values_list("submission__period_id", "indicator_id", "submission__unit_id")
    for period_id, indicator_id, unit_id in rows:
        count = counts.get((titles[indicator_id], unit_id, year_of[period_id]), 0)
        per_unit[(period_id, indicator_id, unit_id)] = count
        sums[(period_id, indicator_id)] += Decimal(count)
    return sums, per_unit


# The unit figures of an export read each target's values by the ids of 10,000 reports.
SubmissionValue._meta.get_field("submission").register_lookup(AnyOf)


def _first_per_unit(queryset, prefix: str = ""):
    """Each unit's first row of ``queryset`` in period order (end, then code): one window query.
    ``prefix``: the path from the rows to the report ("submission__" for values)."""
    ranked = queryset.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F(f"{prefix}unit_id")],
            order_by=[F(f"{prefix}period__end").asc(), F(f"{prefix}period__code").asc()],
        )
    )
    return ranked.filter(rank=1)


class _Reports:
    """The approved reports an export reads unit figures from, by unit: each unit's first one among
    ``periods`` (its baseline) and its one for ``period``. Two queries over the reports (not their
    values), run when the first target needs them and shared by every target, so that each target
    then reads its values by report id (one indexed lookup, no join)."""

    def __init__(self, period: Period, periods: list[Period]):
        self.period, self.periods = period, periods
        self._first: dict[int, tuple[int, int]] | None = None
        self._current: dict[int, int] | None = None

    def first(self) -> dict[int, tuple[int, int]]:
        """{unit: (its first approved report, that report's period)}."""
        if self._first is None:
            reports = Submission.objects.filter(
                state=SubmissionState.APPROVED, period_id__in=[p.pk for p in self.periods]
            )
            rows = _first_per_unit(reports).values_list("unit_id", "pk", "period_id")
            self._first = {unit_id: (pk, period_id) for unit_id, pk, period_id in rows}
        return self._first

    def current(self) -> dict[int, int]:
        """{approved report of the period: its unit}."""
        if self._current is None:
            self._current = dict(
                Submission.objects.filter(state=SubmissionState.APPROVED, period=self.period).values_list(
                    "pk", "unit_id"
                )
            )
        return self._current


class _UnitFigures:
    """Every expected unit's figure for one target, computed (two queries) each time it is iterated."""

    def __init__(
        self,
        target: Target,
        period: Period,
        periods: list[Period],
        units: list[Unit],
        recognised: dict,
        reports: _Reports | None = None,
    ):
        self.target, self.period, self.periods, self.units = target, period, periods, units
        self.recognised = recognised
        self.reports = reports or _Reports(period, periods)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        yesno = self.target.indicator.entry == Entry.YESNO
        return self.compute(_unit_values(self.reports, self.target.indicator_id, flags=yesno))

    def compute(self, unit_rows: dict):
        baselines = (
            unit_baselines(self.target, self.periods, reports=self.reports, units=self.units)
            if _has_unit_verdict(self.target)
            else {}
        )
        # Units with a target of their own (a handful per target): judged against it (one query).
        own = {
            a.unit_id: self.target.with_values(value_min=a.value_min, value_max=a.value_max, note=a.note)
            for a in AssignedTarget.objects.filter(target_id=self.target.pk)
        }
        indicator_id = self.target.indicator_id
        for unit in self.units:
            yield _unit_figure(
                own.get(unit.pk, self.target),
                unit,
                unit_rows.get(unit.pk),
                self.recognised.get((self.period.pk, indicator_id, unit.pk), 0),
                self.period,
                baselines.get(unit.pk),
            )


def unit_baselines(
    target: Target,
    periods: list[Period],
    *,
    reports: _Reports | None = None,
    units: list[Unit] | None = None,
) -> dict[int, TrendPoint]:
    """Each unit's first approved figure for the target's indicator among ``periods``.

    The unit's own starting point of the straight path: the same rule as the district's, from
    where that unit started. Read from each unit's first approved report (``reports``, shared by
    the targets of an export: one indexed lookup per target); a unit whose first report has no row
    for this indicator (left blank there) is looked up among its later reports (one query for
    those units only). ``units``: only these units (default: every unit that reported).
    """
    by_pk = {p.pk: p for p in periods}
    first = (reports or _Reports(periods[-1], periods)).first()
    wanted = set(first) if units is None else {u.pk for u in units} & set(first)
    unit_of = {first[pk][0]: pk for pk in wanted}
    values = SubmissionValue.objects.filter(indicator_id=target.indicator_id)
    # No "flags": a yes/no answer has no baseline (_has_unit_verdict), and decoding 13,000 JSON
    # lists per target was a third of a national export's time.
    rows = [
        {**row, "unit": unit_of[row["submission_id"]], "period": first[unit_of[row["submission_id"]]][1]}
        for row in values.filter(submission__any_of=unit_of).values("submission_id", "numerator", "denominator")
    ]
    missing = wanted - {row["unit"] for row in rows}
    if missing:
        later = values.filter(
            submission__state=SubmissionState.APPROVED,
            submission__period_id__in=list(by_pk),
            submission__unit_id__in=list(missing),
        )
        rows += _first_per_unit(later, "submission__").values(
            "submission_id",
            "numerator",
            "denominator",
            unit=F("submission__unit_id"),
            period=F("submission__period_id"),
        )
    recognised = {}
    if target.indicator.measure == Measure.RECOGNITION and rows:
        years = sorted({recognition_year(by_pk[r["period"]]) for r in rows})
        recognised = hooks.recognised_counts_by_year(years=years)
    result = {}
    for row in rows:
        the_period = by_pk[row["period"]]
        count = recognised.get((target.indicator.title_code, row["unit"], recognition_year(the_period)), 0)
        value = _unit_value(target, row, count)[2]
        result[row["unit"]] = TrendPoint(period=the_period, value=value)
    return result


def _unit_values(reports: _Reports, indicator_id: int, *, flags: bool = True) -> dict[int, dict]:
    """Approved values of the period for one indicator by unit, in one query by report id.

    ``flags=False``: without the yes/no answers (numeric indicators), which spares decoding a JSON
    list per unit (13,000 per target at national size).
    """
    unit_of = reports.current()
    fields = ["submission_id", "numerator", "denominator", *(["flags"] if flags else [])]
    rows = SubmissionValue.objects.filter(indicator_id=indicator_id, submission__any_of=unit_of).values(*fields)
    return {unit_of[row["submission_id"]]: row for row in rows}


def default_period(plan=None, *, node: Unit | None = None, periods: list[Period] | None = None) -> Period | None:
    """The latest period with approved data; without any, the latest period already over.

    ``node`` and ``periods``: among these periods (a node's), with approved data in its subtree.
    """
    # The maintained totals have a row per period with approved data: a few hundred rows to
    # look at instead of every report.
    approved = (
        IndicatorTotal.objects.filter(reported__gt=0)
        .order_by("-period__end", "-period__code")
        .values_list("period_id", flat=True)
    )
    if plan is not None:
        approved = approved.filter(period__plan=plan)
    if node is not None:
        approved = approved.filter(unit=node)
    if periods is not None:
        by_pk = {p.pk: p for p in periods}
        period_id = approved.filter(period_id__in=list(by_pk)).first()
        if period_id:
            return by_pk[period_id]
        over = [p for p in periods if p.end <= timezone.localdate()]
        return (over or periods or [None])[-1]
    period_id = approved.first()
    if period_id:
        return Period.objects.select_related("plan").get(pk=period_id)
    candidates = Period.objects.select_related("plan").order_by("-end", "-code")
    if plan is not None:
        candidates = candidates.filter(plan=plan)
    return candidates.filter(end__lte=timezone.localdate()).first() or candidates.first()


# --------------------------------------------------------------------------- the entry point


def compute_rollup(
    *,
    period: Period,
    units: bool = False,
    target: Target | None = None,
    node: Unit | None = None,
    children: list[Unit] | None = None,
) -> Rollup:
    """Every figure for a period in a node's subtree, against the targets of its next milestone.

    ``node``: whose figures (default: the owner of the period's plan; a plan without an owner
    rolls up the whole database). The node is judged against its own assigned targets where it
    has them, the plan's otherwise. ``units``: also every expected unit's figure per target and
    every unit's completeness (the exports; one query more each). ``target``: only that target,
    with the figures of ``children`` (default: every child of the node in the period) read from
    their maintained totals (the drill-down page; a few queries whatever the number of children).
    """
    if node is None:
        node = period.plan.owner
    milestone = period.milestone_year
    targets = Target.objects.filter(indicator__plan_id=period.plan_id, year=milestone).select_related(
        "indicator", "section"
    )
    if target is not None:
        targets = targets.filter(pk=target.pk)
    targets = sorted(targets, key=lambda t: (t.section.order, t.section.code, t.indicator.order, t.indicator.code))
    periods = list(Period.objects.filter(plan_id=period.plan_id, end__lte=period.end).order_by("end", "code"))
    if period not in periods:  # a period whose window ends after a later one's still belongs
        periods.append(period)
    period_ids = [p.pk for p in periods]
    indicators = {t.indicator_id: t.indicator for t in targets}
    totals = approved_totals(period_ids, list(indicators) if target is not None else None, node)
    mapped_totals, mapped_sources = _mapped_totals(node, periods, list(indicators))
    census = _UnitCensus(node)
    own = _assigned(targets, [node]) if node is not None and node.pk != period.plan.owner_id else {}
    recognition_indicators = [i for i in indicators.values() if i.measure == Measure.RECOGNITION]
    # Sums come with the maintained totals; per-unit counts only for the exports' unit figures.
    recognised_per_unit = (
        _recognised_by_period([period], recognition_indicators, node)[1] if units and target is None else {}
    )
    # Every target (the exports): each target's figures are computed when the writer reaches it
    # and dropped after, so a national export holds one target's 13,000 units in memory, not all
    # 400,000 figures.
    unit_lists: dict[tuple, list[Unit]] = {}
    if units and target is None:
        all_expected = list(expected_units(period, node=node))
        reports = _Reports(period, periods)
    if target is not None:
        child_list = list(children) if children is not None else list(node_children(node, period))
        child_rows = _child_totals(period, list(indicators), child_list)
        child_census = _ChildCensus(node, child_list)
        child_targets = _assigned(targets, child_list)
        child_baselines = _child_baselines(targets[0], periods, child_list) if targets else {}
        child_reports = dict(
            Submission.objects.filter(period=period, unit__in=child_list, state=SubmissionState.APPROVED).values_list(
                "unit_id", "pk"
            )
        )

    sections: dict[int, SectionBlock] = {}
    for plan_target in targets:
        t = own.get((plan_target.pk, node.pk), plan_target) if own else plan_target
        indicator = t.indicator
        trend = []
        for p in periods:
            key = (p.pk, indicator.pk)
            if p.pk in mapped_sources:
                # The node did not exist yet: its predecessors' figures, counted as all reported.
                mapped = mapped_totals.get(key)
                _n, _d, value = _figure(t, mapped, _recognised(mapped))
                trend.append(TrendPoint(period=p, value=value, sources=mapped_sources[p.pk]))
                continue
            _n, _d, value = _figure(t, totals.get(key), _recognised(totals.get(key)))
            trend.append(TrendPoint(period=p, value=value))
        baseline = next((point for point in trend if point.value is not None), None)
        key = (period.pk, indicator.pk)
        expected = census.expected(period, indicator.reporters)
        numerator, denominator, value = _figure(t, totals.get(key), _recognised(totals.get(key)))
        reported = (totals.get(key) or {}).get("reported", 0)
        # Some expected unit is missing: the figure may still move, and "Đạt" needs certainty.
        provisional = value is not None and reported < expected
        secured = not provisional or _secured(t, totals[key], expected)
        status, exceeded, expected_now = _status(t, value, period, baseline, secured=secured)
        row = TargetRow(
            target=t,
            indicator=indicator,
            numerator=numerator,
            denominator=denominator,
            value=value,
            units_reported=reported,
            units_expected=expected,
            provisional=provisional,
            status=status,
            exceeded=exceeded,
            expected_now=expected_now,
            baseline=baseline,
            trend=trend,
        )
        if target is not None:
            row.units = [
                _child_figure(
                    child_targets.get((plan_target.pk, child.pk), plan_target),
                    child,
                    child_rows.get((indicator.pk, child.pk)),
                    child_census.expected(child, period, indicator.reporters),
                    child_reports.get(child.pk),
                    period,
                    child_baselines.get(child.pk),
                )
                for child in child_list
            ]
        elif units:
            reporters = tuple(sorted(indicator.reporters))
            if reporters not in unit_lists:
                unit_lists[reporters] = [
                    u
                    for u in all_expected
                    if Reporter.ALL in indicator.reporters or u.reporter_code in indicator.reporters
                ]
            row.units = _UnitFigures(t, period, periods, unit_lists[reporters], recognised_per_unit, reports)
        sections.setdefault(t.section_id, SectionBlock(section=t.section, rows=[])).rows.append(row)

    return Rollup(
        period=period,
        milestone_year=milestone,
        periods=periods,
        sections=list(sections.values()),
        completeness=_completeness_cached(periods, census, node),
        unit_completeness=unit_completeness(period, node=node) if units and target is None else None,
        node=node,
    )


def lineage(unit: Unit, *, before) -> list[tuple[Unit, Decimal]]:
    """The units whose area became ``unit``, as they were on the day ``before`` (a date), with the
    share of each that went into it (1 for a whole unit), following reorganisations back in time
    (``units.models.lineage``). Empty when the unit already existed on that day. A part whose size
    the legal act does not give (share unknown, e.g. the part of xã Hải Lạng that joined xã Ba Chẽ)
    cannot be summed, so it is left out."""
    if unit.is_valid_on(before):
        return []
    return [(u, share) for u, share in units_lineage(unit, before) if share is not None]


def _mapped_totals(
    node: Unit | None, periods: list[Period], indicator_ids: list[int]
) -> tuple[dict[tuple[int, int], dict], dict[int, list]]:
    """Totals of the periods before the node existed, from its predecessors' node totals × share.

    Historical reports stay on the units that existed then; this only reads their totals (one
    query, plus the lineage). Returns ({(period, indicator): totals}, {period: [(unit, share)]}).
    """
    if node is None or node.valid_from is None:
        return {}, {}
    before = [p for p in periods if p.end < node.valid_from]
    if not before:
        return {}, {}
    sources = {p.pk: lineage(node, before=p.end) for p in before}
    sources = {pk: pairs for pk, pairs in sources.items() if pairs}
    if not sources:
        return {}, {}
    wanted = {(pk, u.pk): share for pk, pairs in sources.items() for u, share in pairs}
    rows = IndicatorTotal.objects.filter(
        period_id__in=list(sources), unit_id__in={u for _pk, u in wanted}, reported__gt=0
    )
    if indicator_ids:
        rows = rows.filter(indicator_id__in=indicator_ids)
    fields = (*FIELDS, "recognised_sum")
    mapped: dict[tuple[int, int], dict] = {}
    for row in rows:
        share = wanted.get((row.period_id, row.unit_id))
        if share is None:  # not a predecessor, or a part of unknown size: not summed, only named
            continue
        entry = mapped.setdefault((row.period_id, row.indicator_id), dict.fromkeys(fields, Decimal(0)))
        for name in fields:
            entry[name] += Decimal(getattr(row, name)) * share
    return mapped, sources


def _assigned(targets: list[Target], units: list[Unit]) -> dict[tuple[int, int], Target]:
    """{(target, unit): the target with that unit's assigned values}, one query."""
    if not targets or not units:
        return {}
    by_pk = {t.pk: t for t in targets}
    return {
        (a.target_id, a.unit_id): by_pk[a.target_id].with_values(
            value_min=a.value_min, value_max=a.value_max, note=a.note
        )
        for a in AssignedTarget.objects.filter(target__in=targets, unit__in=units)
    }


def _child_totals(period: Period, indicator_ids: list[int], children: list[Unit]) -> dict[tuple[int, int], dict]:
    """The maintained totals of these nodes for one period, by (indicator, node): one query."""
    rows = IndicatorTotal.objects.filter(
        period=period, indicator_id__in=indicator_ids, unit__in=children, reported__gt=0
    )
    return {
        (row.indicator_id, row.unit_id): {field: getattr(row, field) for field in (*FIELDS, "recognised_sum")}
        for row in rows
    }


class _ChildCensus:
    """Reporting units below each child of a node, by reporter code and validity.

    One GROUP BY per level of the tree below the node (a handful, whatever its size).
    """

    def __init__(self, node: Unit | None, children: list[Unit]):
        self.groups: dict[int, list[dict]] = defaultdict(list)
        self.depths = 0  # levels of the tree below the children (0: none, 1: the children themselves)
        ids = [c.pk for c in children]
        if not ids:
            return
        for depth in range(MAX_DEPTH):
            link = "parent__" * depth
            rows = list(
                Unit.objects.filter(**{f"{link}pk__in": ids})
                .values(child=F(f"{link}id"))
                .annotate(n=Count("id"))
                .values("child", "reporter_code", "valid_from", "valid_to", "n")
                .order_by()
            )
            if not rows:
                break
            self.depths = depth + 1
            for row in rows:
                if row["reporter_code"]:
                    self.groups[row["child"]].append(row)

    def expected(self, child: Unit, period: Period, reporters: list[str]) -> int:
        total = 0
        for group in self.groups.get(child.pk, []):
            if group["valid_from"] and group["valid_from"] > period.end:
                continue
            if group["valid_to"] and group["valid_to"] < period.end:  # expected: valid on the period's last day
                continue
            if Reporter.ALL in reporters or group["reporter_code"] in reporters:
                total += group["n"]
        return total


def _child_baselines(target: Target, periods: list[Period], children: list[Unit]) -> dict[int, TrendPoint]:
    """Each child's first figure for the target's indicator among ``periods``, from its node totals (one query)."""
    order = {p.pk: i for i, p in enumerate(periods)}
    rows = sorted(
        IndicatorTotal.objects.filter(
            period_id__in=list(order), indicator_id=target.indicator_id, unit__in=children, reported__gt=0
        ),
        key=lambda r: order[r.period_id],
    )
    by_pk = {p.pk: p for p in periods}
    result: dict[int, TrendPoint] = {}
    for row in rows:
        if row.unit_id in result:
            continue
        totals = {field: getattr(row, field) for field in (*FIELDS, "recognised_sum")}
        value = _figure(target, totals, _recognised(totals))[2]
        if value is not None:
            result[row.unit_id] = TrendPoint(period=by_pk[row.period_id], value=value)
    return result


def _child_figure(
    target: Target,
    child: Unit,
    totals: dict | None,
    expected: int,
    submission_id: int | None,
    period: Period,
    baseline: TrendPoint | None,
) -> UnitFigure:
    """One child's figure for one target from its node totals, judged by the same rule as the node
    (``_status``) against the child's own target, from the child's own first figure."""
    figure = UnitFigure(unit=child, reported=bool(totals), submission_id=submission_id, value_unit=target.unit)
    figure.target = target
    figure.expected = expected
    if not totals:
        return figure
    figure.units_reported = totals["reported"]
    reporting_unit = bool(child.reporter_code) and totals["reported"] == 1
    if target.indicator.entry == Entry.YESNO and reporting_unit:
        # One unit's own yes/no answer: Đạt / Không đạt, no second verdict.
        figure.meets = totals["meeting"] == 1
        figure.value = Decimal(1 if figure.meets else 0)
        figure.status = NO_VERDICT
        return figure
    figure.numerator, figure.denominator, figure.value = _figure(target, totals, _recognised(totals))
    if figure.value is not None and reporting_unit and not _has_unit_verdict(target):
        figure.status = NO_VERDICT  # a unit's part of a plain count has no target of its own
        return figure
    provisional = figure.value is not None and totals["reported"] < expected
    figure.provisional = provisional
    secured = not provisional or _secured(target, totals, expected)
    if baseline is None or baseline.value is None:
        baseline = TrendPoint(period=period, value=figure.value)
    figure.baseline = baseline
    figure.status, figure.exceeded, figure.expected_now = _status(
        target, figure.value, period, baseline, secured=secured
    )
    return figure


@dataclass
class ChildCompleteness(UnitCompleteness):
    """A child that does not report itself (a district, a province): its subtree's reports."""

    expected: int = 0
    approved: int = 0
    sent: int = 0  # submitted, returned or approved

    @property
    def state_label(self) -> str:
        return str(_("%(approved)s/%(expected)s đã duyệt") % {"approved": self.approved, "expected": self.expected})

    @property
    def timeliness_label(self) -> str:
        return str(_("%(sent)s/%(expected)s đã gửi") % {"sent": self.sent, "expected": self.expected})

    @property
    def timeliness_css(self) -> str:
        return "status-no-data"


def children_completeness(period: Period, children: list[Unit]) -> list[UnitCompleteness]:
    """Each child's reporting state for a period: its own report, or its subtree's counts.

    A handful of queries (one per level of the tree below the children), whatever their number.
    """
    reporting = [c for c in children if c.reporter_code]
    others = [c for c in children if not c.reporter_code]
    own = {entry.unit.pk: entry for entry in unit_completeness(period, units=reporting)}
    census = _ChildCensus(None, others)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ids = [c.pk for c in others]
    for depth in range(census.depths):
        link = "unit__" + "parent__" * depth
        rows = (
            Submission.objects.filter(period=period, **{f"{link}pk__in": ids})
            .exclude(unit__reporter_code="")
            .values("state", child=F(f"{link}id"))
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[row["child"]][row["state"]] += row["n"]
    result: list[UnitCompleteness] = []
    for child in children:
        if child.reporter_code:
            result.append(own[child.pk])
            continue
        by_state = counts[child.pk]
        result.append(
            ChildCompleteness(
                unit=child,
                state="aggregate",
                timeliness="",
                expected=census.expected(child, period, [Reporter.ALL]),
                approved=by_state.get(SubmissionState.APPROVED, 0),
                sent=sum(n for state, n in by_state.items() if state != SubmissionState.DRAFT),
            )
        )
    return result
