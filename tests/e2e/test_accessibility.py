"""axe-core on every main page of every role: no serious or critical violation.

axe.min.js is vendored from the axe-core npm package (tests/e2e/vendor/axe-core/, see README).
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_violations, log_in, smallest_chart_scale
from tests.e2e.pages import populate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("persona", ["alice", "dora", "rita", "leo", "ada"])
def test_every_main_page_has_no_serious_accessibility_violation(page, live_server, units, personas, persona):
    pages = populate(units, personas)[persona]
    # 1024 px: a laptop, the narrowest desktop layout (quarter-width cards are smallest here).
    page.set_viewport_size({"width": 1024, "height": 900})
    log_in(page, live_server, persona)
    found = {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        violations = axe_violations(page)
        if smallest_chart_scale(page) < 0.99:
            violations.append("a trend chart is scaled down below its 12 px labels")
        if violations:
            found[path] = violations
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)
