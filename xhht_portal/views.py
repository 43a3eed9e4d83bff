"""Home pages per role, and the language switch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from xhht_portal.models import Role

HOME_TEMPLATES = {
    Role.COMMUNE_OFFICER: "home/officer.html",
    Role.DEPARTMENT_OFFICER: "home/officer.html",
    Role.REVIEWER: "home/reviewer.html",
    Role.LEADER: "home/leader.html",
    Role.ADMIN: "home/admin.html",
}


@require_GET
@login_required
def home(request):
    """Each role lands on its own page; what is on it comes from the apps' home_context hooks."""
    from xhht_portal.home import home_context

    role = Role.ADMIN if request.user.is_superuser and request.user.role not in Role.values else request.user.role
    template = HOME_TEMPLATES.get(role, "home/officer.html")
    return render(request, template, home_context(request))


@require_POST
def set_language(request):
    return django_set_language(request)
