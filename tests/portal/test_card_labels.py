"""Phone cards are labelled by the server: every cell of a .table-cards table carries its column's name.

Below 576 px each row of a ``table.table-cards`` is a card whose cells show their column's name from
``data-label`` (portal.css). The templates write it, so the cards read right without JavaScript;
portal.js only fills in a cell a template left out.
"""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse
from lxml import html

from reporting.models import Period
from tests.e2e.pages import populate

# (persona, page name from tests/e2e/pages.py or below, how many .table-cards tables it must show)
PAGES = [
    ("rita", "dashboard", 2),  # every section of the plan, then the completeness table
    ("rita", "drill_down", 1),
    ("rita", "completeness", 1),
    ("rita", "review_queue", 1),  # with the reviewer's extension column
    ("leo", "review_queue", 1),
    ("rita", "periods", 1),  # /reports/ for someone who sees every unit
    ("leo", "node_dashboard", 2),
    ("leo", "node_drill_down", 1),
    ("rita", "recognition_queue", 1),
    ("rita", "recognition_review", 1),
    ("rita", "decision", 1),
    ("rita", "recognised", 1),
    ("leo", "registers", 1),
    ("alice", "register", 2),  # the nominations, then the village lists
    ("alice", "home", 1),  # the officer's recognition registers
]


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


def card_label_problems(body: str) -> tuple[int, int, list[str]]:
    """(tables, labelled cells, problems) of every table.table-cards in the page.

    A row of a single cell (an empty list's message spanning the table) is not a card and has no label.
    """
    tables = html.fromstring(body).xpath("//table[contains(concat(' ', @class, ' '), ' table-cards ')]")
    labelled, problems = 0, []
    for number, table in enumerate(tables, 1):
        head = table.xpath("./thead/tr")[-1]
        names = [_text(th) for th in head.xpath("./th|./td") for _ in range(int(th.get("colspan", 1)))]
        for row in table.xpath("./tbody/tr|./tfoot/tr"):
            cells = row.xpath("./th|./td")
            if len(cells) == 1:
                continue
            column = 0
            for cell in cells:
                if not (cell.tag == "th" and cell.get("scope") == "row"):
                    label = cell.get("data-label")
                    if not label or label != names[column]:
                        problems.append(f"table {number}, column {column + 1} ({names[column]!r}): {label!r}")
                    else:
                        labelled += 1
                column += int(cell.get("colspan", 1))
    return len(tables), labelled, problems


@pytest.fixture
def site(units, personas):
    site = populate(units, personas)
    urls = site["urls"]
    district = units["BACHE"].pk
    year = Period.objects.get(code="2018-Y")
    target_pk = resolve(urls["drill_down"]).kwargs["pk"]
    urls["periods"] = reverse("reporting:submission_list")
    urls["node_dashboard"] = reverse("reporting:node_dashboard", args=[district]) + f"?period={year.code}"
    urls["node_drill_down"] = reverse("reporting:node_target", args=[district, year.code, target_pk])
    return site


@pytest.mark.parametrize(("persona", "name", "tables"), PAGES, ids=[f"{p}-{n}" for p, n, _t in PAGES])
def test_every_card_cell_carries_its_column_name_from_the_server(login, personas, site, persona, name, tables):
    response = login(personas[persona]).get(site["urls"][name])
    assert response.status_code == 200
    found, labelled, problems = card_label_problems(response.content.decode())
    assert found >= tables, f"{name}: {found} card tables, expected {tables}"
    assert labelled, f"{name}: no card has a labelled cell"
    assert not problems, f"{name}: cells without their column's name: {problems[:5]}"


def test_a_cell_without_its_label_is_found():
    """The check itself: a missing or wrong label is reported, a row header and a message row are not."""
    body = """<table class="table table-cards"><thead><tr><th>Đơn vị</th><th>Trạng thái</th>
      <th><span class="visually-hidden">Thao tác</span></th></tr></thead>
      <tbody><tr><th scope="row">Xã A</th><td data-label="Trạng thái">Đã duyệt</td><td>Xem</td></tr>
      <tr><th scope="row">Xã B</th><td data-label="Đơn vị">Đã gửi</td><td data-label="Thao tác">Xem</td></tr>
      <tr><td colspan="3">Không có đơn vị nào.</td></tr></tbody></table>"""
    assert card_label_problems(body) == (
        1,
        2,
        ["table 1, column 3 ('Thao tác'): None", "table 1, column 2 ('Trạng thái'): 'Đơn vị'"],
    )
