"""Second half of the move: reporting's state forgets Unit and UnitSuccession (now in `units`).

State only: the tables were renamed in 0006 and declared by units.0001. The permission
"view_all_units" is now declared on Submission (units.0001 moved its row).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_move_unit_tables"),
        ("units", "0001_initial"),
        ("recognition", "0002_unit_foreign_keys"),
        ("xhht_portal", "0003_user_unit_foreign_key"),
        ("documents", "0002_unit_foreign_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="submission",
                    name="unit",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="submissions",
                        to="units.unit",
                        verbose_name="đơn vị",
                    ),
                ),
                migrations.DeleteModel(name="UnitSuccession"),
                migrations.DeleteModel(name="Unit"),
            ],
            database_operations=[],
        ),
        migrations.AlterModelOptions(
            name="submission",
            options={
                "ordering": ["period__end", "unit__order"],
                "permissions": [
                    ("review_submission", "Duyệt, trả lại, mở lại báo cáo"),
                    ("view_all_units", "Xem số liệu của mọi đơn vị"),
                ],
                "verbose_name": "báo cáo",
                "verbose_name_plural": "báo cáo",
            },
        ),
    ]
