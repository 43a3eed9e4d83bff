"""One word for each state of a unit's report in a period, used by every page, export and message.

Two things are said about a unit's report, each from one source:

- its **state**: the workflow state of the report (``SubmissionState``, whose choices are the
  labels) or, without any report, "Chưa báo cáo" (``NOT_STARTED``);
- its **timeliness** (``timeliness()``): sent on or before the period's due date ("Đúng hạn"),
  sent after it or still not sent once the deadline has passed ("Trễ hạn"), not sent but still
  inside an extension a reviewer granted ("Được gia hạn"), not sent and not due yet ("Chưa đến
  hạn"). An extension lets a unit send after the due date; what it sends then is still late.

Templates, exports and messages take the words from here (``state_label``, ``TIMELINESS_LABELS``,
the ``states`` template tags); ``tests/reporting/test_states.py`` checks that none keeps a copy.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import SubmissionState

NOT_STARTED = "not_started"

# The workflow states in the order the summaries list them.
STATE_ORDER = [
    SubmissionState.APPROVED.value,
    SubmissionState.SUBMITTED.value,
    SubmissionState.RETURNED.value,
    SubmissionState.DRAFT.value,
    NOT_STARTED,
]
STATE_CSS = {
    NOT_STARTED: "status-no-data",
    SubmissionState.DRAFT.value: "status-no-data",
    SubmissionState.SUBMITTED.value: "status-on-track",
    SubmissionState.RETURNED.value: "status-behind",
    SubmissionState.APPROVED.value: "status-met",
}

ON_TIME, LATE, EXTENDED, NOT_DUE = "on_time", "late", "extended", "not_due"
TIMELINESS_LABELS = {
    ON_TIME: _("Đúng hạn"),
    LATE: _("Trễ hạn"),
    EXTENDED: _("Được gia hạn"),
    NOT_DUE: _("Chưa đến hạn"),
}
TIMELINESS_CSS = {
    ON_TIME: "status-met",
    LATE: "status-behind",
    EXTENDED: "status-on-track",
    NOT_DUE: "status-no-data",
}


def state_label(state: str) -> str:
    """The words for a report's state: the model's choice label, or "Chưa báo cáo" without a report."""
    if state == NOT_STARTED:
        return str(_("Chưa báo cáo"))
    return str(SubmissionState(state).label)


def state_labels() -> dict[str, str]:
    """Every state with its words, in summary order."""
    return {state: state_label(state) for state in STATE_ORDER}


def timeliness(
    *,
    due: dt.date,
    submitted_at: dt.datetime | None,
    extended_until: dt.date | None = None,
    state: str | None = None,
    today: dt.date | None = None,
) -> str:
    """On time, late, extended or not due yet: the one rule behind the queue, the lists, the
    completeness page, the PDF and the workbook (and the GROUP BY in ``reporting.rollup``)."""
    if submitted_at is not None:
        return LATE if timezone.localtime(submitted_at).date() > due else ON_TIME
    today = today or timezone.localdate()
    if today <= due:
        return NOT_DUE
    open_states = (SubmissionState.DRAFT, SubmissionState.RETURNED)
    if extended_until and today <= extended_until and (state is None or state in open_states):
        return EXTENDED
    return LATE


def submission_timeliness(submission, period, today: dt.date | None = None) -> str:
    """``timeliness`` of a unit's report in a period; ``submission`` None: nothing started."""
    if submission is None:
        return timeliness(due=period.due, submitted_at=None, today=today)
    return timeliness(
        due=period.due,
        submitted_at=submission.submitted_at,
        extended_until=submission.extended_until,
        state=submission.state,
        today=today,
    )
