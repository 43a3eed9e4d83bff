"""The main pages of every role, with enough data that each table has rows (phone and axe tests)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from reporting.models import Period, Submission, SubmissionState
from targets.models import Target
from tests.recognition import factories
from tests.reporting.rollup_data import report
from tests.reporting.submission_factories import open_period


def populate(units, personas) -> dict:
    """Reports, a register waiting for review and a decision.

    Returns the main pages of each persona (``result["rita"]``) and every URL by name (``result["urls"]``).
    """
    alice, rita = personas["alice"], personas["rita"]
    report(units["06973"], "2017-Y", {"I04": (85, 100), "I21": (60, 100), "I27": (30, 1000)})
    report(units["06973"], "2018-Y", {"I04": (90, 100), "I21": (80, 100), "I27": (35, 1000)})
    report(units["06982"], "2018-Y", {"I04": (10, 1000), "I21": (60, 100)})
    report(units["06976"], "2018-Y", {"I04": (95, 100)}, state=SubmissionState.SUBMITTED)
    report(units["PNV"], "2018-Y", {"I12": (45, 50), "I26": (4, 100), "I10": (30, 60)})
    period = open_period("2018-H1")
    own = Submission.objects.get(unit=alice.unit, period__code="2018-Y")

    factories.criteria()
    _reg, _nominations, decision = factories.decided(alice, rita, names=("Triệu Văn An",), year=2017)
    waiting = factories.register(alice, year=2018)
    factories.scored(alice, waiting, "Bàn Thị Mai", 1)
    factories.scored(alice, waiting, "Lý Văn Phúc", 2, ratio=Decimal("0.5"))
    from recognition.services import register_submit

    register_submit(register=waiting, by=alice)
    open_register = factories.register(alice, year=2019)
    draft_nomination = factories.scored(alice, open_register, "Hoàng Văn Sáu", 1)

    from documents.services import report_compile

    report_compile(unit=units["BACHE"], period=Period.objects.get(code="2018-Y"), by=rita)

    target = (
        Target.objects.filter(indicator__code="I04", year=2018).first()
        or Target.objects.filter(indicator__code="I04").first()
    )
    y2018 = Period.objects.get(code="2018-Y")
    urls = {
        "home": "/",
        "plan": "/plan/",
        "dashboard": f"/dashboard/?period={y2018.code}",
        "drill_down": reverse("reporting:dashboard_target", args=[y2018.code, target.pk]),
        "completeness": reverse("reporting:dashboard_completeness", args=[y2018.code]),
        "review_queue": f"/reports/review/?period={y2018.code}",
        "report_detail": reverse("reporting:submission_detail", args=[own.pk]),
        "report_list": "/reports/",
        "report_form": reverse("reporting:submission_edit", args=[period.code]),
        "registers": "/recognition/",
        "register": reverse("recognition:register", args=[waiting.pk]),
        "recognition_queue": "/recognition/review/",
        "recognition_review": reverse("recognition:register_review", args=[waiting.pk]),
        "decision": reverse("recognition:decision", args=[decision.pk]),
        "recognised": "/recognition/recognised/",
        "documents": reverse("documents:report_index"),
        "consolidated_report": reverse("documents:report_page", args=["BACHE", y2018.code]),
        "signed_copy": reverse("documents:submission_signed", args=[own.pk]),
        "report_history": reverse("reporting:submission_history", args=[own.pk]),
        "score": reverse("recognition:nomination_score", args=[draft_nomination.pk]),
        "nomination": reverse("recognition:nomination", args=[draft_nomination.pk]),
        "nomination_add": reverse("recognition:nomination_add", args=[open_register.pk]),
        "register_import": reverse("recognition:register_import", args=[open_register.pk]),
    }
    return {persona: [urls[name] for name in names] for persona, names in ROLE_PAGES.items()} | {"urls": urls}


ROLE_PAGES = {
    "alice": [
        "home",
        "report_list",
        "report_form",
        "report_detail",
        "signed_copy",
        "registers",
        "register",
        "nomination",
        "score",
        "nomination_add",
        "register_import",
        "plan",
    ],
    "dora": ["home", "report_list", "plan"],
    "rita": [
        "home",
        "dashboard",
        "drill_down",
        "completeness",
        "review_queue",
        "report_detail",
        "recognition_queue",
        "recognition_review",
        "decision",
        "recognised",
        "report_history",
        "documents",
        "consolidated_report",
        "plan",
    ],
    "leo": [
        "home",
        "dashboard",
        "drill_down",
        "completeness",
        "review_queue",
        "report_detail",
        "consolidated_report",
        "registers",
        "documents",
        "plan",
    ],
    "ada": ["home", "dashboard", "review_queue", "registers", "plan"],
}
