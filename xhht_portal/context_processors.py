from __future__ import annotations

from django.conf import settings

from xhht_portal.home import nav_items


def portal(request) -> dict:
    return {
        "portal_issuer": settings.XHHT_ISSUER,
        "portal_place": settings.XHHT_PLACE,
        "nav_extra": nav_items(request) if hasattr(request, "user") else [],
    }
