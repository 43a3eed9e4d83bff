"""GET /health/: the database check the load balancer and systemd rely on."""

from __future__ import annotations

from django.db import OperationalError
from django.urls import reverse


def test_health_says_ok_with_a_working_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["checks"] == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_needs_no_login_and_sets_no_session_cookie(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_health_says_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from xhht_portal import health

    class DeadCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    with monkeypatch.context() as patched:
        patched.setattr(health.connection, "cursor", lambda: DeadCursor())
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {**response.json(), "status": "unavailable", "checks": {"database": "unavailable"}}


def test_health_checks_the_shared_cache_when_redis_is_configured(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    response = client.get(reverse("health"))
    # The test settings keep the in-memory cache, which always works.
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
