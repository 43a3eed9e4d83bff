"""Registers, score sheets, the review queue, decisions, certificates and the recognised list.

Every object is fetched through ``.visible_to(user)`` (outsider → 404); changes also need
``can_edit_unit`` (the commune's own officer) or ``can_decide_nominations`` (→ 403).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recognition import exports, importer
from recognition.certificates import certificates_pdf
from recognition.forms import (
    DecisionForm,
    ImportForm,
    NominationForm,
    RecognisedFilterForm,
    RegisterOpenForm,
    ScoreSheetForm,
    WithdrawForm,
    year_choices,
)
from recognition.jobs import (
    certificates_filename,
    certificates_in_background,
    decision_nominations,
    import_in_background,
)
from recognition.models import (
    WITHDRAWABLE_STATES,
    CriteriaSet,
    Decision,
    Nomination,
    NominationState,
    NomineeKind,
    Register,
    Title,
)
from recognition.services import (
    REASON_MAX,
    DecisionData,
    RecognitionError,
    check_scorable,
    criteria_set_for,
    default_issuer,
    nomination_add,
    nomination_score,
    nomination_withdraw,
    nominations_import,
    register_decide,
    register_open,
    register_submit,
)
from recognition.village_views import may_print_village_lists, village_rows
from targets.numbers import format_number
from units.models import TERRITORIAL_COMMUNE_KINDS, Unit
from xhht_portal import vietnamese
from xhht_portal.access import can_decide_nominations, can_edit_unit, is_unit_officer, require
from xhht_portal.jobs import job_start

# Printed on a Vietnamese decision and certificate: data, not interface text, so not translated.
DEFAULT_SIGNER_TITLE = "Chủ tịch"

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def by_name(field: str = "name"):
    """Vietnamese order: ICU "vi-x-icu" on PostgreSQL; on SQLite the nominee's stored sort key
    (``vietnamese.sort_key``), or the plain column for other names (villages)."""
    if field == "name":
        return vietnamese.order_by_name("name", "sort_key")
    return vietnamese.collate(field)


def nominee_order():
    """One order for every list, export and PDF of nominees: village, then name, Vietnamese order."""
    return ("village__order", by_name("village__name"), by_name(), "pk")


def search_names(queryset, q: str, prefix: str = ""):
    """Names matching ``q`` with or without diacritics ("dang van" finds "Đặng Văn"; "Hoà" finds
    "Hòa"); when ``q`` has diacritics the exact spellings come first. Returns (queryset, rank)."""
    folded = vietnamese.fold(q)
    if not folded:
        return queryset, None
    queryset = queryset.filter(**{f"{prefix}search_key__contains": folded})
    if not vietnamese.has_diacritics(q):
        return queryset, None
    rank = Case(
        When(**{f"{prefix}dedup_key__contains": vietnamese.same_key(q)}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank), "search_rank"


# ---- access -------------------------------------------------------------------------------


def _register(request, pk: int, *, edit: bool = False, decide: bool = False) -> Register:
    register = get_object_or_404(Register.objects.visible_to(request.user).select_related("commune", "title"), pk=pk)
    if edit:
        require(can_edit_unit(request.user, register.commune))
    if decide:
        require(can_decide_nominations(request.user))
    return register


def _nomination(request, pk: int, *, edit: bool = False) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "register__commune", "register__title", "village", "decision", "criteria_set"
        ),
        pk=pk,
    )
    if edit:
        require(can_edit_unit(request.user, nomination.register.commune))
    return nomination


def _typed(text: str, limit: int | None = None) -> str:
    """Text typed outside a form, as it is searched or stored: no NUL (PostgreSQL refuses it in
    text, a 500), trimmed, at most ``limit`` characters (None: whole, for a text that is refused
    with a message when too long rather than cut)."""
    text = text.replace("\x00", "").strip()
    return text[:limit] if limit is not None else text


def _posted(request):
    """The POST data, or None on GET: an empty POST is still a submitted (and invalid) form."""
    return request.POST if request.method == "POST" else None


def _state_counts(queryset) -> dict[str, int]:
    counts = dict(queryset.values_list("state").annotate(n=Count("pk")).order_by())
    return {state: counts.get(state, 0) for state in NominationState.values}


# ---- registers ----------------------------------------------------------------------------


def _can_open(user) -> bool:
    return is_unit_officer(user) and user.unit.kind in TERRITORIAL_COMMUNE_KINDS


def _registers_page(request, open_form=None):
    user = request.user
    visible = Register.objects.visible_to(user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    # Matched as text against the years there are: "²" passes isdigit() but not int(), and a
    # 5000-digit year is more than int() reads (both were a 500).
    asked = request.GET.get("year", "")
    year = next((y for y in years if str(y) == asked), years[0] if years else None)
    rows = (
        visible.filter(year=year)
        .select_related("commune", "title")
        .annotate(
            total=Count("nominations"),
            scored=Count("nominations", filter=Q(nominations__state=NominationState.SCORED)),
            pending=Count("nominations", filter=Q(nominations__state=NominationState.SUBMITTED)),
            approved=Count("nominations", filter=Q(nominations__state=NominationState.APPROVED)),
            refused=Count("nominations", filter=Q(nominations__state=NominationState.REFUSED)),
        )
        .order_by("commune__order", by_name("commune__name"), "title__order", "title")
    )
    if open_form is None and _can_open(user):
        open_form = RegisterOpenForm()
    return render(
        request, "recognition/registers.html", {"rows": rows, "years": years, "year": year, "open_form": open_form}
    )


@require_GET
@login_required
def registers(request):
    return _registers_page(request)


@require_POST
@login_required
def register_open_view(request):
    user = request.user
    require(_can_open(user))
    form = RegisterOpenForm(request.POST)
    if form.is_valid():
        try:
            register = register_open(
                commune=user.unit, title=form.cleaned_data["title"], year=form.cleaned_data["year"], by=user
            )
        except RecognitionError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("recognition:register", pk=register.pk)
    return _registers_page(request, open_form=form)


@require_GET
@login_required
def register_detail(request, pk: int):
    register = _register(request, pk)
    nominations = register.nominations.select_related("village")
    q = _typed(request.GET.get("q", ""), 100)
    nominations, rank = search_names(nominations, q) if q else (nominations, None)
    nominations = nominations.order_by(*([rank] if rank else []), *nominee_order())
    page = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = can_edit_unit(request.user, register.commune)
    return render(
        request,
        "recognition/register_detail.html",
        {
            "register": register,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "counts": _state_counts(register.nominations.all()),
            "editable": editable,
            "can_decide": can_decide_nominations(request.user),
            "add_form": NominationForm(register=register) if editable else None,
            "decisions": register.decisions.all(),
            "village_lists": village_rows(register)
            if register.nominee_kind not in (NomineeKind.VILLAGE, NomineeKind.COMMUNE)
            and may_print_village_lists(request.user, register)
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def nomination_add_view(request, pk: int):
    register = _register(request, pk, edit=True)
    form = NominationForm(_posted(request), register=register)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_add(
                register=register,
                name=form.cleaned_data.get("name", ""),
                village=form.cleaned_data.get("village"),
                note=form.cleaned_data.get("note", ""),
                by=request.user,
            )
        except RecognitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm “%(name)s” vào sổ đăng ký.") % {"name": nomination.name})
            return redirect("recognition:register", pk=register.pk)
    return render(request, "recognition/nomination_add.html", {"register": register, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def register_import(request, pk: int):
    register = _register(request, pk, edit=True)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        rows = importer.count_data_rows(form.cleaned_data["file"])
        if import_in_background(rows):
            job = job_start(
                kind="nominations_import",
                owner=request.user,
                title=_("Nhập danh sách (%(rows)s dòng) · %(register)s")
                % {"rows": format_number(rows, 0), "register": register},
                params={"register": register.pk, "rows": rows, "language": get_language()},
                upload=form.cleaned_data["file"],
            )
            return redirect(job)
        result = importer.read_workbook(form.cleaned_data["file"], register)
        if result.ok:
            try:
                count = nominations_import(register=register, rows=result.rows, by=request.user)
            except RecognitionError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("Đã nhập %(count)s đề nghị vào sổ đăng ký.") % {"count": count})
                return redirect("recognition:register", pk=register.pk)
        else:
            form.add_error("file", _("Tệp có lỗi; chưa lưu dòng nào. Sửa các lỗi dưới đây rồi nhập lại."))
    return render(
        request,
        "recognition/import.html",
        {"register": register, "form": form, "result": result, "columns": importer.columns(register)},
        status=200,
    )


@require_GET
@login_required
def import_template(request, pk: int):
    register = _register(request, pk, edit=True)
    response = HttpResponse(importer.template_workbook(register), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-danh-sach-{register.title_id}-{register.year}.xlsx"'
    return response


@require_POST
@login_required
def register_submit_view(request, pk: int):
    register = _register(request, pk, edit=True)
    try:
        count = register_submit(register=register, by=request.user)
    except RecognitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã gửi %(count)s đề nghị để duyệt.") % {"count": count})
    return redirect("recognition:register", pk=register.pk)


# ---- score sheets -------------------------------------------------------------------------


def _criteria_set(nomination: Nomination) -> CriteriaSet | None:
    criteria_set = nomination.criteria_set
    if criteria_set is None:
        try:
            criteria_set = criteria_set_for(nomination.register)
        except RecognitionError:
            return None
    return CriteriaSet.objects.prefetch_related("criteria__items", "levels").get(pk=criteria_set.pk)


def _sheet(nomination: Nomination) -> dict[int, object]:
    """Item → points, or met (True/False) on a pass/fail sheet."""
    return {
        item: met if met is not None else points
        for item, points, met in nomination.scores.values_list("item_id", "points", "met")
    }


def _nomination_page(request, nomination: Nomination, withdraw_form=None, status: int = 200):
    can_edit = can_edit_unit(request.user, nomination.register.commune)
    withdrawable = can_edit and nomination.state in WITHDRAWABLE_STATES
    return render(
        request,
        "recognition/nomination_detail.html",
        {
            "nomination": nomination,
            "register": nomination.register,
            "criteria_set": _criteria_set(nomination),
            "points": _sheet(nomination),
            "events": nomination.events.select_related("by"),
            "editable": nomination.editable and can_edit,
            "withdraw_form": (withdraw_form or WithdrawForm()) if withdrawable else None,
        },
        status=status,
    )


@require_GET
@login_required
def nomination_detail(request, pk: int):
    return _nomination_page(request, _nomination(request, pk))


@require_POST
@login_required
def nomination_withdraw_view(request, pk: int):
    nomination = _nomination(request, pk, edit=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            nomination_withdraw(nomination=nomination, by=request.user, reason=form.cleaned_data["reason"])
        except RecognitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã rút đề nghị “%(name)s”.") % {"name": nomination.name})
            return redirect("recognition:nomination", pk=nomination.pk)
    nomination.refresh_from_db(fields=["state"])
    if nomination.state not in WITHDRAWABLE_STATES:
        messages.error(request, _("Đề nghị đã có quyết định hoặc đã rút; không rút được nữa."))
        return redirect("recognition:nomination", pk=nomination.pk)
    return _nomination_page(request, nomination, withdraw_form=form, status=200)


@require_http_methods(["GET", "POST"])
@login_required
def nomination_score_view(request, pk: int):
    nomination = _nomination(request, pk, edit=True)
    register = nomination.register
    criteria_set = _criteria_set(nomination)
    if not nomination.editable or criteria_set is None:
        messages.error(
            request,
            _("Đề nghị đã gửi duyệt hoặc đã có kết quả; không sửa điểm được nữa.")
            if criteria_set
            else _("Chưa có bộ tiêu chí áp dụng cho năm này; xin báo quản trị viên."),
        )
        return redirect("recognition:nomination", pk=nomination.pk)
    try:
        check_scorable(criteria_set)
    except RecognitionError as exc:
        messages.error(request, str(exc))
        return redirect("recognition:nomination", pk=nomination.pk)
    form = ScoreSheetForm(_posted(request), criteria_set=criteria_set, initial_points=_sheet(nomination))
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_score(nomination=nomination, points=form.points, by=request.user)
        except RecognitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu phiếu chấm điểm của “%(name)s”.") % {"name": nomination.name})
            return redirect("recognition:register", pk=register.pk)
    return render(
        request,
        "recognition/score.html",
        {"nomination": nomination, "register": register, "criteria_set": criteria_set, "form": form},
    )


# ---- review -------------------------------------------------------------------------------


@require_GET
@login_required
def queue(request):
    require(can_decide_nominations(request.user))
    rows = (
        Register.objects.visible_to(request.user)
        .filter(nominations__state=NominationState.SUBMITTED)
        .select_related("commune", "title")
        .annotate(
            pending=Count("nominations", filter=Q(nominations__state=NominationState.SUBMITTED)),
            passing=Count(
                "nominations", filter=Q(nominations__state=NominationState.SUBMITTED, nominations__passed=True)
            ),
            last_submitted=Max("submitted_at"),
        )
        .order_by("year", "commune__order", by_name("commune__name"), "title__order", "title")
    )
    return render(request, "recognition/queue.html", {"rows": rows})


REVIEW_RESULTS = {"passed": True, "failed": False}


def _review_filter(register: Register, params) -> tuple[object, dict[str, str], list]:
    """The pending nominees of the register matching the review filter (village, score result)."""
    pending = register.nominations.filter(state=NominationState.SUBMITTED)
    villages = list(
        Unit.objects.filter(pk__in=pending.exclude(village=None).values("village_id")).order_by(
            "order", vietnamese.collate("name")
        )
    )
    chosen = {"village": "", "result": ""}
    village = params.get("village", "")
    # Matched as text against the villages offered: "²" passes isdigit() but not int() (a 500).
    if any(str(v.pk) == village for v in villages):
        pending = pending.filter(village_id=int(village))
        chosen["village"] = village
    result = params.get("result", "")
    if result in REVIEW_RESULTS:
        pending = pending.filter(passed=REVIEW_RESULTS[result])
        chosen["result"] = result
    return pending, chosen, villages


@require_http_methods(["GET", "POST"])
@login_required
def register_review(request, pk: int):
    """Review a register's pending nominees, a page of 100 at a time, filtered by village and
    score result; decide the rows of the page one by one, or every nominee on the filter at once.

    Approvals of several batches with the same decision number and date join one decision.
    """
    register = _register(request, pk, decide=True)
    params = request.POST if request.method == "POST" else request.GET
    filtered, chosen, villages = _review_filter(register, params)
    page = Paginator(filtered.select_related("village").order_by(*nominee_order()), PAGE_SIZE).get_page(
        params.get("page")
    )
    total_pending = register.nominations.filter(state=NominationState.SUBMITTED).count()
    form = DecisionForm(
        _posted(request),
        register=register,
        initial={
            "signer_title": register.title.signer_title or DEFAULT_SIGNER_TITLE,
            "issuer": default_issuer(register),
        },
    )
    choices: dict[int, str] = {}
    reasons: dict[int, str] = {}
    row_errors: dict[int, str] = {}
    bulk = params.get("bulk", "") if request.method == "POST" else ""
    bulk = bulk if bulk in ("approve_all", "refuse_all") else ""
    bulk_reason = _typed(request.POST.get("bulk_reason", "")) if request.method == "POST" else ""
    too_long = _("Lý do dài quá %(limit)s ký tự.") % {"limit": REASON_MAX}
    bulk_error = ""
    if request.method == "POST":
        for nomination in page.object_list:
            choice = request.POST.get(f"action_{nomination.pk}", "")
            choices[nomination.pk] = choice if choice in ("approve", "refuse") else ""
            reasons[nomination.pk] = _typed(request.POST.get(f"reason_{nomination.pk}", ""))
            if choices[nomination.pk] == "refuse" and not reasons[nomination.pk]:
                row_errors[nomination.pk] = _("Cần ghi lý do không công nhận; xã sẽ thấy lý do này.")
            elif choices[nomination.pk] == "refuse" and len(reasons[nomination.pk]) > REASON_MAX:
                # Refused whole, never cut: the text stays in the box to be shortened.
                row_errors[nomination.pk] = too_long
        approve = [pk for pk, c in choices.items() if c == "approve"]
        refuse = {pk: reasons[pk] for pk, c in choices.items() if c == "refuse"}
        if bulk:
            # Every nominee on the filter, on every page, that was not decided row by row above.
            rest = [pk for pk in filtered.values_list("pk", flat=True) if pk not in choices or not choices[pk]]
            if bulk == "approve_all":
                approve += rest
            elif not bulk_reason:
                bulk_error = _("Cần ghi lý do chung khi không công nhận tất cả đề nghị theo bộ lọc.")
            elif len(bulk_reason) > REASON_MAX:
                bulk_error = too_long
            else:
                refuse.update(dict.fromkeys(rest, bulk_reason))
        form_ok = form.is_valid()
        if approve:
            form.require_all()
            form_ok = not form.errors
        if bulk_error:
            form.add_error(None, bulk_error)
        elif not approve and not refuse:
            form.add_error(None, _("Chưa chọn đề nghị nào để công nhận hoặc không công nhận."))
        elif form_ok and not row_errors:
            data = form.cleaned_data
            try:
                decision = register_decide(
                    register=register,
                    by=request.user,
                    approve=approve,
                    refuse=refuse,
                    decision=DecisionData(
                        number=data["number"],
                        date=data["date"],
                        signer_title=data["signer_title"],
                        signer_name=data["signer_name"],
                        issuer=data.get("issuer") or default_issuer(register),
                    )
                    if approve
                    else None,
                )
            except RecognitionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Đã công nhận %(approved)s, không công nhận %(refused)s đề nghị.")
                    % {"approved": len(approve), "refused": len(refuse)},
                )
                if decision:
                    return redirect("recognition:decision", pk=decision.pk)
                if register.nominations.filter(state=NominationState.SUBMITTED).exists():
                    query = urlencode({k: v for k, v in chosen.items() if v})
                    target = redirect("recognition:register_review", pk=register.pk)
                    target["Location"] += f"?{query}" if query else ""
                    return target
                return redirect("recognition:register", pk=register.pk)
    rows = [
        {
            "nomination": n,
            "choice": choices.get(n.pk, ""),
            "reason": reasons.get(n.pk, ""),
            "error": row_errors.get(n.pk, ""),
        }
        for n in page.object_list
    ]
    # Row errors join the form's in the error summary at the top, each a link to its reason field.
    row_error_items = [
        {"href": f"#reason_{row['nomination'].pk}", "label": row["nomination"].name, "message": row["error"]}
        for row in rows
        if row["error"]
    ]
    return render(
        request,
        "recognition/review.html",
        {
            "register": register,
            "rows": rows,
            "page": page,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "chosen": chosen,
            "villages": villages,
            "filtered_count": page.paginator.count,
            "total_pending": total_pending,
            "bulk": bulk,
            "bulk_reason": bulk_reason,
            "form": form,
            "row_errors": row_errors,
            "row_error_items": row_error_items,
        },
    )


# ---- decisions and certificates -----------------------------------------------------------


@require_GET
@login_required
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related("register__commune", "register__title", "created_by"),
        pk=pk,
    )
    nominations = decision.nominations.select_related("village").order_by(*nominee_order())
    page = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = (
        decision.register.nominations.filter(state=NominationState.SUBMITTED).count()
        if can_decide_nominations(request.user)
        else 0
    )
    return render(request, "recognition/decision_detail.html", {"decision": decision, "page": page, "pending": pending})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def decision_certificates(request, pk: int):
    """GET: the PDF at once for a small decision, else a page offering to make it in the background.
    POST: make it in the background (a job with a progress page, then a download)."""
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related("register__commune", "register__title"), pk=pk
    )
    if request.method == "POST":
        job = job_start(
            kind="decision_certificates",
            owner=request.user,
            title=_("Giấy công nhận · Quyết định số %(number)s") % {"number": decision.number},
            params={"decision": decision.pk},
        )
        return redirect(job)
    count = decision.nominations.count()
    if certificates_in_background(count):
        return render(request, "recognition/certificates_start.html", {"decision": decision, "count": count})
    return _pdf(certificates_pdf(decision_nominations(decision)), certificates_filename(decision))


@require_GET
@login_required
def nomination_certificate(request, pk: int):
    nomination = _nomination(request, pk)
    if nomination.state != NominationState.APPROVED or nomination.decision is None:
        return render(request, "recognition/no_certificate.html", {"nomination": nomination}, status=404)
    return _pdf(certificates_pdf([nomination]), f"giay-cong-nhan-{nomination.pk}.pdf")


# ---- titles and criteria ------------------------------------------------------------------


@require_GET
@login_required
def titles(request):
    """Every title with who nominates and recognises, how long it stays in force, and its
    criteria sets item by item, each marked where it is not checked against the original text.
    Public reference data: every signed-in user may read it (an administrator edits it)."""
    from django.db.models import Prefetch

    rows = Title.objects.prefetch_related(
        Prefetch(
            "criteria_sets",
            queryset=CriteriaSet.objects.prefetch_related("levels", "criteria__items").order_by("-valid_from"),
        )
    )
    return render(request, "recognition/titles.html", {"titles": rows})


# ---- recognised list ----------------------------------------------------------------------


def _recognised(request):
    user = request.user
    base = Nomination.objects.recognised().visible_to(user)
    years = [y for y, _label in year_choices()]
    form = RecognisedFilterForm(request.GET or None, user=user, years=years)
    queryset = base.select_related("register__commune", "register__title", "village", "decision")
    if form.is_bound:
        form.is_valid()  # invalid filters are dropped and reported beside the field
    data = getattr(form, "cleaned_data", {}) or {}
    if data.get("year"):
        queryset = queryset.filter(register__year=data["year"])
    if data.get("title"):
        queryset = queryset.filter(register__title=data["title"])
    if data.get("commune"):
        queryset = queryset.filter(register__commune=data["commune"])
    if data.get("village"):
        queryset = queryset.filter(village=data["village"])
    rank = None
    if data.get("q"):
        queryset, rank = search_names(queryset, data["q"])
    queryset = queryset.order_by(
        *([rank] if rank else []),
        "-register__year",
        "register__commune__order",
        "register__title__order",
        "register__title",
        *nominee_order(),
    )
    return form, queryset


@require_GET
@login_required
def recognised(request):
    form, queryset = _recognised(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recognition/recognised.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
@login_required
def recognised_export(request):
    _form, queryset = _recognised(request)
    response = HttpResponse(exports.recognised_workbook(queryset.iterator(chunk_size=2000)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-duoc-cong-nhan.xlsx"'
    return response
