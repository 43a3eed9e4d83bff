"""Error responses that must work when the database does not: the 500/503 handler and the lockout page.

While PostgreSQL restarts, every request that needs it fails. The person should see a clean
Vietnamese page that says nothing was saved and to try again shortly (503 with Retry-After, so a
load balancer or a script knows it is temporary), never a stack trace.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request, template_name: str = "500.html"):
    """handler500: 503 when the database is unreachable, the plain 500 page otherwise.

    Django calls it inside the ``except`` block that caught the error, so ``sys.exc_info()`` is
    the exception. It renders without a request context: no session, user or query.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' page after too many wrong passwords: Vietnamese, 429, with the wait in minutes."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "errors/lockout.html", context, status=429)
