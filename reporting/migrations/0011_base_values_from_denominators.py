"""Base figures for the reports already entered, from their denominators; no value is changed.

Each report gets, per base key, the denominator of the first indicator (in plan order) naming that
key. A report that typed different denominators for indicators now sharing a base (28, 25 and 26
staff) keeps those values exactly as approved: the migration only adds the base figure, and the
next save of that report (after a reviewer reopens it) writes the one base figure into all of them.
"""

from django.db import migrations


def create_base_values(apps, schema_editor):
    SubmissionValue = apps.get_model("reporting", "SubmissionValue")
    BaseValue = apps.get_model("reporting", "BaseValue")
    rows = (
        SubmissionValue.objects.exclude(indicator__base="")
        .filter(denominator__isnull=False)
        .order_by("submission_id", "indicator__order", "indicator__code")
        .values_list("submission_id", "indicator__base", "denominator")
        .iterator(chunk_size=5000)
    )
    seen = set()
    batch = []
    for submission_id, key, denominator in rows:
        if (submission_id, key) in seen:
            continue
        seen.add((submission_id, key))
        batch.append(BaseValue(submission_id=submission_id, key=key, value=denominator))
        if len(batch) >= 5000:
            BaseValue.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    BaseValue.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0010_base_values"),
        ("targets", "0004_indicator_base"),
    ]

    operations = [migrations.RunPython(create_base_values, migrations.RunPython.noop)]
