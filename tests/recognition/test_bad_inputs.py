"""Bad values in the recognition inputs that had no such test: never a 500, a Vietnamese message or
the right 4xx, what was typed still on the page, nothing saved.

The register, nominee, score, withdrawal, decision and recognised-list forms and the nominee
upload have their own tests (test_workflow, test_names, test_import, test_titles_criteria and
tests/portal/test_properties and test_bad_uploads); here: the query strings (year, q, page,
village, result) and the review's per-row actions and reasons, read outside a form.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from recognition.models import Nomination, NominationEvent, NominationState
from recognition.services import register_submit
from tests.recognition import factories

pytestmark = pytest.mark.django_db

PAGES = ["abc", "-1", "0", "999999", "1e309", "9" * 5000, "\x00", ""]


@pytest.fixture
def pending(alice):
    """A 2018 register of Xã Thanh Sơn with two scored nominees sent for review."""
    register = factories.register(alice)
    nominations = [
        factories.scored(alice, register, "Triệu Văn An", 1),
        factories.scored(alice, register, "Lý Thị Bình", 2),
    ]
    register_submit(register=register, by=alice)
    return register, nominations


def _states(register) -> list:
    return sorted(
        Nomination.objects.filter(register=register).values_list("pk", "state", "refusal_reason", "decision_id")
    )


@pytest.mark.parametrize("year", ["²", "9" * 5000, "abc", "-1", "2018\x00", " 2018", "2099"])
def test_a_year_that_is_not_listed_shows_the_latest_registers(login, alice, year):
    factories.register(alice, year=2017)
    factories.register(alice, year=2018)
    response = login(alice).get(reverse("recognition:registers"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == 2018


@pytest.mark.parametrize(
    "q",
    ["\x00", "Triệu\x00", "đ" * 10_000, "' OR 1=1 --", "%_%", "<script>alert(1)</script>", "\x07\x1b[31m", "   "],
)
@pytest.mark.parametrize("page", ["abc", "-1", "999999"])
def test_register_search_with_odd_text_or_page_never_fails(login, alice, pending, q, page):
    register, _nominations = pending
    response = login(alice).get(reverse("recognition:register", args=[register.pk]), {"q": q, "page": page})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    # What was searched is back in the search box, at most 100 characters, without the NUL.
    assert response.context["q"] == q.replace("\x00", "").strip()[:100]
    if response.context["q"] == "Triệu":
        assert "Triệu Văn An" in body and "Lý Thị Bình" not in body


@pytest.mark.parametrize("village", ["²", "9" * 25, "abc", "-1", "\x00", "other-commune"])
@pytest.mark.parametrize("result", ["", "maybe", "\x00"])
def test_review_filter_ignores_a_village_or_result_that_is_not_offered(login, bob, rita, pending, village, result):
    register, nominations = pending
    if village == "other-commune":
        village = str(factories.village(bob.unit).pk)
    response = login(rita).get(
        reverse("recognition:register_review", args=[register.pk]), {"village": village, "result": result}
    )
    assert response.status_code == 200
    assert response.context["chosen"] == {"village": "", "result": ""}
    assert response.context["filtered_count"] == len(nominations)


@pytest.mark.parametrize("page", PAGES)
def test_review_and_decision_pages_with_a_bad_page_number_show_a_page(login, alice, rita, page):
    register, _nominations, decision = factories.decided(alice, rita, names=("Triệu Văn An", "Lý Thị Bình"))
    client = login(rita)
    assert client.get(reverse("recognition:register_review", args=[register.pk]), {"page": page}).status_code == 200
    response = client.get(reverse("recognition:decision", args=[decision.pk]), {"page": page})
    assert response.status_code == 200 and "Triệu Văn An" in response.content.decode()
    response = client.get(reverse("recognition:recognised"), {"page": page})
    assert response.status_code == 200 and "Triệu Văn An" in response.content.decode()


def test_a_refusal_reason_with_a_null_character_is_saved_without_it(login, rita, pending):
    register, (first, _second) = pending
    response = login(rita).post(
        reverse("recognition:register_review", args=[register.pk]),
        {f"action_{first.pk}": "refuse", f"reason_{first.pk}": "Chưa đủ\x00 tiêu chí 2"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == NominationState.REFUSED and first.refusal_reason == "Chưa đủ tiêu chí 2"


def test_a_common_refusal_reason_with_a_null_character_is_saved_without_it(login, rita, pending):
    register, nominations = pending
    response = login(rita).post(
        reverse("recognition:register_review", args=[register.pk]),
        {"bulk": "refuse_all", "bulk_reason": "\x00Hồ sơ thiếu\x00"},
    )
    assert response.status_code == 302
    assert {n.refusal_reason for n in Nomination.objects.filter(pk__in=[n.pk for n in nominations])} == {"Hồ sơ thiếu"}


@pytest.mark.parametrize("bulk", [False, True], ids=["row", "common"])
def test_a_refusal_reason_too_long_is_refused_whole_and_kept_on_the_page(login, rita, pending, bulk):
    register, (first, _second) = pending
    reason = "Chưa đủ tiêu chí " + "rất dài " * 130 + "cuối"  # 1,061 characters
    assert len(reason) > 1000
    before, events = _states(register), NominationEvent.objects.count()
    data = (
        {"bulk": "refuse_all", "bulk_reason": reason}
        if bulk
        else {f"action_{first.pk}": "refuse", f"reason_{first.pk}": reason}
    )
    response = login(rita).post(reverse("recognition:register_review", args=[register.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lý do dài quá 1000 ký tự." in body
    assert "rất dài " * 130 + "cuối" in body  # the whole text, to shorten, not cut
    assert _states(register) == before and NominationEvent.objects.count() == events


@pytest.mark.parametrize(
    "actions",
    [
        {"choice": "delete"},
        {"choice": "\x00"},
        {"choice": "approve", "other_register": True},
        {"choice": "refuse", "reason": "   "},
        {"choice": "refuse", "bulk": "drop_all"},
    ],
    ids=["unknown-action", "nul-action", "another-registers-nominee", "blank-reason", "unknown-bulk"],
)
def test_review_rows_with_bad_actions_are_refused_in_vietnamese_and_save_nothing(
    login, alice, bob, rita, pending, actions
):
    register, (first, _second) = pending
    target = first
    if actions.get("other_register"):
        other = factories.register(bob)
        target = factories.scored(bob, other, "Hoàng Văn Cường")
        register_submit(register=other, by=bob)
    before, events = _states(register), NominationEvent.objects.count()
    other_before = _states(target.register)
    data = {f"action_{target.pk}": actions["choice"], f"reason_{target.pk}": actions.get("reason", "")}
    if "bulk" in actions:
        data["bulk"] = actions["bulk"]
    data["number"] = "12/QĐ-UBND"
    response = login(rita).post(reverse("recognition:register_review", args=[register.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa chọn đề nghị nào" in body or "Cần ghi lý do không công nhận" in body
    assert 'value="12/QĐ-UBND"' in body  # the decision number typed is still there
    assert _states(register) == before and _states(target.register) == other_before
    assert NominationEvent.objects.count() == events


@pytest.mark.parametrize("pk", ["9" * 25])
def test_a_nominee_village_id_too_big_for_the_database_is_refused_beside_the_field(login, alice, pk):
    register = factories.register(alice)
    response = login(alice).post(
        reverse("recognition:nomination_add", args=[register.pk]), {"name": "Nguyễn Văn Dũng", "village": pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chọn một thôn, bản, khu của xã." in body and 'value="Nguyễn Văn Dũng"' in body
    assert not Nomination.objects.filter(register=register).exists()
