"""Running totals of approved values per (period, indicator, node), kept in step with every decision.

A node is any unit of the tree (nation, province, historical district, commune, village, body):
its row holds the sums of the approved values of every report in its subtree. The dashboard of
any node reads its own rows (a few hundred, whatever the size of the subtree) and a drill-down
reads its children's rows in one query. Every approval, reopening or recognition decision updates
the reporting unit's row and every ancestor's (``node_chain``) inside the same transaction, so no
dashboard ever lags the data; ``rebuild_totals`` recomputes them from scratch to check or repair,
and a reorganisation that moves a unit under another parent recomputes the nodes concerned.

The tree is the units' ``parent`` links: reports stay on the unit that existed then, under its
ancestors of then (thị trấn Ba Chẽ 2018 → huyện Ba Chẽ → tỉnh Quảng Ninh), never rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from reporting import hooks
from reporting.models import IndicatorTotal, Period, Submission, SubmissionState, SubmissionValue
from reporting.nodes import MAX_DEPTH, node_chain
from reporting.rollup import _MEETS, bump_data_version, recognition_year
from reporting.rollup import FIELDS as VALUE_FIELDS
from reporting.signals import approved_data_changed, recognitions_changed
from targets.models import Indicator

ZERO = Decimal(0)
FIELDS = (*VALUE_FIELDS, "recognised_sum")


def _contribution(value: SubmissionValue) -> dict:
    flags = value.flags or []
    return {
        "numerator_sum": value.numerator or ZERO,
        "denominator_sum": value.denominator or ZERO,
        "numerator_count": int(value.numerator is not None),
        "denominator_count": int(value.denominator is not None),
        "reported": 1,
        "meeting": int(bool(flags) and all(bool(flag) for flag in flags)),
    }


def apply_submission(submission: Submission, sign: int) -> None:
    """Add (+1) or remove (-1) one submission's values from its unit's and every ancestor's totals.

    One UPDATE per indicator covers every node of the chain. For the recognition indicators this
    also adds (or removes) the titles recognised in that unit in force for the period
    (``recognition_year``): one more query. Rows are locked in (node, indicator) order, so two
    approvals at the same time cannot deadlock.
    """
    values = sorted(submission.values.select_related("indicator"), key=lambda v: v.indicator_id)
    if not values:
        return
    nodes = node_chain([submission.unit_id])[submission.unit_id]
    year = recognition_year(submission.period)
    recognised = (
        hooks.recognised_counts_by_year(years=[year], unit_ids=[submission.unit_id])
        if any(v.indicator.title_code for v in values)
        else {}
    )
    indicator_ids = [v.indicator_id for v in values]
    existing = set(
        IndicatorTotal.objects.select_for_update()
        .filter(period_id=submission.period_id, indicator_id__in=indicator_ids, unit_id__in=nodes)
        .order_by("unit_id", "indicator_id")
        .values_list("unit_id", "indicator_id")
    )
    IndicatorTotal.objects.bulk_create(
        [
            IndicatorTotal(period_id=submission.period_id, indicator_id=indicator_id, unit_id=node)
            for node in nodes
            for indicator_id in indicator_ids
            if (node, indicator_id) not in existing
        ],
        ignore_conflicts=True,
    )
    for value in values:
        delta = _contribution(value)
        delta["recognised_sum"] = (
            recognised.get((value.indicator.title_code, submission.unit_id, year), 0)
            if value.indicator.title_code
            else 0
        )
        IndicatorTotal.objects.filter(
            period_id=submission.period_id, indicator_id=value.indicator_id, unit_id__in=nodes
        ).update(**{field: F(field) + sign * delta[field] for field in FIELDS})


@receiver(approved_data_changed)
def keep_totals_current(sender, submission: Submission, **kwargs) -> None:
    """Approval adds the report's values; reopening (state no longer approved) removes them."""
    apply_submission(submission, +1 if submission.state == SubmissionState.APPROVED else -1)
    bump_data_version()


@receiver(recognitions_changed)
def refresh_recognised(sender, title: str, year: int, **kwargs) -> None:
    """A decision recognised entities: recount that title's sums, per node, for the periods that count that year.

    Only rows whose sum changes are written (one bulk UPDATE), so a decision in one commune
    touches that commune's chain, not the country.
    """
    periods = [p for p in Period.objects.filter(year__in=[year, year + 1]) if recognition_year(p) == year]
    indicators = list(Indicator.objects.filter(title_code=title))
    if not periods or not indicators:
        return
    sums = _recognised_sums(periods, indicators)
    rows = IndicatorTotal.objects.select_for_update().filter(period__in=periods, indicator__in=indicators)
    changed = []
    for row in rows.order_by("unit_id", "indicator_id"):
        wanted = sums.get((row.period_id, row.indicator_id, row.unit_id), 0)
        if row.recognised_sum != wanted:
            row.recognised_sum = wanted
            changed.append(row)
    IndicatorTotal.objects.bulk_update(changed, ["recognised_sum"], batch_size=2000)
    bump_data_version()


def _recognised_sums(periods: list[Period], indicators: list[Indicator]) -> dict[tuple[int, int, int], int]:
    """Σ of titles recognised in each period's year per (period, indicator, node), over the units that
    reported the indicator's totals, added up each unit's chain of ancestors."""
    from reporting.rollup import _recognised_by_period

    _sums, per_unit = _recognised_by_period(periods, [i for i in indicators if i.title_code])
    per_unit = {key: count for key, count in per_unit.items() if count}
    chains = node_chain({unit_id for (_p, _i, unit_id) in per_unit})
    result: dict[tuple[int, int, int], int] = defaultdict(int)
    for (period_id, indicator_id, unit_id), count in per_unit.items():
        for node in chains[unit_id]:
            result[(period_id, indicator_id, node)] += count
    return dict(result)


def _grouped_at_depth(period_ids: list[int], depth: int):
    """Σ of approved values per (period, indicator, the reporting unit's ancestor ``depth`` levels up).

    Depth 0 is the reporting unit itself. One GROUP BY query, built by the ORM so that the
    same SQL feeds the check (rows fetched) and the rebuild (INSERT … SELECT, nothing through Python).
    """
    node = "submission__unit" + "__parent" * depth
    return (
        SubmissionValue.objects.filter(submission__state=SubmissionState.APPROVED, submission__period_id__in=period_ids)
        .filter(**{f"{node}__isnull": False})
        .values("submission__period_id", "indicator_id")
        .annotate(
            node=F(f"{node}_id") if depth else F("submission__unit_id"),
            numerator_sum=Coalesce(Sum("numerator"), Value(ZERO)),
            denominator_sum=Coalesce(Sum("denominator"), Value(ZERO)),
            numerator_count=Count("numerator"),
            denominator_count=Count("denominator"),
            reported=Count("id"),
            meeting=Count("id", filter=_MEETS),
            recognised_sum=Value(0, output_field=IntegerField()),
        )
        .order_by()
    )


def compute_totals(periods: Iterable[Period]) -> dict[tuple[int, int, int], dict]:
    """Totals per (period, indicator, node) straight from the approved values (what the maintained rows must equal)."""
    periods = list(periods)
    period_ids = [p.pk for p in periods]
    totals: dict[tuple[int, int, int], dict] = {}
    for depth in range(MAX_DEPTH + 1):
        rows = list(_grouped_at_depth(period_ids, depth))
        if not rows:
            break
        for row in rows:
            key = (row.pop("submission__period_id"), row.pop("indicator_id"), row.pop("node"))
            row["numerator_sum"] = Decimal(row["numerator_sum"])
            row["denominator_sum"] = Decimal(row["denominator_sum"])
            totals[key] = row
    for key, count in _recognised_sums(periods, list(Indicator.objects.exclude(title_code=""))).items():
        if key in totals:
            totals[key]["recognised_sum"] = count
    return totals


def stored_totals(periods: Iterable[Period]) -> dict[tuple[int, int, int], dict]:
    rows = IndicatorTotal.objects.filter(period__in=list(periods)).exclude(reported=0)
    return {(r.period_id, r.indicator_id, r.unit_id): {field: getattr(r, field) for field in FIELDS} for r in rows}


def _insert_select(queryset) -> int:
    """INSERT INTO the totals table the rows of a grouped query (the database does the work)."""
    sql, params = queryset.query.sql_with_params()
    columns = ["period_id", "indicator_id", "unit_id", *FIELDS]
    table = connection.ops.quote_name(IndicatorTotal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def rebuild_totals(periods: Iterable[Period] | None = None) -> int:
    """Recompute the totals of these periods (all if None) from the approved values."""
    periods = list(periods if periods is not None else Period.objects.all())
    period_ids = [p.pk for p in periods]
    IndicatorTotal.objects.filter(period_id__in=period_ids).delete()
    count = 0
    for depth in range(MAX_DEPTH + 1):
        inserted = _insert_select(_grouped_at_depth(period_ids, depth))
        if not inserted:
            break
        count += inserted
    sums = _recognised_sums(periods, list(Indicator.objects.exclude(title_code="")))
    if sums:
        rows = IndicatorTotal.objects.filter(
            period_id__in=period_ids, indicator__in=Indicator.objects.exclude(title_code="")
        )
        changed = []
        for row in rows:
            wanted = sums.get((row.period_id, row.indicator_id, row.unit_id), 0)
            if wanted:
                row.recognised_sum = wanted
                changed.append(row)
        IndicatorTotal.objects.bulk_update(changed, ["recognised_sum"], batch_size=2000)
    bump_data_version()
    return count


@transaction.atomic
def refresh_nodes(node_ids: Iterable[int], periods: Iterable[Period] | None = None) -> None:
    """Recompute the rows of these nodes from their subtrees (after a unit moved under another parent)."""
    periods = list(periods if periods is not None else Period.objects.all())
    node_ids = set(node_ids)
    if not node_ids:
        return
    fresh = {key: row for key, row in compute_totals(periods).items() if key[2] in node_ids}
    IndicatorTotal.objects.filter(period__in=periods, unit_id__in=node_ids).delete()
    IndicatorTotal.objects.bulk_create(
        [
            IndicatorTotal(period_id=period_id, indicator_id=indicator_id, unit_id=unit_id, **row)
            for (period_id, indicator_id, unit_id), row in fresh.items()
        ],
        batch_size=5000,
    )
    bump_data_version()


def _data_changed(sender, **kwargs) -> None:
    bump_data_version()


# What else a dashboard shows: the tree and the names of units, plans, targets (and those assigned
# to units), periods. Bulk writes that skip signals (generate_data) end with rebuild_totals.
for _model in ("units.Unit", "targets.Plan", "targets.Target", "targets.AssignedTarget", "reporting.Period"):
    post_save.connect(_data_changed, sender=_model, dispatch_uid=f"dashboard-data-{_model}-save")
    post_delete.connect(_data_changed, sender=_model, dispatch_uid=f"dashboard-data-{_model}-delete")


@receiver(pre_save, sender="units.Unit", dispatch_uid="totals-remember-parent")
def _remember_parent(sender, instance, **kwargs) -> None:
    instance._parent_before = (
        sender.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender="units.Unit", dispatch_uid="totals-follow-parent")
def _follow_parent(sender, instance, created: bool, **kwargs) -> None:
    """A unit moved under another parent (a reorganisation): its old and new ancestors' totals are
    recomputed from their subtrees in the same transaction. Its own rows, and its subtree's, stay."""
    before = getattr(instance, "_parent_before", None)
    if created or before == instance.parent_id:
        return
    if not IndicatorTotal.objects.filter(unit_id=instance.pk).exists():
        return  # nothing reported below it: no ancestor total changes
    old = node_chain([before])[before] if before else []
    new = node_chain([instance.parent_id])[instance.parent_id] if instance.parent_id else []
    refresh_nodes(set(old) | set(new))
