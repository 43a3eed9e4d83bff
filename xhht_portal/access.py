"""Who may see or change what: one place, used by every view.

Someone outside the unit gets 404 (the object does not exist for them), a read-only role gets
403, and lists are filtered with ``.visible_to(user)``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

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
    """A unit's own documents: its members, and the roles that see every unit."""
    return sees_all_units(user) or bool(user.is_authenticated and getattr(user, "unit_id", None) == unit.pk)


def can_issue_reports(user) -> bool:
    """The committee's standing agency (the reviewer role) compiles, edits and issues the consolidated report."""
    return can_review(user)
