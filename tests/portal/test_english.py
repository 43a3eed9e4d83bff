"""An English page shows no Vietnamese interface text: every phrase of the catalogue comes out in English."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.portal.test_translations import PO, entries
from units.models import Unit


def english_client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_nodes(body: str) -> set[str]:
    """The page's pieces of text between tags: a label, a heading, a button's caption."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return {re.sub(r"\s+", " ", html.unescape(piece)).strip() for piece in re.split(r"<[^>]+>", body)}


def interface_phrases() -> set[str]:
    """The catalogue's Vietnamese phrases of two words or more (a single word may also be data)."""
    phrases = set()
    for entry in entries(PO):
        msgid = entry["msgid"].replace('\\"', '"')
        if "%" in msgid or "{" in msgid or "<" in msgid or "\\n" in msgid:
            continue  # a format string is never on the page as written
        if len(msgid.split()) >= 2 and msgid not in entry["msgstr"].values():
            phrases.add(msgid)
    return phrases


PAGES = {
    "alice": ["home", "targets:plan", "reporting:submission_list", "recognition:registers", "reporting:dashboard"],
    "rita": ["home", "reporting:review_queue", "recognition:queue", "documents:report_index"],
    "leo": ["home", "reporting:dashboard", "recognition:recognised"],
    "ada": ["home", "admin:index"],
}


@pytest.mark.parametrize(("persona", "url_name"), [(p, u) for p, names in PAGES.items() for u in names])
def test_english_page_has_no_vietnamese_interface_phrase(personas, client, persona, url_name):
    response = english_client(client, personas[persona]).get(reverse(url_name))
    assert response.status_code == 200
    # A piece of text equal to a catalogue phrase is interface text left in Vietnamese; data (names
    # of units, the plan's wording) only ever contains such phrases inside longer text.
    unit_names = set(Unit.objects.values_list("name", flat=True))  # “Phòng Nội vụ” is also a unit's name
    left = sorted(text_nodes(response.content.decode()) & interface_phrases() - unit_names)
    assert not left, f"Vietnamese left on the English {url_name}: {left[:5]}"


def test_reviewer_menu_says_review_where_the_report_page_button_says_approve(personas, client):
    """The same Vietnamese “Duyệt báo cáo” is a queue in the menu and an action on a button."""
    body = english_client(client, personas["rita"]).get(reverse("home")).content.decode()
    assert "Review reports" in body and "Review titles" in body
    assert "Approve report" not in body


def test_admin_header_is_english(personas, client):
    body = english_client(client, personas["ada"]).get(reverse("admin:index")).content.decode()
    assert "XHHT portal – Administration" in body
    assert "Cổng thông tin XHHT – Quản trị" not in body
