"""Permission cases for the dashboard of any node, its drill-down and the report downloads."""

from tests.matrix import Case, everyone

# /dashboard/ is the node of one's role: the district for the reviewer, the leader and the admin,
# their own commune for commune officers; a department officer only enters reports (403).
OWN_NODE = everyone(200, anonymous=302, dora=403)
# The district's own node pages: outside a commune officer's territory (404).
DISTRICT = everyone(200, anonymous=302, alice=404, bob=404, dora=403)
# Alice's commune: hers and the district roles'; bob's commune is not his (404).
ALICES_COMMUNE = everyone(200, anonymous=302, bob=404, dora=403)
NOT_FOUND = everyone(404, anonymous=302, dora=403)


def cases(world) -> list[Case]:
    from targets.models import Target

    target = Target.objects.get(indicator__code="I04", year=2018)
    period = {"period_code": "2018-Y"}
    district = {"node_pk": world["units"]["BACHE"].pk}
    commune = {"node_pk": world["alice"].unit.pk}
    return [
        Case("reporting:dashboard", expect=OWN_NODE),
        Case("reporting:dashboard", query="period=2018-H1", expect=OWN_NODE),
        Case("reporting:dashboard", query="period=nope", expect=NOT_FOUND),
        Case("reporting:dashboard", method="post", expect=everyone(405)),
        Case("reporting:dashboard_target", {**period, "pk": target.pk}, expect=OWN_NODE),
        Case(
            "reporting:dashboard_target",
            {"period_code": "2019-Y", "pk": target.pk},  # not that period's milestone
            expect=NOT_FOUND,
        ),
        Case("reporting:dashboard_target", {**period, "pk": target.pk}, method="post", expect=everyone(405)),
        Case("reporting:dashboard_completeness", period, expect=OWN_NODE),
        Case("reporting:dashboard_completeness", {"period_code": "1999-Y"}, expect=NOT_FOUND),
        Case("reporting:dashboard_completeness", period, method="post", expect=everyone(405)),
        Case("reporting:dashboard_pdf", period, expect=OWN_NODE),
        # POST makes the report in the background: a job, then its progress page.
        Case("reporting:dashboard_pdf", period, method="post", expect=everyone(302, dora=403)),
        Case("reporting:dashboard_pdf", period, method="put", expect=everyone(405)),
        Case("reporting:dashboard_xlsx", period, expect=OWN_NODE),
        Case("reporting:dashboard_xlsx", period, method="post", expect=everyone(302, dora=403)),
        Case("reporting:dashboard_xlsx", period, method="put", expect=everyone(405)),
        # Any node by its key.
        Case("reporting:node_dashboard", district, expect=DISTRICT),
        Case("reporting:node_dashboard", commune, expect=ALICES_COMMUNE),
        Case("reporting:node_dashboard", commune, query="period=nope", expect=NOT_FOUND),
        Case("reporting:node_dashboard", {"node_pk": 999_999}, expect=NOT_FOUND),
        Case("reporting:node_dashboard", commune, method="post", expect=everyone(405)),
        Case("reporting:node_target", {**district, **period, "pk": target.pk}, expect=DISTRICT),
        Case("reporting:node_target", {**commune, **period, "pk": target.pk}, expect=ALICES_COMMUNE),
        Case("reporting:node_target", {**commune, **period, "pk": target.pk}, method="post", expect=everyone(405)),
        Case("reporting:node_completeness", {**district, **period}, expect=DISTRICT),
        Case("reporting:node_completeness", {**commune, **period}, expect=ALICES_COMMUNE),
        Case("reporting:node_completeness", {**commune, "period_code": "1999-Y"}, expect=NOT_FOUND),
        Case("reporting:node_completeness", {**commune, **period}, method="post", expect=everyone(405)),
        Case("reporting:node_pdf", {**commune, **period}, expect=ALICES_COMMUNE),
        Case(
            "reporting:node_pdf",
            {**district, **period},
            method="post",
            expect=everyone(302, alice=404, bob=404, dora=403),
        ),
        Case("reporting:node_pdf", {**district, **period}, method="put", expect=everyone(405)),
        Case("reporting:node_xlsx", {**district, **period}, expect=DISTRICT),
        Case("reporting:node_xlsx", {**commune, **period}, method="post", expect=everyone(302, bob=404, dora=403)),
        Case("reporting:node_xlsx", {**district, **period}, method="put", expect=everyone(405)),
    ]
