"""Permissions are cached between requests, and a change to them counts from the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht_portal.models import User

pytestmark = pytest.mark.django_db

REVIEW = "reporting.review_submission"


def fresh(user: User) -> User:
    """The user as the next request loads it (no per-object permission cache)."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_no_permission_table(units, rita):
    assert fresh(rita).has_perm(REVIEW)
    with CaptureQueriesContext(connection) as queries:
        assert fresh(rita).has_perm(REVIEW)
    assert not [q for q in queries if "auth_permission" in q["sql"]]


def test_leaving_a_group_takes_the_permission_away_at_once(units, rita, django_capture_on_commit_callbacks):
    assert fresh(rita).has_perm(REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        rita.groups.clear()
    assert not fresh(rita).has_perm(REVIEW)


def test_a_permission_taken_from_a_group_is_gone_at_once(units, rita, django_capture_on_commit_callbacks):
    assert fresh(rita).has_perm(REVIEW)
    permission = Permission.objects.get(codename="review_submission")
    with django_capture_on_commit_callbacks(execute=True):
        for group in Group.objects.filter(permissions=permission):
            group.permissions.remove(permission)
        rita.user_permissions.remove(permission)
    assert not fresh(rita).has_perm(REVIEW)


def test_a_permission_given_to_one_user_counts_at_once(units, alice, django_capture_on_commit_callbacks):
    assert not fresh(alice).has_perm(REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        alice.user_permissions.add(Permission.objects.get(codename="review_submission"))
    assert fresh(alice).has_perm(REVIEW)


def test_a_deactivated_or_demoted_user_loses_everything_at_once(units, rita):
    assert fresh(rita).has_perm(REVIEW)
    User.objects.filter(pk=rita.pk).update(is_active=False)  # no signal: checked before the cache
    assert not fresh(rita).has_perm(REVIEW)
    User.objects.filter(pk=rita.pk).update(is_active=True, is_superuser=True)
    assert fresh(rita).has_perm("recognition.decide_nomination")
    User.objects.filter(pk=rita.pk).update(is_superuser=False)  # part of the key
    user = fresh(rita)
    assert user.has_perm(REVIEW) and not user.is_superuser
