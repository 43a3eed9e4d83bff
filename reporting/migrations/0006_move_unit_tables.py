"""First half of moving Unit and UnitSuccession to the `units` app: rename their tables.

The state is left alone here (see units.0001 and reporting.0007); the rows, their ids and every
foreign key to them stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_indicator_total_recognised"),
        # Every table with a key to the units is created before the rename (on a fresh database
        # the state still calls the table reporting_unit until reporting.0007).
        ("recognition", "0001_initial"),
        ("xhht_portal", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("unit", "units_unit"),
                migrations.AlterModelTable("unitsuccession", "units_unitsuccession"),
                migrations.RenameIndex(
                    "unit", new_name="units_unit_parent__b328c3_idx", old_name="reporting_u_parent__d48de9_idx"
                ),
            ],
            state_operations=[],
        ),
    ]
