"""What the documents tests share: media in a folder of their own, the 2018-H1 period, Thanh Sơn's report."""

from __future__ import annotations

import pytest

from tests.documents.factories import narrative_report, open_period


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def period(units):
    return open_period("2018-H1")


@pytest.fixture
def report_a(period, alice):
    return narrative_report(alice.unit, period, alice)
