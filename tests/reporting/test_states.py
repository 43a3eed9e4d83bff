"""One word for each report state and timeliness: every page, export and message says the same."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting import services, states
from reporting.models import Period, SubmissionState
from reporting.rollup import compute_rollup, unit_completeness
from tests.reporting.rollup_data import period, report

ROOT = Path(settings.BASE_DIR)
# Every word of reporting.states, and the other words that used to name the same states.
STATE_WORDS = [
    "Chưa báo cáo",
    "Chưa bắt đầu",
    "Đang soạn",
    "Đã gửi",
    "Đã gửi, chờ duyệt",
    "Chờ duyệt",
    "Bị trả lại",
    "Đã duyệt",
    "Đúng hạn",
    "Trễ hạn",
    "Quá hạn",
    "Nộp muộn",
    "Muộn, quá hạn",
    "Được gia hạn",
    "Chưa đến hạn",
]


def _sources() -> list[Path]:
    """The report pages, partials, exports, views and messages of the reporting app."""
    files = list((ROOT / "templates" / "reporting").glob("*.html"))
    files += list((ROOT / "reporting" / "exports").glob("*.py"))
    files += list((ROOT / "reporting" / "views").glob("*.py"))
    files += [ROOT / "reporting" / name for name in ("rollup.py", "services.py", "reminders.py", "excel.py")]
    return [f for f in files if f.exists()]


def test_no_template_export_or_message_keeps_its_own_copy_of_a_state_word():
    pattern = re.compile(
        r"""(?:\{%\s*translate\s+|\b_\(|gettext(?:_lazy)?\(|pgettext\([^,]*,\s*)["']("""
        + "|".join(re.escape(w) for w in STATE_WORDS)
        + r""")["']"""
    )
    copies = [
        f"{path.relative_to(ROOT)}: {match.group(1)}"
        for path in _sources()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert copies == []


def test_the_words_come_from_the_model_choices_and_one_dict():
    assert states.state_label("submitted") == str(SubmissionState.SUBMITTED.label) == "Đã gửi, chờ duyệt"
    assert states.state_label(states.NOT_STARTED) == "Chưa báo cáo"
    assert {str(v) for v in states.TIMELINESS_LABELS.values()} == {
        "Đúng hạn",
        "Trễ hạn",
        "Được gia hạn",
        "Chưa đến hạn",
    }


@pytest.mark.django_db
def test_an_extension_reads_the_same_on_the_queue_completeness_page_pdf_and_workbook(units, login, rita):
    """The queue said "Được gia hạn" where the completeness page and the PDF said "Trễ hạn"."""
    from openpyxl import load_workbook

    from reporting.exports.pdf import render_pdf_html
    from reporting.exports.xlsx import render_xlsx

    the_period = period("2018-Y")
    today = timezone.localdate()
    Period.objects.filter(pk=the_period.pk).update(due=today - dt.timedelta(days=3))
    the_period.refresh_from_db()
    report(units["06973"], "2018-Y", {}, state=SubmissionState.DRAFT)
    services.submission_extend(unit=units["06973"], period=the_period, by=rita, until=today + dt.timedelta(days=5))
    client = login(rita)
    queue = client.get(reverse("reporting:review_queue"), {"period": "2018-Y"}).content.decode()
    row = re.search(r"Xã Thanh Sơn.*?</tr>", queue, re.S).group(0)
    assert "Được gia hạn" in row and "Trễ hạn" not in row
    page = client.get(reverse("reporting:dashboard_completeness", args=["2018-Y"])).content.decode()
    row = re.search(r"Xã Thanh Sơn.*?</tr>", page, re.S).group(0)
    assert "Được gia hạn" in row and "Trễ hạn" not in row
    assert "Đang soạn" in row

    rollup = compute_rollup(period=the_period, units=True)
    entry = next(e for e in rollup.unit_completeness if e.unit.code == "06973")
    assert (entry.timeliness, entry.on_time) == ("extended", None)
    html = render_pdf_html(rollup)
    row = re.search(r"Xã Thanh Sơn.*?</tr>", html, re.S).group(0)
    assert "Được gia hạn" in row and "Trễ hạn" not in row
    import io

    sheet = load_workbook(io.BytesIO(render_xlsx(rollup)))["Tình hình nộp"]
    cells = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "06973")
    assert cells[2] == "Đang soạn" and cells[4] == "Được gia hạn"
    # Not late yet, in the period summary too: 18 others never sent, past the due date.
    assert rollup.period_completeness.late == 18
    assert sum(1 for e in unit_completeness(the_period) if e.on_time is False) == 18


@pytest.mark.parametrize(
    ("sent", "extended", "state", "expected"),
    [
        (dt.date(2018, 12, 20), None, "submitted", "on_time"),
        (dt.date(2018, 12, 21), None, "submitted", "late"),
        (dt.date(2018, 12, 21), dt.date(2018, 12, 30), "submitted", "late"),  # allowed, still late
        (None, None, "draft", "late"),
        (None, dt.date(2019, 1, 10), "draft", "extended"),
        (None, dt.date(2019, 1, 10), "approved", "late"),
        (None, dt.date(2019, 1, 2), "draft", "late"),  # the extension ran out
    ],
)
def test_timeliness_rule(sent, extended, state, expected):
    submitted_at = timezone.make_aware(dt.datetime.combine(sent, dt.time(9))) if sent else None
    got = states.timeliness(
        due=dt.date(2018, 12, 20),
        submitted_at=submitted_at,
        extended_until=extended,
        state=state,
        today=dt.date(2019, 1, 5),
    )
    assert got == expected
    assert states.timeliness(due=dt.date(2019, 1, 6), submitted_at=None, today=dt.date(2019, 1, 5)) == "not_due"
