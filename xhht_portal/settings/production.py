"""Production: refuses to start without a real secret key and allowed hosts.

Everything a server needs comes from the environment (docs/DEPLOY.md lists it, deploy/xhht.env.example
is a template). With that environment ``python manage.py check --deploy`` reports nothing.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")

STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or STATIC_ROOT  # noqa: F405

# HTTPS is terminated by nginx (deploy/nginx/xhht.conf), which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The load balancer and systemd probe /health/ over plain HTTP on the private address.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Offices share computers: closing the browser ends the session, and it expires anyway after
# DJANGO_SESSION_AGE seconds (8 hours by default, set in base).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Preloading into browsers' HSTS lists is a one-way decision for the whole domain (often a
# *.gov.vn name run by the province), so it stays off unless DJANGO_HSTS_PRELOAD=1; check --deploy
# would otherwise warn about it on every run.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Persistent connections, checked before reuse: after a PostgreSQL restart the first request
# opens a fresh connection instead of failing on the dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Client address for login throttling (xhht_portal.client_ip): one trusted proxy (nginx, which sets
# X-Forwarded-For) in front of gunicorn unless XHHT_PROXY_COUNT says otherwise; gunicorn listens on
# loopback or a private address only, so nothing reaches it without passing the proxies.
XHHT_PROXY_COUNT = int(os.environ.get("XHHT_PROXY_COUNT", "1"))

# Mail: always SMTP in production (check --deploy refuses the console backend). By default the
# local mail relay (postfix on localhost:25), or the office's relay from XHHT_SMTP_*.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("XHHT_SMTP_HOST") or "localhost",
            "port": int(os.environ.get("XHHT_SMTP_PORT") or "25"),
            "username": os.environ.get("XHHT_SMTP_USER", ""),
            "password": os.environ.get("XHHT_SMTP_PASSWORD", ""),
            "use_tls": env_bool("XHHT_SMTP_STARTTLS", False),
            "timeout": 20,
        },
    }
}
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "xhht@localhost"))

# Logs go to stdout (journald or the container runtime collects them); one line per record.
LOGGING = {
    **LOGGING,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
