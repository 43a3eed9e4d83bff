"""Every URL of the URLconf × every persona → the expected status.

A new URL without a case in some tests/<app>/permissions*.py fails test_every_url_has_a_case,
so a view that forgot its access check cannot slip in unnoticed.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import failures

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
    found = failures(collect_cases(world), world)
    assert not found, "\n".join(found)
