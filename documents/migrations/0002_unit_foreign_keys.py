"""The units moved to the `units` app (tables renamed in reporting.0006): point the keys there.

State only: the database constraints already reference the renamed table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="consolidatedreport",
                    name="unit",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consolidated_reports",
                        to="units.unit",
                        verbose_name="đơn vị",
                    ),
                ),
                migrations.AlterField(
                    model_name="documentsettings",
                    name="unit",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="document_settings",
                        to="units.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
