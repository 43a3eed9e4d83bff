"""Report entry and review pages (issue: periodic reports).

Officers type their own unit's report (the unit comes from their account, never from the URL or
a form field); the reviewer returns, approves, reopens and extends. Every write goes through
``reporting.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reporting import hooks, services, states
from reporting.excel import build_template
from reporting.forms import (
    ExtendForm,
    ReopenForm,
    ReturnForm,
    SubmissionForm,
    UploadForm,
    base_field_name,
    denominator_warning_share,
    field_names,
    initial_from,
)
from reporting.models import NARRATIVE_FIELDS, Period, Submission, SubmissionEvent, SubmissionState
from targets.models import Entry, Indicator, Measure
from targets.numbers import format_number, parse_number
from units.models import Unit
from xhht_portal.access import can_review, is_unit_officer, require, sees_all_units, territory_q
from xhht_portal.home import register_home_context, register_nav_items

# ---------------------------------------------------------------- access


def _officer_unit(request) -> Unit:
    """Only a unit's own officers type its report; everyone else is refused (403)."""
    require(is_unit_officer(request.user))
    return request.user.unit


def _own_report(request, period_code: str) -> tuple[Unit, Period, Submission | None]:
    unit = _officer_unit(request)
    period = get_object_or_404(Period.objects.select_related("plan"), code=period_code)
    if not services.unit_reports_in(unit, period):
        raise Http404
    submission = Submission.objects.filter(unit=unit, period=period).select_related("period", "unit").first()
    return unit, period, submission


# The reopen form shares the page with the return form: its box is id_reopen_reason, not id_reason.
REOPEN_AUTO_ID = "id_reopen_%s"


def _visible_submission(request, pk: int) -> Submission:
    """Outside the unit → 404; the query never trusts the id alone."""
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("unit", "period", "period__plan", "approved_by"),
        pk=pk,
    )


def _reviewable_submission(request, pk: int) -> Submission:
    submission = _visible_submission(request, pk)
    require(can_review(request.user))
    return submission


# ---------------------------------------------------------------- presentation helpers


def percent_text(indicator: Indicator, numerator, denominator) -> str:
    """The live share the unit sees beside a fraction: 66,7% or 120/1 vạn dân; '' when not computable."""
    if indicator.entry != Entry.FRACTION or numerator is None or not denominator:
        return ""
    if indicator.measure == Measure.PER_10000:
        return _("%s/1 vạn dân") % format_number(Decimal(numerator) * 10000 / Decimal(denominator))
    return f"{format_number(Decimal(numerator) * 100 / Decimal(denominator))}%"


def _typed(form, name: str):
    """The value to compute with: cleaned when valid, else parsed from what was typed."""
    if form.is_bound:
        if hasattr(form, "cleaned_data") and name in form.cleaned_data:
            return form.cleaned_data.get(name)
        if name in form.errors:
            return None
        raw = form.data.get(name, "")
        try:
            number = parse_number(raw) if raw else None
        except ValueError:
            return None
        return number if number is not None and 0 <= number <= services.MAX_COUNT else None
    raw = form.initial.get(name)
    return Decimal(raw) if raw not in (None, "") else None


def _part_display(value: services.ValueInput | None, part: str) -> str:
    if value is None:
        return ""
    if part == "num":
        return format_number(value.numerator, 0) if value.numerator is not None else ""
    if part == "den":
        return format_number(value.denominator, 0) if value.denominator is not None else ""
    index = int(part.split(".")[1])
    flags = value.flags or []
    if index >= len(flags) or flags[index] is None:
        return ""
    return str(_("Đạt") if flags[index] else _("Chưa đạt"))


def denominator_warning(previous: Decimal | None, current: Decimal | None) -> str:
    """A non-blocking typo catcher: the denominator moved by more than the configured share."""
    if previous is None or current is None or not previous:
        return ""
    share = abs(Decimal(current) - Decimal(previous)) / Decimal(previous)
    if share <= denominator_warning_share():
        return ""
    return _("Mẫu số thay đổi %(share)s so với kỳ trước (%(before)s → %(after)s). Xin kiểm tra lại.") % {
        "share": f"{format_number(share * 100)}%",
        "before": format_number(previous, 0),
        "after": format_number(current, 0),
    }


def entry_groups(*, indicators, form, last: dict, current: dict) -> list[dict]:
    """Indicators grouped by topic of the plan, each with its fields, last period's figures and warnings."""
    groups: list[dict] = []
    for indicator in indicators:
        if not groups or groups[-1]["topic"] != indicator.topic:
            groups.append({"topic": indicator.topic, "rows": []})
        previous = last.get(indicator.code)
        stored = current.get(indicator.code)
        fields = []
        for name, part in field_names(indicator):
            fields.append({"bound": form[name], "part": part, "last": _part_display(previous, part)})
        den_name = base_field_name(indicator.base) if indicator.base else f"{indicator.code}-den"
        numerator, denominator = _typed(form, f"{indicator.code}-num"), _typed(form, den_name)
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "fields": fields,
                "is_fraction": indicator.entry == Entry.FRACTION,
                "is_yesno": indicator.entry == Entry.YESNO,
                "per_10000": indicator.measure == Measure.PER_10000,
                "percent": percent_text(indicator, numerator, denominator),
                "last_percent": percent_text(indicator, previous.numerator, previous.denominator) if previous else "",
                # A base figure's jump is flagged once, beside the base figure at the top.
                "warning": ""
                if indicator.base
                else denominator_warning(previous.denominator if previous else None, denominator),
                "base_field": f"id_{den_name}" if indicator.base else "",
                "comment": stored.reviewer_comment if stored else "",
            }
        )
    return groups


def base_rows(*, form, last: dict) -> list[dict]:
    """The base figures at the top of the form: field, last period's figure, jump warning, users."""
    rows = []
    for key, _label, using in form.base_figures:
        name = base_field_name(key)
        previous = last.get(key)
        rows.append(
            {
                "bound": form[name],
                "last": format_number(previous, 0) if previous is not None else "",
                "warning": denominator_warning(previous, _typed(form, name)),
                "used_by": [i.code for i in using],
            }
        )
    return rows


def _bases_from(indicators, values: dict) -> dict:
    """A report's base figures from its values already loaded (no query): the services keep every
    using indicator's denominator equal to the base figure; a report from before base figures has
    the first indicator's, in plan order, as the migration recorded."""
    bases: dict = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        if indicator.base and value is not None and value.denominator is not None:
            bases.setdefault(indicator.base, value.denominator)
    return bases


def _stored_values(submission: Submission | None) -> dict:
    if submission is None:
        return {}
    return {v.indicator.code: v for v in submission.values.select_related("indicator")}


def _as_inputs(values: dict) -> dict[str, services.ValueInput]:
    return {code: services.ValueInput(v.numerator, v.denominator, list(v.flags or [])) for code, v in values.items()}


def state_badge(submission: Submission | None, period: Period, today=None) -> dict:
    """What the queue and lists show: the state and the timeliness in words (never colour alone),
    both from ``reporting.states``."""
    state = submission.state if submission is not None else states.NOT_STARTED
    timeliness = states.submission_timeliness(submission, period, today)
    return {
        "state": state,
        "label": states.state_label(state),
        "css": states.STATE_CSS[state],
        "timeliness": timeliness,
        "timeliness_label": str(states.TIMELINESS_LABELS[timeliness]),
        "timeliness_css": states.TIMELINESS_CSS[timeliness],
        "late": timeliness == states.LATE,
        "extended": timeliness == states.EXTENDED,
    }


# ---------------------------------------------------------------- officer pages


@require_GET
@login_required
def submission_list(request):
    """Officers: their unit's reports per period. Everyone who sees all units: the periods and their progress."""
    user = request.user
    if is_unit_officer(user):
        unit = user.unit
        periods = list(
            Period.objects.filter(pk__in=_periods_for_unit(unit)).select_related("plan").order_by("-end", "code")
        )
        submissions = {s.period_id: s for s in Submission.objects.filter(unit=unit).select_related("period")}
        rows = [
            {"period": p, "submission": submissions.get(p.pk), "badge": state_badge(submissions.get(p.pk), p)}
            for p in periods
        ]
        return render(request, "reporting/submission_list.html", {"unit": unit, "rows": rows})
    require(sees_all_units(user))
    periods = list(
        Period.objects.select_related("plan")
        .annotate(
            approved=Count("submissions", filter=Q(submissions__state=SubmissionState.APPROVED)),
            waiting=Count("submissions", filter=Q(submissions__state=SubmissionState.SUBMITTED)),
        )
        .order_by("-end", "code")
    )
    return render(request, "reporting/submission_list.html", {"unit": None, "periods": periods})


def _periods_for_unit(unit: Unit) -> list[int]:
    if not unit.reporter_code:
        return []
    return [
        p.pk
        for p in Period.objects.all()
        if unit.is_valid_on(p.end)  # the units a period expects: valid on its last day
    ]


def _render_entry(request, *, unit, period, submission, form, status=200, **extra):
    indicators = form.indicators
    previous = services.previous_submission(unit, period)
    last = _stored_values(previous)
    current = _stored_values(submission)
    closed = services.entry_closed_reason(submission, period)
    for name, field in form.fields.items():
        # A bound form keeps what was typed even when entry has just closed: nothing typed is lost.
        field.disabled = bool(closed) and not form.is_bound
        if name in form.errors:
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " is-invalid"
            field.widget.attrs["aria-describedby"] = f"error-{name}"
    context = {
        "unit": unit,
        "period": period,
        "submission": submission,
        "form": form,
        "groups": entry_groups(indicators=indicators, form=form, last=last, current=current),
        "base_rows": base_rows(form=form, last=_bases_from(indicators, last)),
        "narrative": [form[key] for key, _label in NARRATIVE_FIELDS],
        "previous": previous,
        "closed": closed,
        "badge": state_badge(submission, period),
        "deadline": submission.deadline if submission else period.due,
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "warning_share": format_number(denominator_warning_share() * 100),
        **extra,
    }
    return render(request, "reporting/submission_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def submission_edit(request, period_code: str):
    """The unit's report for a period: type, save a draft, come back, submit."""
    unit, period, submission = _own_report(request, period_code)
    indicators = services.indicators_for(unit, period)
    if request.method == "GET":
        current = _as_inputs(_stored_values(submission))
        narrative = {key: getattr(submission, key) for key, _label in NARRATIVE_FIELDS} if submission else {}
        bases = _bases_from(indicators, _stored_values(submission))
        initial = {**initial_from(current, narrative, bases), "version": submission.version if submission else 0}
        form = SubmissionForm(initial=initial, indicators=indicators)
        return _render_entry(request, unit=unit, period=period, submission=submission, form=form)

    submitting = request.POST.get("action") == "submit"
    form = SubmissionForm(request.POST, indicators=indicators, submitting=submitting)
    if not form.is_valid():
        # The error summary at the top of the form says it was not saved and links to each field:
        # no message as well, or the refusal shows twice.
        return _render_entry(request, unit=unit, period=period, submission=submission, form=form)
    kwargs = {
        "unit": unit,
        "period": period,
        "by": request.user,
        "values": form.values(),
        "narrative": form.narrative(),
        "version": form.cleaned_data["version"],
        "bases": form.bases(),
    }
    try:
        if submitting:
            services.submission_submit(**kwargs)
            messages.success(request, _("Đã gửi báo cáo. Phòng GD&ĐT sẽ xem xét và duyệt."))
        else:
            services.submission_save_draft(**kwargs)
            messages.success(request, _("Đã lưu bản nháp."))
    except (services.StaleSubmissionError, services.ConcurrentWriteError) as exc:
        if not isinstance(exc, services.StaleSubmissionError):
            # Lost a race with another writer at the same instant: the same page as a stale save.
            exc = (
                services.stale_after_conflict(
                    submission=Submission.objects.filter(unit=unit, period=period).first(),
                    version=form.cleaned_data["version"],
                )
                or exc
            )
        if not isinstance(exc, services.StaleSubmissionError):
            submission = Submission.objects.filter(unit=unit, period=period).first()
            return _render_entry(
                request, unit=unit, period=period, submission=submission, form=form, error=exc.message, status=409
            )
        # Keep everything the person typed; only move the version on, so that saving again is a
        # conscious choice made after seeing the other person's changes.
        data = request.POST.copy()
        data["version"] = str(exc.submission.version)
        form = SubmissionForm(data, indicators=indicators, submitting=submitting)
        form.is_valid()
        return _render_entry(
            request,
            unit=unit,
            period=period,
            submission=exc.submission,
            form=form,
            status=409,
            stale=exc,
            stale_changes=[_event_row(e, indicators) for e in exc.events],
        )
    except services.SubmissionError as exc:
        submission = Submission.objects.filter(unit=unit, period=period).first()
        return _render_entry(request, unit=unit, period=period, submission=submission, form=form, error=exc.message)
    return redirect("reporting:submission_edit", period_code=period.code)


@require_GET
@login_required
def submission_template(request, period_code: str):
    """Download the Excel template pre-filled with this unit's report."""
    unit, period, _submission = _own_report(request, period_code)
    data = build_template(unit=unit, period=period)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{unit.code}-{period.code}.xlsx"'
    return response


@require_POST
@login_required
def submission_upload(request, period_code: str):
    """Upload a filled-in template: all its figures land in the draft, or none do."""
    unit, period, submission = _own_report(request, period_code)
    upload_form = UploadForm(request.POST, request.FILES)
    indicators = services.indicators_for(unit, period)
    upload_errors: list[str] = []
    upload_message = ""
    status = 200
    if upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        try:
            services.submission_import_excel(
                unit=unit, period=period, by=request.user, data=upload.read(), filename=upload.name
            )
        except (services.StaleSubmissionError, services.ConcurrentWriteError):
            upload_message = _(
                "Báo cáo đã được sửa trên cổng sau khi bạn tải mẫu này. Không nhập; hãy tải mẫu mới và điền lại."
            )
            status = 409
            submission = Submission.objects.filter(unit=unit, period=period).first()
        except services.SubmissionError as exc:
            upload_message, upload_errors = exc.message, exc.errors
        else:
            messages.success(request, _("Đã nhập số liệu từ tệp %s vào bản nháp.") % upload.name)
            return redirect("reporting:submission_edit", period_code=period.code)
    current = _as_inputs(_stored_values(submission))
    narrative = {key: getattr(submission, key) for key, _label in NARRATIVE_FIELDS} if submission else {}
    form = SubmissionForm(
        initial={**initial_from(current, narrative), "version": submission.version if submission else 0},
        indicators=indicators,
    )
    return _render_entry(
        request,
        unit=unit,
        period=period,
        submission=submission,
        form=form,
        upload_form=upload_form,
        upload_message=upload_message,
        upload_errors=upload_errors,
        status=status,
    )


# ---------------------------------------------------------------- one report, read-only, and its review


def _value_rows(submission: Submission) -> list[dict]:
    indicators = services.indicators_for(submission.unit, submission.period)
    previous = services.previous_submission(submission.unit, submission.period)
    last = _stored_values(previous)
    current = _stored_values(submission)
    groups: list[dict] = []
    for indicator in indicators:
        if not groups or groups[-1]["topic"] != indicator.topic:
            groups.append({"topic": indicator.topic, "rows": []})
        stored = current.get(indicator.code)
        before = last.get(indicator.code)
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "parts": [
                    {
                        "label": label,
                        "value": _part_display(stored, part),
                        "last": _part_display(before, part),
                    }
                    for label, part in _part_labels(indicator)
                ],
                "percent": percent_text(indicator, stored.numerator, stored.denominator) if stored else "",
                "last_percent": percent_text(indicator, before.numerator, before.denominator) if before else "",
                "warning": denominator_warning(
                    before.denominator if before else None, stored.denominator if stored else None
                ),
                "comment": stored.reviewer_comment if stored else "",
            }
        )
    return groups


def _part_labels(indicator: Indicator) -> list[tuple[str, str]]:
    if indicator.entry == Entry.YESNO:
        return [(answer, f"flag.{i}") for i, answer in enumerate(indicator.answers)]
    labels = []
    if indicator.entry in (Entry.FRACTION, Entry.NUMBER):
        labels.append((indicator.numerator_label or _("Số lượng"), "num"))
    if indicator.entry in (Entry.FRACTION, Entry.TOTAL):
        labels.append((indicator.denominator_label or _("Tổng số"), "den"))
    return labels


@require_GET
@login_required
def submission_detail(request, pk: int):
    submission = _visible_submission(request, pk)
    return _render_detail(request, submission)


def _render_detail(request, submission, *, return_form=None, reopen_form=None, status=200, stale=None):
    reviewer = can_review(request.user)
    stale_changes = []
    if stale is not None:
        indicators = services.indicators_for(submission.unit, submission.period)
        stale_changes = [_event_row(e, indicators) for e in getattr(stale, "events", [])]
    return render(
        request,
        "reporting/submission_detail.html",
        {
            "submission": submission,
            "period": submission.period,
            "groups": _value_rows(submission),
            "narrative": [(label, getattr(submission, key)) for key, label in NARRATIVE_FIELDS],
            "badge": state_badge(submission, submission.period),
            "previous": services.previous_submission(submission.unit, submission.period),
            "reviewer": reviewer,
            "own": is_unit_officer(request.user) and request.user.unit_id == submission.unit_id,
            "can_act": reviewer and submission.state == SubmissionState.SUBMITTED,
            "return_form": return_form or ReturnForm(),
            "reopen_form": reopen_form or ReopenForm(auto_id=REOPEN_AUTO_ID),
            "deadline_passed": timezone.localdate() > submission.deadline,
            "panels": hooks.submission_panels(request, submission, where="detail"),
            "stale": stale,
            "stale_changes": stale_changes,
        },
        status=status,
    )


def _seen_version(request) -> int | None:
    """The report version the reviewer's page showed (hidden field); None from an older page."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _review_conflict(request, pk: int, exc: services.SubmissionError, version: int | None):
    """409: someone acted on the report first; show it as it is now and what they changed."""
    submission = _visible_submission(request, pk)
    if not isinstance(exc, services.StaleSubmissionError):
        exc = services.stale_after_conflict(submission=submission, version=version) or exc
    if isinstance(exc, services.StaleSubmissionError):
        exc.message = str(
            _(
                "Người khác đã xử lý báo cáo này ngay trước bạn. Thao tác của bạn CHƯA được thực hiện; "
                "hãy xem các thay đổi dưới đây và trạng thái hiện tại của báo cáo."
            )
        )
    return _render_detail(request, submission, status=409, stale=exc)


@require_POST
@login_required
def submission_return_view(request, pk: int):
    submission = _reviewable_submission(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa trả lại: cần ghi lý do."))
        return _render_detail(request, submission, return_form=form)
    comments = {
        # No NUL: PostgreSQL refuses it in text (a 500); the rest of the comment is kept.
        key.removeprefix("comment-"): value.replace("\x00", "")
        for key, value in request.POST.items()
        if key.startswith("comment-") and len(key) < 60
    }
    version = _seen_version(request)
    try:
        services.submission_return(
            submission=submission,
            by=request.user,
            reason=form.cleaned_data["reason"],
            comments=comments,
            version=version,
        )
    except (services.StaleSubmissionError, services.ConcurrentWriteError) as exc:
        return _review_conflict(request, pk, exc, version)
    except services.SubmissionError as exc:
        messages.error(request, exc.message)
        return _render_detail(request, submission, return_form=form)
    messages.success(request, _("Đã trả lại báo cáo cho %s.") % submission.unit)
    return redirect("reporting:submission_detail", pk=submission.pk)


@require_POST
@login_required
def submission_approve_view(request, pk: int):
    submission = _reviewable_submission(request, pk)
    version = _seen_version(request)
    try:
        services.submission_approve(submission=submission, by=request.user, version=version)
    except (services.StaleSubmissionError, services.ConcurrentWriteError) as exc:
        return _review_conflict(request, pk, exc, version)
    except services.SubmissionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã duyệt báo cáo của %s.") % submission.unit)
    return redirect("reporting:submission_detail", pk=submission.pk)


@require_POST
@login_required
def submission_reopen_view(request, pk: int):
    submission = _reviewable_submission(request, pk)
    form = ReopenForm(request.POST, auto_id=REOPEN_AUTO_ID)
    if not form.is_valid():
        messages.error(request, _("Chưa mở lại: cần ghi lý do."))
        return _render_detail(request, submission, reopen_form=form)
    version = _seen_version(request)
    try:
        services.submission_reopen(
            submission=submission, by=request.user, reason=form.cleaned_data["reason"], version=version
        )
    except (services.StaleSubmissionError, services.ConcurrentWriteError) as exc:
        return _review_conflict(request, pk, exc, version)
    except services.SubmissionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã mở lại báo cáo; đơn vị có thể sửa và gửi lại."))
    return redirect("reporting:submission_detail", pk=submission.pk)


# ---------------------------------------------------------------- history


FIELD_PARTS = {"num": gettext_lazy("tử số"), "den": gettext_lazy("mẫu số")}


def _event_row(event: SubmissionEvent, indicators) -> dict:
    """An event as people read it: the field named, numbers the Vietnamese way, states by their label."""
    by_code = {i.code: i for i in indicators}
    narrative = dict(NARRATIVE_FIELDS)
    label, before, after = event.field, event.before, event.after
    if event.field == "state":
        label = _("Trạng thái")
        before = SubmissionState(before).label if before in SubmissionState.values else before
        after = SubmissionState(after).label if after in SubmissionState.values else after
    elif event.field == "extended_until":
        label = _("Gia hạn đến")
        before, after = _iso_date(before), _iso_date(after)
    elif event.field in narrative:
        label = narrative[event.field]
    elif event.field.startswith("base."):
        key = event.field.removeprefix("base.")
        using = next((i for i in indicators if i.base == key), None)
        label = f"{_('Số liệu nền')} · {using.base_label if using else key}"
        before, after = _number(before), _number(after)
    elif "." in event.field:
        code, _dot, part = event.field.partition(".")
        indicator = by_code.get(code)
        if part.startswith("flag."):
            index = int(part.split(".")[1])
            answers = indicator.answers if indicator else []
            label = f"{code} · {answers[index] if index < len(answers) else part}"
            before, after = _flag(before), _flag(after)
        else:
            label = f"{code} · {FIELD_PARTS.get(part, part)}"
            before, after = _number(before), _number(after)
    elif event.field in by_code:
        label = _("%s · nhận xét") % event.field
    elif not event.field:
        label = event.get_action_display()
    return {"event": event, "label": label, "before": before, "after": after}


def _iso_date(text: str) -> str:
    if not text:
        return ""
    year, month, day = text.split("-")
    return f"{day}/{month}/{year}"


def _flag(text: str) -> str:
    return {"1": str(_("Đạt")), "0": str(_("Chưa đạt"))}.get(text, "")


def _number(text: str) -> str:
    return format_number(Decimal(text), 0) if text else ""


@require_GET
@login_required
def submission_history(request, pk: int):
    submission = _visible_submission(request, pk)
    indicators = services.indicators_for(submission.unit, submission.period)
    events = submission.events.select_related("actor").order_by("at", "pk")
    rows = [_event_row(e, indicators) for e in events]
    # One save writes one event per field: show who, when and what once per save.
    previous_key = None
    for row in rows:
        event = row["event"]
        key = (event.actor_id, event.at, event.action)
        row["first"] = key != previous_key
        previous_key = key
    return render(
        request,
        "reporting/submission_history.html",
        {
            "submission": submission,
            "rows": rows,
            "own": is_unit_officer(request.user) and request.user.unit_id == submission.unit_id,
            "panels": hooks.submission_panels(request, submission, where="history"),
        },
    )


# ---------------------------------------------------------------- review queue


def _queue_context(request, period_code: str | None, state_filter: str) -> dict:
    """Per period, every expected unit and where its report stands (the review queue's content)."""
    periods = list(Period.objects.select_related("plan").order_by("-end", "code"))
    if not periods:
        return {"periods": [], "period": None, "rows": []}
    period = next((p for p in periods if p.code == period_code), None)
    if period is None:
        with_reports = Submission.objects.order_by("-period__end").values_list("period_id", flat=True).first()
        period = next((p for p in periods if p.pk == with_reports), periods[0])
    submissions = {
        s.unit_id: s for s in Submission.objects.filter(period=period).select_related("approved_by", "period")
    }
    rows = []
    counts = {**dict.fromkeys(states.STATE_ORDER, 0), states.LATE: 0}
    # The reviewer's territory only: a province's Sở GD&ĐT the province, a commune's its commune.
    expected = services.expected_units(period)
    territory = territory_q(request.user)
    if territory is not None:
        expected = expected.filter(territory)
    for unit in expected.order_by("order", "name"):
        submission = submissions.get(unit.pk)
        badge = state_badge(submission, period)
        counts[badge["state"]] += 1
        counts[states.LATE] += 1 if badge["late"] else 0
        # The extension date as the reviewer types it: dd/mm/yyyy text (never the browser's picker).
        until = submission.extended_until.strftime("%d/%m/%Y") if submission and submission.extended_until else ""
        rows.append({"unit": unit, "submission": submission, "badge": badge, "until": until, "until_errors": []})
    if state_filter in counts:
        rows = [
            r
            for r in rows
            if r["badge"]["state"] == state_filter or (state_filter == states.LATE and r["badge"]["late"])
        ]
    return {
        "periods": periods,
        "period": period,
        "rows": rows,
        "counts": counts,
        "expected": sum(counts[s] for s in states.STATE_ORDER),
        # The filter tabs: each state, then the late ones, in the words of reporting.states.
        "tabs": [
            *[
                (state, states.state_label(state), counts[state])
                for state in (
                    SubmissionState.SUBMITTED,
                    SubmissionState.RETURNED,
                    SubmissionState.APPROVED,
                    SubmissionState.DRAFT,
                    states.NOT_STARTED,
                )
            ],
            (states.LATE, str(states.TIMELINESS_LABELS[states.LATE]), counts[states.LATE]),
        ],
        "state_filter": state_filter,
        "reviewer": can_review(request.user),
    }


@require_GET
@login_required
def review_queue(request):
    """Per period, every expected unit and where its report stands."""
    require(sees_all_units(request.user))
    context = _queue_context(request, request.GET.get("period"), request.GET.get("state", ""))
    return render(request, "reporting/review_queue.html", context)


@require_POST
@login_required
def submission_extend_view(request, period_code: str, unit_code: str):
    require(sees_all_units(request.user))
    period = get_object_or_404(Period, code=period_code)
    expected = services.expected_units(period)
    territory = territory_q(request.user)
    unit = get_object_or_404(expected.filter(territory) if territory is not None else expected, code=unit_code)
    require(can_review(request.user))
    form = ExtendForm(request.POST)
    target = reverse("reporting:review_queue") + f"?period={period.code}"
    if not form.is_valid():
        # The queue again with the typed date still in the unit's row and the reason beside it.
        context = _queue_context(request, period.code, "")
        errors = [str(e) for errs in form.errors.values() for e in errs]
        for row in context["rows"]:
            if row["unit"].pk == unit.pk:
                row["until"] = request.POST.get("until", "")
                row["until_errors"] = errors
        context["error_message"] = _("Chưa gia hạn cho %(unit)s: %(errors)s") % {
            "unit": unit,
            "errors": "; ".join(errors),
        }
        context["error_field"] = f"until-{unit.code}"
        return render(request, "reporting/review_queue.html", context, status=400)
    try:
        services.submission_extend(
            unit=unit,
            period=period,
            by=request.user,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
    except services.SubmissionError as exc:
        messages.error(request, f"{unit}: {exc.message}")
    else:
        messages.success(
            request,
            _("Đã gia hạn cho %(unit)s đến %(date)s.")
            % {"unit": unit, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
        )
    return redirect(target)


# ---------------------------------------------------------------- home and menu


@register_nav_items
def _nav(request) -> list[dict]:
    items = []
    if is_unit_officer(request.user):
        items.append({"url": reverse("reporting:submission_list"), "label": pgettext("menu", "Báo cáo")})
    if can_review(request.user):
        items.append({"url": reverse("reporting:review_queue"), "label": pgettext("menu", "Duyệt báo cáo")})
    return items


def _next_step(rows: list[dict], today) -> dict | None:
    """The report the unit should open now: the first one open for entry and not yet sent."""
    for row in rows:
        submission, period = row["submission"], row["period"]
        if services.entry_closed_reason(submission, period, today) is not None:
            continue
        if submission is not None and submission.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
            continue
        deadline = (submission.deadline if submission else period.due).strftime("%d/%m/%Y")
        if submission is None:
            text = _("Bắt đầu báo cáo %(period)s — hạn %(date)s")
        elif submission.state == SubmissionState.RETURNED:
            text = _("Sửa báo cáo %(period)s bị trả lại — hạn %(date)s")
        else:
            text = _("Tiếp tục báo cáo %(period)s — hạn %(date)s")
        return {"text": text % {"period": period.display_label, "date": deadline}, "period": period}
    return None


@register_home_context
def _home(request) -> dict:
    user = request.user
    context: dict = {}
    if is_unit_officer(user):
        unit = user.unit
        periods = list(Period.objects.filter(pk__in=_periods_for_unit(unit)).order_by("-end", "code"))
        submissions = {s.period_id: s for s in Submission.objects.filter(unit=unit).select_related("period")}
        rows = [
            {"period": p, "submission": submissions.get(p.pk), "badge": state_badge(submissions.get(p.pk), p)}
            for p in periods
        ]
        # What needs the officer first (open for entry, returned), then the reports it has, latest first.
        today = timezone.localdate()
        rows.sort(
            key=lambda row: (
                services.entry_closed_reason(row["submission"], row["period"], today) is not None,
                row["submission"] is None,
                -row["period"].end.toordinal(),
            )
        )
        context["reporting_own_reports"] = rows[:5]
        context["reporting_next_step"] = _next_step(rows, today)
    if can_review(user):
        context["reporting_waiting"] = (
            Submission.objects.filter(state=SubmissionState.SUBMITTED)
            .values("period__code", "period__label", "period__end")
            .annotate(count=Count("pk"))
            .order_by("-period__end")
        )
    return context


urlpatterns = [
    path("reports/", submission_list, name="submission_list"),
    path("reports/review/", review_queue, name="review_queue"),
    path("reports/review/<str:period_code>/<str:unit_code>/extend/", submission_extend_view, name="submission_extend"),
    path("reports/view/<int:pk>/", submission_detail, name="submission_detail"),
    path("reports/view/<int:pk>/history/", submission_history, name="submission_history"),
    path("reports/view/<int:pk>/return/", submission_return_view, name="submission_return"),
    path("reports/view/<int:pk>/approve/", submission_approve_view, name="submission_approve"),
    path("reports/view/<int:pk>/reopen/", submission_reopen_view, name="submission_reopen"),
    path("reports/period/<str:period_code>/", submission_edit, name="submission_edit"),
    path("reports/period/<str:period_code>/excel/", submission_template, name="submission_template"),
    path("reports/period/<str:period_code>/upload/", submission_upload, name="submission_upload"),
]
