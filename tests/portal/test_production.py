"""Production settings, run the way a server runs them: in a subprocess with the documented environment."""

from __future__ import annotations

import json
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


# ------------------------------------------------------------------ login throttling behind nginx


@pytest.fixture(scope="module")
def lockout_probe(tmp_path_factory) -> dict:
    """tests/portal/lockout_probe.py run once with the production settings and documented environment."""
    scratch = tmp_path_factory.mktemp("lockout")
    env = documented_environment(
        DATABASE_URL=f"sqlite:///{scratch / 'probe.sqlite3'}", DJANGO_ALLOWED_HOSTS="testserver"
    )
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "tests" / "portal" / "lockout_probe.py")],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    line = next((line for line in result.stdout.splitlines() if line.startswith("RESULT ")), None)
    assert line, result.stdout + result.stderr
    return json.loads(line.removeprefix("RESULT "))


def test_lockout_is_keyed_on_the_forwarded_client_address_and_the_user_name(lockout_probe):
    """Production settings, requests as nginx forwards them (peer 127.0.0.1, X-Forwarded-For set)."""
    result = lockout_probe["production"]
    assert result["proxy_count"] == 1
    # Five wrong passwords from A lock the officer's name from A only (429 on the fifth).
    assert result["a_failures"] == [200, 200, 200, 200, 429]
    assert result["a_right_password"] == 429
    # The officer still logs in from B, and another officer from A: the proxy's address is not locked.
    assert result["b_right_password"] == 302
    assert result["a_other_user"] == 302
    # A forged X-Forwarded-For left of the address nginx adds is ignored: the spoofer locks itself.
    assert result["spoof_failures"] == [200, 200, 200, 200, 429]
    assert result["spoofer_right_password"] == 429
    assert result["b_other_user"] == 302
    assert result["locked_addresses"] == ["192.0.2.30", "203.0.113.10"]


def test_without_the_proxy_count_every_officer_would_share_the_proxy_address(lockout_probe):
    """The failure the setting prevents: XHHT_PROXY_COUNT=0 keys on nginx's address for everyone."""
    result = lockout_probe["no_proxy_count"]
    assert result["proxy_count"] == 0
    assert result["b_right_password"] == 429
    assert result["locked_addresses"] == ["127.0.0.1"]


def test_no_axes_banner_on_management_commands():
    result = manage("check", env=documented_environment())
    assert "AXES: BEGIN" not in result.stdout + result.stderr
