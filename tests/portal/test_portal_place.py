"""The place in the portal's name is where the plan people work under was adopted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht_portal.models import Role, User

pytestmark = pytest.mark.django_db


def brand(client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    start = page.index('class="navbar-brand')
    return page[page.index(">", start) + 1 : page.index("</a>", start)].strip()


def test_the_district_and_the_province_each_see_their_own_place(units, login, leo, alice):
    from units.models import Unit

    assert brand(login(leo)) == "XHHT · Ba Chẽ"
    assert brand(login(alice)) == "XHHT · Ba Chẽ"  # a commune of the district's 2016–2020 plan
    from targets.models import Plan

    province = Unit.objects.resolve("22", on=dt.date(2025, 7, 1))
    Plan.objects.create(code="qn-2021-2030", name="Kế hoạch", start_year=2021, end_year=2030, owner=province)
    officer = User.objects.create_user("tinh", password="x", role=Role.LEADER, unit=province)
    assert brand(login(officer)) == "XHHT · Quảng Ninh"


def test_the_sign_in_page_names_the_latest_plans_place_and_a_hit_costs_no_query(units, client):
    assert brand(client, "/accounts/login/") == "XHHT · Ba Chẽ"
    with CaptureQueriesContext(connection) as queries:
        assert brand(client, "/accounts/login/") == "XHHT · Ba Chẽ"
    assert not [q for q in queries if "targets_plan" in q["sql"] or "units_unit" in q["sql"]]
