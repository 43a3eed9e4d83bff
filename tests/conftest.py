"""Shared fixtures: the plan, the Ba Chẽ units, and the same personas in every test.

alice  — officer of commune A (Xã Thanh Sơn)
bob    — officer of commune B (Xã Nam Sơn)
dora   — department officer (Phòng Nội vụ)
rita   — Education Office reviewer (Phòng GD&ĐT)
leo    — leader (read-only, sees everything)
ada    — administrator
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

# pytest-playwright's sync API runs an event loop in the main thread; without this Django
# refuses ORM calls (even while creating the test database) with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "xhht-test-password"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        # Browser tests are required: a missing browser is a failure, never a skip.
        pytest.fail(f"Chromium not found at {executable}; install it (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def load_plan():
    """The 2016–2020 Ba Chẽ plan from its fixture, with the Ba Chẽ units (the plan's owner is huyện Ba Chẽ)."""
    from targets.serialization import plan_from_dict
    from units.loader import load_units

    load_units(Path(settings.BASE_DIR) / "fixtures" / "units-ba-che.json")
    path = Path(settings.BASE_DIR) / "fixtures" / "plan-ba-che-2016-2020.json"
    return plan_from_dict(json.loads(path.read_text(encoding="utf-8")))


def load_units_and_periods(plan) -> dict:
    """The Ba Chẽ unit tree plus two villages per commune, and the 2016–2020 periods."""
    from django.db.models import F

    from reporting.periods import create_periods
    from units.loader import load_units
    from units.models import Unit, UnitKind

    load_units(Path(settings.BASE_DIR) / "fixtures" / "units-ba-che.json")
    for commune in Unit.objects.communes():
        for number in (1, 2):
            Unit.objects.create(
                code=f"{commune.code}-T{number}",
                name=f"Thôn {number}",
                kind=UnitKind.VILLAGE,
                parent=commune,
                valid_from=commune.valid_from,
                valid_to=commune.valid_to,
            )
    create_periods(plan=plan, first_year=2016, last_year=2020, midterm=2016, final=2019)
    # A code names a unit only with its dates: "06985" is xã Lương Mông (the first to carry it),
    # "06985@2024-11-01" xã Lương Minh; "CODE@" is the unit without a start date.
    by_code: dict = {}
    for unit in Unit.objects.order_by(F("valid_from").asc(nulls_first=True), "pk"):
        by_code.setdefault(unit.code, unit)
        by_code[f"{unit.code}@{unit.valid_from.isoformat() if unit.valid_from else ''}"] = unit
    return by_code


@pytest.fixture
def plan(db):
    return load_plan()


@pytest.fixture
def units(db, plan):
    return load_units_and_periods(plan)


def _make_user(username, role, unit=None, **extra):
    from xhht_portal.models import User

    user = User(username=username, role=role, unit=unit, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def commune_a(units):
    return units["06973"]


@pytest.fixture
def commune_b(units):
    return units["06982"]


@pytest.fixture
def alice(commune_a):
    from xhht_portal.models import Role

    return _make_user("alice", Role.COMMUNE_OFFICER, commune_a)


@pytest.fixture
def bob(commune_b):
    from xhht_portal.models import Role

    return _make_user("bob", Role.COMMUNE_OFFICER, commune_b)


@pytest.fixture
def dora(units):
    from xhht_portal.models import Role

    return _make_user("dora", Role.DEPARTMENT_OFFICER, units["PNV"])


@pytest.fixture
def rita(units):
    from xhht_portal.models import Role

    return _make_user("rita", Role.REVIEWER, units["PGDDT"])


@pytest.fixture
def leo(units):
    from xhht_portal.models import Role

    return _make_user("leo", Role.LEADER, units["BACHE"])


@pytest.fixture
def ada(units):
    from xhht_portal.models import Role

    return _make_user("ada", Role.ADMIN, None, is_staff=True, is_superuser=True)


@pytest.fixture
def personas(alice, bob, dora, rita, leo, ada):
    return {"alice": alice, "bob": bob, "dora": dora, "rita": rita, "leo": leo, "ada": ada}


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def page(page):
    """A page element that is not there within 10 s is a failure, not a 30 s wait.

    10 s, not less: with the suite running on every core a page can take a few seconds under load,
    and a journey must not fail because the machine was busy.
    """
    from playwright.sync_api import expect

    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    return page


def pytest_collection_modifyitems(config, items):
    """Slow ops checks (@pytest.mark.ops) run only when asked for: pytest -m ops."""
    if "ops" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow ops check: run with -m ops")
    for item in items:
        if "ops" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: ids can repeat after a rolled-back test on SQLite."""
    from django.core.cache import cache

    cache.clear()
    yield


def run_queued_tasks() -> int:
    """Run every queued background task in this process, as ``manage.py db_worker --batch`` does.

    Tests use the database task backend that production uses (django-tasks-db): a view only queues
    the task, so a test sees the job "queued" and then runs the worker's own ``run_task`` on the
    real queue rows. (``db_worker`` itself is not called: it closes the database connection between
    tasks, which would end the test's transaction.) Returns how many tasks ran.
    """
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return count
            result.claim(worker.worker_id)
        worker.run_task(result)
        count += 1


@pytest.fixture
def run_tasks(settings, tmp_path):
    """``run_tasks()`` runs the queued background tasks; job files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return run_queued_tasks
