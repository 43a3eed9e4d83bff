"""Permission cases for the report entry and review pages."""

from tests.matrix import Case, everyone
from tests.reporting.submission_factories import open_period, submitted_report

OFFICERS_ONLY = everyone(403, anonymous=302, alice=200, bob=200, dora=200)


def cases(world) -> list[Case]:
    period = open_period("2018-H1")
    submission = submitted_report(world["alice"].unit, period, world["alice"])
    pk = {"pk": submission.pk}
    # alice's own report: she sees it; bob and dora are outside the unit (404); the others see all units.
    own_or_all = everyone(200, anonymous=302, bob=404, dora=404)
    # ada is a superuser: Django gives her every permission, review included.
    reviewer_post = everyone(403, anonymous=302, bob=404, dora=404, rita=302, ada=302)
    return [
        Case("reporting:submission_list", expect=everyone(200, anonymous=302)),
        Case("reporting:submission_list", method="post", expect=everyone(405)),
        Case("reporting:review_queue", expect=everyone(403, anonymous=302, rita=200, leo=200, ada=200)),
        Case(
            "reporting:review_queue",
            query="period=2018-H1&state=submitted",
            expect=everyone(403, anonymous=302, rita=200, leo=200, ada=200),
        ),
        Case("reporting:submission_edit", {"period_code": "2018-H1"}, expect=OFFICERS_ONLY),
        Case(
            "reporting:submission_edit",
            {"period_code": "2099-XX"},
            expect=everyone(403, anonymous=302, alice=404, bob=404, dora=404),
        ),
        # Lương Minh only exists from 2024: no officer here has it, but a unit not expected is 404.
        Case("reporting:submission_edit", {"period_code": "2018-H1"}, method="put", expect=everyone(405)),
        Case(
            "reporting:submission_edit",
            {"period_code": "2018-H1"},
            method="post",
            data={"version": "0", "action": "save"},
            # alice's report is submitted: her save is refused on the page (200); bob's and dora's are new drafts.
            expect=everyone(403, anonymous=302, alice=200, bob=302, dora=302),
        ),
        Case("reporting:submission_template", {"period_code": "2018-H1"}, expect=OFFICERS_ONLY),
        Case("reporting:submission_template", {"period_code": "2018-H1"}, method="post", expect=everyone(405)),
        Case(
            "reporting:submission_upload",
            {"period_code": "2018-H1"},
            method="post",
            expect=everyone(403, anonymous=302, alice=200, bob=200, dora=200),
        ),
        Case("reporting:submission_upload", {"period_code": "2018-H1"}, expect=everyone(405)),
        Case("reporting:submission_detail", pk, expect=own_or_all),
        Case("reporting:submission_detail", pk, method="post", expect=everyone(405)),
        Case("reporting:submission_detail", {"pk": 999999}, expect=everyone(404, anonymous=302)),
        Case("reporting:submission_history", pk, expect=own_or_all),
        Case("reporting:submission_history", pk, method="post", expect=everyone(405)),
        Case("reporting:submission_return", pk, method="post", data={"reason": "Sai số"}, expect=reviewer_post),
        Case("reporting:submission_return", pk, expect=everyone(405)),
        Case("reporting:submission_approve", pk, method="post", expect=reviewer_post),
        Case("reporting:submission_approve", pk, expect=everyone(405)),
        # Reopening a report that is not approved is refused with a message, still a redirect for rita.
        Case("reporting:submission_reopen", pk, method="post", data={"reason": "Sửa"}, expect=reviewer_post),
        Case("reporting:submission_reopen", pk, expect=everyone(405)),
        Case(
            "reporting:submission_extend",
            {"period_code": "2018-H1", "unit_code": "06982"},
            method="post",
            data={"until": "2030-01-01"},
            expect=everyone(403, anonymous=302, rita=302, ada=302),
        ),
        Case(
            "reporting:submission_extend",
            {"period_code": "2018-H1", "unit_code": "BACHE"},
            method="post",
            data={"until": "2030-01-01"},
            expect=everyone(403, anonymous=302, rita=404, leo=404, ada=404),
        ),
        Case("reporting:submission_extend", {"period_code": "2018-H1", "unit_code": "06982"}, expect=everyone(405)),
    ]
