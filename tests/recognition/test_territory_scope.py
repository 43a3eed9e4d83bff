"""Reviewers and leadership see the recognition registers of their own territory only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recognition.models import Decision, Nomination, Register
from recognition.services import RecognitionError, register_decide, register_submit
from tests.conftest import _make_user
from tests.recognition import factories
from xhht_portal.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communes(alice, bob, rita):
    factories.criteria()
    ours, _, _ = factories.decided(alice, rita, names=("Triệu Văn An",))
    theirs = factories.register(bob)
    nominee = factories.scored(bob, theirs, "Bàn Văn Hai")
    register_submit(register=theirs, by=bob)
    return ours, theirs, nominee


def test_a_communes_reviewer_sees_only_that_communes_registers(two_communes, login, bob):
    ours, theirs, nominee = two_communes
    reviewer = _make_user("xa.reviewer", Role.REVIEWER, bob.unit)  # a commune's People's Committee
    assert set(Register.objects.visible_to(reviewer)) == {theirs}
    assert set(Nomination.objects.visible_to(reviewer)) == {nominee}
    assert not Decision.objects.visible_to(reviewer).exists()
    client = login(reviewer)
    assert client.get(reverse("recognition:register", args=[ours.pk])).status_code == 404
    assert client.get(reverse("recognition:register", args=[theirs.pk])).status_code == 200
    queue = client.get(reverse("recognition:queue")).content.decode()
    assert bob.unit.name in queue and ours.commune.name not in queue


def test_the_districts_reviewer_still_sees_every_commune_of_the_district(two_communes, rita):
    ours, theirs, _ = two_communes
    assert {ours, theirs} <= set(Register.objects.visible_to(rita))


def test_a_reviewer_cannot_decide_another_territorys_register(two_communes, alice):
    _ours, theirs, nominee = two_communes
    reviewer = _make_user("xa.reviewer", Role.REVIEWER, alice.unit)
    with pytest.raises(RecognitionError, match="không có quyền"):
        register_decide(register=theirs, by=reviewer, approve=[], refuse={nominee.pk: "Chưa đủ điểm"}, decision=None)
    nominee.refresh_from_db()
    assert nominee.state == "submitted"
