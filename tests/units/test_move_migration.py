"""Moving Unit and UnitSuccession from `reporting` to `units` keeps every row and every key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("reporting", "0005_indicator_total_recognised"),
    ("recognition", "0001_initial"),
    ("xhht_portal", "0001_initial"),
]
AFTER = [
    ("reporting", "0007_units_moved"),
    ("recognition", "0002_unit_foreign_keys"),
    ("documents", "0002_unit_foreign_keys"),
]


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_moves_its_units_without_losing_a_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldUnit = old.get_model("reporting", "Unit")
    district = OldUnit.objects.create(code="202", name="Ba Chẽ", kind="district")
    commune = OldUnit.objects.create(code="06973", name="Thanh Sơn", kind="commune", parent=district)
    merged = OldUnit.objects.create(code="06991", name="Minh Cầm", kind="commune", parent=district)
    old.get_model("reporting", "UnitSuccession").objects.create(
        predecessor=merged, successor=commune, date=dt.date(2024, 11, 1)
    )
    old.get_model("xhht_portal", "User").objects.create(username="alice", unit=commune)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    # As on a database made before the move: the unit's content type in reporting, holding the permission.
    ContentType.objects.filter(app_label="units").delete()
    Permission.objects.filter(codename="view_all_units").delete()
    unit_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="unit")
    perm = Permission.objects.create(content_type=unit_type, codename="view_all_units", name="x")
    group = old.get_model("auth", "Group").objects.create(name="test:leaders")
    group.permissions.add(perm)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Unit = new.get_model("units", "Unit")
    assert Unit._meta.db_table == "units_unit"
    assert set(Unit.objects.values_list("code", "parent__code")) == {
        ("202", None),
        ("06973", "202"),
        ("06991", "202"),
    }
    succession = new.get_model("units", "UnitSuccession").objects.get()
    assert (succession.predecessor.code, succession.successor.code) == ("06991", "06973")
    assert new.get_model("xhht_portal", "User").objects.get(username="alice").unit.code == "06973"
    assert ContentType.objects.filter(app_label="units", model="unit").exists()
    assert not ContentType.objects.filter(app_label="reporting", model="unit").exists()
    moved = Permission.objects.get(codename="view_all_units")
    assert (moved.content_type.app_label, moved.content_type.model) == ("reporting", "submission")
    assert list(moved.group_set.values_list("name", flat=True)) == ["test:leaders"]

    # …and back again, for a rollback.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("reporting", "Unit").objects.count() == 3
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
