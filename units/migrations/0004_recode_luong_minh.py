"""xã Lương Minh (01/11/2024) kept xã Lương Mông's GSO code 06985; until codes could be shared
across validity periods the demo data called it "LUONGMINH". 0002 meant to recode it, but its
filter compared with a NULL start date and matched nothing: done here."""

from django.db import migrations


def forward(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    if not Unit.objects.filter(code="06985", valid_from="2024-11-01").exists():
        Unit.objects.filter(code="LUONGMINH", valid_from="2024-11-01").update(code="06985")


def backward(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    Unit.objects.filter(code="06985", valid_from="2024-11-01", name="Xã Lương Minh").update(code="LUONGMINH")


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_remove_unitsuccession"),
    ]

    operations = [migrations.RunPython(forward, backward)]
