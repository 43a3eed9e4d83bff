"""The bad-upload corpus, posted through the real views of BOTH upload endpoints.

Each file of ``tests.portal.bad_uploads`` goes to the report Excel upload (reporting) and to the
nominee-list import (recognition), as alice, the officer of commune A. For every file:

- the response is never a server error;
- a refused file answers with a message in Vietnamese, shown on the page, and the database is
  exactly as before (every row of the report and nomination tables compared, not only counts);
- an accepted file lands completely (the figures, the names), stored NFC.

The endpoint-specific files (a formula in a figure, NFD text, 10,000 rows) are built from each
endpoint's own template, so that a refusal can only come from the damage. A zip bomb must be
refused within a few seconds (the request is interrupted otherwise).

Both endpoints go through the same gate before openpyxl opens a file
(``reporting.excel.check_upload``): macros, corrupt archives and zip bombs are refused at once.
"""

from __future__ import annotations

import html
import os
import re
import signal
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from recognition.models import Nomination, NominationEvent, Register, Score
from recognition.services import nomination_add
from reporting import services
from reporting.excel import build_template
from reporting.models import Submission, SubmissionEvent, SubmissionValue
from reporting.services import ValueInput
from tests.conftest import _make_user, load_plan, load_units_and_periods
from tests.portal import bad_uploads as bad
from tests.recognition import factories
from tests.reporting.submission_factories import open_period
from tests.reporting.test_excel import filled
from xhht_portal.models import Role

VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)
ALLOWED = {200, 302, 400, 403, 404}
BOMB_SECONDS = 3
# Bounded work per upload (issue 11): any refused file costs less than this; see post_within_budget.
BUDGET_CPU_SECONDS = 2.0
BUDGET_MEMORY_MB = 100
MEASURED: dict[str, tuple[float, float]] = {}  # case → (CPU s, peak MB), printed with -s by the summary test
TRAVERSAL_TARGET = "/tmp/xhht-pwned.txt"


def is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE.search(unicodedata.normalize("NFC", str(text))))


def db_state() -> dict[str, list[dict]]:
    """Every row of the tables an upload may write: compared before and after a refused file."""
    models = (Submission, SubmissionValue, SubmissionEvent, Register, Nomination, NominationEvent, Score)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


class TookTooLong(BaseException):
    """A BaseException, so that the app's broad ``except Exception`` cannot turn it into a refusal."""


@contextmanager
def time_limit(seconds: int):
    """Interrupt the request after ``seconds``: a zip bomb must be refused before it is inflated.

    The timer keeps firing every 50 ms after the limit: an exception raised while Python runs a
    destructor or a weakref callback is printed and ignored, and one firing could be lost that way.
    """

    def interrupt(signum, frame):
        raise TookTooLong(f"still working after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- the two endpoints


class Endpoint:
    """One upload endpoint: its own template (``base``), how to post to it, what it says, what 'accepted' means.

    The builders return the endpoint's own kind of file for the cases that depend on its layout.
    """

    name = ""
    base = b""

    def __init__(self, client):
        self.client = client

    def post(self, data: bytes, filename: str):
        raise NotImplementedError

    def messages(self, response) -> list[str]:
        raise NotImplementedError

    def good(self) -> bytes:
        raise NotImplementedError

    def accepted(self) -> None:
        raise NotImplementedError

    def formula_cell(self) -> bytes:
        raise NotImplementedError

    def formula_text(self) -> bytes:
        raise NotImplementedError

    def nfd_text(self) -> bytes:
        raise NotImplementedError

    def nfd_accepted(self) -> None:
        raise NotImplementedError

    def many_rows(self, count: int, *, bad_last: bool) -> bytes:
        raise NotImplementedError

    def many_accepted(self, count: int) -> None:
        raise NotImplementedError


class Reporting(Endpoint):
    """The report Excel upload: alice's draft of 2018-H1 holds I04 = 900/1000 before each file."""

    name = "reporting"

    def __init__(self, client, alice):
        super().__init__(client)
        self.alice = alice
        self.period = open_period("2018-H1")
        self.draft = services.submission_save_draft(
            unit=alice.unit,
            period=self.period,
            by=alice,
            values={"I04": ValueInput(Decimal(900), Decimal(1000))},
            narrative={"task_1": "Bản nháp"},
        )
        self.base = build_template(unit=alice.unit, period=self.period)

    def post(self, data, filename):
        return self.client.post(
            reverse("reporting:submission_upload", kwargs={"period_code": self.period.code}),
            {"file": SimpleUploadedFile(filename, data, content_type="application/octet-stream")},
        )

    def messages(self, response):
        context = response.context
        found = [str(e) for e in context["upload_form"].errors.get("file", [])]
        if context.get("upload_message"):
            found.append(str(context["upload_message"]))
        return found + [str(e) for e in context.get("upload_errors") or []][:20]

    def i04(self):
        value = SubmissionValue.objects.get(submission=self.draft, indicator__code="I04")
        return value.numerator, value.denominator

    def good(self):
        return filled(self.base, {"I04.num": 950, "base.population_15_60": 1000})

    def accepted(self):
        assert self.i04() == (950, 1000)
        assert Submission.objects.get(pk=self.draft.pk).version == self.draft.version + 1

    def formula_cell(self):
        return filled(self.base, {"I04.num": "=SUM(F1:F3)*1000", "base.population_15_60": 1000})

    def formula_text(self):
        return filled(self.base, {"I04.num": 950, "text.task_1": "=cmd|' /C calc'!A0"})

    def nfd_text(self):
        def rename(book):
            book.worksheets[0].title = bad.nfd("Báo cáo đã sửa")

        return filled(
            self.base,
            {
                "I04.num": 950,
                "base.population_15_60": bad.nfd(" 1.000 "),
                "I02.flag.0": bad.nfd("Có"),
                "I02.flag.1": bad.nfd("KHÔNG"),
                "I02.flag.2": bad.nfd("chưa đạt"),
                "text.task_1": bad.nfd("  Mở 5 lớp tin học cho người cao tuổi ở thôn Khe Hẻ  "),
            },
            mutate=rename,
        )

    def nfd_accepted(self):
        assert self.i04() == (950, 1000)
        flags = SubmissionValue.objects.get(submission=self.draft, indicator__code="I02").flags
        assert flags == [True, False, False]
        task = Submission.objects.get(pk=self.draft.pk).task_1
        assert task == "Mở 5 lớp tin học cho người cao tuổi ở thôn Khe Hẻ"
        assert unicodedata.is_normalized("NFC", task)

    def many_rows(self, count, *, bad_last):
        """10,000 rows the officer added below the template; with ``bad_last`` the last one repeats a key."""

        def append(book):
            sheet = book.worksheets[0]
            for number in range(count):
                sheet.append([None, f"GC{number}", f"Ghi chú của xã, dòng {number}", "", "", number])
            if bad_last:
                sheet.cell(row=sheet.max_row, column=1, value="I04.num")

        return filled(self.base, {"I04.num": 950, "base.population_15_60": 1000}, mutate=append)

    def many_accepted(self, count):
        self.accepted()


class Recognition(Endpoint):
    """The nominee-list import into alice's 2018 family register, which already holds one name."""

    HEADER = ("Họ và tên chủ hộ", "Thôn, bản, khu", "Ghi chú")

    name = "recognition"

    def __init__(self, client, alice):
        super().__init__(client)
        self.register = factories.register(alice, year=2018)
        nomination_add(register=self.register, name="Triệu Văn Ẩn", village=factories.village(alice.unit), by=alice)
        self.base = factories.workbook_bytes([("Bàn Thị Mai", "Thôn 1", ""), ("Lý Văn Sáng", "Thôn 2", "hộ nghèo")])

    def post(self, data, filename):
        return self.client.post(
            reverse("recognition:register_import", kwargs={"pk": self.register.pk}),
            {"file": SimpleUploadedFile(filename, data, content_type="application/octet-stream")},
        )

    def messages(self, response):
        context = response.context
        found = [str(e) for e in context["form"].errors.get("file", [])]
        result = context.get("result")
        return found + [e.message for e in (result.errors if result else [])][:20]

    def names(self):
        return sorted(self.register.nominations.values_list("name", flat=True))

    def good(self):
        return self.base

    def accepted(self):
        assert self.names() == ["Bàn Thị Mai", "Lý Văn Sáng", "Triệu Văn Ẩn"]

    def formula_cell(self):
        return factories.workbook_bytes([("Bàn Thị Mai", "Thôn 1", ""), ('=HYPERLINK("http://x.invalid","Lý Văn Sáng")', "Thôn 2", "")])  # fmt: skip

    def formula_text(self):
        return factories.workbook_bytes([("Bàn Thị Mai", "Thôn 1", ""), ("Lý Văn Sáng", "Thôn 2", "=cmd|' /C calc'!A0")])  # fmt: skip

    def nfd_text(self):
        header = tuple(bad.nfd(h.upper()) for h in self.HEADER)
        return factories.workbook_bytes(
            [
                (bad.nfd("  bàn   Thị Mai "), bad.nfd("thôn 1"), bad.nfd("hộ nghèo")),
                (bad.nfd("Lý Văn Sáng"), "THÔN 2", ""),
            ],
            header=header,
        )

    def nfd_accepted(self):
        rows = sorted(self.register.nominations.values_list("name", "village__name", "note"))
        assert rows == [
            ("Lý Văn Sáng", "Thôn 2", ""),
            ("Triệu Văn Ẩn", "Thôn 1", ""),
            ("bàn Thị Mai", "Thôn 1", "hộ nghèo"),
        ]
        assert all(unicodedata.is_normalized("NFC", name) for name, _v, note in rows)

    def many_rows(self, count, *, bad_last):
        rows = [(f"Hộ gia đình số {n}", f"Thôn {1 + n % 2}", "") for n in range(count)]
        if bad_last:
            rows[-1] = ("Hộ gia đình cuối", "Thôn 99", "")
        return factories.workbook_bytes(rows)

    def many_accepted(self, count):
        assert self.register.nominations.count() == count + 1
        assert NominationEvent.objects.filter(nomination__register=self.register, action="imported").count() == count


# ---------------------------------------------------------------- the corpus

REFUSED, ACCEPTED = "refused", "accepted"


@dataclass
class Case:
    build: Callable[[Endpoint], tuple[bytes, str]]
    expect: dict[str, str]
    xfail: dict[str, tuple[str, type[BaseException]]] = field(default_factory=dict)
    check: Callable[[Endpoint], None] | None = None  # for accepted files, beyond the usual
    seconds: int | None = None
    budget: bool = False  # a refusal within BUDGET_CPU_SECONDS of CPU and BUDGET_MEMORY_MB of Python memory


def both(outcome):
    return {"reporting": outcome, "recognition": outcome}


CASES: dict[str, Case] = {
    "good file (control)": Case(lambda ep: (ep.good(), "bao-cao.xlsx"), both(ACCEPTED)),
    "empty file": Case(lambda ep: (bad.empty(), "bao-cao.xlsx"), both(REFUSED)),
    "pdf named .xlsx": Case(lambda ep: (bad.pdf(), "bao-cao.xlsx"), both(REFUSED)),
    "png named .xlsx": Case(lambda ep: (bad.png(), "bao-cao.xlsx"), both(REFUSED)),
    "html named .xlsx": Case(lambda ep: (bad.html(), "bao-cao.xlsx"), both(REFUSED)),
    "csv": Case(lambda ep: (bad.csv(), "danh-sach.csv"), both(REFUSED)),
    "legacy .xls": Case(lambda ep: (bad.legacy_xls(), "bao-cao.xls"), both(REFUSED)),
    "zip that is not a workbook": Case(lambda ep: (bad.zip_not_a_workbook(), "bao-cao.xlsx"), both(REFUSED)),
    "truncated download": Case(lambda ep: (bad.truncated(ep.base), "bao-cao.xlsx"), both(REFUSED)),
    "corrupt zip: directory zeroed": Case(lambda ep: (bad.corrupt_directory(ep.base), "bao-cao.xlsx"), both(REFUSED)),
    "corrupt zip: invalid deflate block": Case(
        lambda ep: (bad.corrupt_deflate(ep.base), "bao-cao.xlsx"), both(REFUSED)
    ),
    "bad CRC": Case(lambda ep: (bad.bad_crc(ep.base), "bao-cao.xlsx"), both(REFUSED)),
    "zip bomb": Case(
        lambda ep: (bad.zip_bomb(ep.base), "bao-cao.xlsx"),
        both(REFUSED),
        seconds=BOMB_SECONDS,
    ),
    "xml entity bomb": Case(lambda ep: (bad.xml_entity_bomb(ep.base), "bao-cao.xlsx"), both(REFUSED), seconds=5),
    "xml external entity": Case(lambda ep: (bad.xml_external_entity(ep.base), "bao-cao.xlsx"), both(REFUSED)),
    "one byte over the size limit": Case(
        lambda ep: (bad.padded_to(ep.good(), settings.UPLOAD_MAX_BYTES + 1), "bao-cao.xlsx"), both(REFUSED)
    ),
    "exactly the size limit": Case(
        lambda ep: (bad.padded_to(ep.good(), settings.UPLOAD_MAX_BYTES), "bao-cao.xlsx"), both(ACCEPTED)
    ),
    "macro: .xlsm name": Case(
        lambda ep: (ep.good(), "bao-cao.xlsm"), both(REFUSED)
    ),
    "macro: vbaProject.bin and macroEnabled type": Case(
        lambda ep: (bad.with_vba_project(ep.good()), "bao-cao.xlsx"), both(REFUSED)
    ),
    "macro: vbaProject.bin alone": Case(
        lambda ep: (bad.vba_project_only(ep.good()), "bao-cao.xlsx"), both(REFUSED)
    ),
    "macro: macroEnabled content type alone": Case(
        lambda ep: (bad.macro_content_type(ep.good()), "bao-cao.xlsx"), both(REFUSED)
    ),
    "formula in a cell": Case(lambda ep: (ep.formula_cell(), "bao-cao.xlsx"), both(REFUSED)),
    "formula typed as text (DDE)": Case(lambda ep: (ep.formula_text(), "bao-cao.xlsx"), both(REFUSED)),
    "NFD text": Case(lambda ep: (ep.nfd_text(), bad.nfd("báo-cáo.xlsx")), both(ACCEPTED), check=lambda ep: ep.nfd_accepted()),
    "10,000 rows": Case(
        lambda ep: (ep.many_rows(10_000, bad_last=False), "bao-cao.xlsx"),
        both(ACCEPTED),
        check=lambda ep: ep.many_accepted(10_000),
    ),
    "10,000 rows, the last one wrong": Case(
        lambda ep: (ep.many_rows(10_000, bad_last=True), "bao-cao.xlsx"), both(REFUSED)
    ),
    "dense: two million empty cells": Case(
        lambda ep: (bad.dense_cells(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True
    ),
    "dense: 700,000 numbers": Case(lambda ep: (bad.dense_values(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True),
    "dense: cells behind a namespace prefix": Case(
        lambda ep: (bad.prefixed_cells(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True
    ),
    "one cell on row 1,048,576": Case(lambda ep: (bad.far_row(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True),
    "declared dimension A1:XFD1048576": Case(
        lambda ep: (bad.huge_dimension(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True
    ),
    "a million shared strings": Case(
        lambda ep: (bad.many_shared_strings(ep.base), "bao-cao.xlsx"), both(REFUSED), budget=True
    ),
    "zip member named ../../": Case(lambda ep: (bad.path_traversal_member(ep.good()), "bao-cao.xlsx"), both(ACCEPTED)),
}  # fmt: skip


def base_data() -> dict:
    """What tests/conftest.py's plan, units and alice fixtures make, made once per class (see CorpusCase)."""
    units = load_units_and_periods(load_plan())
    factories.criteria()
    return {"alice": _make_user("alice", Role.COMMUNE_OFFICER, units["06973"])}


class CorpusCase(TestCase):
    """One endpoint × the whole corpus, one test per file.

    A django TestCase rather than parametrized pytest functions: the plan, the units and alice
    are made once per class (setUpTestData) instead of once per file, which halves the time on
    PostgreSQL; every test still runs in its own rolled-back transaction.
    """

    kind = ""

    @classmethod
    def setUpTestData(cls):
        cls.alice = base_data()["alice"]

    def setUp(self):
        cache.clear()
        self.client.force_login(self.alice)
        self.endpoint = {"reporting": Reporting, "recognition": Recognition}[self.kind](self.client, self.alice)

    def post_within_budget(self, name: str, data: bytes, filename: str):
        """Post a file and measure what refusing it cost: CPU time of this process and peak Python memory.

        CPU time (``time.process_time``) rather than the wall clock, which other work on a shared
        machine inflates; tracemalloc sees every allocation Python makes, openpyxl's and lxml's
        objects included (it slows the code it watches, so the figures are upper bounds).
        """
        tracemalloc.start()
        cpu = time.process_time()
        try:
            response = self.endpoint.post(data, filename)
            cpu = time.process_time() - cpu
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        MEASURED[f"{self.kind}: {name}"] = (cpu, peak / 1048576)
        assert cpu < BUDGET_CPU_SECONDS, f"{name}: refusing it took {cpu:.2f} s of CPU"
        assert peak < BUDGET_MEMORY_MB * 1048576, f"{name}: refusing it took {peak / 1048576:.0f} MB"
        return response

    def run_case(self, name: str) -> None:
        endpoint, case = self.endpoint, CASES[name]
        data, filename = case.build(endpoint)
        before = db_state()
        started = time.perf_counter()
        if case.budget:
            response = self.post_within_budget(name, data, filename)
        elif case.seconds:
            with time_limit(case.seconds):
                response = endpoint.post(data, filename)
            assert time.perf_counter() - started < case.seconds
        else:
            response = endpoint.post(data, filename)
        assert response.status_code in ALLOWED, response.status_code
        if case.expect[self.kind] == REFUSED:
            assert response.status_code == 200, f"{name}: expected a refusal, got {response.status_code}"
            body = response.content.decode()
            messages = endpoint.messages(response)
            assert messages, f"{name}: refused without a message"
            for message in messages:
                assert is_vietnamese(message), f"{name}: not Vietnamese: {message!r}"
                assert html.escape(message) in body, f"{name}: message not shown: {message!r}"
            assert db_state() == before, f"{name}: the database changed although the file was refused"
        else:
            assert response.status_code == 302, (
                f"{name}: expected the file to be accepted, got {response.status_code}: "
                f"{endpoint.messages(response) if response.status_code == 200 else ''}"
            )
            (case.check or (lambda ep: ep.accepted()))(endpoint)
        # Whatever the outcome: nothing written outside the archive, no server file read into the page or the data.
        assert not os.path.exists(TRAVERSAL_TARGET)
        assert "root:x:0:0" not in response.content.decode(errors="replace")
        assert not Nomination.objects.filter(name__contains="root:").exists()
        assert not Submission.objects.filter(task_1__contains="root:").exists()


def corpus_class(kind: str) -> type[CorpusCase]:
    methods: dict = {"kind": kind, "__doc__": f"The bad-upload corpus against the {kind} upload endpoint."}
    for name, case in CASES.items():

        def method(self, name=name):
            self.run_case(name)

        if kind in case.xfail:
            reason, raises = case.xfail[kind]
            method = pytest.mark.xfail(strict=True, reason=reason, raises=raises)(method)
        slug = re.sub(r"[^a-z0-9]+", "_", unicodedata.normalize("NFKD", name).lower()).strip("_")
        method.__name__ = f"test_{slug}"
        methods[method.__name__] = method
    return type(f"Test{kind.title()}Upload", (CorpusCase,), methods)


TestReportingUpload = corpus_class("reporting")
# The corpus checks what the import page itself refuses and accepts, so its 10,000-row lists are
# read in the request; above XHHT_IMPORT_TASK_ROWS the same checks run in the worker
# (tests/recognition/test_import_job.py).
TestRecognitionUpload = override_settings(XHHT_IMPORT_TASK_ROWS=20_000)(corpus_class("recognition"))


def teardown_module():
    """With ``-s``: what each refused dense file cost (the figures quoted in issue 11's closing note)."""
    for case, (cpu, peak) in sorted(MEASURED.items()):
        print(f"{case:60} {cpu:5.2f} s CPU  {peak:6.1f} MB peak")
