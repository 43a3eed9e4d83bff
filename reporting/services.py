"""Writes to submissions: every value and state change goes through here, atomically, with history.

Views, the Excel import, management commands, the demo and tests call these functions; nothing
else sets ``Submission.state``. Each raises ``SubmissionError`` with a message safe to show.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import states
from reporting.models import (
    NARRATIVE_FIELDS,
    BaseValue,
    Period,
    Submission,
    SubmissionEvent,
    SubmissionState,
    SubmissionValue,
)
from reporting.signals import approved_data_changed
from targets.models import Entry, Indicator
from units.models import Unit

Action = SubmissionEvent.Action
NARRATIVE_KEYS = [key for key, _label in NARRATIVE_FIELDS]
# Counts are stored in DecimalField(max_digits=15, decimal_places=2): 13 whole digits.
MAX_COUNT = Decimal("9999999999999")


class SubmissionError(Exception):
    """A refused change; ``message`` is safe to show to the person who asked for it."""

    def __init__(self, message: str, *, errors: list | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class StaleSubmissionError(SubmissionError):
    """Someone saved the report after this person opened it; ``events`` are their changes."""

    def __init__(self, message: str, *, submission: Submission, events: list[SubmissionEvent]):
        super().__init__(message)
        self.submission = submission
        self.events = events


class ConcurrentWriteError(SubmissionError):
    """Someone else was writing the same report at the same moment; nothing of this write was saved.

    Raised instead of the database's own lock error ("database is locked" on SQLite, a serialization
    failure, deadlock or lock timeout on PostgreSQL), so that views answer with the same 409 page
    as a stale save, never a 500 or a 503.
    """


# PostgreSQL SQLSTATEs of a lost race: serialization failure, deadlock detected, lock not available.
CONFLICT_SQLSTATES = {"40001", "40P01", "55P03"}
SQLITE_LOCKED = ("database is locked", "database table is locked")
# How long a writer waits for the row lock of a report before it gives up with a 409 (PostgreSQL).
LOCK_TIMEOUT_MS = 5000


def is_write_conflict(exc: BaseException) -> bool:
    """Whether a database error means "another transaction holds or changed this row", not an outage."""
    cause = exc.__cause__ or exc
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in CONFLICT_SQLSTATES:
        return True
    return any(text in str(exc).lower() for text in SQLITE_LOCKED)


def one_writer(func):
    """Run a write service; a lost race with another writer becomes ConcurrentWriteError.

    Goes outside ``transaction.atomic``: by the time the error is turned into a refusal, the
    transaction (or savepoint) of the losing write has been rolled back whole.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            if not is_write_conflict(exc):
                raise
            raise ConcurrentWriteError(
                _(
                    "Người khác đang lưu báo cáo này cùng lúc với bạn. Thao tác của bạn CHƯA được thực hiện; "
                    "hãy xem trạng thái mới nhất dưới đây rồi làm lại nếu vẫn cần."
                )
            ) from exc

    return wrapper


@dataclass
class ValueInput:
    """What a unit typed for one indicator: raw counts and yes/no answers, never a percentage."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    flags: list[bool | None] = field(default_factory=list)


# ---------------------------------------------------------------- reads


def expected_units(period: Period):
    """Units expected to report for a period: a reporter code, valid on its last day, and in the
    subtree of the unit that owns the period's plan (every unit when the plan has no owner)."""
    units = Unit.objects.reporting().valid_on(period.end)
    owner = period.plan.owner
    return units.subtree(owner) if owner is not None else units


def unit_reports_in(unit: Unit, period: Period) -> bool:
    return bool(unit.reporter_code) and expected_units(period).filter(pk=unit.pk).exists()


def indicators_for(unit: Unit, period: Period) -> list[Indicator]:
    """The indicators this unit types for this period, in plan order."""
    return list(Indicator.objects.filter(plan_id=period.plan_id).for_reporter(unit.reporter_code).order_by("order"))


def previous_submission(unit: Unit, period: Period) -> Submission | None:
    """The unit's latest approved report of an earlier period of the same plan (shown beside each field)."""
    return (
        Submission.objects.approved()
        .filter(unit=unit, period__plan_id=period.plan_id, period__end__lt=period.end)
        .select_related("period")
        .order_by("-period__end", "-period__code")
        .first()
    )


def missing_values(indicators: list[Indicator], values: dict[str, ValueInput]) -> dict[str, list[str]]:
    """What must still be typed before a report can be submitted: {indicator code: [part keys]}."""
    missing: dict[str, list[str]] = {}
    for indicator in indicators:
        value = values.get(indicator.code) or ValueInput()
        parts = []
        if indicator.entry in (Entry.FRACTION, Entry.NUMBER) and value.numerator is None:
            parts.append("num")
        if indicator.entry in (Entry.FRACTION, Entry.TOTAL) and value.denominator is None:
            parts.append("den")
        if indicator.entry == Entry.YESNO:
            flags = list(value.flags) + [None] * (len(indicator.answers) - len(value.flags))
            parts += [f"flag.{i}" for i, flag in enumerate(flags[: len(indicator.answers)]) if flag is None]
        if parts:
            missing[indicator.code] = parts
    return missing


def stored_bases(submission: Submission | None) -> dict[str, Decimal | None]:
    """The report's base figures by key; a report from before base figures: its denominators."""
    if submission is None:
        return {}
    bases = {b.key: b.value for b in submission.bases.all()}
    if bases:
        return bases
    for value in submission.values.select_related("indicator").order_by("indicator__order", "indicator__code"):
        if value.indicator.base and value.denominator is not None:
            bases.setdefault(value.indicator.base, value.denominator)
    return bases


def _apply_bases(
    indicators: dict[str, Indicator],
    values: dict[str, ValueInput],
    bases: dict[str, Decimal | None] | None,
    existing: dict[str, SubmissionValue],
) -> tuple[dict[str, ValueInput], dict[str, Decimal | None]]:
    """Every indicator naming a base figure gets that figure as its denominator.

    A base key missing from ``bases`` (callers and old templates that type denominators per
    indicator): the base figure is what they typed, and indicators sharing it must agree; a
    disagreement is refused.
    """
    users: dict[str, list[Indicator]] = {}
    for indicator in indicators.values():
        if indicator.base:
            users.setdefault(indicator.base, []).append(indicator)
    bases = {key: None if number is None else Decimal(str(number)) for key, number in (bases or {}).items()}
    for key, using in users.items():
        if key not in bases:
            typed = {i.code: values[i.code].denominator for i in using if i.code in values}
            given = {code: d for code, d in typed.items() if d is not None}
            if len(set(given.values())) > 1:
                raise SubmissionError(
                    _("%(codes)s dùng chung một số liệu nền (%(label)s) nhưng nhập khác nhau: %(numbers)s.")
                    % {
                        "codes": ", ".join(given),
                        "label": using[0].base_label,
                        "numbers": ", ".join(_raw(d) for d in given.values()),
                    }
                )
            if typed:
                bases[key] = next(iter(given.values()), None)
    unknown = sorted(set(bases) - set(users))
    if unknown:
        raise SubmissionError(_("Số liệu nền không thuộc báo cáo của đơn vị: %s") % ", ".join(unknown))
    values = dict(values)
    for key, number in bases.items():
        if number is not None and (number < 0 or number != number.to_integral() or number > MAX_COUNT):
            raise SubmissionError(
                _("%(label)s: số liệu phải là số nguyên không âm (nhận được %(value)s).")
                % {"label": users[key][0].base_label, "value": number}
            )
        for indicator in users[key]:
            current = values.get(indicator.code)
            if current is None:
                row = existing.get(indicator.code)
                current = ValueInput(row.numerator, row.denominator, list(row.flags or [])) if row else ValueInput()
            values[indicator.code] = ValueInput(current.numerator, number, current.flags)
    return values, bases


def stored_inputs(submission: Submission) -> dict[str, ValueInput]:
    return {
        v.indicator.code: ValueInput(v.numerator, v.denominator, list(v.flags or []))
        for v in submission.values.select_related("indicator")
    }


# ---------------------------------------------------------------- helpers


def _raw(value) -> str:
    """How a value is written in the history: plain digits, 1/0 for yes/no, '' for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())
    return str(value)


def _event(submission: Submission, by, at, action: str, **fields) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission, actor=by, at=at, action=action, version=submission.version, **fields
    )


def _check_count(indicator: Indicator, part: str, value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0 or value != value.to_integral() or value > MAX_COUNT:
        raise SubmissionError(
            _("%(code)s: số liệu phải là số nguyên không âm (nhận được %(value)s).")
            % {"code": indicator.code, "value": value}
        )


def _normalise(indicator: Indicator, value: ValueInput) -> ValueInput:
    """Keep only the parts this kind of indicator asks for, and check them."""
    numerator = value.numerator if indicator.entry in (Entry.FRACTION, Entry.NUMBER) else None
    denominator = value.denominator if indicator.entry in (Entry.FRACTION, Entry.TOTAL) else None
    flags: list[bool | None] = []
    if indicator.entry == Entry.YESNO:
        count = len(indicator.answers)
        flags = [None if f is None else bool(f) for f in list(value.flags)[:count]]
        flags += [None] * (count - len(flags))
    _check_count(indicator, "num", numerator)
    _check_count(indicator, "den", denominator)
    if numerator is not None and denominator is not None and numerator > denominator:
        raise SubmissionError(
            _("%(code)s: tử số không được lớn hơn mẫu số.") % {"code": indicator.code},
        )
    return ValueInput(numerator, denominator, flags)


def _entry_closed_reason(submission: Submission, day: dt.date) -> str | None:
    if submission.state == SubmissionState.SUBMITTED:
        return _("Báo cáo đã gửi, đang chờ duyệt: không sửa được.")
    if submission.state == SubmissionState.APPROVED:
        return _("Báo cáo đã được duyệt: không sửa được.")
    if day > submission.deadline:
        return _("Đã hết hạn nhập số liệu (hạn %(date)s). Xin liên hệ Phòng GD&ĐT để được gia hạn.") % {
            "date": submission.deadline.strftime("%d/%m/%Y")
        }
    return None


def entry_closed_reason(submission: Submission | None, period: Period, day: dt.date | None = None) -> str | None:
    """Why the unit cannot type into this report now, or None when it can."""
    day = day or timezone.localdate()
    if submission is None:
        if day > period.due:
            return _("Đã hết hạn nhập số liệu (hạn %(date)s). Xin liên hệ Phòng GD&ĐT để được gia hạn.") % {
                "date": period.due.strftime("%d/%m/%Y")
            }
        return None
    return _entry_closed_reason(submission, day)


def _stale(submission: Submission, version: int) -> StaleSubmissionError:
    events = list(
        submission.events.filter(version__gt=version).select_related("actor").order_by("at", "pk")
        if version is not None
        else submission.events.select_related("actor")
    )
    return StaleSubmissionError(
        _(
            "Người khác đã lưu báo cáo này sau khi bạn mở nó. Số liệu bạn vừa nhập CHƯA được lưu và vẫn còn "
            "trong biểu mẫu; hãy xem các thay đổi dưới đây rồi bấm lưu lại."
        ),
        submission=submission,
        events=events,
    )


def _bump(submission: Submission, version: int | None) -> None:
    """Compare-and-set on ``version``: refuses the write when someone saved in between."""
    expected = submission.version if version is None else version
    now = timezone.now()
    updated = Submission.objects.filter(pk=submission.pk, version=expected).update(
        version=F("version") + 1, updated_at=now
    )
    if not updated:
        submission.refresh_from_db()
        raise _stale(submission, expected)
    submission.version = expected + 1


def _save(*, unit, period, by, values, narrative, version, at, action, reason="", bases=None) -> Submission:
    at = at or timezone.now()
    _bound_lock_wait()
    if not unit_reports_in(unit, period):
        raise SubmissionError(_("Đơn vị này không phải nộp báo cáo kỳ này."))
    indicators = {i.code: i for i in indicators_for(unit, period)}
    unknown = sorted(set(values) - set(indicators))
    if unknown:
        raise SubmissionError(_("Chỉ tiêu không thuộc báo cáo của đơn vị: %s") % ", ".join(unknown))
    earlier = Submission.objects.filter(unit=unit, period=period).first()
    stored = {v.indicator.code: v for v in earlier.values.select_related("indicator")} if earlier else {}
    values, bases = _apply_bases(indicators, values, bases, stored)
    clean = {code: _normalise(indicators[code], value) for code, value in values.items()}
    unknown_text = sorted(set(narrative) - set(NARRATIVE_KEYS))
    if unknown_text:
        raise SubmissionError(_("Mục không có trong báo cáo: %s") % ", ".join(unknown_text))

    submission = Submission.objects.filter(unit=unit, period=period).select_related("period").first()
    if submission is None:
        closed = entry_closed_reason(None, period, timezone.localdate(at))
        if closed:
            raise SubmissionError(closed)
        try:
            with transaction.atomic():
                submission = Submission.objects.create(unit=unit, period=period)
        except IntegrityError:
            # Someone created it a moment ago: treat like any other concurrent save.
            submission = Submission.objects.get(unit=unit, period=period)
            raise _stale(submission, 0) from None
        _event(submission, by, at, Action.CREATED)
        version = submission.version
    else:
        closed = _entry_closed_reason(submission, timezone.localdate(at))
        if closed:
            raise SubmissionError(closed)
        if version is not None and version != submission.version:
            raise _stale(submission, version)

    existing = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    changes: list[tuple[str, str, str]] = []
    to_save: list[SubmissionValue] = []
    base_rows = {b.key: b for b in submission.bases.all()}
    bases_to_save: list[BaseValue] = []
    for key, number in bases.items():
        row = base_rows.get(key) or BaseValue(submission=submission, key=key)
        before = _raw(row.value) if row.pk else ""
        if before != _raw(number):  # an empty base figure left empty is no change
            changes.append((f"base.{key}", before, _raw(number)))
            row.value = number
            bases_to_save.append(row)
    for code, value in clean.items():
        row = existing.get(code) or SubmissionValue(submission=submission, indicator=indicators[code])
        before = ValueInput(row.numerator, row.denominator, list(row.flags or []))
        parts = [("num", before.numerator, value.numerator), ("den", before.denominator, value.denominator)]
        flags_before = before.flags + [None] * (len(value.flags) - len(before.flags))
        parts += [(f"flag.{i}", flags_before[i], flag) for i, flag in enumerate(value.flags)]
        row_changed = False
        for part, old, new in parts:
            if _raw(old) != _raw(new):
                changes.append((f"{code}.{part}", _raw(old), _raw(new)))
                row_changed = True
        if row_changed:
            row.numerator, row.denominator, row.flags = value.numerator, value.denominator, value.flags
            to_save.append(row)
    for key, text in narrative.items():
        text = text or ""
        if (getattr(submission, key) or "") != text:
            changes.append((key, getattr(submission, key) or "", text))
            setattr(submission, key, text)
    if not changes:
        return submission

    _bump(submission, version)
    for row in to_save:
        row.save()
    for row in bases_to_save:
        row.save()
    if narrative:
        Submission.objects.filter(pk=submission.pk).update(**{key: getattr(submission, key) for key in narrative})
    for key, before, after in changes:
        _event(submission, by, at, action, field=key, before=before, after=after, reason=reason)
    return submission


def _set_state(submission: Submission, by, at, action: str, state: str, reason: str = "", **extra) -> None:
    before = submission.state
    submission.state = state
    for name, value in extra.items():
        setattr(submission, name, value)
    Submission.objects.filter(pk=submission.pk).update(state=state, **extra)
    _event(submission, by, at, action, field="state", before=before, after=state, reason=reason)


def _bound_lock_wait() -> None:
    """PostgreSQL: wait at most LOCK_TIMEOUT_MS for a row another transaction holds (then: 409)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")


def _locked(submission: Submission, version: int | None = None) -> Submission:
    """Re-read the submission under a row lock, so two reviewers cannot act on the same state.

    ``version`` is the one the person saw when they chose the action: if someone changed the report
    since (another reviewer approved it a moment earlier), the action is refused as stale. On
    PostgreSQL the wait for the lock is bounded; a timeout is a ConcurrentWriteError (409).
    """
    _bound_lock_wait()
    locked = Submission.objects.select_for_update().select_related("period", "unit").get(pk=submission.pk)
    if version is not None and version != locked.version:
        raise _stale(locked, version)
    return locked


def stale_after_conflict(*, submission: Submission | None, version: int | None) -> StaleSubmissionError | None:
    """After a ConcurrentWriteError: the report as it now is, and what changed since ``version``."""
    if submission is None:
        return None
    submission.refresh_from_db()
    error = _stale(submission, version if version is not None else submission.version)
    error.message = str(
        _(
            "Người khác đang lưu báo cáo này cùng lúc với bạn. Số liệu bạn vừa nhập CHƯA được lưu và vẫn còn "
            "trong biểu mẫu; hãy xem các thay đổi dưới đây rồi bấm lưu lại."
        )
    )
    error.args = (error.message,)
    return error


# ---------------------------------------------------------------- services


@one_writer
@transaction.atomic
def submission_save_draft(
    *,
    unit: Unit,
    period: Period,
    by,
    values: dict[str, ValueInput],
    narrative: dict[str, str] | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
    bases: dict[str, Decimal | None] | None = None,
) -> Submission:
    """Save what the unit typed; creates the report on first save. ``version`` is the one the form was opened at.

    ``bases``: the unit's base figures by key (``Indicator.base``), each the denominator of every
    indicator naming it.
    """
    return _save(
        unit=unit, period=period, by=by, values=values, narrative=narrative or {}, version=version, at=at,
        action=Action.SAVED, bases=bases,
    )  # fmt: skip


@one_writer
@transaction.atomic
def submission_submit(
    *,
    unit: Unit,
    period: Period,
    by,
    values: dict[str, ValueInput] | None = None,
    narrative: dict[str, str] | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
    bases: dict[str, Decimal | None] | None = None,
) -> Submission:
    """Save the last changes and send the report for review; every value must be there."""
    at = at or timezone.now()
    submission = _save(
        unit=unit, period=period, by=by, values=values or {}, narrative=narrative or {}, version=version, at=at,
        action=Action.SAVED, bases=bases,
    )  # fmt: skip
    missing = missing_values(indicators_for(unit, period), stored_inputs(submission))
    if missing:
        raise SubmissionError(
            _("Chưa đủ số liệu để gửi: %s.") % ", ".join(sorted(missing)),
            errors=sorted(missing),
        )
    _bump(submission, submission.version)
    # Sent after the period's due date is late, extension or not (reporting.states, one rule).
    late = states.timeliness(due=submission.period.due, submitted_at=at) == states.LATE
    _set_state(
        submission, by, at, Action.SUBMITTED, SubmissionState.SUBMITTED,
        reason=states.TIMELINESS_LABELS[states.LATE] if late else "", submitted_at=at, return_reason="",
    )  # fmt: skip
    return submission


@one_writer
@transaction.atomic
def submission_return(
    *,
    submission: Submission,
    by,
    reason: str,
    comments: dict[str, str] | None = None,
    at=None,
    version: int | None = None,
) -> Submission:
    """Send a submitted report back to the unit, with a reason and optional comments on values (by indicator code).

    ``version``: the one the reviewer saw; a report changed since is refused as stale (409).
    """
    at = at or timezone.now()
    submission = _locked(submission, version)
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError(_("Cần ghi lý do trả lại."))
    if submission.state != SubmissionState.SUBMITTED:
        raise SubmissionError(_("Chỉ trả lại được báo cáo đã gửi, đang chờ duyệt."))
    _bump(submission, None)
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    for code, text in (comments or {}).items():
        text = (text or "").strip()
        row = values.get(code)
        if row is None:
            if text:
                raise SubmissionError(_("Không có số liệu %s để nhận xét.") % code)
            continue
        if row.reviewer_comment != text:
            _event(submission, by, at, Action.COMMENTED, field=code, before=row.reviewer_comment, after=text)
            row.reviewer_comment = text
            row.save(update_fields=["reviewer_comment"])
    _set_state(submission, by, at, Action.RETURNED, SubmissionState.RETURNED, reason=reason, return_reason=reason)
    return submission


@one_writer
@transaction.atomic
def submission_approve(*, submission: Submission, by, at=None, version: int | None = None) -> Submission:
    """Approve a submitted report: its values count in the dashboard from now on.

    ``version``: the one the reviewer saw; a report changed since (approved by someone else a
    moment earlier) is refused as stale (409).
    """
    at = at or timezone.now()
    submission = _locked(submission, version)
    if submission.state != SubmissionState.SUBMITTED:
        raise SubmissionError(_("Chỉ duyệt được báo cáo đã gửi, đang chờ duyệt."))
    _bump(submission, None)
    _set_state(
        submission, by, at, Action.APPROVED, SubmissionState.APPROVED, approved_at=at, approved_by=by, return_reason=""
    )
    approved_data_changed.send(sender=Submission, submission=submission, period=submission.period)
    return submission


@one_writer
@transaction.atomic
def submission_reopen(*, submission: Submission, by, reason: str, at=None, version: int | None = None) -> Submission:
    """Take an approved report back out of the figures and return it to the unit, with a reason."""
    at = at or timezone.now()
    submission = _locked(submission, version)
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError(_("Cần ghi lý do mở lại."))
    if submission.state != SubmissionState.APPROVED:
        raise SubmissionError(_("Chỉ mở lại được báo cáo đã duyệt."))
    _bump(submission, None)
    _set_state(
        submission, by, at, Action.REOPENED, SubmissionState.RETURNED,
        reason=reason, return_reason=reason, approved_at=None, approved_by=None,
    )  # fmt: skip
    approved_data_changed.send(sender=Submission, submission=submission, period=submission.period)
    return submission


@one_writer
@transaction.atomic
def submission_extend(*, unit: Unit, period: Period, by, until: dt.date, reason: str = "", at=None) -> Submission:
    """Let one unit type after the due date, until ``until``; creates an empty draft when none exists."""
    at = at or timezone.now()
    if not unit_reports_in(unit, period):
        raise SubmissionError(_("Đơn vị này không phải nộp báo cáo kỳ này."))
    if until <= period.due:
        raise SubmissionError(
            _("Ngày gia hạn phải sau hạn nộp của kỳ (%s).") % period.due.strftime("%d/%m/%Y"),
        )
    submission, created = Submission.objects.get_or_create(unit=unit, period=period)
    if created:
        _event(submission, by, at, Action.CREATED)
    submission = _locked(submission)
    if submission.state == SubmissionState.APPROVED:
        raise SubmissionError(_("Báo cáo đã được duyệt: hãy mở lại trước khi gia hạn."))
    before = submission.extended_until
    _bump(submission, None)
    Submission.objects.filter(pk=submission.pk).update(extended_until=until)
    submission.extended_until = until
    _event(
        submission, by, at, Action.EXTENDED, field="extended_until",
        before=before.isoformat() if before else "", after=until.isoformat(), reason=(reason or "").strip(),
    )  # fmt: skip
    return submission


@one_writer
@transaction.atomic
def submission_import_excel(*, unit: Unit, period: Period, by, data: bytes, filename: str, at=None) -> Submission:
    """Put the figures of a filled-in template into the draft; any error refuses the whole file."""
    from reporting.excel import read_template

    indicators = indicators_for(unit, period)
    parsed = read_template(data=data, filename=filename, unit=unit, period=period, indicators=indicators)
    return _save(
        unit=unit, period=period, by=by, values=parsed.values, narrative=parsed.narrative, version=parsed.version,
        at=at, action=Action.IMPORTED, reason=_("Nhập từ tệp %s") % filename, bases=parsed.bases,
    )  # fmt: skip
