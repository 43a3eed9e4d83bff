"""UnitSuccession is gone: its rows became reorganisations in 0002."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_tree_validity_reorganisations"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='unitsuccession',
            name='one_succession_per_pair',
        ),
        migrations.RemoveField(
            model_name='unitsuccession',
            name='predecessor',
        ),
        migrations.RemoveField(
            model_name='unitsuccession',
            name='successor',
        ),
        migrations.DeleteModel(
            name='UnitSuccession',
        ),
    ]
