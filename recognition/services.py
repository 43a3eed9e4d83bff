"""Every change to registers, nominations and decisions goes through these functions.

Each runs inside ``transaction.atomic`` and raises ``RecognitionError`` whose message is safe to
show; views and tests call them, never set ``state`` directly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from recognition.models import (
    EDITABLE_STATES,
    CriteriaSet,
    CriterionItem,
    Decision,
    EventAction,
    Nomination,
    NominationEvent,
    NominationState,
    Register,
    Score,
    Title,
)
from reporting.signals import recognitions_changed
from units.models import TERRITORIAL_COMMUNE_KINDS, Unit, UnitKind


class RecognitionError(Exception):
    """A refused change; the message is shown to the person as is."""


_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """NFC, single spaces, no leading or trailing space: how a name is stored and shown."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def name_key(text: str) -> str:
    """What two spellings of one name share: NFC, collapsed spaces, case-insensitive."""
    return unicodedata.normalize("NFC", clean_name(text).casefold())


def dedup_key(name: str, village_id: int | None) -> str:
    return f"{village_id or 0}|{name_key(name)}"


def _event(nomination: Nomination, action: str, by, reason: str = "") -> NominationEvent:
    return NominationEvent(nomination=nomination, action=action, state=nomination.state, by=by, reason=reason)


def register_open(*, commune: Unit, title: str, year: int, by) -> Register:
    """The register of a title for a year, created the first time it is asked for."""
    if commune.kind not in TERRITORIAL_COMMUNE_KINDS:
        raise RecognitionError(_("Chỉ xã, thị trấn mới có sổ đăng ký danh hiệu."))
    if title not in Title.values:
        raise RecognitionError(_("Danh hiệu không hợp lệ."))
    with transaction.atomic():
        register, _created = Register.objects.get_or_create(commune=commune, title=title, year=year)
    return register


def _check_village(register: Register, village: Unit | None) -> None:
    if village is not None and (village.parent_id != register.commune_id or village.kind != UnitKind.VILLAGE):
        raise RecognitionError(_("Thôn, bản, khu này không thuộc xã của sổ đăng ký."))
    if village is None and register.needs_village:
        raise RecognitionError(_("Cần chọn thôn, bản, khu."))


def nomination_add(*, register: Register, name: str, village: Unit | None, note: str = "", by) -> Nomination:
    """Register one nominee by hand."""
    if register.title == Title.COMMUNITY and village is not None:
        name = village.name
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


def nominations_import(*, register: Register, rows: list[ImportRow], by) -> int:
    """Save a checked list in one go: all rows or none."""
    nominations = [
        Nomination(
            register=register,
            name=row.name,
            dedup_key=dedup_key(row.name, row.village.pk if row.village else None),
            village=row.village,
            note=row.note,
        )
        for row in rows
    ]
    try:
        with transaction.atomic():
            created = Nomination.objects.bulk_create(nominations, batch_size=1000)
            if created and created[0].pk is None:  # backends without RETURNING: fetch the ids back
                by_key = dict(
                    Nomination.objects.filter(
                        register=register, dedup_key__in=[n.dedup_key for n in nominations]
                    ).values_list("dedup_key", "pk")
                )
                for nomination in created:
                    nomination.pk = by_key[nomination.dedup_key]
            NominationEvent.objects.bulk_create([_event(n, EventAction.IMPORTED, by) for n in created], batch_size=1000)
    except IntegrityError as exc:
        raise RecognitionError(
            _("Một số tên vừa được người khác thêm vào sổ; không có dòng nào được lưu, xin nhập lại tệp.")
        ) from exc
    return len(created)


def criteria_set_for(register: Register) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.in_force(register.title, register.year)
    if criteria_set is None:
        raise RecognitionError(
            _("Chưa có bộ tiêu chí của danh hiệu này áp dụng cho năm %(year)s; xin báo quản trị viên.")
            % {"year": register.year}
        )
    return criteria_set


def evaluate(criteria_set: CriteriaSet, points: dict[int, Decimal]) -> tuple[Decimal, bool]:
    """Total and pass/fail of a score sheet under the set's pass rule."""
    total = Decimal(0)
    passed = True
    for criterion in criteria_set.criteria.all():
        subtotal = sum((points.get(item.pk, Decimal(0)) for item in criterion.items.all()), Decimal(0))
        total += subtotal
        share = criteria_set.min_per_criterion_share
        if share is not None and criterion.max_points and subtotal * 100 < share * criterion.max_points:
            passed = False
    return total, passed and total >= criteria_set.pass_mark


def nomination_score(*, nomination: Nomination, points: dict[int, Decimal], by) -> Nomination:
    """Fill in the score sheet: points per item, the total and pass/fail by the pass mark."""
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
        items = {item.pk: item for item in CriterionItem.objects.filter(criterion__criteria_set=criteria_set)}
        if set(points) != set(items):
            raise RecognitionError(_("Phiếu chấm phải có điểm của mọi nội dung."))
        for item_pk, value in points.items():
            if value < 0 or value > items[item_pk].max_points:
                raise RecognitionError(_("Điểm phải từ 0 đến điểm tối đa của nội dung."))
        Score.objects.filter(nomination=nomination).delete()
        Score.objects.bulk_create([Score(nomination=nomination, item_id=pk, points=v) for pk, v in points.items()])
        criteria_set = CriteriaSet.objects.prefetch_related("criteria__items").get(pk=criteria_set.pk)
        nomination.total_points, nomination.passed = evaluate(criteria_set, points)
        nomination.criteria_set = criteria_set
        nomination.state = NominationState.SCORED
        nomination.save(update_fields=["total_points", "passed", "criteria_set", "state"])
        _event(
            nomination, EventAction.SCORED, by, reason=_("Tổng điểm %(total)s") % {"total": nomination.total_points}
        ).save()
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
    # approver's screen is in.
    return f"Ủy ban nhân dân {register.commune.name}"


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

    if not can_decide_nominations(by):
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
        NominationEvent.objects.bulk_create(events)
        if approve:
            # The dashboard's maintained totals count recognitions: tell reporting, which
            # defines the signal and never imports this app.
            recognitions_changed.send(sender=Nomination, title=register.title, year=register.year)
    return record


def recognised_counter(years: list[int], unit_ids: list[int] | None = None) -> dict[tuple[str, int, int], int]:
    """Entities approved in a recorded decision, per title, commune and year: one query."""
    rows = Nomination.objects.recognised().filter(register__year__in=years)
    if unit_ids is not None:
        rows = rows.filter(register__commune_id__in=unit_ids)
    rows = (
        rows.values_list("register__title", "register__commune_id", "register__year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(title, commune_id, year): count for title, commune_id, year, count in rows}
