"""Every change to registers, nominations and decisions goes through these functions.

Each runs inside ``transaction.atomic`` and raises ``RecognitionError`` whose message is safe to
show; views and tests call them, never set ``state`` directly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from recognition.models import (
    EDITABLE_STATES,
    WITHDRAWABLE_STATES,
    CriteriaSet,
    CriterionItem,
    Decision,
    EventAction,
    Nomination,
    NominationEvent,
    NominationState,
    NomineeKind,
    Register,
    Score,
    Title,
    dedup_key,
)
from reporting.signals import recognitions_changed
from units.models import TERRITORIAL_COMMUNE_KINDS, Unit, UnitKind
from xhht_portal import vietnamese


class RecognitionError(Exception):
    """A refused change; the message is shown to the person as is."""


def clean_name(text: str) -> str:
    """NFC, single spaces, no leading or trailing space: how a name is stored and shown."""
    return vietnamese.clean(text)


def name_key(text: str) -> str:
    """What two spellings of one name share: NFC/NFD, spaces, case and tone placement."""
    return vietnamese.same_key(text)


def _event(nomination: Nomination, action: str, by, reason: str = "") -> NominationEvent:
    return NominationEvent(nomination=nomination, action=action, state=nomination.state, by=by, reason=reason)


def register_open(*, commune: Unit, title: str, year: int, by) -> Register:
    """The register of a title for a year, created the first time it is asked for."""
    if commune.kind not in TERRITORIAL_COMMUNE_KINDS:
        raise RecognitionError(_("Chỉ xã, thị trấn mới có sổ đăng ký danh hiệu."))
    code = title.code if isinstance(title, Title) else title
    title = Title.objects.active().filter(code=code).first()
    if title is None:
        raise RecognitionError(_("Danh hiệu không hợp lệ."))
    with transaction.atomic():
        register, _created = Register.objects.get_or_create(commune=commune, title=title, year=year)
    return register


def _check_village(register: Register, village: Unit | None) -> None:
    if village is not None and (village.parent_id != register.commune_id or village.kind != UnitKind.VILLAGE):
        raise RecognitionError(_("Thôn, bản, khu này không thuộc xã của sổ đăng ký."))
    if village is None and register.needs_village:
        raise RecognitionError(_("Cần chọn thôn, bản, khu."))
    if village is not None and not register.title.takes_village:
        raise RecognitionError(_("Danh hiệu này không chọn thôn, bản, khu."))


def nomination_add(*, register: Register, name: str, village: Unit | None, note: str = "", by) -> Nomination:
    """Register one nominee by hand."""
    kind = register.nominee_kind
    if kind == NomineeKind.VILLAGE and village is not None:
        name = village.name
    elif kind == NomineeKind.COMMUNE:
        name, village = register.commune.name, None
    name = clean_name(name)
    if not name:
        raise RecognitionError(_("Cần nhập tên."))
    _check_village(register, village)
    key = dedup_key(name, village.pk if village else None)
    try:
        with transaction.atomic():
            if Nomination.objects.filter(register=register, dedup_key=key).exists():
                raise RecognitionError(
                    _("“%(name)s” đã có trong sổ đăng ký năm %(year)s.") % {"name": name, "year": register.year}
                )
            nomination = Nomination.objects.create(
                register=register, name=name, dedup_key=key, village=village, note=clean_name(note)
            )
            _event(nomination, EventAction.ADDED, by).save()
    except IntegrityError as exc:  # a second person added the same name at the same moment
        raise RecognitionError(_("“%(name)s” đã có trong sổ đăng ký.") % {"name": name}) from exc
    return nomination


@dataclass
class ImportRow:
    row: int
    name: str
    village: Unit | None
    note: str = ""


IMPORT_BATCH = 1000


def nominations_import(
    *, register: Register, rows: list[ImportRow], by, progress: Callable[[int], None] | None = None
) -> int:
    """Save a checked list in one go: all rows or none.

    ``progress(rows_saved)`` is called after each batch of ``IMPORT_BATCH`` rows (the background
    import's bar), inside the one transaction.
    """
    nominations = [
        Nomination(register=register, name=row.name, village=row.village, note=row.note).refresh_keys() for row in rows
    ]
    created: list[Nomination] = []
    try:
        with transaction.atomic():
            for start in range(0, len(nominations), IMPORT_BATCH):
                batch = Nomination.objects.bulk_create(nominations[start : start + IMPORT_BATCH])
                if batch and batch[0].pk is None:  # backends without RETURNING: fetch the ids back
                    by_key = dict(
                        Nomination.objects.filter(
                            register=register, dedup_key__in=[n.dedup_key for n in batch]
                        ).values_list("dedup_key", "pk")
                    )
                    for nomination in batch:
                        nomination.pk = by_key[nomination.dedup_key]
                NominationEvent.objects.bulk_create([_event(n, EventAction.IMPORTED, by) for n in batch])
                created.extend(batch)
                if progress is not None:
                    progress(len(created))
    except IntegrityError as exc:
        raise RecognitionError(
            _("Một số tên vừa được người khác thêm vào sổ; không có dòng nào được lưu, xin nhập lại tệp.")
        ) from exc
    return len(created)


def check_scorable(criteria_set: CriteriaSet) -> None:
    """A points set with a maximum not yet known cannot be scored: say which, never guess."""
    missing = criteria_set.missing_points
    if missing:
        raise RecognitionError(
            _(
                "Bộ tiêu chí “%(name)s” chưa đủ số điểm (nội dung %(items)s chưa rõ điểm tối đa trong văn bản gốc); "
                "quản trị viên cần bổ sung trước khi chấm điểm."
            )
            % {"name": criteria_set.name, "items": ", ".join(missing)}
        )


def criteria_set_for(register: Register) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.in_force(register.title, register.year)
    if criteria_set is None:
        raise RecognitionError(
            _("Chưa có bộ tiêu chí của danh hiệu này áp dụng cho năm %(year)s; xin báo quản trị viên.")
            % {"year": register.year}
        )
    return criteria_set


@dataclass
class Evaluation:
    total: Decimal | None
    passed: bool
    level: int | None = None


def evaluate(criteria_set: CriteriaSet, points: dict[int, Decimal | bool]) -> Evaluation:
    """Total, pass/fail and level of a score sheet under the set's rule.

    Points: the total must reach the pass mark, no criterion below its floor (or below the set's
    share of its maximum), no item below its floor or the set's floor per item (QĐ 324/QĐ-KHVN:
    80/100 with no index below 5). Pass/fail: a level is reached when every item that applies to
    it is met; the result is the highest level reached.
    """
    criteria = list(criteria_set.criteria.all())
    if criteria_set.is_pass_fail:
        items = [item for criterion in criteria for item in criterion.items.all()]
        numbers = sorted(level.number for level in criteria_set.levels.all()) or [1]
        reached = [
            number
            for number in numbers
            if all(bool(points.get(item.pk)) for item in items if item.level in (None, number))
        ]
        level = max(reached) if reached else None
        return Evaluation(total=None, passed=level is not None, level=level)
    total = Decimal(0)
    passed = True
    for criterion in criteria:
        subtotal = Decimal(0)
        for item in criterion.items.all():
            value = Decimal(points.get(item.pk, Decimal(0)))
            subtotal += value
            for floor in (item.min_points, criteria_set.min_item_points):
                if floor is not None and value < floor:
                    passed = False
        total += subtotal
        if criterion.min_points is not None and subtotal < criterion.min_points:
            passed = False
        share = criteria_set.min_per_criterion_share
        if share is not None and criterion.max_points and subtotal * 100 < share * criterion.max_points:
            passed = False
    if criteria_set.pass_mark is not None and total < criteria_set.pass_mark:
        passed = False
    return Evaluation(total=total, passed=passed)


def nomination_score(*, nomination: Nomination, points: dict[int, Decimal | bool], by) -> Nomination:
    """Fill in the score sheet: points (or met / not met) per item, the total, pass/fail and level."""
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("register")
            .order_by()
            .get(pk=nomination.pk)
        )
        if nomination.state not in EDITABLE_STATES:
            raise RecognitionError(_("Đề nghị đã gửi duyệt hoặc đã có kết quả; không sửa điểm được nữa."))
        criteria_set = nomination.criteria_set or criteria_set_for(nomination.register)
        criteria_set = CriteriaSet.objects.prefetch_related("criteria__items", "levels").get(pk=criteria_set.pk)
        check_scorable(criteria_set)
        items = {item.pk: item for item in CriterionItem.objects.filter(criterion__criteria_set=criteria_set)}
        if set(points) != set(items):
            raise RecognitionError(_("Phiếu chấm phải có điểm của mọi nội dung."))
        for item_pk, value in points.items():
            if criteria_set.is_pass_fail:
                if not isinstance(value, bool):
                    raise RecognitionError(_("Mỗi chỉ tiêu chỉ ghi đạt hoặc chưa đạt."))
            elif isinstance(value, bool) or value < 0 or value > items[item_pk].max_points:
                raise RecognitionError(_("Điểm phải từ 0 đến điểm tối đa của nội dung."))
        Score.objects.filter(nomination=nomination).delete()
        Score.objects.bulk_create(
            [
                Score(nomination=nomination, item_id=pk, met=v)
                if criteria_set.is_pass_fail
                else Score(nomination=nomination, item_id=pk, points=v)
                for pk, v in points.items()
            ]
        )
        result = evaluate(criteria_set, points)
        nomination.total_points, nomination.passed, nomination.level = result.total, result.passed, result.level
        nomination.criteria_set = criteria_set
        nomination.state = NominationState.SCORED
        nomination.save(update_fields=["total_points", "passed", "level", "criteria_set", "state"])
        if criteria_set.is_pass_fail:
            reason = _("Đạt mức độ %(level)s") % {"level": result.level} if result.level else _("Chưa đạt mức độ nào")
        else:
            reason = _("Tổng điểm %(total)s") % {"total": nomination.total_points}
        _event(nomination, EventAction.SCORED, by, reason=reason).save()
    return nomination


REASON_MAX = 1000


def nomination_withdraw(*, nomination: Nomination, by, reason: str) -> Nomination:
    """Withdraw a nominee before the decision, with a reason kept in its history.

    The row stays in the register (its history and the duplicate check keep it); it leaves the
    review queue and is never decided.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RecognitionError(_("Cần ghi lý do rút đề nghị."))
    if len(reason) > REASON_MAX:
        raise RecognitionError(_("Lý do dài quá %(limit)s ký tự.") % {"limit": REASON_MAX})
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update(of=("self",)).order_by().get(pk=nomination.pk)
        if nomination.state not in WITHDRAWABLE_STATES:
            raise RecognitionError(_("Đề nghị đã có quyết định hoặc đã rút; không rút được nữa."))
        nomination.state = NominationState.WITHDRAWN
        nomination.save(update_fields=["state"])
        _event(nomination, EventAction.WITHDRAWN, by, reason=reason).save()
    return nomination


def register_submit(*, register: Register, by) -> int:
    """Send every scored nominee of the register for review."""
    with transaction.atomic():
        register = Register.objects.select_for_update(of=("self",)).order_by().get(pk=register.pk)
        batch = list(register.nominations.filter(state=NominationState.SCORED))
        if not batch:
            raise RecognitionError(_("Chưa có đề nghị nào đã chấm điểm để gửi duyệt."))
        Nomination.objects.filter(pk__in=[n.pk for n in batch]).update(state=NominationState.SUBMITTED)
        for nomination in batch:
            nomination.state = NominationState.SUBMITTED
        NominationEvent.objects.bulk_create([_event(n, EventAction.SUBMITTED, by) for n in batch])
        register.submitted_at = timezone.now()
        register.save(update_fields=["submitted_at"])
    return len(batch)


@dataclass
class DecisionData:
    number: str
    date: dt.date
    signer_title: str
    signer_name: str
    issuer: str = ""


def default_issuer(register: Register) -> str:
    # Not translated: it is written into a Vietnamese legal decision whatever language the
    # approver's screen is in. Who recognises is the title's configuration.
    return register.title.decision_issuer(register.commune.name)


def register_decide(
    *,
    register: Register,
    by,
    approve: list[int],
    refuse: dict[int, str],
    decision: DecisionData | None,
) -> Decision | None:
    """Approve some submitted nominees in a recorded decision, refuse others with a reason."""
    from xhht_portal.access import can_decide_nominations

    if not can_decide_nominations(by) or not Register.objects.visible_to(by).filter(pk=register.pk).exists():
        raise RecognitionError(_("Bạn không có quyền duyệt đề nghị công nhận."))
    if set(approve) & set(refuse):
        raise RecognitionError(_("Một đề nghị không thể vừa được công nhận vừa bị từ chối."))
    if not approve and not refuse:
        raise RecognitionError(_("Chưa chọn đề nghị nào để công nhận hoặc từ chối."))
    if approve and decision is None:
        raise RecognitionError(_("Cần số, ngày và người ký quyết định để công nhận."))
    if any(not reason.strip() for reason in refuse.values()):
        raise RecognitionError(_("Cần ghi lý do cho mỗi đề nghị không được công nhận."))
    with transaction.atomic():
        pending = {
            n.pk: n
            # No ordering: the default one joins villages, and PostgreSQL refuses FOR UPDATE there.
            for n in Nomination.objects.select_for_update()
            .filter(register=register, state=NominationState.SUBMITTED, pk__in=[*approve, *refuse])
            .order_by("pk")
        }
        if len(pending) != len(set(approve) | set(refuse)):
            raise RecognitionError(_("Danh sách đã thay đổi (có đề nghị không còn chờ duyệt); xin tải lại trang."))
        record = None
        if approve:
            # A long register is decided in batches: approvals carrying the same number and date
            # join the decision the first batch recorded.
            record = Decision.objects.filter(register=register, number=decision.number, date=decision.date).first()
            if record is None:
                record = Decision.objects.create(
                    register=register,
                    number=decision.number,
                    date=decision.date,
                    issuer=decision.issuer or default_issuer(register),
                    signer_title=decision.signer_title,
                    signer_name=decision.signer_name,
                    created_by=by,
                )
            Nomination.objects.filter(pk__in=approve).update(
                state=NominationState.APPROVED, decision=record, refusal_reason=""
            )
        events = []
        for pk in approve:
            nomination = pending[pk]
            nomination.state = NominationState.APPROVED
            events.append(
                _event(
                    nomination,
                    EventAction.APPROVED,
                    by,
                    reason=_("Quyết định số %(number)s") % {"number": record.number},
                )
            )
        for pk, reason in refuse.items():
            nomination = pending[pk]
            nomination.state = NominationState.REFUSED
            nomination.refusal_reason = reason.strip()
            nomination.save(update_fields=["state", "refusal_reason"])
            events.append(_event(nomination, EventAction.REFUSED, by, reason=reason.strip()))
        NominationEvent.objects.bulk_create(events, batch_size=1000)
        if approve:
            announce_recognitions(register.title, register.year)
    return record


def announce_recognitions(title: Title, year: int) -> None:
    """Tell the dashboard's maintained totals (reporting defines the signal, never imports this
    app) about every year in which recognitions decided for ``year`` are in force."""
    if not title.indicator_code:
        return
    for in_force in title.in_force_years(year):
        recognitions_changed.send(sender=Nomination, title=title.indicator_code, year=in_force)


def recognised_counter(years: list[int], unit_ids: list[int] | None = None) -> dict[tuple[str, int, int], int]:
    """Entities whose recognition is in force, per plan indicator code, commune and year.

    A recognition decided for year Y counts in Y … Y + years_in_force - 1 (TT 25/2023: 3 years),
    and an entity recognised again while still in force counts once. Titles recognised for one
    year at a time are counted in the database (one query, whatever the size); titles in force
    for several years (a few villages, communes and bodies) are read and counted here.
    """
    if not years:
        return {}
    rows = Nomination.objects.recognised().exclude(register__title__indicator_code="")
    if unit_ids is not None:
        rows = rows.filter(register__commune_id__in=unit_ids)
    yearly = (
        rows.filter(register__title__years_in_force__lte=1, register__year__in=years)
        .values_list("register__title__indicator_code", "register__commune_id", "register__year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(code, commune_id, year): count for code, commune_id, year, count in yearly}
    lasting = (
        rows.filter(register__title__years_in_force__gt=1, register__year__lte=max(years))
        .annotate(last_year=F("register__year") + F("register__title__years_in_force") - 1)
        .filter(last_year__gte=min(years))
        .values_list(
            "register__title__indicator_code",
            "register__commune_id",
            "register__year",
            "register__title__years_in_force",
            "dedup_key",
        )
    )
    wanted = set(years)
    entities: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for code, commune_id, year, in_force, key in lasting:
        for counted in range(year, year + in_force):
            if counted in wanted:
                entities[(code, commune_id, counted)].add(key)
    for cell, keys in entities.items():
        counts[cell] = counts.get(cell, 0) + len(keys)
    return counts
