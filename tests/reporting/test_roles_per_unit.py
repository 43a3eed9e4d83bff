"""Roles are per unit: a role plus a unit sees that unit's territory and what lies below it."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import _make_user
from tests.reporting.rollup_data import report
from xhht_portal.models import Role


def test_a_commune_reviewer_reviews_only_their_commune(units, login):
    thanh_son, nam_son = units["06973"], units["06982"]
    own = report(thanh_son, "2018-Y", {"I04": (90, 100)}, state="submitted")
    other = report(nam_son, "2018-Y", {"I04": (50, 100)}, state="submitted")
    reviewer = _make_user("xa.thanhson.duyet", Role.REVIEWER, thanh_son)
    client = login(reviewer)
    queue = client.get(reverse("reporting:review_queue"), {"period": "2018-Y"}).content.decode()
    assert "Xã Thanh Sơn" in queue and "Xã Nam Sơn" not in queue
    assert client.get(reverse("reporting:submission_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reporting:submission_detail", args=[other.pk])).status_code == 404
    # Its dashboard is the commune's; the district's is outside its territory.
    assert client.get(reverse("reporting:node_dashboard", args=[thanh_son.pk])).status_code == 200
    assert client.get(reverse("reporting:node_dashboard", args=[units["BACHE"].pk])).status_code == 404


def test_the_district_reviewer_still_sees_every_unit_of_the_district(units, login, rita):
    report(units["06973"], "2018-Y", {"I04": (90, 100)}, state="submitted")
    report(units["06982"], "2018-Y", {"I04": (50, 100)}, state="submitted")
    queue = login(rita).get(reverse("reporting:review_queue"), {"period": "2018-Y"}).content.decode()
    assert "Xã Thanh Sơn" in queue and "Xã Nam Sơn" in queue and "Phòng Nội vụ" in queue


def test_a_leader_of_a_commune_sees_that_communes_dashboard_only(units, login):
    leader = _make_user("xa.namson.lanhdao", Role.LEADER, units["06982"])
    client = login(leader)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'class="fs-5 fw-semibold mb-0 node-name">Xã Nam Sơn<' in page
    assert client.get(reverse("reporting:node_dashboard", args=[units["06973"].pk])).status_code == 404


def test_who_may_view_a_node_is_read_from_its_path_without_a_query(units, django_assert_num_queries):
    from units.models import Unit, UnitKind
    from xhht_portal.access import can_view_node

    commune = units["06973"]
    village = Unit.objects.create(code="06973-T99", name="Thôn 99", kind=UnitKind.VILLAGE, parent=commune)
    village = Unit.objects.get(pk=village.pk)  # as a request loads it: no parents attached
    district_leader = _make_user("lanhdao.huyen", Role.LEADER, units["BACHE"])
    commune_leader = _make_user("lanhdao.xa", Role.LEADER, commune)
    other_leader = _make_user("lanhdao.xa.khac", Role.LEADER, units["06982"])
    for user in (district_leader, commune_leader, other_leader):
        assert user.unit is not None  # loaded with the user, as on every request
        user.has_perm("reporting.view_all_units")  # the permissions too (cached between requests)
    with django_assert_num_queries(0):
        assert can_view_node(district_leader, village)
        assert can_view_node(commune_leader, village)
        assert not can_view_node(other_leader, village)
        assert not can_view_node(commune_leader, units["BACHE"])
