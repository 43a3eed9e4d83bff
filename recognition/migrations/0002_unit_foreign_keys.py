"""The units moved to the `units` app (tables renamed in reporting.0006): point the keys there.

State only: the database constraints already reference the renamed table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="nomination",
                    name="village",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="units.unit",
                        verbose_name="thôn, bản, khu",
                    ),
                ),
                migrations.AlterField(
                    model_name="register",
                    name="commune",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recognition_registers",
                        to="units.unit",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
