"""The permission matrix's vocabulary: each app lists its URLs' cases in tests/<app>/permissions*.py.

    from tests.matrix import Case, everyone

    def cases(world) -> list[Case]:
        submission = make_submission(world["alice"].unit)      # create what the URL needs
        return [
            Case("reporting:submission_edit", {"pk": submission.pk},
                 expect=everyone(302, alice=200, bob=404, dora=404, rita=200, leo=200, ada=200)),
            Case("reporting:submission_submit", {"pk": submission.pk}, method="post",
                 expect=everyone(302, alice=302, bob=404, dora=404, rita=403, leo=403, ada=403)),
        ]

``world`` holds the personas (alice, bob, dora, rita, leo, ada) and ``units`` (by code).
Statuses: anonymous → 302 to login; outsider → 404; read-only role → 403; wrong method → 405.
Each request runs in a transaction that is rolled back, so a POST case changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.test import Client
from django.urls import reverse

PERSONAS = ("anonymous", "alice", "bob", "dora", "rita", "leo", "ada")


def everyone(default: int, **overrides: int) -> dict[str, int]:
    """The same status for every persona, except the ones named."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@dataclass
class Case:
    name: str
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    expect: dict[str, int] = field(default_factory=dict)
    query: str = ""


def failures(cases: list[Case], world) -> list[str]:
    """Run every case as every persona; each request is rolled back. Returns what did not match.

    One logged-in client per persona; its cookies are put back after every request, so a logout
    (rolled back in the database) cannot leave the next request anonymous.
    """
    clients = {persona: Client() for persona in PERSONAS}
    for persona, client in clients.items():
        if persona != "anonymous":
            client.force_login(world[persona])
    saved = {persona: client.cookies for persona, client in clients.items()}
    found = []
    for case in cases:
        assert set(case.expect) == set(PERSONAS), f"{case.name}: expect must name every persona"
        url = reverse(case.name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for persona in PERSONAS:
            client = clients[persona]
            client.cookies = saved[persona].__class__(saved[persona])
            with transaction.atomic():
                response = getattr(client, case.method)(url, data=case.data or {})
                transaction.set_rollback(True)
            if response.status_code != case.expect[persona]:
                found.append(
                    f"{case.method.upper()} {url} as {persona}: {response.status_code}, expected {case.expect[persona]}"
                )
    return found
