"""What every browser journey does: log in and out through the real form; check a page with axe-core."""

import re
from pathlib import Path

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


# axe-core, vendored from the axe-core npm package (tests/e2e/vendor/axe-core/, see README).
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, *, impacts=("serious", "critical")) -> list[str]:
    """Load axe-core into the page and run it.

    Evaluated through the DevTools protocol, which the page's strict CSP does not govern: a
    <script> tag (add_script_tag) would be refused, and bypass_csp would hide the CSP we test.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n')[1])}));
        }"""
    )
    return [f"{v['impact']} {v['id']}: {v['help']} @ {v['nodes']}" for v in result if v["impact"] in impacts]


def smallest_chart_scale(page) -> float:
    """How much the page shrinks its server-drawn trend charts (1.0 = drawn size, labels at 12 px)."""
    return page.evaluate(
        """() => Math.min(1, ...Array.from(document.querySelectorAll('svg.trend-chart')).map(
            svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width))"""
    )
