import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from reporting.models import Submission, SubmissionState, SubmissionValue
from targets.models import Indicator
from units.models import Unit


def generate(*args) -> dict:
    out = StringIO()
    call_command("generate_data", "--scale", "district", *args, stdout=out)
    return json.loads(out.getvalue().splitlines()[0])


def test_district_scale_run_twice_needs_reset_and_gives_a_whole_tree_every_report_and_the_decided_registers(db):
    """Two generations (8–10 s each): a rerun is refused without --reset; after the reset, everything
    a run must give."""
    from recognition.models import Nomination
    from reporting.models import Period
    from reporting.totals import compute_totals, stored_totals
    from targets.models import Plan

    generate()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    summary = generate("--reset")

    # The synthetic tree: nation → province → 8 communes (and bodies) → villages, owning its plan.
    nation = Unit.objects.get(code="SN")
    province = Unit.objects.get(parent=nation)
    assert Plan.objects.get(code="ba-che-2016-2020").owner == nation
    assert set(Unit.objects.filter(parent=province).values_list("kind", flat=True)) == {
        "commune",
        "department",
        "centre",
    }
    communes = Unit.objects.filter(code__startswith="SC", kind="commune")
    assert communes.count() == summary["communes"] == 8
    assert set(communes.values_list("parent", flat=True)) == {province.pk}
    assert Unit.objects.filter(parent__in=communes).count() == 8 * 6
    # Every reporting unit has an approved report for every period, with every indicator.
    assert Submission.objects.exclude(state=SubmissionState.APPROVED).count() == 0
    assert Submission.objects.count() == summary["reporting_units"] * summary["periods"]
    per_commune = Indicator.objects.filter(plan__code="ba-che-2016-2020").for_reporter("xa").count()
    submission = Submission.objects.filter(unit__in=communes).first()
    assert submission.values.count() == per_commune
    assert SubmissionValue.objects.count() == summary["values"]
    # Plausible figures: no numerator above its denominator.
    assert SubmissionValue.objects.exclude(denominator=None).exclude(numerator=None).count() > 1000
    assert not SubmissionValue.objects.filter(numerator__gt=F("denominator")).exists()
    # The decided registers are counted in the totals.
    assert Nomination.objects.recognised().filter(register__year=2020).count() > 1000
    periods = list(Period.objects.all())
    stored = stored_totals(periods)
    assert stored == compute_totals(periods)
    assert any(row["recognised_sum"] > 0 for row in stored.values())


def test_generate_data_refuses_a_database_with_real_units_unless_into_demo(units):
    before = Unit.objects.count()
    with pytest.raises(CommandError, match="--into-demo"):
        generate()
    with pytest.raises(CommandError, match="--into-demo"):
        generate("--reset")
    assert Unit.objects.count() == before
    assert generate("--into-demo")["communes"] == 8
