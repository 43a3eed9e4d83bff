"""Bad values in the documents inputs that had no such test: never a 500, a Vietnamese message or
a 404, what was typed still on the page, nothing saved.

The report's number, date, reason and text lengths, the signed scans and the withdrawal reason
have their own tests (test_report, test_unit_documents, test_signed_copy_withdrawal); here: the
hidden version of the report form, ``?revision=`` of the PDF, the codes in the URL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from documents import services
from documents.models import ConsolidatedReport, ReportIssue
from tests.documents.factories import narrative_report, open_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(units):
    return open_period("2018-H1")


@pytest.fixture
def report(period, alice, rita, units):
    narrative_report(alice.unit, period, alice, reviewer=rita)
    return services.report_compile(unit=units["BACHE"], period=period, by=rita)


def _state(report) -> tuple:
    report.refresh_from_db()
    return report.version, report.narrative, ReportIssue.objects.count()


@pytest.mark.parametrize("version", ["abc", "", "-1", "1e309", "1,5", "\x00"])
def test_a_bad_hidden_version_is_refused_keeping_the_typed_text(login, rita, period, report, version):
    before = _state(report)
    url = reverse("documents:report_page", args=["BACHE", period.code])
    data = {"version": version, "task_1": "Văn bản vừa gõ <b>đậm</b>", "number": "07", "action": "save"}
    response = login(rita).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu: có 1 lỗi cần sửa" in page  # the error summary, naming the version's error
    assert "Văn bản vừa gõ &lt;b&gt;đậm&lt;/b&gt;" in page and 'value="07"' in page
    assert _state(report) == before


def test_a_version_the_report_never_had_is_a_409_keeping_the_typed_text(login, rita, period, report):
    before = _state(report)
    url = reverse("documents:report_page", args=["BACHE", period.code])
    response = login(rita).post(url, {"version": "9" * 25, "task_1": "Văn bản vừa gõ", "action": "save"})
    assert response.status_code == 409
    assert "Văn bản vừa gõ" in response.content.decode()
    assert _state(report) == before


@pytest.mark.parametrize("revision", ["²", "9" * 5000, "9" * 25, "abc", "-1", "0", "2", "1.0", "\x00", " 1"])
def test_a_revision_that_does_not_exist_is_a_404(login, rita, period, report, revision):
    report.refresh_from_db()
    services.report_issue(
        report=report, by=rita, narrative=report.narrative, version=report.version, number=5, date=dt.date(2018, 7, 5)
    )
    url = reverse("documents:report_pdf", args=["BACHE", period.code])
    client = login(rita)
    assert client.get(url, {"revision": revision}).status_code == 404
    assert client.get(url, {"revision": "1"}).status_code == 200  # the one issue there is


@pytest.mark.parametrize(
    ("unit", "code"), [("BACHE", "2099-H9"), ("%00", "2018-H1"), ("BACHE", "%00"), ("ZZZ", "2018-H1")]
)
def test_an_unknown_unit_or_period_in_the_url_is_a_404(login, rita, period, report, unit, code):
    client = login(rita)
    before = _state(report)
    for suffix in ("", "report.pdf"):
        assert client.get(f"/documents/report/{unit}/{code}/{suffix}").status_code == 404
    assert client.post(f"/documents/report/{unit}/{code}/", {"version": "1", "action": "save"}).status_code == 404
    assert client.post(f"/documents/report/{unit}/{code}/compile/", {"replace": "on"}).status_code == 404
    assert _state(report) == before and ConsolidatedReport.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": ""}, "bắt buộc"),
        ({"unit": "9" * 25}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"place": "p" * 101}, "tối đa 100"),
        ({"signer_title": "   "}, "bắt buộc"),
        ({"unit": "commune-b"}, "đã tồn tại"),
    ],
    ids=["no-unit", "unknown-unit", "long-place", "blank-signer-title", "unit-already-set-up"],
)
def test_letterhead_admin_refuses_bad_values_in_vietnamese_and_saves_nothing(units, bob, login, ada, changes, message):
    from django.db import connection

    from documents.models import DocumentSettings
    from tests.targets.test_bad_inputs import admin_data

    if changes.get("unit") == "9" * 25 and connection.vendor == "sqlite":
        # Django's autocomplete widget re-renders the typed id with a query SQLite cannot take
        # (OverflowError); PostgreSQL answers "no such unit". Only a hand-made POST carries it.
        pytest.skip("Django admin autocomplete + SQLite: an id over 2**63 overflows (docs/INPUTS.md)")
    DocumentSettings.objects.create(
        unit=bob.unit, issuer="UBND XÃ NAM SƠN", place="Nam Sơn", symbol="BC-UBND", signer_title="CHỦ TỊCH"
    )
    client = login(ada)
    url = reverse("admin:documents_documentsettings_add")
    data = {
        **admin_data(client.get(url)),
        "unit": units["06973"].pk,
        "issuer": "UBND XÃ THANH SƠN",
        "place": "Thanh Sơn",
        "symbol": "BC-UBND",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Triệu Văn Long",
    }
    data.update({k: (bob.unit.pk if v == "commune-b" else v) for k, v in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu: xin sửa các lỗi ghi bên dưới." in page and message in page
    assert 'value="Triệu Văn Long"' in page
    assert DocumentSettings.objects.count() == 1
