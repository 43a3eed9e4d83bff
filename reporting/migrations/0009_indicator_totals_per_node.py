"""Totals per node of the unit tree: (period, indicator) becomes (node, period, indicator).

The old rows summed the whole database; they are dropped and recomputed per node from the
approved values (``reporting.totals.rebuild_totals``), so an upgraded site shows the same
figures at once. ``manage.py rebuild_totals --check`` confirms it.
"""

import django.db.models.deletion
from django.db import migrations, models


def constraints_immediate(apps, schema_editor):
    """On PostgreSQL, check deferred foreign keys at once: rows deleted in this transaction would
    otherwise leave "pending trigger events", and the ALTER TABLE below refuses to run over them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def drop_totals(apps, schema_editor):
    apps.get_model("reporting", "IndicatorTotal").objects.all().delete()


def rebuild(apps, schema_editor):
    Submission = apps.get_model("reporting", "Submission")
    if not Submission.objects.filter(state="approved").exists():
        return  # a new database: nothing to sum
    from reporting.totals import rebuild_totals

    rebuild_totals()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_submitted_state_label"),
    ]

    operations = [
        migrations.RunPython(constraints_immediate, constraints_immediate),
        migrations.RunPython(drop_totals, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="indicatortotal", name="one_total_per_period_indicator"),
        migrations.AddField(
            model_name="indicatortotal",
            name="unit",
            field=models.ForeignKey(
                default=None,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="units.unit",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="indicatortotal",
            name="unit",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="units.unit"),
        ),
        migrations.AddConstraint(
            model_name="indicatortotal",
            constraint=models.UniqueConstraint(
                fields=("unit", "period", "indicator"), name="one_total_per_node_period_indicator"
            ),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
