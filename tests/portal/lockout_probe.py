"""Run by tests/portal/test_production.py in a subprocess with the production settings and the
documented environment: wrong passwords through the proxy, as nginx forwards them.

Prints one JSON line: the HTTP status of each step. Uses a scratch SQLite database (DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "xhht_portal.settings.production"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

# The departures from production, neither of which touches throttling: pages link static files
# without a collectstatic manifest, and passwords are hashed fast (26 logins).
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()
call_command("migrate", verbosity=0)

from xhht_portal.models import User  # noqa: E402

PASSWORD = "Mat-khau-dung-2026"
for name in ("officer", "other"):
    User.objects.create_user(username=name, password=PASSWORD)

PROXY = "127.0.0.1"  # nginx, the only peer gunicorn ever sees
A, B, C = "203.0.113.10", "198.51.100.20", "192.0.2.30"


def client(forwarded: str) -> Client:
    # What nginx sends: its own address as the peer, the client's in X-Forwarded-For, HTTPS.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded, HTTP_X_FORWARDED_PROTO="https")


def login(c: Client, username: str, password: str) -> int:
    return c.post("/accounts/login/", {"username": username, "password": password}, secure=True).status_code


def scenario() -> dict[str, object]:
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    result: dict[str, object] = {"proxy_count": settings.XHHT_PROXY_COUNT}
    from_a = client(A)
    result["a_failures"] = [login(from_a, "officer", "sai-mat-khau") for _ in range(settings.AXES_FAILURE_LIMIT)]
    result["a_right_password"] = login(from_a, "officer", PASSWORD)
    result["b_right_password"] = login(client(B), "officer", PASSWORD)
    result["a_other_user"] = login(client(A), "other", PASSWORD)
    # A client that writes its own X-Forwarded-For: nginx appends the real address after it (or
    # overwrites it), so only the right-most address counts. Five failures from C pretending to be
    # B lock C, not B.
    spoofer = client(f"{B}, {C}")
    result["spoof_failures"] = [login(spoofer, "other", "sai-mat-khau") for _ in range(settings.AXES_FAILURE_LIMIT)]
    result["spoofer_right_password"] = login(client(f"{B}, {C}"), "other", PASSWORD)
    result["b_other_user"] = login(client(B), "other", PASSWORD)
    result["locked_addresses"] = sorted(
        {a.ip_address for a in AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)}
    )
    return result


results = {"production": scenario()}
# The failure the setting prevents, shown once: without the proxy count every request is nginx's.
with override_settings(XHHT_PROXY_COUNT=0):
    results["no_proxy_count"] = scenario()
print("RESULT " + json.dumps(results))
