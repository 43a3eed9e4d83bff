"""Who may see or change what: one place, used by every view.

Someone outside the unit gets 404 (the object does not exist for them), a read-only role gets
403, and lists are filtered with ``.visible_to(user)``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from xhht_portal.models import Role


def sees_all_units(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("reporting.view_all_units")))


def can_review(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("reporting.review_submission"))


def can_decide_nominations(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("recognition.decide_nomination"))


def is_unit_officer(user) -> bool:
    return bool(user.is_authenticated and user.role in (Role.COMMUNE_OFFICER, Role.DEPARTMENT_OFFICER) and user.unit_id)


def can_edit_unit(user, unit) -> bool:
    """Only the unit's own officers type its figures."""
    return is_unit_officer(user) and user.unit_id == unit.pk


# Bodies (Phòng/Sở GD&ĐT, associations) stand for the territory they serve: their parent.
NON_TERRITORIAL_KINDS = ("department", "association", "centre")
# Roles with a dashboard of their own unit's subtree (department officers only enter reports).
DASHBOARD_ROLES = (Role.COMMUNE_OFFICER, Role.REVIEWER, Role.LEADER, Role.ADMIN)


def home_territory(user):
    """The unit whose subtree a user's role covers: their unit, or the territory a body serves."""
    unit = getattr(user, "unit", None)
    while unit is not None and unit.kind in NON_TERRITORIAL_KINDS and unit.parent_id:
        unit = unit.parent
    return unit


def may_use_dashboard(user) -> bool:
    """Who has a progress dashboard: everyone who sees all units, and the roles of a territory."""
    if not user.is_authenticated:
        return False
    if sees_all_units(user):
        return True
    # No query: the unit itself is read only when a dashboard is asked for.
    return user.role in DASHBOARD_ROLES and user.unit_id is not None


def can_view_node(user, node) -> bool:
    """A node's dashboard: a role plus a unit sees that unit's territory and everything below it
    (province leadership the province, a commune's leadership its commune and villages); only an
    administrator, or someone allowed every unit without a unit of their own, sees any node."""
    if not may_use_dashboard(user):
        return False
    home = home_territory(user)
    if user.is_superuser or (home is None and sees_all_units(user)):
        return True
    if home is None:
        return False
    if getattr(node, "path", ""):  # the ids from the root: no query, however deep the node
        return f"/{home.pk}/" in node.path
    unit, steps = node, 0
    while unit is not None and steps < 10:
        if unit.pk == home.pk:
            return True
        unit, steps = unit.parent, steps + 1
    return False


def territory_q(user, prefix: str = "") -> Q | None:
    """The units a user's role covers, as a filter on ``<prefix>`` units (None: every unit).

    A role plus a unit: the unit's territory and everything below it (the province's reviewer and
    leadership the whole province, a commune's its commune and villages), whichever permissions
    the role's group gives (who approves what stays configuration). Only a superuser, or someone
    allowed every unit without a unit of their own, is not limited. Nobody: no unit at all.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    home = home_territory(user)
    if user.is_superuser or (home is None and sees_all_units(user)):
        return None
    if home is None:
        return Q(pk__in=[])
    path = getattr(home, "path", "")
    if path:  # the units app keeps each unit's path from the root: one indexed prefix match
        return Q(**{f"{prefix}path__startswith": path})
    q = Q(**{f"{prefix}pk": home.pk})
    link = "parent"
    for _depth in range(8):
        q |= Q(**{f"{prefix}{link}_id": home.pk})
        link += "__parent"
    return q


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def job_for_user(user, pk: int):
    """A background job: its owner sees it (others get 404), while their role still allows its kind (403)."""
    from django.http import Http404

    from xhht_portal.jobs import job_kind
    from xhht_portal.models import Job

    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    kind = job_kind(job.kind)
    require(kind is not None and kind.allowed(user))
    return job


def sees_unit(user, unit) -> bool:
    """A unit's own documents: its members, whoever may view that node, and the roles that see every unit."""
    if sees_all_units(user):
        return True
    if not user.is_authenticated:
        return False
    return getattr(user, "unit_id", None) == unit.pk or can_view_node(user, unit)


def can_issue_reports(user) -> bool:
    """The committee's standing agency (the reviewer role) compiles, edits and issues the consolidated report."""
    return can_review(user)
