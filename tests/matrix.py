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
