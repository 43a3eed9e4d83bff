import pytest
from django.urls import reverse

from xhht_portal.models import Role


def test_anonymous_visitor_is_sent_to_the_vietnamese_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    page = client.get(response.url)
    assert "Đăng nhập" in page.content.decode()


def test_wrong_password_shows_a_vietnamese_message_and_keeps_the_username(client, alice):
    page = client.post(reverse("login"), {"username": "alice", "password": "sai-mat-khau"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "không đúng" in body and 'value="alice"' in body


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("alice", "Xã Thanh Sơn"),
        ("dora", "Phòng Nội vụ"),
        ("rita", "Cơ quan thường trực Ban chỉ đạo"),
        ("leo", "Lãnh đạo"),
        ("ada", "Quản trị hệ thống"),
    ],
)
def test_each_role_lands_on_its_own_home_page(personas, login, persona, heading):
    page = login(personas[persona]).get(reverse("home"))
    assert page.status_code == 200
    assert heading in page.content.decode()


def test_plan_page_shows_targets_side_by_side_with_notes(login, alice):
    body = login(alice).get(reverse("targets:plan")).content.decode()
    for text in ("Năm 2016", "Năm 2018", "Năm 2020", "66,7%", "6,5–7,5%", "300/1 vạn dân", "65 cộng đồng"):
        assert text in body


def test_language_switch_shows_english(login, alice):
    client = login(alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("targets:plan")})
    assert response.status_code == 302
    body = client.get(reverse("targets:plan")).content.decode()
    assert 'lang="en"' in body and "Year 2018" in body


def test_language_switch_refuses_get(client, db):
    assert client.get(reverse("set_language")).status_code == 405


def test_role_groups_carry_the_default_permissions(rita, leo, alice):
    assert rita.has_perm("reporting.review_submission")
    assert leo.has_perm("reporting.view_all_units") and not leo.has_perm("reporting.review_submission")
    assert not alice.has_perm("reporting.view_all_units")
    assert alice.groups.get().name == f"role:{Role.COMMUNE_OFFICER}"


def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(client, db):
    body = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in body and "Đăng nhập" in body


def test_full_names_are_written_the_vietnamese_way(db):
    from xhht_portal.models import User

    assert User(username="hoa", last_name="Nguyễn Thị", first_name="Hoa").get_full_name() == "Nguyễn Thị Hoa"


def test_years_are_never_printed_with_a_thousands_separator(login, alice):
    body = login(alice).get(reverse("targets:plan")).content.decode()
    assert "2018:" in body and "2.018" not in body and "2,018" not in body
