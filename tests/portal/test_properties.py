"""Property-based tests (Hypothesis) on the report and nomination forms, through the real views.

Whatever is posted into the report entry form (every figure, yes/no answer, narrative field, the
hidden version, the action) and into the nomination add and score forms:

- the answer is never a server error (the test client re-raises any exception of a view);
- when the form refuses the input, the page says so in Vietnamese, beside the field, and the
  database is exactly as it was (every row of the tables compared);
- when the form accepts it, what is stored is what the form cleaned (NFC text, whole numbers).

Each example runs inside a savepoint that is rolled back afterwards, so that every example starts
from the same draft, register and nomination; the pytest fixtures are created once per test.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import unicodedata
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from recognition.forms import NominationForm, ScoreSheetForm
from recognition.models import CriteriaSet, Nomination, NominationEvent, Register, Score
from recognition.services import clean_name, nomination_add
from reporting import services
from reporting.forms import SubmissionForm
from reporting.models import NARRATIVE_FIELDS, Submission, SubmissionEvent, SubmissionValue
from reporting.services import ValueInput
from targets.models import Entry
from targets.numbers import format_number
from tests.recognition import factories
from tests.reporting.submission_factories import open_period

pytestmark = pytest.mark.django_db

# Hypothesis keeps its caches out of the working tree (other engineers share it).
set_hypothesis_home_dir(
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "xhht-hypothesis"))
)
# No example database and no shrinking: each example is a real request (~0.1 s), and shrinking a
# 60-field report post takes minutes; a failure prints the whole example instead. Set
# XHHT_HYPOTHESIS_SHRINK=1 to shrink a failure found here.
PHASES = (Phase.explicit, Phase.generate) + ((Phase.shrink,) if os.environ.get("XHHT_HYPOTHESIS_SHRINK") else ())
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALLOWED = {200, 302, 400, 403, 404}
STALE = 409  # the report form's answer to an out-of-date version: nothing saved, what was typed kept
VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)
NARRATIVE = [key for key, _label in NARRATIVE_FIELDS]


# ---------------------------------------------------------------- what people (and attackers) type

NASTY = [
    "", " ", "\t\n", "0", "-0", "-1", "-1.000", "66,7", "66.7", "1.234,5", "1,234.5", "1.234", "1 234", "1\u00a0234",
    "1e309", "-1e309", "1E-999999999999999", "0e999999", "1e12", "NaN", "-NaN", "sNaN", "Infinity", "-inf", "%",
    "50%", "66,7%", "9999999999999", "10000000000000", "99999999999999999999", "9" * 40, "0x10", "1_000", "+5",
    "١٢٣", "１２３", "½", "\x00", "1\x00", "\x1b[31m", "\u200b", "\ufeff1", "\u202e", "=1+1", "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>", "' OR 1=1 --", "Có", "Không", "Đạt", "true", "None", "null", "[]", "{}",
    unicodedata.normalize("NFD", "Có"), unicodedata.normalize("NFD", "Triệu Văn Ẩn"), "𝟙𝟚𝟛", "🙂",
]  # fmt: skip
VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứừửữựỳýỷỹỵ"


def _maybe_nfd(text: str, decompose: bool) -> str:
    return unicodedata.normalize("NFD", text) if decompose else text


vietnamese_text = st.builds(
    _maybe_nfd,
    st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " \t\r\n0123456789.,", max_size=60),
    st.booleans(),
)
any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
long_text = st.sampled_from([299, 300, 301, 19_999, 20_000, 20_001, 40_000]).map(lambda n: "ạ" * n)
numbers = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.integers(0, 10**15).map(lambda n: format_number(Decimal(n), 0)),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.floats(0, 1e6).map(lambda f: str(f).replace(".", ",")),
)
nasty = st.one_of(st.sampled_from(NASTY), numbers, vietnamese_text, any_text, long_text)


def is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE.search(unicodedata.normalize("NFC", str(text))))


def assert_errors_shown(form, body: str) -> None:
    """Every error of the form is Vietnamese, and is on the page."""
    assert form.errors
    for name, errors in form.errors.items():
        for error in errors:
            assert is_vietnamese(error), f"{name}: not Vietnamese: {error!r}"
            assert html.escape(str(error)) in body, f"{name}: error not shown: {error!r}"


def db_state() -> dict[str, list[dict]]:
    models = (Submission, SubmissionValue, SubmissionEvent, Register, Nomination, NominationEvent, Score)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def both_sides(outcomes: Counter) -> None:
    """The strategies reach both sides of the form: refusals and saves (else the property proves little)."""
    print(dict(outcomes))
    assert outcomes["200 refused"], outcomes
    assert outcomes["302 valid"], outcomes


@contextmanager
def rolled_back():
    """One example: everything it writes is undone, the cache too."""
    cache.clear()
    savepoint = transaction.savepoint_create()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        cache.clear()


def mutate(draw, valid: dict[str, str], names: list[str]) -> dict[str, str]:
    """A valid form with up to four fields replaced by nasty values or left out."""
    data = dict(valid)
    for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        if draw(st.integers(0, 5)) == 0:
            data.pop(name, None)
        else:
            data[name] = draw(nasty)
    return data


# ---------------------------------------------------------------- the report entry form


@pytest.fixture
def report(alice):
    """alice's draft of 2018-H1, with figures in it, and the fields of its entry form."""
    period = open_period("2018-H1")
    draft = services.submission_save_draft(
        unit=alice.unit,
        period=period,
        by=alice,
        values={"I04": ValueInput(Decimal(900), Decimal(1000))},
        narrative={"task_1": "Bản nháp"},
    )
    indicators = services.indicators_for(alice.unit, period)
    return {"period": period, "draft": draft, "indicators": indicators}


@st.composite
def report_posts(draw, indicators, version: int):
    valid: dict[str, str] = {"version": str(version)}
    bases: dict[str, int] = {}
    for indicator in indicators:
        code = indicator.code
        if indicator.entry == Entry.YESNO:
            for index in range(len(indicator.answers)):
                valid[f"{code}-flag-{index}"] = draw(st.sampled_from(["", "1", "0"]))
            continue
        denominator = draw(st.integers(0, 10**7))
        if indicator.base:  # one base figure for every indicator naming it, typed at the top
            denominator = bases.setdefault(indicator.base, denominator)
        numerator = draw(st.integers(0, denominator))
        as_text = draw(st.sampled_from([str, lambda n: format_number(Decimal(n), 0)]))
        if indicator.entry in (Entry.FRACTION, Entry.NUMBER):
            valid[f"{code}-num"] = as_text(numerator)
        if indicator.entry in (Entry.FRACTION, Entry.TOTAL):
            valid[f"base-{indicator.base}" if indicator.base else f"{code}-den"] = as_text(denominator)
    for key in NARRATIVE:
        valid[key] = draw(vietnamese_text)
    data = mutate(draw, valid, sorted(valid))
    data["action"] = draw(st.sampled_from(["save", "submit", "", "xóa", "\x00"]))
    return data


def test_report_form_never_fails_and_refusals_save_nothing(login, alice, report):
    client = login(alice)
    url = reverse("reporting:submission_edit", kwargs={"period_code": report["period"].code})
    indicators, draft = report["indicators"], report["draft"]
    outcomes: Counter = Counter()

    @PROPERTY_SETTINGS
    @given(data=report_posts(indicators, draft.version))
    @example(
        data={"version": str(draft.version), "I04-num": "1.180", "base-population_15_60": "1250", "task_1": "Mở 5 lớp"}
    )
    @example(data={"version": "1e309", "I04-num": "NaN", "base-population_15_60": "-0", "task_1": "\x00"})
    @example(data={"version": "99999999999999999999", "I04-num": "1", "base-population_15_60": "2"})
    @example(data={"version": "-1", "I04-num": "0e999999", "base-population_15_60": "1E-999999999999999"})
    @example(
        data={"version": str(draft.version), "I04-num": "66,7", "base-population_15_60": "1.234,5", "action": "submit"}
    )
    def check(data):
        with rolled_back():
            before = db_state()
            form = SubmissionForm(data, indicators=indicators, submitting=data.get("action") == "submit")
            valid = form.is_valid()
            response = client.post(url, data)
            outcomes[f"{response.status_code} {'valid' if valid else 'refused'}"] += 1
            assert response.status_code in ALLOWED | {STALE}
            body = response.content.decode()
            if not valid:
                assert response.status_code == 200
                assert "data-error-summary" in body and "Chưa lưu: có " in body
                errors = {k: v for k, v in form.errors.items() if k != "version"}
                if errors:  # the hidden version has no place beside a field: the error summary says it
                    assert_errors_shown(type("F", (), {"errors": errors})(), body)
                assert db_state() == before
            elif response.status_code == 302:
                submission = Submission.objects.get(pk=draft.pk)
                stored = services.stored_inputs(submission)
                for code, value in form.values().items():
                    row = stored.get(code, ValueInput(flags=[None] * len(value.flags)))  # all empty: no row
                    flags = list(row.flags or []) + [None] * (len(value.flags) - len(row.flags or []))
                    assert (row.numerator, row.denominator, flags) == (
                        value.numerator,
                        value.denominator,
                        value.flags,
                    ), code
                for key in NARRATIVE:
                    assert getattr(submission, key) == unicodedata.normalize("NFC", data.get(key, "")).strip()
                    assert unicodedata.is_normalized("NFC", getattr(submission, key))
            else:
                # A stale version (409) or a refusal by the service: nothing written, a Vietnamese message.
                assert response.status_code in (200, STALE)
                assert db_state() == before
                assert is_vietnamese(body)

    check()
    both_sides(outcomes)


# ---------------------------------------------------------------- the nomination add form


@pytest.fixture
def registers(alice, bob):
    factories.criteria()
    family = factories.register(alice, "family", year=2018)
    community = factories.register(alice, "community", year=2018)
    clan = factories.register(alice, "clan", year=2018)
    nomination_add(register=family, name="Triệu Văn Ẩn", village=factories.village(alice.unit), by=alice)
    villages = [str(factories.village(alice.unit, n).pk) for n in (1, 2)]
    foreign = str(factories.village(bob.unit).pk)
    return {"family": family, "community": community, "clan": clan, "villages": villages, "foreign": foreign}


@st.composite
def nomination_posts(draw, villages: list[str], foreign: str):
    valid = {
        "name": draw(st.one_of(vietnamese_text, st.sampled_from(["Bàn Thị Mai", "Triệu Văn Ẩn", "triệu  văn ẩn"]))),
        "village": draw(st.sampled_from(villages)),
        "note": draw(st.one_of(st.just(""), vietnamese_text)),
    }
    data = mutate(draw, valid, ["name", "village", "note"])
    if draw(st.integers(0, 9)) == 0:
        data["village"] = draw(st.sampled_from([foreign, "0", "-1", "1e309", "99999999999999999999", "1 OR 1=1"]))
    return data


@pytest.mark.parametrize("title", ["family", "community", "clan"])
def test_nomination_add_never_fails_and_refusals_save_nothing(login, alice, registers, title):
    client = login(alice)
    register = registers[title]
    url = reverse("recognition:nomination_add", kwargs={"pk": register.pk})
    outcomes: Counter = Counter()

    @PROPERTY_SETTINGS
    @given(data=nomination_posts(registers["villages"], registers["foreign"]))
    @example(data={"name": "Bàn Thị Mai", "village": registers["villages"][1], "note": "hộ nghèo"})
    @example(data={"name": "\x00", "village": "1e309", "note": "ạ" * 301})
    @example(data={"name": "Triệu Văn Ẩn", "village": registers["villages"][0]})
    @example(data={"name": unicodedata.normalize("NFD", " TRIỆU   văn ẩn "), "village": registers["villages"][0]})
    @example(data={"name": "x", "village": registers["foreign"]})
    @example(data={"name": "x", "village": "99999999999999999999"})
    def check(data):
        with rolled_back():
            before = db_state()
            form = NominationForm(data, register=register)
            valid = form.is_valid()
            response = client.post(url, data)
            outcomes[f"{response.status_code} {'valid' if valid else 'refused'}"] += 1
            assert response.status_code in ALLOWED
            body = response.content.decode()
            if not valid:
                assert response.status_code == 200
                assert_errors_shown(form, body)
                assert db_state() == before
            elif response.status_code == 302:
                added = Nomination.objects.filter(register=register).exclude(
                    pk__in=[row["id"] for row in before["Nomination"]]
                )
                assert added.count() == 1
                nomination = added.get()
                assert unicodedata.is_normalized("NFC", nomination.name)
                village = form.cleaned_data.get("village")
                expected = village.name if register.title_id == "community" else form.cleaned_data["name"]
                assert nomination.name == clean_name(expected)
                assert nomination.village == village
                assert nomination.note == clean_name(form.cleaned_data.get("note", ""))
            else:
                assert response.status_code == 200
                assert db_state() == before
                assert is_vietnamese(body)

    check()
    both_sides(outcomes)


# ---------------------------------------------------------------- the score sheet


@pytest.fixture
def scoring(alice, registers):
    register = registers["family"]
    nomination = register.nominations.get()
    criteria_set = CriteriaSet.objects.prefetch_related("criteria__items").get(title=register.title)
    items = [item for criterion in criteria_set.criteria.all() for item in criterion.items.all()]
    return {"nomination": nomination, "criteria_set": criteria_set, "items": items}


@st.composite
def score_posts(draw, items):
    valid = {}
    for item in items:
        cents = draw(st.integers(0, int(item.max_points * 100)))
        points = Decimal(cents) / 100
        valid[f"item_{item.pk}"] = draw(st.sampled_from([str(points), format_number(points, 2), f"{points:f}"]))
    return mutate(draw, valid, sorted(valid))


def test_score_sheet_never_fails_and_refusals_save_nothing(login, alice, scoring):
    client = login(alice)
    nomination, criteria_set, items = scoring["nomination"], scoring["criteria_set"], scoring["items"]
    url = reverse("recognition:nomination_score", kwargs={"pk": nomination.pk})
    full = {f"item_{item.pk}": format_number(item.max_points, 2) for item in items}
    outcomes: Counter = Counter()

    @PROPERTY_SETTINGS
    @given(data=score_posts(items))
    @example(data=full)
    @example(data={**full, f"item_{items[0].pk}": "0e999999"})
    @example(data={**full, f"item_{items[0].pk}": "-0"})
    @example(data={**full, f"item_{items[0].pk}": "1E-999999999999999"})
    @example(data={**full, f"item_{items[0].pk}": "NaN"})
    @example(data={**full, f"item_{items[0].pk}": "1e309"})
    @example(data={**full, f"item_{items[0].pk}": "7,555"})
    def check(data):
        with rolled_back():
            before = db_state()
            form = ScoreSheetForm(data, criteria_set=criteria_set)
            valid = form.is_valid()
            response = client.post(url, data)
            outcomes[f"{response.status_code} {'valid' if valid else 'refused'}"] += 1
            assert response.status_code in ALLOWED
            body = response.content.decode()
            if not valid:
                assert response.status_code == 200
                assert_errors_shown(form, body)
                assert db_state() == before
            elif response.status_code == 302:
                stored = dict(Score.objects.filter(nomination=nomination).values_list("item_id", "points"))
                assert stored == form.points
                assert Nomination.objects.get(pk=nomination.pk).state == "scored"
            else:
                assert response.status_code == 200
                assert db_state() == before
                assert is_vietnamese(body)

    check()
    both_sides(outcomes)


# ---------------------------------------------------------------- found by the properties

# Django's Vietnamese catalogue leaves this message in English; locale/vi supplies it.


def test_null_character_in_the_report_is_refused_in_vietnamese(login, alice, report):
    url = reverse("reporting:submission_edit", kwargs={"period_code": report["period"].code})
    before = db_state()
    response = login(alice).post(url, {"version": str(report["draft"].version), "task_1": "Bản\x00nháp"})
    assert response.status_code == 200
    assert db_state() == before
    errors = response.context["form"].errors["task_1"]
    assert all(is_vietnamese(error) for error in errors), errors


def test_null_character_in_a_nomination_is_refused_in_vietnamese(login, alice, registers):
    url = reverse("recognition:nomination_add", kwargs={"pk": registers["family"].pk})
    before = db_state()
    response = login(alice).post(url, {"name": "Bàn\x00Thị Mai", "village": registers["villages"][0]})
    assert response.status_code == 200
    assert db_state() == before
    errors = response.context["form"].errors["name"]
    assert all(is_vietnamese(error) for error in errors), errors
