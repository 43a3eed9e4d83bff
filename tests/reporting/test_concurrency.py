"""Simultaneous writes: two reviewers approving the same report, two saves of the same version.

The loser always gets the clear 409 page of a stale save (what changed, nothing of theirs saved),
never a 500 ("database is locked") or the 503 "database unavailable" page.

- Everywhere: a reviewer acting on a page that is out of date gets 409; the database's own lock
  errors (SQLite "database is locked", PostgreSQL serialization failure, deadlock, lock timeout)
  become the same 409; any other database error still propagates (the 503 page).
- PostgreSQL only: real races, threads with their own connections, released together while a row
  lock held by the test makes them overlap. SQLite runs one writer at a time (BEGIN IMMEDIATE),
  so threads cannot race inside it there; CI runs the suite on PostgreSQL (``.ci/run``).
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.models import Submission, SubmissionEvent, SubmissionState, SubmissionValue
from reporting.services import ValueInput
from tests.conftest import _make_user
from tests.reporting.submission_factories import open_period, submitted_report
from xhht_portal.models import Role

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
RACE_SKIP = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason=(
        "needs PostgreSQL: SQLite runs one writer at a time (BEGIN IMMEDIATE), so threads cannot race "
        "inside it; CI runs these with DATABASE_URL=postgres:///… (.ci/run)"
    ),
)


def approve_url(submission):
    return reverse("reporting:submission_approve", kwargs={"pk": submission.pk})


def edit_url(period):
    return reverse("reporting:submission_edit", kwargs={"period_code": period.code})


def approvals(submission) -> int:
    return SubmissionEvent.objects.filter(submission=submission, action=SubmissionEvent.Action.APPROVED).count()


def i04(submission):
    value = SubmissionValue.objects.get(submission=submission, indicator__code="I04")
    return value.numerator, value.denominator


# ---------------------------------------------------------------- any database, no threads


@pytest.fixture
def period(units):
    return open_period("2018-H1")


@pytest.mark.django_db
def test_approving_a_report_someone_approved_since_is_a_409(login, alice, rita, units, period):
    submission = submitted_report(alice.unit, period, alice)
    seen = submission.version  # what rita's page showed
    other = _make_user("rita2", Role.REVIEWER, units["PGDDT"])
    services.submission_approve(submission=submission, by=other, version=seen)

    response = login(rita).post(approve_url(submission), {"version": seen})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Chưa thực hiện: người khác vừa xử lý báo cáo này" in body
    assert "CHƯA được thực hiện" in body
    assert str(other) in body  # who acted first, in the table of changes
    assert approvals(submission) == 1
    submission.refresh_from_db()
    assert submission.approved_by == other


@pytest.mark.django_db
def test_a_review_page_carries_the_version_it_shows(login, alice, rita, period):
    submission = submitted_report(alice.unit, period, alice)
    body = login(rita).get(reverse("reporting:submission_detail", kwargs={"pk": submission.pk})).content.decode()
    assert body.count(f'name="version" value="{submission.version}"') == 2  # return and approve forms


def _raise_on(monkeypatch, name: str, error: Exception) -> None:
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(services, name, fail)


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__("could not serialize access")
        self.sqlstate = sqlstate


def _db_error(text: str, sqlstate: str | None = None) -> OperationalError:
    error = OperationalError(text)
    if sqlstate:
        error.__cause__ = _PgError(sqlstate)
    return error


LOCK_ERRORS = {
    "sqlite: database is locked": _db_error("database is locked"),
    "postgresql: serialization failure": _db_error("could not serialize access", "40001"),
    "postgresql: deadlock detected": _db_error("deadlock detected", "40P01"),
    "postgresql: lock timeout": _db_error("canceling statement due to lock timeout", "55P03"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("error", LOCK_ERRORS.values(), ids=LOCK_ERRORS.keys())
def test_a_lock_error_while_approving_is_the_409_page(login, alice, rita, period, monkeypatch, error):
    submission = submitted_report(alice.unit, period, alice)
    _raise_on(monkeypatch, "_set_state", error)
    response = login(rita).post(approve_url(submission), {"version": submission.version})
    assert response.status_code == 409
    assert "Chưa thực hiện: người khác vừa xử lý báo cáo này" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and approvals(submission) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("error", LOCK_ERRORS.values(), ids=LOCK_ERRORS.keys())
def test_a_lock_error_while_saving_is_the_409_page_and_keeps_what_was_typed(login, alice, period, monkeypatch, error):
    draft = services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(900), Decimal(1000))}
    )
    _raise_on(monkeypatch, "_bump", error)
    response = login(alice).post(
        edit_url(period),
        {"version": draft.version, "I04-num": "950", "base-population_15_60": "1200", "task_1": "Mở lớp tin học"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Chưa lưu: người khác vừa lưu báo cáo này" in body
    assert 'value="950"' in body and 'value="1200"' in body and "Mở lớp tin học" in body  # nothing typed is lost
    assert i04(Submission.objects.get(pk=draft.pk)) == (900, 1000)


@pytest.mark.django_db
def test_other_database_errors_are_not_disguised_as_a_conflict(alice, rita, period, monkeypatch):
    submission = submitted_report(alice.unit, period, alice)
    _raise_on(monkeypatch, "_set_state", _db_error("connection to server was lost"))
    with pytest.raises(OperationalError):
        services.submission_approve(submission=submission, by=rita)


# ---------------------------------------------------------------- PostgreSQL: real races


def _race(requests: list, *, hold_lock_on: Submission | None = None, hold_seconds: float = 0.5) -> list[int]:
    """Run each request (a callable returning a response) in its own thread and connection, all at once.

    With ``hold_lock_on``, the test's own connection holds that report's row lock while the threads
    start, so their writes are certainly in flight together; it lets go after ``hold_seconds``.
    """
    statuses: list[int | None] = [None] * len(requests)
    errors: list[BaseException] = []
    start = threading.Barrier(len(requests) + 1)

    def run(index, request):
        try:
            start.wait()
            statuses[index] = request().status_code
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    if hold_lock_on is not None:
        with transaction.atomic():
            Submission.objects.select_for_update().get(pk=hold_lock_on.pk)
            start.wait()
            time.sleep(hold_seconds)  # the threads queue on the lock meanwhile
    else:
        start.wait()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return statuses


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@RACE_SKIP
@pytest.mark.django_db(transaction=True)
def test_three_reviewers_approving_at_once_one_wins_the_others_get_409(alice, rita, units, period):
    submission = submitted_report(alice.unit, period, alice)
    reviewers = [
        rita,
        _make_user("rita2", Role.REVIEWER, units["PGDDT"]),
        _make_user("rita3", Role.REVIEWER, units["PGDDT"]),
    ]
    seen = submission.version
    clients = [_client(user) for user in reviewers]
    statuses = _race(
        [lambda c=c: c.post(approve_url(submission), {"version": seen}) for c in clients], hold_lock_on=submission
    )
    assert sorted(statuses) == [302, 409, 409]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.APPROVED
    assert approvals(submission) == 1
    assert submission.version == seen + 1  # one write, nothing half-done by the losers


@RACE_SKIP
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_version_one_wins_whole_the_other_gets_409(alice, period):
    draft = services.submission_save_draft(
        unit=alice.unit, period=period, by=alice, values={"I04": ValueInput(Decimal(900), Decimal(1000))}
    )
    version = draft.version
    typed = [
        # I04's denominator is the commune's 15–60 population, typed once as a base figure.
        {"version": version, "I04-num": "950", "base-population_15_60": "1000", "I05-num": "10", "I05-den": "20"},
        {"version": version, "I04-num": "970", "base-population_15_60": "1100", "I05-num": "11", "I05-den": "22"},
    ]
    clients = [_client(alice), _client(alice)]
    statuses = _race([lambda c=c, d=d: c.post(edit_url(period), d) for c, d in zip(clients, typed, strict=True)],
                     hold_lock_on=draft)  # fmt: skip
    assert sorted(statuses) == [302, 409]
    winner = typed[statuses.index(302)]
    draft.refresh_from_db()
    assert draft.version == version + 1
    # The winner's figures, all of them; none of the loser's.
    assert i04(draft) == (Decimal(winner["I04-num"]), Decimal(winner["base-population_15_60"]))
    i05 = SubmissionValue.objects.get(submission=draft, indicator__code="I05")
    assert (i05.numerator, i05.denominator) == (Decimal(winner["I05-num"]), Decimal(winner["I05-den"]))
    assert not SubmissionEvent.objects.filter(submission=draft, version__gt=version + 1).exists()


@RACE_SKIP
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waits_too_long_for_the_lock_gets_409_not_503(alice, rita, period, monkeypatch):
    submission = submitted_report(alice.unit, period, alice)
    monkeypatch.setattr(services, "LOCK_TIMEOUT_MS", 200)
    client = _client(rita)
    statuses = _race(
        [lambda: client.post(approve_url(submission), {"version": submission.version})],
        hold_lock_on=submission,
        hold_seconds=1.5,
    )
    assert statuses == [409]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and approvals(submission) == 0


@RACE_SKIP
@pytest.mark.django_db(transaction=True)
def test_approving_different_reports_at_once_both_succeed_and_totals_add_up(alice, bob, rita, units, period):
    """Different reports share the district's maintained totals: concurrent approvals must not collide."""
    from reporting.totals import compute_totals, stored_totals

    first = submitted_report(alice.unit, period, alice)
    second = submitted_report(bob.unit, period, bob)
    other = _make_user("rita2", Role.REVIEWER, units["PGDDT"])
    pairs = [(_client(rita), first), (_client(other), second)]
    statuses = _race([lambda c=c, s=s: c.post(approve_url(s), {"version": s.version}) for c, s in pairs])
    assert statuses == [302, 302]
    assert Submission.objects.filter(pk__in=[first.pk, second.pk], state=SubmissionState.APPROVED).count() == 2
    # The maintained dashboard totals equal a recomputation from the approved values.
    assert stored_totals([period]) == compute_totals([period])
