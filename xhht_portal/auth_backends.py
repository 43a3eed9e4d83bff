"""Django's ModelBackend with each user's permission set kept in the cache between requests.

Every page asks ``has_perm`` (who sees all units, who reviews), which costs two queries per
request with ``ModelBackend``: a third of a dashboard served from the cache. The set is cached
under a version that moves, after the commit, whenever a permission, a group or anyone's
membership changes (the signals below), so a revoked permission is gone on the very next
request; the timeout only bounds what a change made outside Django (raw SQL) could leave behind.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "xhht:permissions-version"
PERMISSIONS_SECONDS = 300


def bump_permissions_version(**kwargs) -> None:
    def bump():
        if not cache.add(VERSION_KEY, 1, timeout=None):
            try:
                cache.incr(VERSION_KEY)
            except ValueError:  # expired between add and incr
                cache.set(VERSION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


class CachedPermissionsBackend(ModelBackend):
    """``ModelBackend``; ``has_perm`` reads the user's set from the cache (see the module)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"xhht:permissions:{cache.get(VERSION_KEY, 0)}:{user_obj.pk}:{int(user_obj.is_superuser)}"
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, timeout=PERMISSIONS_SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


def connect_signals() -> None:
    """Called once from ``XhhtPortalConfig.ready``."""
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(bump_permissions_version, sender=through, dispatch_uid=f"perms-{through.__name__}")
    # A user's own fields need no signal: is_superuser is part of the key, is_active is checked first.
    for model in (Group, Permission):
        post_save.connect(bump_permissions_version, sender=model, dispatch_uid=f"perms-save-{model.__name__}")
        post_delete.connect(bump_permissions_version, sender=model, dispatch_uid=f"perms-delete-{model.__name__}")
