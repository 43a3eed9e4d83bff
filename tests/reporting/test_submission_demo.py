"""Demo reports: several periods and states, different denominators per commune, safe to load twice."""

from __future__ import annotations

from io import StringIO

import pytest

from reporting.models import Submission, SubmissionEvent, SubmissionValue

pytestmark = pytest.mark.django_db


def load_demo():
    """The plan's and this app's demo only (the recognition demo is large and tested on its own)."""
    from reporting.demo import load_demo as reporting_demo
    from targets.demo import load_demo as targets_demo

    targets_demo(StringIO())
    reporting_demo(StringIO())


def test_load_demo_twice_gives_the_same_reports():
    load_demo()
    first = Submission.objects.count()
    values = sorted(
        SubmissionValue.objects.values_list("submission__unit__code", "indicator__code", "numerator", "denominator")
    )
    events = SubmissionEvent.objects.count()
    load_demo()
    assert Submission.objects.count() == first > 100
    assert SubmissionEvent.objects.count() == events
    assert (
        sorted(
            SubmissionValue.objects.values_list("submission__unit__code", "indicator__code", "numerator", "denominator")
        )
        == values
    )

    states = set(Submission.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "approved"}
    periods = set(Submission.objects.filter(state="approved").values_list("period__code", flat=True))
    assert {"2016-H1", "2017-Y", "2018-H1", "2018-Y"} <= periods
    literate = dict(
        SubmissionValue.objects.filter(submission__period__code="2018-Y", indicator__code="I04").values_list(
            "submission__unit__code", "denominator"
        )
    )
    assert len(set(literate.values())) == len(literate) >= 6  # each commune its own denominator
    assert 800 < min(literate.values()) and max(literate.values()) < 3500  # 1,500–5,000 people per commune
    assert SubmissionEvent.objects.filter(action="approved").exists()
    assert Submission.objects.filter(submitted_at__isnull=False).filter(extended_until__isnull=False).exists()
