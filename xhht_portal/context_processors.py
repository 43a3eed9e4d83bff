from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from xhht_portal.home import nav_items, portal_place


def _menu(request) -> list[dict]:
    """The top menu, with the item of the current page marked (the longest URL that prefixes the path)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [
        {"url": reverse("home"), "label": _("Trang chủ")},
        {"url": reverse("targets:plan"), "label": _("Chương trình")},
        *nav_items(request),
    ]
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("Quản trị")})
    path = request.path
    matches = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    current = max(matches, key=lambda item: len(item["url"]), default=None)
    return [{**item, "current": item is current} for item in items]


def portal(request) -> dict:
    return {
        "portal_issuer": settings.XHHT_ISSUER,
        "portal_place": portal_place(request, settings.XHHT_PLACE),
        "nav_menu": _menu(request),
    }
