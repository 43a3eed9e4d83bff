"""The province leadership drills from the province to xã Ba Chẽ to a village; the xã Ba Chẽ officer
sees their own commune's progress page (the Quảng Ninh demo of the two-tier government)."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.browser import axe_violations, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    from xhht_portal.models import User

    call_command("load_demo", stdout=StringIO())
    for user in User.objects.filter(username__in=["tinh.lanhdao", "xa.bache", "xa.bache.lanhdao"]):
        user.set_password(PASSWORD)
        user.save()


def _shoot(page, artifacts_dir, name):
    page.screenshot(path=artifacts_dir / f"{name}-desktop.png", full_page=True)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts_dir / f"{name}-390.png", full_page=True)
    page.set_viewport_size(size)


def test_province_leadership_drills_down_then_a_commune_officer_sees_their_page(page, live_server, demo, artifacts_dir):
    """One journey over one demo load (loading the demo takes 15 s): the province's leadership
    drills down to a village, looks at a mapped trend and an assigned target; then the xã Ba Chẽ
    officer signs in and sees their own progress page."""
    _province_leadership_drills_down_to_a_village(page, live_server, artifacts_dir)
    _a_mapped_trend_and_a_lower_assigned_target_show_on_the_commune_pages(page, live_server, artifacts_dir)
    log_out(page)
    _the_commune_officer_sees_their_progress_page(page, live_server)


def _province_leadership_drills_down_to_a_village(page, live_server, artifacts_dir):
    log_in(page, live_server, "tinh.lanhdao")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator(".node-name")).to_have_text("Tỉnh Quảng Ninh")
    expect(page.get_by_text("Kế hoạch thực hiện Đề án").first).to_be_visible()
    expect(page.get_by_text("Năm 2025", exact=True).first).to_be_visible()
    assert not axe_violations(page)
    _shoot(page, artifacts_dir, "node-province")

    page.get_by_role("link", name="Các đơn vị trực thuộc").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tình hình nộp báo cáo")
    page.get_by_role("link", name="Xã Ba Chẽ", exact=True).click()
    expect(page.locator(".node-name")).to_have_text("Xã Ba Chẽ")
    expect(page.get_by_role("navigation", name="Cấp đơn vị")).to_contain_text("Tỉnh Quảng Ninh")
    expect(page.get_by_text("Số liệu quy đổi từ các đơn vị cũ").first).to_be_visible()
    _shoot(page, artifacts_dir, "node-commune")

    page.get_by_role("link", name="Các đơn vị trực thuộc").click()
    village = page.locator("tbody th a").first
    name = village.inner_text()
    village.click()
    expect(page.locator(".node-name")).to_have_text(name)
    expect(page.get_by_role("navigation", name="Cấp đơn vị")).to_contain_text("Xã Ba Chẽ")


def _a_mapped_trend_and_a_lower_assigned_target_show_on_the_commune_pages(page, live_server, artifacts_dir):
    import datetime as dt

    from units.models import Unit

    luong_minh = Unit.objects.resolve("06985", on=dt.date(2025, 7, 1))
    page.goto(f"{live_server.url}/dashboard/unit/{luong_minh.pk}/?period=2025-Y")
    note = page.locator(".mapped-note").first
    expect(note).to_contain_text("Số liệu quy đổi từ các đơn vị cũ (2025-H1)")
    expect(note).to_contain_text("Xã Đồng Sơn")
    _shoot(page, artifacts_dir, "node-mapped-trend")
    ky_thuong = Unit.objects.resolve("06979", on=dt.date(2025, 7, 1))
    page.goto(f"{live_server.url}/dashboard/unit/{ky_thuong.pk}/?period=2025-Y")
    expect(page.get_by_text("Chỉ tiêu được giao riêng (chương trình: 23%)").first).to_be_visible()


def _the_commune_officer_sees_their_progress_page(page, live_server):
    log_in(page, live_server, "xa.bache")
    page.get_by_role("link", name="Tiến độ", exact=True).first.click()
    expect(page.locator(".node-name")).to_have_text("Xã Ba Chẽ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ thực hiện chương trình")
    log_out(page)
