"""GET /health/: is this app instance able to serve? For the load balancer, systemd and monitoring.

It answers without login or session, checks the database with one ``SELECT 1`` (and the shared
cache when Redis is configured), and says 200 or 503 in JSON. Nothing about the data is shown.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health: database unavailable: %s", exc)
        # A dead persistent connection would otherwise be reused by the next request.
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("xhht:health", "ok", 10)
        return "ok" if cache.get("xhht:health") == "ok" else "unavailable"
    except Exception as exc:  # noqa: BLE001 — any cache client error means "not healthy"
        logger.warning("health: cache unavailable: %s", exc)
        return "unavailable"


@never_cache
@require_GET
def health(request):
    started = time.monotonic()
    checks = {"database": _check_database()}
    if getattr(settings, "REDIS_URL", ""):
        checks["cache"] = _check_cache()
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)
