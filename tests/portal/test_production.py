"""Production settings, run the way a server runs them: in a subprocess with the documented environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
ENV_EXAMPLE = BASE_DIR / "deploy" / "xhht.env.example"
SCRATCH = Path(tempfile.mkdtemp(prefix="xhht-production-test-"))


def documented_environment(**overrides: str) -> dict[str, str]:
    """deploy/xhht.env.example with a real secret key, as systemd would pass it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "XHHT_", "REDIS_"))}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    # No database is needed by these commands; keep the test independent of PostgreSQL.
    env["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'unused.sqlite3'}"
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_the_documented_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=documented_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_check_deploy_warns_when_hsts_is_switched_off():
    result = manage("check", "--deploy", env=documented_environment(DJANGO_HSTS_SECONDS="0"))
    assert "security.W004" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = documented_environment()
    env.pop(missing)
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_the_development_secret_key():
    result = manage("check", env=documented_environment(DJANGO_SECRET_KEY="dev-only-insecure-key-change-me"))
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_are_strict():
    code = (
        "from django.conf import settings as s; "
        "print('SETTINGS', s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE, "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.STORAGES['staticfiles']['BACKEND'], "
        "s.LOGGING['handlers']['console']['stream'], len(s.AUTH_PASSWORD_VALIDATORS), s.AUTHENTICATION_BACKENDS[0])"
    )
    result = manage("shell", "-c", code, env=documented_environment())
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SETTINGS "))
    assert line.split()[1:] == [
        "False", "True", "True", "True", "31536000", "True", "28800", "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage", "ext://sys.stdout", "4",
        "axes.backends.AxesStandaloneBackend",
    ]  # fmt: skip


def test_collectstatic_builds_the_manifest_and_compressed_files(tmp_path):
    env = documented_environment(DJANGO_STATIC_ROOT=str(tmp_path))
    result = manage("collectstatic", "--noinput", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    hashed_css = list((tmp_path / "vendor" / "bootstrap").glob("bootstrap.min.*.css"))
    assert hashed_css, "manifest storage writes hashed names"
    assert list((tmp_path / "vendor" / "bootstrap").glob("bootstrap.min.*.css.br")), "WhiteNoise pre-compresses"


def test_production_sends_mail_over_smtp():
    code = (
        "from django.core.mail import mailers; m = mailers.default; print('MAILER', type(m).__module__, m.host, m.port)"
    )
    result = manage("shell", "-c", code, env=documented_environment())
    assert "MAILER django.core.mail.backends.smtp localhost 25" in result.stdout, result.stderr


def test_production_logs_go_to_stdout():
    code = "import logging; logging.getLogger('django.request').warning('ping-from-test')"
    result = manage("shell", "-c", code, env=documented_environment())
    assert "ping-from-test" in result.stdout and "ping-from-test" not in result.stderr
