"""The recognition URLs alone through the permission matrix (the full matrix runs them too)."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.matrix import PERSONAS
from tests.recognition.permissions import cases


@pytest.fixture
def world(personas, units):
    return {**personas, "units": units}


def test_every_recognition_url_answers_each_persona_as_expected(world):
    failures = []
    for case in cases(world):
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
