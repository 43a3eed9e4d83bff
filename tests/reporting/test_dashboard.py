"""The dashboard pages: figures, drill-down, completeness, query count, live after approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.models import Period, SubmissionState
from targets.models import Target
from tests.reporting.rollup_data import approve_everywhere, make_communes, report
from units.models import Unit

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def test_leader_sees_district_ratio_not_mean_of_percentages(units, login, leo):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    report(units["06982"], "2018-Y", {"I04": (10, 1000)})
    response = login(leo).get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Năm 2018" in page  # the latest period with approved data is the default
    assert "9,1%" in page
    assert "45,5%" not in page
    assert "2/8 đơn vị đã báo cáo" in page
    assert "Cách đánh giá trạng thái" in page
    assert "<svg" in page and "<title>" in page  # server-rendered chart with a text title


def test_period_is_chosen_with_a_plain_get_form(units, login, rita):
    report(units["06973"], "2017-H1", {"I04": (50, 100)})
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    page = login(rita).get(DASHBOARD, {"period": "2017-H1"}).content.decode()
    assert "6 tháng đầu năm 2017" in page
    assert 'dash-value">50%<' in page and 'dash-value">90%<' not in page
    assert 'name="period"' in page


def test_drill_down_lists_every_unit_with_status_in_words(units, login, leo):
    report(units["06973"], "2018-Y", {"I04": (95, 100)})
    report(units["06982"], "2017-Y", {"I04": (60, 100)})
    report(units["06982"], "2018-Y", {"I04": (50, 100)})
    report(units["06976"], "2018-Y", {"I04": (99, 100)}, state=SubmissionState.SUBMITTED)
    target = Target.objects.get(indicator__code="I04", year=2018)
    url = reverse("reporting:dashboard_target", args=["2018-Y", target.pk])
    page = login(leo).get(url).content.decode()
    assert "Xã Thanh Sơn" in page and "95%" in page
    assert "Xã Nam Sơn" in page and "50%" in page
    assert page.count("Chưa có số liệu") >= 6  # unapproved Thanh Lâm and five more are missing
    assert "99%" not in page
    assert "status-met" in page and "Đạt" in page
    # Nam Sơn fell from 60% (2017) to 50%: behind its own path, in the district's words.
    assert "status-behind" in page and "Chậm" in page
    assert "Chưa đạt" not in page  # the old second vocabulary for units is gone
    assert "72,5%" in page  # 145 / 200
    assert "tạm tính, 2/8 đơn vị đã báo cáo" in page


def test_dashboard_and_drill_down_say_provisional_with_the_units_that_reported(units, login, leo):
    report(units["06973"], "2018-Y", {"I06": [True], "I04": (95, 100)})
    client = login(leo)
    page = client.get(DASHBOARD, {"period": "2018-Y"}).content.decode()
    assert 'dash-value">100%<' in page  # 1 of the 1 that reported, not 12,5%
    assert "12,5%" not in page
    assert page.count("tạm tính, 1/8 đơn vị đã báo cáo") == 2  # I04 and I06
    assert "Đúng tiến độ (tạm tính)" in page
    assert "2 chỉ tiêu có kết quả tạm tính" in page
    assert "số đơn vị đạt / số đơn vị đã báo cáo" in page  # the rule on the page says so
    target = Target.objects.get(indicator__code="I06", year=2018)
    detail = client.get(reverse("reporting:dashboard_target", args=["2018-Y", target.pk])).content.decode()
    assert "tạm tính, 1/8 đơn vị đã báo cáo" in detail
    assert "Đúng tiến độ (tạm tính)" in detail


def test_drill_down_links_to_the_report_when_the_report_page_exists(units, login, leo):
    from reporting.views.dashboard import submission_url

    submission = report(units["06973"], "2018-Y", {"I04": (95, 100)})
    target = Target.objects.get(indicator__code="I04", year=2018)
    page = login(leo).get(reverse("reporting:dashboard_target", args=["2018-Y", target.pk])).content.decode()
    link = submission_url(submission.pk)
    if link:
        assert f'href="{link}"' in page
    else:
        assert f"Báo cáo số {submission.pk}" in page


def test_completeness_page_lists_every_expected_unit(units, login, rita):
    report(units["06973"], "2018-Y", {"I04": (95, 100)})
    page = login(rita).get(reverse("reporting:dashboard_completeness", args=["2018-Y"])).content.decode()
    assert page.count('<th scope="row"') == 19
    assert "Đã duyệt" in page and "Chưa báo cáo" in page and "Trễ hạn" in page


def test_an_approval_and_a_reopening_show_on_the_next_page_load(units, login, leo, rita):
    from reporting.services import submission_approve, submission_reopen

    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    submission = report(units["06982"], "2018-Y", {"I04": (10, 1000)}, state=SubmissionState.SUBMITTED)
    client = login(leo)

    def i04_row() -> str:
        # Only the I04 row: other targets (and the chart labels) carry figures like "90%" too.
        page = client.get(DASHBOARD, {"period": "2018-Y"}).content.decode()
        start = page.index(">I04<")
        return page[start : page.index("</tr>", start)]

    assert "90%" in i04_row() and "9,1%" not in i04_row()
    submission_approve(submission=submission, by=rita)
    assert "9,1%" in i04_row()
    submission_reopen(submission=submission, by=rita, reason="Mẫu số sai")
    assert "90%" in i04_row() and "9,1%" not in i04_row()


def test_menu_and_home_summary_for_roles_with_a_dashboard(units, login, leo, alice, dora):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    home = login(leo).get("/").content.decode()
    assert ">Tiến độ<" in home
    assert "Xem bảng tiến độ" in home
    assert "Chậm: 1" in home or "Đúng tiến độ: 1" in home
    # A commune officer has their own commune's progress page; a department officer only reports.
    assert ">Tiến độ<" in login(alice).get("/").content.decode()
    assert ">Tiến độ<" not in login(dora).get("/").content.decode()


def _dashboard_queries(client) -> int:
    cache.clear()  # count the queries of a cache miss: the worst case
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, {"period": "2018-Y"})
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_units(units, login, leo, django_assert_max_num_queries):
    indicators = ["I02", "I04", "I06", "I07", "I10", "I27", "I30"]
    communes = list(Unit.objects.communes().exclude(code="06985", valid_from__isnull=False))
    approve_everywhere(communes, ["2016-Y", "2017-Y", "2018-Y"], indicators)
    client = login(leo)
    client.get(DASHBOARD)  # warm caches (session, content types)
    at_8 = _dashboard_queries(client)
    approve_everywhere(make_communes(192), ["2016-Y", "2017-H1", "2017-Y", "2018-H1", "2018-Y"], indicators)
    at_200 = _dashboard_queries(client)
    print(f"dashboard queries: {at_8} at 8 communes, {at_200} at 200 communes")
    assert at_8 == at_200
    with django_assert_max_num_queries(at_8):
        client.get(DASHBOARD, {"period": "2018-Y"})
    # 4 for the session, user and permissions, 11 for the figures, and one per year of the trend
    # for the recognition counts (2016–2018): the recognition hook answers one year at a time.
    with django_assert_max_num_queries(18):
        client.get(DASHBOARD, {"period": "2018-Y"})


def test_a_dashboard_from_the_cache_reads_no_tree_plan_or_period(units, login, leo):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    client = login(leo)
    node = reverse("reporting:node_dashboard", args=[units["BACHE"].pk])
    for url in (DASHBOARD, node):
        client.get(url, {"period": "2018-Y"})
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"period": "2018-Y"}).status_code == 200
            assert client.get(url).status_code == 200
        tables = {q["sql"].split(" FROM ")[1].split()[0] for q in queries if " FROM " in q["sql"]}
        # The session, the user, permissions, the node asked for and the one-query data stamp.
        assert not tables & {'"reporting_period"', '"reporting_indicatortotal"'}, tables
        assert len(queries) <= 2 * 7, "\n".join(q["sql"][:120] for q in queries)


def test_a_new_period_or_unit_shows_on_a_cached_dashboard(units, login, leo, django_capture_on_commit_callbacks):
    from reporting.periods import create_periods

    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    client = login(leo)
    url = reverse("reporting:node_dashboard", args=[units["BACHE"].pk])
    assert client.get(url, {"period": "2018-Y"}).status_code == 200
    plan = Period.objects.get(code="2018-Y").plan
    assert client.get(url, {"period": "2021-Y"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves on commit
        create_periods(plan=plan, first_year=2021, last_year=2021)
    assert client.get(url, {"period": "2021-Y"}).status_code == 200  # the periods were read anew
    commune = units["06973"]
    commune_url = reverse("reporting:node_dashboard", args=[commune.pk])
    assert commune.name in client.get(commune_url, {"period": "2018-Y"}).content.decode()
    commune.name = "Xã Đạp Thanh Mới"
    with django_capture_on_commit_callbacks(execute=True):
        commune.save()
    assert "Xã Đạp Thanh Mới" in client.get(commune_url, {"period": "2018-Y"}).content.decode()


def test_drill_down_query_count_does_not_grow_with_units(units, login, leo):
    target = Target.objects.get(indicator__code="I04", year=2018)
    url = reverse("reporting:dashboard_target", args=["2018-Y", target.pk])
    approve_everywhere(list(Unit.objects.communes()), ["2018-Y"], ["I04"])
    client = login(leo)
    client.get(url)
    cache.clear()  # both measurements with the completeness summary computed, not cached
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    approve_everywhere(make_communes(100), ["2018-Y"], ["I04"])
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(small) == len(large)
    # The district's children, 50 a page (units in order: the Ba Chẽ ones first, then the new ones).
    assert page.count('<th scope="row" class="fw-normal">') == 50
    assert "Xã thử 99" not in page
    assert "Xã thử 99" in client.get(url, {"page": 3}).content.decode()


def test_completeness_never_lags_a_submission_even_when_cached(units, login, leo, alice):
    from reporting.services import ValueInput, submission_save_draft

    client = login(leo)
    period = Period.objects.get(code="2020-Y")
    before = client.get(DASHBOARD, {"period": "2020-Y"}).context["rollup"].completeness[-1].by_state
    at = timezone.make_aware(dt.datetime.combine(period.due - dt.timedelta(days=3), dt.time(9)))
    submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(5), Decimal(10))}, at=at
    )
    after = client.get(DASHBOARD, {"period": "2020-Y"}).context["rollup"].completeness[-1].by_state
    assert after.get("draft", 0) == before.get("draft", 0) + 1


def test_every_completeness_link_of_a_younger_node_opens(units, login, leo):
    import re

    from units.models import Reporter, UnitKind

    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    young = Unit.objects.create(
        code="MOI01",
        name="Xã Mới Lập",
        kind=UnitKind.COMMUNE,
        parent=units["BACHE"],
        reporter_code=Reporter.COMMUNE,
        valid_from=dt.date(2018, 1, 1),
    )
    client = login(leo)
    page = client.get(reverse("reporting:node_dashboard", args=[young.pk]), {"period": "2018-Y"})
    assert page.status_code == 200
    body = page.content.decode()
    links = set(re.findall(rf'href="(/dashboard/unit/{young.pk}/[^"]+/completeness/)"', body))
    assert links, "the node's own periods are linked"
    assert all(client.get(link).status_code == 200 for link in links), links
    assert "6 tháng đầu năm 2017" in body  # a period before it existed: listed, not linked
