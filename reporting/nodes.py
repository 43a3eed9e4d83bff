"""Nodes of the unit tree as the dashboard sees them: whose dashboard, which plan, which children.

A node is any unit (nation, province, historical district, commune, village). Its dashboard
rolls up its subtree at the period's date against the plan owned by the node or by its nearest
ancestor that is in force for the period. Reads only: the totals per node live in ``totals``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from reporting.models import Period
from targets.models import Plan
from units.models import BODY_KINDS, Unit

# Deeper than any real tree (nation → province → district → commune → village → body).
MAX_DEPTH = 8
NON_TERRITORIAL = BODY_KINDS  # departments, agencies, schools, associations, centres


def node_chain(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """{unit id: [the unit, its parent, …, its root]}, one query per level of the tree."""
    unit_ids = list(unit_ids)
    parent_of: dict[int, int | None] = {}
    wanted = set(unit_ids)
    while wanted:
        rows = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "parent_id"))
        parent_of.update(rows)
        wanted = {p for p in rows.values() if p is not None and p not in parent_of}
    chains = {}
    for unit_id in unit_ids:
        chain, current = [], unit_id
        while current is not None and current not in chain and len(chain) <= MAX_DEPTH:
            chain.append(current)
            current = parent_of.get(current)
        chains[unit_id] = chain
    return chains


def in_subtree(node: Unit, prefix: str = "") -> Q:
    """Units at or below the node (``prefix``: the path to the unit field, e.g. "unit__"): one
    indexed prefix match on the materialised ``path`` (as ``Unit.objects.subtree``)."""
    if not node.path:  # not yet numbered (a bulk insert without rebuild_paths): only itself
        return Q(**{f"{prefix}pk": node.pk})
    return Q(**{f"{prefix}path__startswith": node.path})


def territorial(unit: Unit | None) -> Unit | None:
    """A body (Phòng GD&ĐT, Sở GD&ĐT, an association) stands for the territory it serves: its parent."""
    while unit is not None and unit.kind in NON_TERRITORIAL and unit.parent_id:
        unit = unit.parent
    return unit


def plans_for(node: Unit, chain: list[int] | None = None) -> list[Plan]:
    """Plans owned by the node or its ancestors, the nearest owner first, then the latest plan."""
    chain = chain or node_chain([node.pk])[node.pk]
    plans = list(Plan.objects.filter(owner_id__in=chain).select_related("owner"))
    return sorted(plans, key=lambda p: (chain.index(p.owner_id), -p.start_year, p.code))


def plan_periods(node: Unit, chain: list[int] | None = None) -> list[Period]:
    """The periods the node can be shown for: those of the plans owned by it or its ancestors
    during which the node existed, in time order (three queries)."""
    plans = plans_for(node, chain)
    periods = Period.objects.filter(plan__in=plans).select_related("plan", "plan__owner").order_by("end", "code")
    if node.valid_from:
        periods = periods.filter(end__gte=node.valid_from)
    if node.valid_to:
        periods = periods.filter(start__lte=node.valid_to)
    # Where two plans cover the same window, the nearest owner's comes first (a commune's own
    # plan before its province's).
    rank = {p.pk: i for i, p in enumerate(plans)}
    return sorted(periods, key=lambda p: (p.end, rank[p.plan_id], p.code))


def children(node: Unit, period: Period):
    """The node's children that exist on the period's last day (as its expected units), in display order."""
    return Unit.objects.filter(parent=node).valid_on(period.end).order_by("order", "name", "pk")


def home_node(user) -> Unit | None:
    """The node whose dashboard a user sees first: the territory of their unit (a body stands for
    the territory it serves); without a unit (administrators), the owner of the active plan."""
    from xhht_portal.access import home_territory

    unit = home_territory(user)
    if unit is not None:
        return unit
    plan = (
        Plan.objects.filter(is_active=True, owner__isnull=False).select_related("owner").order_by("-start_year").first()
    )
    return plan.owner if plan else None


def resolve_unit(code: str, *, on) -> Unit | None:
    """The unit a code names on a day: codes are reused across reorganisations (06970 was thị trấn
    Ba Chẽ, then xã Ba Chẽ), so a code names a unit only together with a date."""
    return Unit.objects.filter(code=code.strip()).active_on(on).order_by("-valid_from").first()
