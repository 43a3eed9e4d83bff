"""On a phone, no page scrolls sideways: wide tables scroll inside their own box."""

import pytest

from tests.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "rita": ["/", "/plan/", "/reports/review/?period=2018-Y", "/dashboard/?period=2018-Y", "/recognition/review/"],
    "alice": ["/", "/reports/", "/recognition/"],
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_pages_fit_a_phone_screen(page, live_server, personas, persona, artifacts_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, persona)
    for path in PAGES[persona]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    page.screenshot(path=artifacts_dir / f"phone-{persona}.png", full_page=True)
