"""A person logs in with each role, opens the plan, and switches language, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("persona", ["alice", "dora", "rita", "leo", "ada"])
def test_each_role_logs_in_and_opens_the_plan(page, live_server, personas, persona, artifacts_dir):
    log_in(page, live_server, persona)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"home-{persona}.png", full_page=True)
    page.get_by_role("link", name="Chương trình", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ba Chẽ")
    expect(page.get_by_text("66,7%", exact=True)).to_be_visible()


def test_login_page_then_plan_in_english(page, live_server, alice, artifacts_dir):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.screenshot(path=artifacts_dir / "login.png", full_page=True)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/plan/")
    page.screenshot(path=artifacts_dir / "plan-vi.png", full_page=True)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("columnheader", name="Year 2018")).to_be_visible()
    page.screenshot(path=artifacts_dir / "plan-en.png", full_page=True)
