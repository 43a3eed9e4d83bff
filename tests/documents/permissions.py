"""Permission cases of every documents URL (collected by tests/portal/test_permission_matrix.py)."""

from __future__ import annotations

from documents import services
from tests.documents.factories import narrative_report, open_period, pdf_bytes
from tests.matrix import Case, everyone

# The committee's report: those who see every unit read it; officers of other units do not see it (404).
COMMITTEE_READ = everyone(200, anonymous=302, alice=404, bob=404, dora=404)
# Written by the standing agency (review permission: rita; ada is a superuser); leo reads only (403).
COMMITTEE_WRITE = everyone(302, anonymous=302, alice=404, bob=404, dora=404, leo=403)
# alice's own report: she and the roles that see every unit; other units' officers get 404.
OWN_READ = everyone(200, anonymous=302, bob=404, dora=404)
GET_ONLY = everyone(405)


def cases(world) -> list[Case]:
    alice, rita = world["alice"], world["rita"]
    period = open_period("2019-H1")
    submission = narrative_report(alice.unit, period, alice, reviewer=rita)
    own_copy = services.signed_copy_add(
        by=alice, data=pdf_bytes(), content_type="application/pdf", original_name="ban-ky.pdf", submission=submission
    )
    # 2019-Y: issued, with a signed copy; 2019-H1: nothing compiled yet.
    year = open_period("2019-Y")
    report = services.report_compile(unit=world["units"]["BACHE"], period=year, by=rita)
    issue = services.report_issue(
        report=report, by=rita, narrative=report.narrative, version=report.version, number=4, date=year.end
    )
    issue_copy = services.signed_copy_add(
        by=rita, data=pdf_bytes(), content_type="application/pdf", original_name="bc.pdf", issue=issue
    )
    h1 = {"unit_code": "BACHE", "period_code": "2019-H1"}
    issued = {"unit_code": "BACHE", "period_code": "2019-Y"}
    pk = {"pk": submission.pk}
    return [
        Case("documents:report_index", expect=everyone(403, anonymous=302, rita=200, leo=200, ada=200)),
        Case("documents:report_index", method="post", expect=GET_ONLY),
        Case("documents:report_page", h1, expect=COMMITTEE_READ),
        Case("documents:report_page", issued, expect=COMMITTEE_READ),
        Case(
            "documents:report_page",
            {"unit_code": "06973", "period_code": "2019-H1"},
            expect=everyone(404, anonymous=302),
        ),
        Case(
            "documents:report_page",
            {"unit_code": "BACHE", "period_code": "2099-X"},
            expect=everyone(404, anonymous=302, alice=404),
        ),
        # No draft yet: the standing agency is sent back to the page with a message.
        Case("documents:report_page", h1, method="post", data={"action": "save"}, expect=COMMITTEE_WRITE),
        Case(
            "documents:report_page",
            issued,
            method="post",
            data={"action": "save", "version": str(report.version + 1), "task_1": "Sửa"},
            expect=everyone(302, anonymous=302, alice=404, bob=404, dora=404, leo=403),
        ),
        Case("documents:report_page", h1, method="put", expect=GET_ONLY),
        Case("documents:report_compile", h1, method="post", expect=COMMITTEE_WRITE),
        Case("documents:report_compile", h1, expect=GET_ONLY),
        Case("documents:report_pdf", issued, expect=COMMITTEE_READ),
        Case("documents:report_pdf", issued, query="revision=1", expect=COMMITTEE_READ),
        Case("documents:report_pdf", issued, query="revision=x", expect=everyone(404, anonymous=302)),
        Case("documents:report_pdf", issued, method="post", expect=GET_ONLY),
        Case(
            "documents:report_signed_upload",
            issued,
            method="post",
            expect=everyone(200, anonymous=302, alice=404, bob=404, dora=404, leo=403),
        ),
        Case("documents:report_signed_upload", h1, method="post", expect=COMMITTEE_WRITE),
        Case("documents:report_signed_upload", issued, expect=GET_ONLY),
        Case("documents:submission_pdf", pk, expect=OWN_READ),
        Case("documents:submission_pdf", {"pk": 999999}, expect=everyone(404, anonymous=302)),
        Case("documents:submission_pdf", pk, method="post", expect=GET_ONLY),
        Case("documents:submission_signed", pk, expect=everyone(403, anonymous=302, alice=200, bob=404, dora=404)),
        # No file chosen: alice sees the message on the page (200).
        Case(
            "documents:submission_signed",
            pk,
            method="post",
            expect=everyone(403, anonymous=302, alice=200, bob=404, dora=404),
        ),
        Case("documents:submission_signed", pk, method="put", expect=GET_ONLY),
        Case("documents:signed_copy_download", {"pk": own_copy.pk}, expect=OWN_READ),
        Case("documents:signed_copy_download", {"pk": issue_copy.pk}, expect=COMMITTEE_READ),
        Case("documents:signed_copy_download", {"pk": 999999}, expect=everyone(404, anonymous=302)),
        Case("documents:signed_copy_download", {"pk": own_copy.pk}, method="post", expect=GET_ONLY),
        # Withdrawn by whoever may upload to that document: alice her unit's copy, the standing agency
        # (rita; ada a superuser) the committee's; read-only roles 403, outsiders 404.
        Case(
            "documents:signed_copy_withdraw",
            {"pk": own_copy.pk},
            method="post",
            data={"reason": "Quét nhầm."},
            expect=everyone(403, anonymous=302, alice=302, bob=404, dora=404),
        ),
        Case(
            "documents:signed_copy_withdraw",
            {"pk": issue_copy.pk},
            method="post",
            data={"reason": "Quét nhầm."},
            expect=everyone(403, anonymous=302, alice=404, bob=404, dora=404, rita=302, ada=302),
        ),
        # No reason: the page again with the message (200) for those allowed.
        Case(
            "documents:signed_copy_withdraw",
            {"pk": issue_copy.pk},
            method="post",
            expect=everyone(403, anonymous=302, alice=404, bob=404, dora=404, rita=200, ada=200),
        ),
        Case("documents:signed_copy_withdraw", {"pk": 999999}, method="post", expect=everyone(404, anonymous=302)),
        Case("documents:signed_copy_withdraw", {"pk": own_copy.pk}, expect=GET_ONLY),
    ]
