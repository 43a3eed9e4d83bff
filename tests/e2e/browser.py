"""What every browser journey does: log in and out through the real form."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # Left the login page: holds at any width (on a phone the logout button is in the folded menu).
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
