"""Login throttling, the Content Security Policy, password rules and the error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.matrix import PERSONAS
from tests.portal.test_permission_matrix import collect_cases
from xhht_portal import errors

# ------------------------------------------------------------------ login throttling (django-axes)


def _wrong_login(client, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": "sai-mat-khau"})


def test_login_is_locked_after_five_wrong_passwords_with_a_vietnamese_message(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _wrong_login(client).status_code == 200
    locked = _wrong_login(client)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "tạm thời bị khóa" in body and "15 phút" in body
    # Even the right password is refused while the lock lasts.
    right = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_user_name_does_not_lock_out_other_officers(client, alice, bob):
    for _ in range(5):
        _wrong_login(client, "alice")
    other = Client()
    response = other.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_successful_login_resets_the_failure_count(client, alice):
    for _ in range(4):
        _wrong_login(client)
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _wrong_login(client).status_code == 200


def test_lockout_page_is_english_for_someone_who_chose_english(client, alice, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        locked = _wrong_login(client)
    assert locked.status_code == 429
    assert 'lang="en"' in locked.content.decode()


# ------------------------------------------------------------------ Content Security Policy

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_csp_header_allows_only_own_origin_and_nonces(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    # Django adds the nonce only to responses whose template used it.
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]+')?", directives["script-src"])
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]+')?", directives["style-src"])
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy


def _html_pages(world):
    """Every GET page of the permission matrix that some persona can open, with that persona."""
    for case in collect_cases(world):
        if case.method != "get":
            continue
        for persona in PERSONAS:
            if case.expect.get(persona) == 200:
                yield case, persona
                break


def test_no_page_has_inline_handlers_styles_or_scripts_without_the_nonce(world):
    problems = []
    for case, persona in _html_pages(world):
        client = Client()
        if persona != "anonymous":
            client.force_login(world[persona])
        url = reverse(case.name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        used_nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        nonce = used_nonce.group(1) if used_nonce else None
        for pattern, what in (
            (INLINE_HANDLER, "inline event handler"),
            (STYLE_ATTRIBUTE, "style attribute"),
            (JAVASCRIPT_URL, "javascript: URL"),
        ):
            if pattern.search(body):
                problems.append(f"{url} as {persona}: {what}: {pattern.search(body).group(0)[:80]}")
        for tag in SCRIPT_TAG.findall(body):
            if "src=" not in tag and (nonce is None or f'nonce="{nonce}"' not in tag):
                problems.append(f"{url} as {persona}: inline <script> without the nonce: {tag}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def world(personas, units):
    return {**personas, "units": units}


# ------------------------------------------------------------------ passwords and sessions


@pytest.mark.parametrize("password", ["12345678", "password", "alice2026", "abc"])
def test_weak_passwords_are_refused(alice, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=alice)


def test_a_long_unrelated_password_is_accepted(alice):
    validate_password("mua-xuan-tren-song-Ba-Che", user=alice)


def test_sessions_expire_and_cookies_are_not_readable_from_scripts(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


# ------------------------------------------------------------------ error pages


def test_unknown_page_gives_the_vietnamese_404(login, alice):
    response = login(alice).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_database_outage_gives_a_clean_503_page_with_retry_after(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "tạm thời gián đoạn" in body and "Traceback" not in body and "OperationalError" not in body


def test_other_errors_give_the_plain_500_page(db):
    request = RequestFactory().get("/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()


def test_a_view_that_raises_renders_the_500_page_through_the_handler(client, alice, monkeypatch):
    def broken_home_context(request):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("xhht_portal.home.home_context", broken_home_context)
    client.raise_request_exception = False
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.content.decode()
    assert "Content-Security-Policy" in response
