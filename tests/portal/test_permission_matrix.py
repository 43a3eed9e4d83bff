"""Every URL of the URLconf × every persona → the expected status.

A new URL without a case in some tests/<app>/permissions*.py fails test_every_url_has_a_case,
so a view that forgot its access check cannot slip in unnoticed.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import PERSONAS

TESTS = Path(__file__).resolve().parents[1]
# Django's own admin has its own permission checks and tests.
SKIPPED_NAMESPACES = ("admin",)


def url_names(patterns=None, namespace="") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def collect_cases(world) -> list:
    """Cases from every tests/<app>/permissions*.py (one file per part, so parts don't collide)."""
    cases = []
    for path in sorted(TESTS.glob("*/permissions*.py")):
        module = import_module(f"tests.{path.parent.name}.{path.stem}")
        cases.extend(module.cases(world))
    return cases


@pytest.fixture
def world(personas, units):
    return {**personas, "units": units}


def test_every_url_has_a_case(world):
    covered = {case.name for case in collect_cases(world)}
    missing = sorted(url_names() - covered)
    assert not missing, f"URLs without a permission case in tests/<app>/permissions.py: {missing}"


def test_every_persona_gets_the_expected_status(world):
    # One logged-in client per persona; its cookies are put back after every request, so a
    # logout (rolled back in the database) cannot leave the next request anonymous.
    clients = {persona: Client() for persona in PERSONAS}
    for persona, client in clients.items():
        if persona != "anonymous":
            client.force_login(world[persona])
    saved = {persona: client.cookies for persona, client in clients.items()}
    failures = []
    for case in collect_cases(world):
        assert set(case.expect) == set(PERSONAS), f"{case.name}: expect must name every persona"
        url = reverse(case.name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for persona in PERSONAS:
            client = clients[persona]
            client.cookies = saved[persona].__class__(saved[persona])
            with transaction.atomic():
                response = getattr(client, case.method)(url, data=case.data or {})
                transaction.set_rollback(True)
            if response.status_code != case.expect[persona]:
                failures.append(
                    f"{case.method.upper()} {url} as {persona}: {response.status_code}, expected {case.expect[persona]}"
                )
    assert not failures, "\n".join(failures)
