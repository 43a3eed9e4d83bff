"""Settings shared by every environment, driven by environment variables.

SQLite is the zero-setup default; set ``DATABASE_URL`` (e.g. ``postgres:///xhht``) for
PostgreSQL. Django uses psycopg 3 when it is installed, and only psycopg 3 gives Django's
built-in connection pool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "units",
    "targets",
    "reporting",
    "recognition",
    "documents",
    # Last: its post_migrate hook creates the role groups once every app's permissions exist.
    "xhht_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xhht_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xhht_portal.middleware.NullCharacterPathMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xhht_portal.urls"
WSGI_APPLICATION = "xhht_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xhht_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue at BEGIN instead of failing with "database is locked" when two of them met
    # half-way (two reviewers approving at once): the second then sees the first one's change and
    # gets the clear 409 of a stale save (reporting.services). Waits up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "xhht_portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each user's permissions cached between requests (xhht_portal/auth_backends.py).
    "xhht_portal.auth_backends.CachedPermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name from
# one address, that pair is locked for the cool-off time. Keyed on the pair so that a stranger
# cannot lock a real officer out from elsewhere, and 50 officers behind one commune NAT are not
# locked out by one mistyped password.
AXES_FAILURE_LIMIT = int(os.environ.get("XHHT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("XHHT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "xhht_portal.errors.lockout_response"
# The client address (xhht_portal.client_ip): the socket's peer when nothing is in front of Django;
# behind XHHT_PROXY_COUNT trusted reverse proxies (nginx = 1), the address the outermost of them saw,
# read from X-Forwarded-For with django-ipware. Production settings default to one proxy.
XHHT_PROXY_COUNT = int(os.environ.get("XHHT_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "xhht_portal.client_ip.client_ip"
# No "AXES: BEGIN version …" line on every manage.py command and worker start.
AXES_VERBOSE = False

# Cache and sessions: one process keeps them in memory; several app hosts share Redis
# (REDIS_URL=redis://127.0.0.1:6379/0), so a login on one host carries on through the others.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("XHHT_CACHE_PREFIX", "xhht"),
        }
    }
    SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.cache")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.db")

# Vietnamese first: message ids are Vietnamese, English is a translation (locale/en).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Off: it would print years and codes as "2.018"; figures go through targets.numbers.format_number.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("XHHT_MEDIA_ROOT") or BASE_DIR / "media")
# Uploaded files (signed copies) go through Django's storage API: MEDIA_ROOT on disk by default, an
# S3-compatible store in production with XHHT_FILE_STORAGE=storages.backends.s3.S3Storage and its
# options as JSON in XHHT_FILE_STORAGE_OPTIONS (docs/DEPLOY.md).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("XHHT_FILE_STORAGE") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": json.loads(os.environ.get("XHHT_FILE_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Strict CSP from Django 6's built-in middleware: own origin and nonces only, so no CDN and no
# inline event handlers can run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Django 6.1 mail configuration (MAILERS replaces EMAIL_BACKEND and the EMAIL_* settings).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    },
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "xhht@localhost")

# Uploads: spreadsheets are read in memory up to this size; larger files are refused.
UPLOAD_MAX_BYTES = int(os.environ.get("XHHT_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Rows in one nominee-list import: a province-wide list of households fits (100,000 rows read,
# checked and saved in about 10 s, see docs/PERFORMANCE.md).
XHHT_IMPORT_MAX_ROWS = int(os.environ.get("XHHT_IMPORT_MAX_ROWS", "100000"))
# Bounded work per uploaded workbook (xhht_portal/workbook_limits.py): its shape is measured before
# openpyxl parses anything, and a file beyond these is refused in well under a second. A report
# template has about 150 rows × 6 columns (officers' notes below it are allowed up to the row
# limit); a nominee list up to XHHT_IMPORT_MAX_ROWS rows of a few columns. "xml_mb" is the inflated
# size of the workbook's XML parts, "cells" counts every cell element, value or formatting only.
XHHT_UPLOAD_LIMITS = {
    "report": {"xml_mb": 10, "rows": 20_000, "columns": 100, "cells": 200_000},
    "nominees": {
        "xml_mb": 30,
        "rows": XHHT_IMPORT_MAX_ROWS + 1_000,
        "columns": 100,
        "cells": int(os.environ.get("XHHT_IMPORT_MAX_CELLS", str(6 * XHHT_IMPORT_MAX_ROWS))),
    },
}
# Report form: warn (without blocking) when a denominator moves by more than this share from the
# last approved period, a typo catcher (0.2 = 20%).
XHHT_DENOMINATOR_WARNING_SHARE = float(os.environ.get("XHHT_DENOMINATOR_WARNING_SHARE", "0.2"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Long work (exports, batch certificates, large imports) runs as tasks on the database queue
# (django-tasks-db): `manage.py db_worker` runs them (`make run`, `make serve`, the systemd unit
# deploy/systemd/xhht-worker.service). No extra service is needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A report covering more reporting units than this is made in the background (a progress page,
# then a download); smaller ones are sent at once.
XHHT_EXPORT_TASK_UNITS = int(os.environ.get("XHHT_EXPORT_TASK_UNITS", "100"))
# The PDF's annex listing every reporting unit is offered up to this many units (a province); the
# whole country's would be 350 pages and over 1 GB of memory: its workbook lists every unit instead.
XHHT_PDF_ANNEX_MAX_UNITS = int(os.environ.get("XHHT_PDF_ANNEX_MAX_UNITS", "2000"))
# A decision with more certificates than this has them made in the background (about 12 a second).
XHHT_CERTIFICATE_TASK_COUNT = int(os.environ.get("XHHT_CERTIFICATE_TASK_COUNT", "50"))
# A nominee list with more data rows than this is checked and saved by the worker (a progress
# page, then the outcome); a smaller one at once, in the request (2,000 rows: well under a second).
XHHT_IMPORT_TASK_ROWS = int(os.environ.get("XHHT_IMPORT_TASK_ROWS", "2000"))
# A finished job's file stays downloadable this long; `manage.py cleanup_jobs` deletes it after.
XHHT_JOB_FILE_HOURS = int(os.environ.get("XHHT_JOB_FILE_HOURS", "72"))
# A running job that has reported no progress for this long is taken for dead (worker killed or
# restarted): it is marked failed, with a Retry button, and its partial file is removed.
XHHT_JOB_STALE_SECONDS = int(os.environ.get("XHHT_JOB_STALE_SECONDS", "600"))

# The issuing body and place of the district report (Decree 30/2020 header); a province or a
# post-2025 commune running the portal changes these, not code.
# Empty (the default): the committee's superior body is the plan owner's People's Committee, and the
# place is the owner's name ("UBND HUYỆN BA CHẼ", Ba Chẽ; "UBND TỈNH QUẢNG NINH", Quảng Ninh).
XHHT_ISSUER_PARENT = os.environ.get("XHHT_ISSUER_PARENT", "")
XHHT_ISSUER = os.environ.get("XHHT_ISSUER", "BAN CHỈ ĐẠO XÂY DỰNG XHHT")
XHHT_PLACE = os.environ.get("XHHT_PLACE", "Ba Chẽ")
XHHT_REPORT_SYMBOL = os.environ.get("XHHT_REPORT_SYMBOL", "BC-BCĐ")
XHHT_SIGNER_TITLE = os.environ.get("XHHT_SIGNER_TITLE", "TRƯỞNG BAN")
XHHT_SIGNER_NAME = os.environ.get("XHHT_SIGNER_NAME", "")
# Largest scan of a signed, stamped report accepted (PDF or JPEG).
XHHT_SIGNED_COPY_MAX_BYTES = int(os.environ.get("XHHT_SIGNED_COPY_MAX_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every layout step at INFO, and django-axes announces its
        # configuration on every manage.py command: only their warnings matter.
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes.apps")},
        # Django's own console handler (DEBUG only) would print runserver's lines a second time
        # through the root handler above.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # `make run` starts the task worker with its own reloader: it sets this to WARNING there, so
        # "Watching for file changes" is printed once, by the dev server.
        "django.utils.autoreload": {"level": os.environ.get("XHHT_AUTORELOAD_LOG_LEVEL", "INFO")},
    },
}

# The portal's address as people type it, for links in e-mails sent outside a request (reminders).
XHHT_PORTAL_URL = os.environ.get("XHHT_PORTAL_URL", "http://127.0.0.1:8000")
