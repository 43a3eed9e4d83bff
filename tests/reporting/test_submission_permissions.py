"""The report pages' permission cases alone (the full matrix in tests/portal runs them with every app's)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.matrix import PERSONAS
from tests.portal.test_permission_matrix import url_names
from tests.reporting import permissions


@pytest.fixture
def world(personas, units):
    return {**personas, "units": units}


def test_every_report_url_has_a_case(world):
    covered = {case.name for case in permissions.cases(world)}
    ours = {n for n in url_names() if n.startswith("reporting:") and ("submission" in n or "review" in n)}
    assert ours and not ours - covered


def test_report_pages_give_each_persona_the_expected_status(world):
    failures = []
    for case in permissions.cases(world):
        url = reverse(case.name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(world[persona])
            with transaction.atomic():
                response = getattr(client, case.method)(url, data=case.data or {})
                transaction.set_rollback(True)
            if response.status_code != case.expect[persona]:
                failures.append(
                    f"{case.method.upper()} {url} as {persona}: {response.status_code}, expected {case.expect[persona]}"
                )
    assert not failures, "\n".join(failures)
