"""No live formula in any workbook the portal hands out, whatever people typed.

Every generated workbook is opened twice: its worksheet XML parsed part by part (a formula is an
``<f>`` element or a ``t="str"`` cell), and with openpyxl (no cell of type "f"). The hostile text
must be there, as text, or the test proves nothing.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import NARRATIVE_FIELDS, Submission
from targets.models import Indicator
from tests.recognition import factories
from tests.reporting.rollup_data import report
from tests.reporting.submission_factories import open_period
from units.models import Unit, UnitKind
from xhht_portal.xlsx import workbook_bytes

pytestmark = pytest.mark.django_db

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def formulas_in_xml(content: bytes) -> list[str]:
    """Cells holding a formula, read from the unzipped worksheet XML."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets, "a workbook has worksheet parts"
        for name in sheets:
            root = ElementTree.fromstring(package.read(name))
            for cell in root.iter(f"{MAIN}c"):
                if cell.find(f"{MAIN}f") is not None or cell.get("t") == "str":
                    found.append(f"{name}!{cell.get('r')}")
    return found


def text_values(content: bytes) -> dict[str, str]:
    """{value: data type} of every string cell, read with openpyxl; asserts no formula cell."""
    book = load_workbook(io.BytesIO(content))
    values = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str):
                    values[cell.value] = cell.data_type
    return values


def assert_no_formula(content: bytes, expected: list[str]) -> None:
    assert formulas_in_xml(content) == []
    values = text_values(content)
    for text in expected:
        assert values.get(text) == "s", f"{text!r} is not in the workbook as text"


def test_the_check_sees_a_formula_when_there_is_one():
    """The helpers above can fail: an openpyxl workbook written naively holds live formulas."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["=1+1", "-2+3"])
    naive = io.BytesIO()
    book.save(naive)
    assert formulas_in_xml(naive.getvalue()) == ["xl/worksheets/sheet1.xml!A1"]
    assert formulas_in_xml(workbook_bytes(book)) == []


def test_report_template_keeps_typed_text_as_text_and_uploads_back_unchanged(login, alice):
    period = open_period("2018-H1")
    alice.unit.name = '=HYPERLINK("http://evil.invalid","x")'
    alice.unit.save(update_fields=["name"])
    code = services.indicators_for(alice.unit, period)[0].code
    Indicator.objects.filter(code=code).update(name="@SUM(A1) tên chỉ tiêu")
    narrative = {key: HOSTILE[i % len(HOSTILE)] + (f" mục {i}" if i >= len(HOSTILE) else "") for i, (key, _l) in
                 enumerate(NARRATIVE_FIELDS)}  # fmt: skip
    services.submission_save_draft(unit=alice.unit, period=period, by=alice, values={}, narrative=narrative)
    version = Submission.objects.get(unit=alice.unit, period=period).version

    client = login(alice)
    response = client.get(reverse("reporting:submission_template", kwargs={"period_code": period.code}))
    assert response.status_code == 200
    assert_no_formula(response.content, [*HOSTILE, "@SUM(A1) tên chỉ tiêu"])

    # The same file, untouched, goes back in: accepted, nothing changed.
    upload = client.post(
        reverse("reporting:submission_upload", kwargs={"period_code": period.code}),
        {"file": SimpleUploadedFile("bao-cao.xlsx", response.content)},
    )
    assert upload.status_code == 302, upload.context and upload.context.get("upload_errors")
    submission = Submission.objects.get(unit=alice.unit, period=period)
    assert {key: getattr(submission, key) for key in narrative} == narrative
    assert submission.version == version


def test_report_template_still_refuses_a_real_formula(login, alice):
    period = open_period("2018-H1")
    client = login(alice)
    template = client.get(reverse("reporting:submission_template", kwargs={"period_code": period.code})).content
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "text.task_1")
    sheet.cell(row=row, column=6, value="=1+1")  # openpyxl writes a live formula
    out = io.BytesIO()
    book.save(out)
    upload = client.post(
        reverse("reporting:submission_upload", kwargs={"period_code": period.code}),
        {"file": SimpleUploadedFile("bao-cao.xlsx", out.getvalue())},
    )
    assert upload.status_code == 200
    assert any("công thức" in error for error in upload.context["upload_errors"])


def test_dashboard_workbook_has_no_formula(login, units, leo):
    district = units["BACHE"]  # the dashboard's node: its communes are the ones in the workbook
    hostile = Unit.objects.create(code="+X1", name="=1+1", kind=UnitKind.COMMUNE, reporter_code="xa", parent=district)
    Unit.objects.create(
        code="@X2", name="+cmd|' /C calc'!A0", kind=UnitKind.COMMUNE, reporter_code="xa", parent=district
    )
    Indicator.objects.filter(code="I04").update(name="-2+3")
    report(hostile, "2018-Y", {"I04": (1, 3)})
    response = login(leo).get(reverse("reporting:dashboard_xlsx", kwargs={"period_code": "2018-Y"}))
    assert response.status_code == 200
    assert_no_formula(response.content, ["=1+1", "+X1", "-2+3", "+cmd|' /C calc'!A0", "@X2"])


def test_recognised_list_has_no_formula(login, alice, rita):
    factories.criteria()
    factories.decided(alice, rita, names=tuple(HOSTILE))
    response = login(rita).get(reverse("recognition:recognised_export"))
    assert response.status_code == 200
    assert_no_formula(response.content, HOSTILE)


def test_village_meeting_list_has_no_formula(login, alice, rita):
    factories.criteria()
    reg, _nominations, _decision = factories.decided(alice, rita, names=tuple(HOSTILE))
    village = factories.village(alice.unit)
    response = login(alice).get(
        reverse("recognition:village_list_xlsx", kwargs={"pk": reg.pk, "village_pk": village.pk})
    )
    assert response.status_code == 200
    assert_no_formula(response.content, HOSTILE)


def test_nominee_template_has_no_formula_and_imports_back(login, alice):
    factories.criteria()
    Unit.objects.filter(pk=factories.village(alice.unit).pk).update(name="=1+1")
    reg = factories.register(alice, title="community")
    client = login(alice)
    response = client.get(reverse("recognition:import_template", kwargs={"pk": reg.pk}))
    assert response.status_code == 200
    assert_no_formula(response.content, ["=1+1"])
    imported = client.post(
        reverse("recognition:register_import", kwargs={"pk": reg.pk}),
        {"file": SimpleUploadedFile("danh-sach.xlsx", response.content)},
    )
    assert imported.status_code == 302
    assert "=1+1" in set(reg.nominations.values_list("name", flat=True))
