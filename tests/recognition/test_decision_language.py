from django.utils import translation

from tests.recognition import factories


def test_a_decision_recorded_from_an_english_screen_is_still_issued_in_vietnamese(alice, rita):
    factories.criteria()
    with translation.override("en"):
        _register, _nominations, decision = factories.decided(alice, rita)
    assert decision.issuer == "Ủy ban nhân dân Xã Thanh Sơn"
