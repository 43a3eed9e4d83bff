"""Bad values in the inputs the kernel owns: sign-in, the language switch, job ids, and a NUL in
any path (a 404 for every app's URL, PostgreSQL included)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/reports/period/%00/",
        "/reports/period/2018-H1%00/excel/",
        "/reports/review/%00/06973/extend/",
        "/dashboard/%00/completeness/",
        "/dashboard/%00/report.xlsx",
        "/documents/report/BACHE/%00/",
        "/documents/report/%00/2018-H1/report.pdf",
        "/plan/%00/",
        "/recognition/%00/",
    ],
)
def test_a_null_character_in_any_path_is_the_vietnamese_404(login, rita, path):
    response = login(rita).get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize("pk", ["9" * 25, "0"])
def test_a_job_that_does_not_exist_is_a_404(login, alice, pk):
    client = login(alice)
    for suffix in ("", "status.json", "download"):
        assert client.get(f"/jobs/{pk}/{suffix}").status_code == 404
    assert client.post(f"/jobs/{pk}/retry").status_code == 404


@pytest.mark.parametrize("language", ["xx", "\x00", "", "vi" * 500])
@pytest.mark.parametrize("next_url", ["javascript:alert(1)", "https://evil.example/", "//evil.example/", "\x00"])
def test_language_switch_with_an_unknown_language_or_foreign_next_stays_vietnamese_and_home(
    login, alice, language, next_url
):
    client = login(alice)
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and not response["Location"].startswith("javascript")
    assert 'lang="vi"' in client.get(reverse("home")).content.decode()


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "Trường này là bắt buộc."),
        ("   ", PASSWORD, "Trường này là bắt buộc."),
        ("a" * 10_000, PASSWORD, "Giá trị này chỉ có tối đa 150 kí tự"),
        ("alice\x00", PASSWORD, "Không được có ký tự rỗng (NUL)"),
        ("alice", "x" * 10_000, WRONG),
    ],
    ids=["blank", "whitespace", "too-long", "nul", "long-password"],
)
def test_sign_in_with_bad_values_is_refused_in_vietnamese(client, alice, username, password, message):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if username == "alice":
        assert 'value="alice"' in page  # the name typed is kept; the password never is
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exclude(username__in=["alice", "   ", ""]).exists()
