"""Permission cases for the dashboard and the district report downloads."""

from tests.matrix import Case, everyone

# Reviewer, leader and admin see every unit; officers are logged in but not allowed.
SEES_ALL = everyone(403, anonymous=302, rita=200, leo=200, ada=200)


def cases(world) -> list[Case]:
    from targets.models import Target

    target = Target.objects.get(indicator__code="I04", year=2018)
    period = {"period_code": "2018-Y"}
    return [
        Case("reporting:dashboard", expect=SEES_ALL),
        Case("reporting:dashboard", query="period=2018-H1", expect=SEES_ALL),
        Case(
            "reporting:dashboard",
            query="period=nope",
            expect=everyone(404, anonymous=302, alice=403, bob=403, dora=403),
        ),
        Case("reporting:dashboard", method="post", expect=everyone(405)),
        Case("reporting:dashboard_target", {**period, "pk": target.pk}, expect=SEES_ALL),
        Case(
            "reporting:dashboard_target",
            {"period_code": "2019-Y", "pk": target.pk},  # not that period's milestone
            expect=everyone(404, anonymous=302, alice=403, bob=403, dora=403),
        ),
        Case("reporting:dashboard_target", {**period, "pk": target.pk}, method="post", expect=everyone(405)),
        Case("reporting:dashboard_completeness", period, expect=SEES_ALL),
        Case(
            "reporting:dashboard_completeness",
            {"period_code": "1999-Y"},
            expect=everyone(404, anonymous=302, alice=403, bob=403, dora=403),
        ),
        Case("reporting:dashboard_completeness", period, method="post", expect=everyone(405)),
        Case("reporting:dashboard_pdf", period, expect=SEES_ALL),
        # POST makes the report in the background: a job, then its progress page.
        Case(
            "reporting:dashboard_pdf",
            period,
            method="post",
            expect=everyone(403, anonymous=302, rita=302, leo=302, ada=302),
        ),
        Case("reporting:dashboard_pdf", period, method="put", expect=everyone(405)),
        Case("reporting:dashboard_xlsx", period, expect=SEES_ALL),
        # POST makes the report in the background: a job, then its progress page.
        Case(
            "reporting:dashboard_xlsx",
            period,
            method="post",
            expect=everyone(403, anonymous=302, rita=302, leo=302, ada=302),
        ),
        Case("reporting:dashboard_xlsx", period, method="put", expect=everyone(405)),
    ]
