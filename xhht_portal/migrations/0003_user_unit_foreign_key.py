"""The units moved to the `units` app (tables renamed in reporting.0006): point User.unit there.

State only: the database constraint already references the renamed table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("xhht_portal", "0002_job"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Bắt buộc với cán bộ xã và cán bộ phòng, ban: họ chỉ thấy đơn vị của mình.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="units.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
