from __future__ import annotations

from django.conf import settings


def portal(request) -> dict:
    return {"portal_issuer": settings.XHHT_ISSUER, "portal_place": settings.XHHT_PLACE}
