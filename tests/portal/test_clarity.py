"""Issue 14, server side: the menu says where you are, refused forms list their errors at the top,
figures wrap before their unit, trend charts keep every label readable and inside the picture."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reporting.charts import LABEL_SIZE, label_width, section_bars, trend_chart
from reporting.models import Period
from reporting.rollup import compute_rollup
from targets.numbers import format_number
from tests.reporting.rollup_data import report
from tests.reporting.submission_factories import open_period
from tests.reporting.test_submission_entry import form_data

pytestmark = pytest.mark.django_db


def _current_links(page: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', page)


@pytest.mark.parametrize(
    "persona, path, current",
    [
        ("rita", "/", "/"),
        ("rita", "/plan/", "/plan/"),
        ("rita", "/reports/review/", "/reports/review/"),
        ("rita", "/dashboard/", "/dashboard/"),
        ("rita", "/recognition/review/", "/recognition/review/"),
        ("rita", "/recognition/", "/recognition/"),
        ("alice", "/reports/", "/reports/"),
        ("alice", "/reports/period/2018-Y/", "/reports/"),
    ],
)
def test_menu_marks_exactly_the_page_you_are_on(personas, login, persona, path, current):
    page = login(personas[persona]).get(path).content.decode()
    assert _current_links(page) == [current]
    assert page.count('aria-current="page"') >= 1


def test_report_form_refused_save_lists_each_bad_field_as_a_link_at_the_top(units, alice, login):
    period = open_period("2018-H1")
    url = reverse("reporting:submission_edit", kwargs={"period_code": period.code})
    data = form_data(alice.unit, period, {}, **{"I04-num": "abc", "I05-den": "-5"})
    response = login(alice).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = re.search(r"<section[^>]*data-error-summary.*?</section>", page, re.S)
    assert summary, "no error summary"
    block = summary.group(0)
    assert 'tabindex="-1"' in block
    links = re.findall(r'<a href="#([^"]+)"', block)
    assert links == ["id_I04-num", "id_I05-den"]
    assert "I04 · " in block and "I05 · " in block
    # It stands before the first field of the form, and each link's target exists.
    assert page.index("data-error-summary") < page.index('id="id_I04-num"')
    for target in links:
        assert f'id="{target}"' in page
    # Typed values are still there.
    assert 'value="abc"' in page


def test_error_summary_is_empty_for_an_unbound_or_valid_form():
    from django import forms

    class Small(forms.Form):
        name = forms.CharField()

    template = Template("{% load portal_tags %}{% error_summary form %}")
    assert "data-error-summary" not in template.render(Context({"form": Small()}))
    assert "data-error-summary" not in template.render(Context({"form": Small({"name": "x"})}))
    rendered = template.render(Context({"form": Small({"name": ""})}))
    assert 'href="#id_name"' in rendered


def test_figures_wrap_only_before_the_per_ten_thousand_unit():
    template = Template("{% load portal_tags %}{{ value|breakable_figure }}")
    rendered = template.render(Context({"value": "≥ 300/1 vạn dân"}))
    assert rendered == '≥\u00a0300\u200b<span class="figure-unit">/1\u00a0vạn\u00a0dân</span>'
    assert Template("{% load portal_tags %}{{ v|breakable_figure }}").render(Context({"v": "<b>"})) == "&lt;b&gt;"
    assert template.render(Context({"value": "66,7%"})) == "66,7%"


def _texts(svg: str) -> list[tuple[float, float, str, str, str]]:
    found = []
    for attrs, text in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        found.append((float(values["x"]), float(values["font-size"]), values.get("text-anchor", "start"), text, attrs))
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", ["I03", "I04"])
def test_trend_chart_labels_are_twelve_pixels_and_inside_the_picture(units, language, code):
    report(units["06973"], "2018-Y", {code: (76, 100)})
    rollup = compute_rollup(period=Period.objects.get(code="2018-Y"))
    row = next(r for block in rollup.sections for r in block.rows if r.indicator.code == code)
    width = 224
    with translation.override(language):
        svg = str(trend_chart(row, width=width, height=96))
    texts = _texts(svg)
    goal = f"{'CT' if language == 'vi' else 'Target'} {format_number(row.target.value_min)}%"
    assert {t[3] for t in texts} >= {"76%", goal}
    for x, size, anchor, text, attrs in texts:
        assert size >= LABEL_SIZE, text
        bold = "bold" in attrs
        start, end = (x - label_width(text, bold=bold), x) if anchor == "end" else (x, x + label_width(text, bold=bold))
        assert start >= 0 and end <= width, f"{text!r} runs out of the {width}px chart ({start:.0f}–{end:.0f})"
    # The latest value stands right of the plot, where no target line runs.
    target_line = re.search(
        r'<line x1="4" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#6c757d" stroke-width="1.5" stroke-dasharray',
        svg.split("</text>", 1)[1],
    )
    value_x = next(x for x, _s, _a, text, _attrs in texts if text == "76%")
    assert value_x > float(target_line.group(1))


def test_label_width_estimate_is_not_smaller_than_real_glyphs():
    # "Target 100%" at 12 px is about 70 px in DejaVu Sans; the estimate must not undercount it.
    assert label_width("Target 100%") >= 70


def test_section_bars_keep_the_longest_figure_line_inside_the_picture(units):
    report(units["06973"], "2019-H1", {"I27": (2924, 100000), "I25": (7, 100)})
    rollup = compute_rollup(period=Period.objects.get(code="2019-H1"))
    block = next(b for b in rollup.sections if any(r.indicator.code == "I27" for r in b.rows))
    width = 600
    svg = str(section_bars(block.rows, width=width))
    texts = _texts(svg)
    assert any("vạn dân" in t[3] for t in texts)
    for x, size, _anchor, text, _attrs in texts:
        assert x + label_width(text, size=int(size)) <= width + 1, f"{text!r} is cut at the chart's right edge"


def _summary(page: str) -> str:
    match = re.search(r"<section[^>]*data-error-summary.*?</section>", page, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_recognition_review_summary_links_each_missing_reason_and_each_decision_field(login, alice, rita):
    from recognition.services import register_submit
    from tests.recognition import factories

    factories.criteria()
    reg = factories.register(alice)
    first = factories.scored(alice, reg, "Triệu Văn An")
    second = factories.scored(alice, reg, "Bàn Thị Mai")
    register_submit(register=reg, by=alice)
    response = login(rita).post(
        reverse("recognition:register_review", args=[reg.pk]),
        {f"action_{first.pk}": "approve", f"action_{second.pk}": "refuse", f"reason_{second.pk}": "", "date": "x"},
    )
    block = _summary(response.content.decode())
    links = re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>', block)
    assert (f"reason_{second.pk}", "Bàn Thị Mai") in links
    assert ("id_date", "Ngày ký") in links and ("id_number", "Số quyết định") in links
    # The decision date box is typed day first, with the number keyboard on a phone.
    box = re.search(r'<input[^>]*name="date"[^>]*>', response.content.decode()).group(0)
    assert 'type="text"' in box and 'inputmode="numeric"' in box and 'placeholder="dd/mm/yyyy"' in box


def test_commune_home_names_the_next_report_and_its_deadline(units, alice, login):
    period = open_period("2018-H1", days=10)
    page = login(alice).get("/").content.decode()
    due = period.due.strftime("%d/%m/%Y")
    link = re.search(r'<a class="btn btn-primary btn-lg[^"]*next-step" href="([^"]+)">([^<]+)</a>', page)
    assert link, "no next step on the commune home"
    assert link.group(1) == reverse("reporting:submission_edit", args=[period.code])
    assert link.group(2).strip() == f"Bắt đầu báo cáo {period.label} — hạn {due} →"


def test_commune_home_says_continue_for_a_draft(units, alice, login):
    from reporting import services

    period = open_period("2018-H1", days=10)
    services.submission_save_draft(unit=alice.unit, period=period, by=alice, values={}, narrative={}, version=0)
    page = login(alice).get("/").content.decode()
    assert f"Tiếp tục báo cáo {period.label} — hạn {period.due.strftime('%d/%m/%Y')}" in page


def test_commune_home_without_an_open_report_has_no_next_step(units, alice, login):
    page = login(alice).get("/").content.decode()  # every period of the 2016–2020 plan is long past
    assert "next-step" not in page
    assert "Đơn vị không còn báo cáo nào phải nhập lúc này." in page


def test_leader_home_links_the_summary_report_as_pdf_and_excel(units, leo, login):
    report(units["06973"], "2018-Y", {"I04": (90, 100)})
    page = login(leo).get("/").content.decode()
    assert f'href="{reverse("reporting:dashboard_pdf", args=["2018-Y"])}"' in page
    assert f'href="{reverse("reporting:dashboard_xlsx", args=["2018-Y"])}"' in page


def test_file_pickers_speak_the_page_language(units, alice, login):
    period = open_period("2018-H1")
    page = login(alice).get(reverse("reporting:submission_edit", args=[period.code])).content.decode()
    picker = re.search(r'<div class="file-picker">.*?</div>', page, re.S).group(0)
    assert 'aria-labelledby="id_file-label"' in picker
    assert "Chọn tệp…" in picker and "Chưa chọn tệp nào" in picker
    assert 'id="id_file-label">Tệp Excel đã điền (.xlsx)</span>' in page
