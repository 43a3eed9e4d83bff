"""Demo registers 2016–2019 for the Ba Chẽ communes: some decided, some pending (seeded, idempotent)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from recognition.criteria import load_default_criteria
from recognition.models import (
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
from recognition.services import (
    DecisionData,
    announce_recognitions,
    criteria_set_for,
    dedup_key,
    nomination_add,
    nomination_score,
    register_decide,
    register_open,
    register_submit,
)
from units.models import Unit, UnitKind
from xhht_portal.models import Role, User

# Households per commune (plausible for Ba Chẽ, about 5,000 households in all); the commune
# reports carry the official totals.
HOUSEHOLDS = {
    "06970": 1180,
    "06973": 520,
    "06976": 430,
    "06979": 610,
    "06982": 980,
    "06985": 560,
    "06988": 690,
    "06991": 470,
}
YEARS = (2016, 2017, 2018, 2019)
FAMILY, CLAN, COMMUNITY, UNIT = "family", "clan", "community", "unit"
# Share of households recognised "Gia đình học tập" each year (the 2018 target is 65%).
FAMILY_SHARE = {2016: 0.55, 2017: 0.60, 2018: 0.66, 2019: 0.69}
# 2019 is still open in these communes: nominees sent, waiting for the approver; Nam Sơn has
# registered but not scored yet.
PENDING_2019 = {"06973", "06988"}
UNSCORED_2019 = {"06982"}

SURNAMES = {
    "dao": ["Triệu", "Bàn", "Đặng", "Lý", "Chìu", "Phùn"],
    "tay": ["Hoàng", "Nông", "Lương", "Vi"],
    "sanchi": ["Lỷ", "Voòng", "Tằng", "Dương"],
    "kinh": ["Nguyễn", "Trần", "Phạm", "Vũ", "Đỗ"],
}
MALE = [
    "Quẩy",
    "Sáng",
    "Phú",
    "Thắng",
    "Nhì",
    "Sáu",
    "Hùng",
    "Tài",
    "Chàn",
    "Vần",
    "Sinh",
    "Lộc",
    "Minh",
    "Kiên",
    "Dũng",
    "Phúc",
    "Quý",
    "Thành",
    "Tiến",
    "Đức",
]
FEMALE = [
    "Mai",
    "Hằng",
    "Lan",
    "Sim",
    "Nhất",
    "Hoa",
    "Thu",
    "Dung",
    "Liên",
    "Tươi",
    "Yến",
    "Quyên",
    "Hiền",
    "Ngọc",
    "Phương",
]
PEOPLE_WEIGHTS = [("dao", 0.55), ("tay", 0.2), ("sanchi", 0.1), ("kinh", 0.15)]
UNITS = [
    "Trường Mầm non {c}",
    "Trường Tiểu học {c}",
    "Trường THCS {c}",
    "Trạm Y tế {c}",
    "Trung tâm học tập cộng đồng {c}",
    "Hợp tác xã Quế Ba Chẽ",
    "Đồn Biên phòng",
]
SIGNERS = ["Triệu Văn Long", "Hoàng Thị Thu", "Đặng Văn Sơn", "Lỷ Văn Toàn", "Nguyễn Văn Hải", "Bàn Văn Chương"]


def _person(rng: random.Random) -> str:
    people = rng.choices([p for p, _ in PEOPLE_WEIGHTS], weights=[w for _, w in PEOPLE_WEIGHTS])[0]
    surname = rng.choice(SURNAMES[people])
    if rng.random() < 0.8:
        return f"{surname} {rng.choice(['Văn', 'Văn', 'A', 'Đức'])} {rng.choice(MALE)}"
    return f"{surname} Thị {rng.choice(FEMALE)}"


def load_demo(stdout) -> None:
    sets = load_default_criteria()
    stdout.write(f"  {sets} bộ tiêu chí (QĐ 448/QĐ-KHVN, TT 25/2023, TT 24/2023, QĐ 324/QĐ-KHVN)")
    communes = list(Unit.objects.filter(code__in=HOUSEHOLDS).valid_on(dt.date(2019, 12, 14)))
    if Register.objects.filter(commune__in=communes, title__in=[FAMILY, CLAN, COMMUNITY, UNIT]).exists():
        stdout.write("  sổ đăng ký danh hiệu mẫu đã có, bỏ qua")
    else:
        _load_2016_2019(stdout, communes)
    _load_2023_rules(stdout)


def _load_2016_2019(stdout, communes) -> None:
    reviewer = User.objects.filter(role=Role.REVIEWER).first()
    rng = random.Random(2016)
    criteria = {c.title_id: c for c in CriteriaSet.objects.all() if c.valid_from.year <= 2016}
    items = {
        title: list(CriterionItem.objects.filter(criterion__criteria_set=c).order_by("criterion__order", "order"))
        for title, c in criteria.items()
    }
    villages = {c.pk: list(Unit.objects.filter(parent=c, kind=UnitKind.VILLAGE).order_by("order")) for c in communes}
    total = 0
    for commune in sorted(communes, key=lambda u: u.code):
        households = HOUSEHOLDS[commune.code]
        short = commune.name.removeprefix("Xã ").removeprefix("Thị trấn ")
        clans = sorted({rng.choice(sum(SURNAMES.values(), [])) for _ in range(14)})
        for year in YEARS:
            state = NominationState.APPROVED
            if year == 2019 and commune.code in PENDING_2019:
                state = NominationState.SUBMITTED
            elif year == 2019 and commune.code in UNSCORED_2019:
                state = NominationState.REGISTERED
            recognised = round(households * FAMILY_SHARE[year] * rng.uniform(0.95, 1.05))
            entities = {
                FAMILY: recognised + round(households * rng.uniform(0.04, 0.08)),
                CLAN: clans,
                COMMUNITY: villages[commune.pk],
                UNIT: [u.format(c=short) for u in UNITS[: rng.randint(4, len(UNITS))]],
            }
            for title, spec in entities.items():
                total += _register(
                    rng, commune, title, year, spec, state, recognised, villages[commune.pk], criteria, items, reviewer
                )
    # The registers were written in bulk, not through register_decide: tell the dashboard's totals
    # what that service would have told them.
    for title in Title.objects.filter(code__in=[FAMILY, CLAN, COMMUNITY, UNIT]):
        for year in YEARS:
            announce_recognitions(title, year)
    stdout.write(f"  {total} đề nghị công nhận danh hiệu (2016–2019)")


# Under the 2023 rules: Thanh Sơn recognised "Cộng đồng học tập cấp xã" (mức độ 1) for 2024,
# in force in 2024–2026; Nam Sơn's 2025 self-assessment waits for review; a school assessed
# under TT 24/2023; citizens registered for "Công dân học tập" (its points are not known yet).
NEW_RULES_COMMUNES = ("06973", "06982")


def _assess_all(register: Register, nomination: Nomination, officer, *, level_two: bool) -> None:
    items = CriterionItem.objects.filter(criterion__criteria_set=criteria_set_for(register))
    nomination_score(nomination=nomination, points={i.pk: level_two or i.level != 2 for i in items}, by=officer)


def _load_2023_rules(stdout) -> None:
    communes = {u.code: u for u in Unit.objects.filter(code__in=NEW_RULES_COMMUNES)}
    new_titles = ["community_commune", "unit_district", "citizen"]
    if len(communes) < 2 or Register.objects.filter(commune__in=communes.values(), title__in=new_titles).exists():
        return
    officers = {
        code: User.objects.filter(unit=unit, role=Role.COMMUNE_OFFICER).first() for code, unit in communes.items()
    }
    reviewer = User.objects.filter(role=Role.REVIEWER).first()
    if not all(officers.values()) or reviewer is None:
        return
    thanh_son, nam_son = communes["06973"], communes["06982"]
    officer = officers["06973"]
    register = register_open(commune=thanh_son, title="community_commune", year=2024, by=officer)
    nomination = nomination_add(register=register, name="", village=None, by=officer)
    _assess_all(register, nomination, officer, level_two=False)
    register_submit(register=register, by=officer)
    register_decide(
        register=register,
        by=reviewer,
        approve=[nomination.pk],
        refuse={},
        decision=DecisionData(
            number="46/QĐ-PGDĐT",
            date=dt.date(2025, 3, 20),
            signer_title="Trưởng phòng",
            signer_name="Hoàng Thị Thu",
            issuer="Phòng Giáo dục và Đào tạo huyện Ba Chẽ",
        ),
    )
    other = register_open(commune=nam_son, title="community_commune", year=2025, by=officers["06982"])
    _assess_all(
        other,
        nomination_add(register=other, name="", village=None, by=officers["06982"]),
        officers["06982"],
        level_two=True,
    )
    register_submit(register=other, by=officers["06982"])
    units = register_open(commune=thanh_son, title="unit_district", year=2024, by=officer)
    school = nomination_add(register=units, name="Trường THCS Thanh Sơn", village=None, by=officer)
    _assess_all(units, school, officer, level_two=False)
    register_submit(register=units, by=officer)
    citizens = register_open(commune=thanh_son, title="citizen", year=2025, by=officer)
    villages = list(Unit.objects.filter(parent=thanh_son, kind=UnitKind.VILLAGE).order_by("order")[:2])
    for name, village in (("Triệu Thị Hoà", 0), ("Đặng Văn Thuỷ", 1), ("Lý Thị Khoẻ", 0), ("Bàn Văn Sáng", 1)):
        nomination_add(register=citizens, name=name, village=villages[village] if villages else None, by=officer)
    stdout.write("  danh hiệu theo quy định 2023: Cộng đồng học tập cấp xã, Đơn vị học tập (TT 24), Công dân học tập")


def _register(rng, commune, title, year, spec, state, recognised, villages, criteria, items, reviewer) -> int:
    register = Register.objects.create(commune=commune, title_id=title, year=year)
    rows: list[Nomination] = []
    keys: set[str] = set()
    if title == FAMILY:
        tries = 0
        while len(rows) < spec and tries < spec * 5 and villages:
            tries += 1
            village, name = rng.choice(villages), _person(rng)
            key = dedup_key(name, village.pk)
            if key not in keys:
                keys.add(key)
                rows.append(Nomination(register=register, name=name, village=village).refresh_keys())
    elif title == COMMUNITY:
        rows = [Nomination(register=register, name=v.name, village=v).refresh_keys() for v in spec]
    else:
        prefix = "Dòng họ " if title == CLAN else ""
        rows = [Nomination(register=register, name=f"{prefix}{n}").refresh_keys() for n in spec]
    # Who passes: about the target share for households, most clans, villages and bodies.
    pass_count = recognised if title == FAMILY else round(len(rows) * rng.uniform(0.6, 0.9))
    for index, nomination in enumerate(rows):
        nomination.state = state
        if state != NominationState.REGISTERED:
            passed = index < pass_count
            nomination.criteria_set = criteria[title]
            nomination.total_points = Decimal(rng.randint(82, 98) if passed else rng.randint(55, 79))
            nomination.passed = passed
            if state == NominationState.APPROVED and not passed:
                nomination.state = NominationState.REFUSED
                nomination.refusal_reason = "Chưa đạt điểm tối thiểu theo bộ tiêu chí."
    decision = None
    if state == NominationState.APPROVED and reviewer:
        date = dt.date(year, 12, rng.randint(15, 28))
        decision = Decision.objects.create(
            register=register,
            number=f"{rng.randint(80, 320)}/QĐ-UBND",
            date=date,
            issuer=f"Ủy ban nhân dân {commune.name}",
            signer_title="Chủ tịch",
            signer_name=rng.choice(SIGNERS),
            created_by=reviewer,
        )
        for nomination in rows:
            if nomination.state == NominationState.APPROVED:
                nomination.decision = decision
    if state != NominationState.REGISTERED:
        register.submitted_at = timezone.make_aware(dt.datetime(year, 12, 5, 9, 0))
        register.save(update_fields=["submitted_at"])
    created = Nomination.objects.bulk_create(rows, batch_size=1000)
    if created and created[0].pk is None:
        ids = dict(Nomination.objects.filter(register=register).values_list("dedup_key", "pk"))
        for nomination in created:
            nomination.pk = ids[nomination.dedup_key]
    events = [
        NominationEvent(nomination=n, action=EventAction.IMPORTED, state=NominationState.REGISTERED) for n in created
    ]
    if state != NominationState.REGISTERED:
        events += [
            NominationEvent(nomination=n, action=EventAction.SUBMITTED, state=NominationState.SUBMITTED)
            for n in created
        ]
    for n in created:
        if n.state == NominationState.APPROVED:
            events.append(
                NominationEvent(
                    nomination=n,
                    action=EventAction.APPROVED,
                    state=n.state,
                    by=reviewer,
                    reason=f"Quyết định số {decision.number}",
                )
            )
        elif n.state == NominationState.REFUSED:
            events.append(
                NominationEvent(
                    nomination=n, action=EventAction.REFUSED, state=n.state, by=reviewer, reason=n.refusal_reason
                )
            )
    NominationEvent.objects.bulk_create(events, batch_size=2000)
    if state == NominationState.SUBMITTED:
        # The approver opens these score sheets: give them points that add up to the total.
        scores = []
        for n in created:
            remaining = n.total_points
            sheet = items[title]
            for position, item in enumerate(sheet):
                left = len(sheet) - position - 1
                room = sum((i.max_points for i in sheet[position + 1 :]), Decimal(0))
                low = max(Decimal(0), remaining - room)
                high = min(item.max_points, remaining)
                points = high if left == 0 else Decimal(rng.randint(int(low), int(high)))
                remaining -= points
                scores.append(Score(nomination=n, item=item, points=points))
        Score.objects.bulk_create(scores, batch_size=2000)
    return len(created)
