"""The review and decision pages at 5,000 nominees: one page of 100, filters, bulk decisions, and
the same number of queries as at 50."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recognition.models import Decision, Nomination, NominationState
from tests.recognition import factories


def _pending(register, count: int, villages, first: int = 0) -> None:
    """``count`` submitted nominees spread over the commune's villages, every third failing."""
    Nomination.objects.bulk_create(
        [
            Nomination(
                register=register,
                name=f"Hộ Triệu Văn {n:05d}",
                village=villages[n % len(villages)],
                state=NominationState.SUBMITTED,
                total_points=Decimal(70 if n % 3 == 0 else 90),
                passed=n % 3 != 0,
            ).refresh_keys()
            for n in range(first, first + count)
        ],
        batch_size=2000,
    )


def _villages(commune):
    from units.models import Unit, UnitKind

    return list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE).order_by("code"))


DECISION = {"number": "12/QĐ-UBND", "date": "20/12/2018", "signer_title": "Chủ tịch", "signer_name": "Triệu Văn Long"}


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_review_page_shows_one_page_with_the_same_queries_at_50_and_5000(login, alice, rita):
    register = factories.register(alice)
    villages = _villages(alice.unit)
    client = login(rita)
    url = reverse("recognition:register_review", kwargs={"pk": register.pk})
    _pending(register, 50, villages)
    client.get(url)  # session, permissions and caches warmed
    small, page = _queries(client, url)
    assert page.count('value="approve"') == 50 and "trong 50 đề nghị đang chờ duyệt" in page
    _pending(register, 4950, villages, first=50)
    large, page = _queries(client, url)
    assert page.count('value="approve"') == 100 and "trong 5000 đề nghị đang chờ duyệt" in page.replace(".", "")
    assert large == small, (small, large)


def test_review_filters_by_village_and_result_and_keeps_the_filter_across_pages(login, alice, rita):
    register = factories.register(alice)
    villages = _villages(alice.unit)
    _pending(register, 660, villages)
    client = login(rita)
    url = reverse("recognition:register_review", kwargs={"pk": register.pk})
    page = client.get(url, {"village": villages[0].pk, "result": "failed"}).content.decode()
    expected = Nomination.objects.filter(register=register, village=villages[0], passed=False).count()
    assert f"{expected} đề nghị theo bộ lọc" in page
    assert expected > 100  # more than one page, so the page-2 link must exist
    assert f"village={villages[0].pk}&amp;result=failed&amp;page=2" in page
    # A village of another commune, or nonsense, is ignored rather than an error.
    assert client.get(url, {"village": "999999", "result": "x"}).status_code == 200


def test_approve_all_on_the_filter_refuses_one_with_its_reason_and_leaves_the_rest(login, alice, rita):
    register = factories.register(alice)
    villages = _villages(alice.unit)
    _pending(register, 300, villages)
    on_filter = list(Nomination.objects.filter(register=register, village=villages[0], passed=True).order_by("pk"))
    refused = on_filter[0]
    client = login(rita)
    url = reverse("recognition:register_review", kwargs={"pk": register.pk})
    response = client.post(
        url,
        {
            "village": villages[0].pk,
            "result": "passed",
            "bulk": "approve_all",
            f"action_{refused.pk}": "refuse",
            f"reason_{refused.pk}": "Chưa đủ tiêu chí 2",
            **DECISION,
        },
    )
    assert response.status_code == 302
    refused.refresh_from_db()
    assert (refused.state, refused.refusal_reason) == ("refused", "Chưa đủ tiêu chí 2")
    approved = Nomination.objects.filter(register=register, state=NominationState.APPROVED)
    assert set(approved.values_list("pk", flat=True)) == {n.pk for n in on_filter[1:]}
    # Everything off the filter is still waiting.
    assert Nomination.objects.filter(register=register, state=NominationState.SUBMITTED).count() == 300 - len(on_filter)
    # The next batch with the same number and date joins the same decision.
    response = client.post(url, {"village": villages[1].pk, "result": "passed", "bulk": "approve_all", **DECISION})
    assert response.status_code == 302
    assert Decision.objects.filter(register=register).count() == 1
    decision = Decision.objects.get(register=register)
    assert decision.nominations.count() == approved.count() > len(on_filter)


def test_refuse_all_needs_a_common_reason_and_saves_nothing_without_it(login, alice, rita):
    register = factories.register(alice)
    _pending(register, 20, _villages(alice.unit))
    url = reverse("recognition:register_review", kwargs={"pk": register.pk})
    response = login(rita).post(url, {"bulk": "refuse_all", "bulk_reason": "  "})
    assert response.status_code == 200
    assert "Cần ghi lý do chung khi không công nhận tất cả đề nghị theo bộ lọc." in response.content.decode()
    assert Nomination.objects.filter(register=register, state=NominationState.SUBMITTED).count() == 20
    response = login(rita).post(url, {"bulk": "refuse_all", "bulk_reason": "Hồ sơ thiếu"})
    assert response.status_code == 302
    assert set(Nomination.objects.filter(register=register).values_list("refusal_reason", flat=True)) == {"Hồ sơ thiếu"}


def test_decision_page_is_paginated_with_the_same_queries_at_50_and_5000(login, alice, rita):
    client = login(rita)
    counts = []
    for year, size in ((2018, 50), (2019, 5000)):
        register = factories.register(alice, year=year)
        _pending(register, size, _villages(alice.unit))
        decision = {**DECISION, "number": f"{year - 2000}/QĐ-UBND", "date": f"20/12/{year}"}
        client.post(
            reverse("recognition:register_review", kwargs={"pk": register.pk}), {"bulk": "approve_all", **decision}
        )
        record = Decision.objects.get(register=register)
        assert record.date == dt.date(year, 12, 20) and record.nominations.count() == size
        url = reverse("recognition:decision", kwargs={"pk": record.pk})
        client.get(url)
        count, page = _queries(client, url)
        assert page.count("Giấy công nhận<span") == min(size, 100)
        assert f"Danh sách được công nhận ({size})" in page.replace(".", "")
        counts.append(count)
    assert counts[0] == counts[1], counts
