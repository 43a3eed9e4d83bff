"""The unit and reorganisation admin: the administrator records a reorganisation with its links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from units.models import Reorganisation, ReorganisationLink, Unit, UnitKind


def test_the_administrator_records_a_merger_with_shares_in_the_admin(units, login, ada):
    new = Unit.objects.create(code="NEW", name="Xã mới", kind=UnitKind.COMMUNE, valid_from=dt.date(2025, 7, 1))
    client = login(ada)
    url = reverse("admin:units_reorganisation_add")
    assert client.get(url).status_code == 200
    data = {
        "kind": "merger",
        "legal_act": "NQ 1679/NQ-UBTVQH15",
        "effective": "2025-07-01",
        "note": "",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-predecessor": units["06973"].pk,
        "links-0-successor": new.pk,
        "links-0-share": "1",
        "links-1-predecessor": units["06982"].pk,
        "links-1-successor": new.pk,
        "links-1-share": "0.4",
        "links-1-share_basis": "population",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    links = ReorganisationLink.objects.filter(successor=new).order_by("pk")
    assert [(link.predecessor.code, link.share) for link in links] == [("06973", 1), ("06982", Decimal("0.4"))]
    assert client.get(reverse("admin:units_reorganisation_changelist")).status_code == 200
    assert client.get(reverse("admin:units_unit_change", args=[new.pk])).status_code == 200


def test_a_link_to_a_unit_not_valid_on_the_date_is_refused(units, login, ada):
    client = login(ada)
    data = {
        "kind": "merger",
        "legal_act": "",
        "effective": "2025-07-01",
        "note": "",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-predecessor": units["06973"].pk,
        "links-0-successor": units["06982"].pk,  # ends on 30/06/2025: cannot be the new unit
        "links-0-share": "1",
    }
    response = client.post(reverse("admin:units_reorganisation_add"), data)
    assert response.status_code == 200
    assert "phải có hiệu lực từ ngày 01/07/2025" in response.content.decode()
    assert not Reorganisation.objects.filter(effective=dt.date(2025, 7, 1)).exists()


def test_others_cannot_open_the_unit_admin(units, login, leo):
    response = login(leo).get(reverse("admin:units_reorganisation_changelist"))
    assert response.status_code == 302
