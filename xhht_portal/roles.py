"""Roles are Django groups whose permissions an administrator can change in the admin.

Which role approves what is configuration, not code: since July 2025 the district Education
Office no longer exists, so a province or a new commune may give "review_submission" or
"decide_nomination" to another group. The defaults below are only created when missing.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from xhht_portal.models import Role

DEFAULT_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMUNE_OFFICER: [],
    Role.DEPARTMENT_OFFICER: [],
    Role.REVIEWER: [
        "reporting.view_all_units",
        "reporting.review_submission",
        "recognition.decide_nomination",
    ],
    Role.LEADER: ["reporting.view_all_units"],
    Role.ADMIN: ["reporting.view_all_units"],
}


def group_name(role: str) -> str:
    return str(Role(role).label)


def ensure_role_groups(**kwargs) -> None:
    """Create one group per role with its default permissions, leaving existing ones alone."""
    for role, codenames in DEFAULT_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=f"role:{role}")
        if not created:
            continue
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm:
                group.permissions.add(perm)


def sync_role_group(user) -> None:
    """Keep the user in exactly the group of their role."""
    wanted = f"role:{user.role}"
    current = set(user.groups.filter(name__startswith="role:").values_list("name", flat=True))
    if current == {wanted}:
        return
    group = Group.objects.filter(name=wanted).first()
    user.groups.remove(*user.groups.filter(name__startswith="role:"))
    if group:
        user.groups.add(group)
