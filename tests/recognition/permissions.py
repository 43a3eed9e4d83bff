"""Permission cases of every recognition URL (collected by tests/portal/test_permission_matrix.py)."""

from recognition.services import nomination_add
from tests.matrix import Case, everyone
from tests.recognition import factories

# Seen by the commune's officer and by everyone who sees all units; outsiders get 404.
SEEN = everyone(200, anonymous=302, bob=404, dora=404)
# Changed only by the commune's officer; others who see it get 403.
KEPT = everyone(403, anonymous=302, alice=200, bob=404, dora=404)
KEPT_POST = everyone(403, anonymous=302, alice=302, bob=404, dora=404)
# Decided only by those holding recognition.decide_nomination (rita by default; ada is superuser).
DECIDED = everyone(403, anonymous=302, bob=404, dora=404, rita=200, ada=200)
GET_ONLY = everyone(405)


def cases(world) -> list[Case]:
    factories.criteria()
    alice, rita = world["alice"], world["rita"]
    reg, (approved,), decision = factories.decided(alice, rita, names=("Triệu Văn An",), year=2017)
    open_reg = factories.register(alice, year=2018)
    pending = factories.scored(alice, open_reg, "Bàn Thị Mai")
    fresh = nomination_add(register=open_reg, name="Lý Văn Sáng", village=factories.village(alice.unit), by=alice)
    from recognition.services import register_submit

    register_submit(register=open_reg, by=alice)
    village = factories.village(alice.unit)
    # The commune's officer and those who decide print a village's list; other readers 403.
    printed = everyone(403, anonymous=302, alice=200, bob=404, dora=404, rita=200, ada=200)
    return [
        Case("recognition:village_list_pdf", {"pk": open_reg.pk, "village_pk": village.pk}, expect=printed),
        Case("recognition:village_list_xlsx", {"pk": open_reg.pk, "village_pk": village.pk}, expect=printed),
        Case(
            "recognition:village_list_xlsx",
            {"pk": open_reg.pk, "village_pk": village.pk},
            method="post",
            expect=GET_ONLY,
        ),
        Case(
            "recognition:village_list_pdf",
            {"pk": open_reg.pk, "village_pk": village.pk},
            method="post",
            expect=GET_ONLY,
        ),
        Case("recognition:registers", expect=everyone(200, anonymous=302)),
        Case("recognition:registers", method="post", expect=GET_ONLY),
        Case("recognition:titles", expect=everyone(200, anonymous=302)),
        Case("recognition:titles", method="post", expect=GET_ONLY),
        Case(
            "recognition:register_open",
            method="post",
            data={"year": "2019", "title": "clan"},
            expect=everyone(403, anonymous=302, alice=302, bob=302),
        ),
        Case("recognition:register_open", expect=GET_ONLY),
        Case("recognition:register", {"pk": reg.pk}, expect=SEEN),
        Case("recognition:register", {"pk": reg.pk}, method="post", expect=GET_ONLY),
        Case("recognition:nomination_add", {"pk": open_reg.pk}, expect=KEPT),
        Case(
            "recognition:nomination_add",
            {"pk": open_reg.pk},
            method="post",
            data={"name": "Đặng Văn Phú", "village": factories.village(alice.unit).pk},
            expect=KEPT_POST,
        ),
        Case("recognition:nomination_add", {"pk": open_reg.pk}, method="put", expect=GET_ONLY),
        Case("recognition:register_import", {"pk": open_reg.pk}, expect=KEPT),
        Case("recognition:register_import", {"pk": open_reg.pk}, method="post", expect=KEPT),  # no file: form errors
        Case("recognition:register_import", {"pk": open_reg.pk}, method="delete", expect=GET_ONLY),
        Case("recognition:import_template", {"pk": open_reg.pk}, expect=KEPT),
        Case("recognition:import_template", {"pk": open_reg.pk}, method="post", expect=GET_ONLY),
        Case("recognition:register_submit", {"pk": open_reg.pk}, method="post", expect=KEPT_POST),
        Case("recognition:register_submit", {"pk": open_reg.pk}, expect=GET_ONLY),
        Case("recognition:nomination", {"pk": pending.pk}, expect=SEEN),
        Case("recognition:nomination", {"pk": pending.pk}, method="post", expect=GET_ONLY),
        Case("recognition:nomination_score", {"pk": fresh.pk}, expect=KEPT),
        Case("recognition:nomination_score", {"pk": fresh.pk}, method="post", data={}, expect=KEPT),
        Case("recognition:nomination_score", {"pk": fresh.pk}, method="put", expect=GET_ONLY),
        # An empty reason is refused on the page (200), so the matrix changes nothing.
        Case("recognition:nomination_withdraw", {"pk": fresh.pk}, method="post", data={}, expect=KEPT),
        Case("recognition:nomination_withdraw", {"pk": fresh.pk}, expect=everyone(405)),
        Case("recognition:nomination_certificate", {"pk": approved.pk}, expect=SEEN),
        Case(
            "recognition:nomination_certificate",
            {"pk": pending.pk},
            expect=everyone(404, anonymous=302),
        ),
        Case("recognition:nomination_certificate", {"pk": approved.pk}, method="post", expect=GET_ONLY),
        Case("recognition:queue", expect=everyone(403, anonymous=302, rita=200, ada=200)),
        Case("recognition:queue", method="post", expect=GET_ONLY),
        Case("recognition:register_review", {"pk": open_reg.pk}, expect=DECIDED),
        Case(
            "recognition:register_review",
            {"pk": open_reg.pk},
            method="post",
            data={f"action_{pending.pk}": "refuse", f"reason_{pending.pk}": "Thiếu minh chứng"},
            expect=everyone(403, anonymous=302, bob=404, dora=404, rita=302, ada=302),
        ),
        Case("recognition:register_review", {"pk": open_reg.pk}, method="put", expect=GET_ONLY),
        Case("recognition:decision", {"pk": decision.pk}, expect=SEEN),
        Case("recognition:decision", {"pk": decision.pk}, method="post", expect=GET_ONLY),
        Case("recognition:decision_certificates", {"pk": decision.pk}, expect=SEEN),
        # POST starts the background job (→ its progress page) for whoever sees the decision.
        Case(
            "recognition:decision_certificates",
            {"pk": decision.pk},
            method="post",
            expect=everyone(302, bob=404, dora=404),
        ),
        Case("recognition:decision_certificates", {"pk": decision.pk}, method="put", expect=GET_ONLY),
        Case("recognition:recognised", expect=everyone(200, anonymous=302)),
        Case("recognition:recognised", method="post", expect=GET_ONLY),
        Case("recognition:recognised_export", expect=everyone(200, anonymous=302)),
        Case("recognition:recognised_export", method="post", expect=GET_ONLY),
    ]
