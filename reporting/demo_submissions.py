"""Demo reports 2016–2019: approved, submitted, returned and draft, written through the services.

Figures are seeded from the unit and period codes, so two runs give the same numbers, and scaled
to each unit: Ba Chẽ is a small mountainous district of about 22,000 people, its communes have
1,500–5,000. Running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from reporting import services
from reporting.models import Period, Submission, SubmissionState
from reporting.services import ValueInput
from targets.models import Entry, Indicator, Measure, Target
from units.models import Unit
from xhht_portal.models import Role, User

# Population of each commune and the town (2016), and how far ahead or behind the commune is.
COMMUNES = {
    "06970": (4900, 1.08),  # Thị trấn Ba Chẽ
    "06973": (1900, 0.97),  # Thanh Sơn
    "06976": (2300, 1.02),  # Thanh Lâm
    "06979": (2600, 0.92),  # Đạp Thanh
    "06982": (3600, 1.05),  # Nam Sơn
    "06985": (1600, 0.88),  # Lương Mông
    "06988": (3400, 1.00),  # Đồn Đạc
    "06991": (1500, 0.90),  # Minh Cầm
}
# Denominator of each commune indicator as a share of the population (or a small fixed count).
COMMUNE_BASE = {
    "I04": 0.62, "I05": 0.012, "I08": 0.009, "I14": 22, "I15": 11, "I16": 12, "I17": 0.52, "I21": 0.075,
    "I24": 0.45, "I25": 0.38, "I27": 1.0, "I29": 6, "I30": 0.235, "I31": 0.006, "I33": 0.007,
    "I09": 26, "I10": 26, "I11": 26,
}  # fmt: skip
DEPARTMENT_BASE = {
    "I03": 23, "I20": 290, "I28": 5600, "I12": 64, "I13": 185, "I26": 215, "I18": 640, "I19": 640,
    "I22": 290, "I23": 12400,
}  # fmt: skip
STAFF = {"PGDDT": 14, "PNV": 11, "PLDTBXH": 12, "TTGDNN": 18}
PERIODS = ["2016-H1", "2016-Y", "2017-H1", "2017-Y", "2018-H1", "2018-Y", "2019-H1"]
# The two latest periods are in progress: unit code → state (missing = approved; "none" = not started).
IN_PROGRESS = {
    "2018-Y": {
        "06979": SubmissionState.SUBMITTED, "06982": SubmissionState.SUBMITTED, "06985": SubmissionState.RETURNED,
        "06991": SubmissionState.DRAFT, "PLDTBXH": SubmissionState.SUBMITTED, "DTN": "none", "BDV": "none",
    },
    "2019-H1": {
        "06970": SubmissionState.SUBMITTED, "06973": SubmissionState.DRAFT, "06976": SubmissionState.SUBMITTED,
        "06979": "none", "06982": SubmissionState.RETURNED, "06985": "none", "06988": SubmissionState.APPROVED,
        "06991": "none", "PGDDT": SubmissionState.SUBMITTED, "PNV": SubmissionState.DRAFT,
        "PLDTBXH": "none", "TTGDNN": SubmissionState.APPROVED,
    },
}  # fmt: skip
OPEN_FOR_DEMO = ["06973", "06982"]
# Submitted after the due date (with an extension from the reviewer).
LATE = {("06985", "2018-H1"), ("06991", "2017-Y"), ("06979", "2018-Y")}
NARRATIVE = {
    "task_1": "Tuyên truyền qua loa truyền thanh, các buổi họp thôn về xây dựng xã hội học tập; {n} buổi sinh hoạt chuyên đề.",
    "task_2": "Duy trì Trung tâm học tập cộng đồng, tổ chức {n} lớp chuyên đề về trồng quế, chăn nuôi, pháp luật.",
    "task_5": "Phối hợp Hội Khuyến học bình xét gia đình, dòng họ học tập; trao {n} suất học bổng cho học sinh nghèo vượt khó.",
    "shortcomings": "Địa bàn rộng, giao thông khó khăn; một số thôn vùng cao người dân chưa tích cực tham gia học tập.",
    "next_steps": "Tiếp tục duy trì phổ cập, nâng cao chất lượng hoạt động của Trung tâm học tập cộng đồng.",
    "proposals": "Đề nghị huyện hỗ trợ kinh phí hoạt động cho Trung tâm học tập cộng đồng.",
}
OFFICER_NAMES = ["Đinh Văn Tú", "La Thị Huyền", "Chíu A Sáng", "Bàn Thị Liên", "Nịnh Văn Hải", "Vi Thị Thu"]


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def _officer(unit: Unit, index: int) -> User:
    """The unit's demo officer: the named demo account where there is one, else one made for the demo."""
    existing = User.objects.filter(unit=unit, role__in=[Role.COMMUNE_OFFICER, Role.DEPARTMENT_OFFICER]).first()
    if existing:
        return existing
    role = Role.COMMUNE_OFFICER if unit.reporter_code == "xa" else Role.DEPARTMENT_OFFICER
    user, created = User.objects.get_or_create(username=f"canbo.{unit.code.lower()}")
    if created:
        family, _sep, given = OFFICER_NAMES[index % len(OFFICER_NAMES)].rpartition(" ")
        user.last_name, user.first_name, user.role, user.unit = family, given, role, unit
        user.set_unusable_password()
        user.save()
    return user


def _targets(plan) -> dict[tuple[str, int], Decimal]:
    return {(t.indicator.code, t.year): t.value_min for t in Target.objects.filter(indicator__plan=plan)}


def _share(indicator: Indicator, period: Period, targets, factor: float, rng: random.Random) -> float:
    """Progress towards the next milestone: about 80% of the way in 2016, near it in 2018, with a unit bias."""
    years = sorted(y for (code, y) in targets if code == indicator.code)
    milestone = next((y for y in years if y >= period.year), years[-1] if years else None)
    goal = float(targets[(indicator.code, milestone)]) if milestone else 70.0
    if indicator.measure == Measure.PER_10000:
        goal = goal / 100  # 300/1 vạn dân → 3%
    progress = 0.82 + 0.05 * (period.year - 2016) + (0.02 if period.kind == "annual" else 0)
    share = goal / 100 * progress * factor * rng.uniform(0.95, 1.05)
    return max(0.0, min(share, 1.0))


def demo_values(unit: Unit, period: Period, indicators, targets) -> dict[str, ValueInput]:
    rng = random.Random(f"{unit.code}/{period.code}")
    population, factor = COMMUNES.get(unit.code, (0, rng.uniform(0.93, 1.07)))
    population = int(population * (1 + 0.012 * (period.year - 2016)))
    values = {}
    base_figures: dict[str, int] = {}
    for indicator in indicators:
        if indicator.entry == Entry.YESNO:
            # Most communes keep the standards; the two smallest miss one part now and then.
            flags = [not (factor < 0.91 and i == len(indicator.answers) - 1 and rng.random() < 0.6) for i in
                     range(len(indicator.answers))]  # fmt: skip
            if indicator.code == "I07":
                flags = [factor >= 1.0]
            values[indicator.code] = ValueInput(flags=flags)
            continue
        base = COMMUNE_BASE.get(indicator.code) if population else None
        if indicator.code in ("I09", "I10", "I11") and not population:
            base = STAFF.get(unit.code, 9 + len(unit.code))
        if base is None:
            base = DEPARTMENT_BASE.get(indicator.code, 20)
        if indicator.base and indicator.base in base_figures:
            denominator = base_figures[indicator.base]  # typed once: the same staff count for I09–I11
        elif indicator.code == "I32":
            denominator = unit.children.count() or 5
        elif isinstance(base, float):
            denominator = max(1, round(population * base * rng.uniform(0.97, 1.03)))
        else:
            denominator = max(1, base + rng.randint(-2, 2))
        if indicator.base:
            base_figures[indicator.base] = denominator
        if indicator.entry == Entry.TOTAL:
            values[indicator.code] = ValueInput(denominator=Decimal(denominator))
            continue
        numerator = min(denominator, round(denominator * _share(indicator, period, targets, factor, rng)))
        values[indicator.code] = ValueInput(numerator=Decimal(numerator), denominator=Decimal(denominator))
    return values


def load_demo_submissions(stdout) -> None:
    reviewer = User.objects.filter(role=Role.REVIEWER).order_by("pk").first()
    periods = {p.code: p for p in Period.objects.filter(code__in=PERIODS).select_related("plan")}
    if not periods or reviewer is None:
        return
    plan = next(iter(periods.values())).plan
    targets = _targets(plan)
    created = 0
    for code in PERIODS:
        period = periods[code]
        plan_states = IN_PROGRESS.get(code, {})
        for index, unit in enumerate(services.expected_units(period).order_by("order")):
            wanted = plan_states.get(unit.code, SubmissionState.APPROVED)
            if wanted == "none" or Submission.objects.filter(unit=unit, period=period).exists():
                continue
            _make(unit, period, wanted, _officer(unit, index), reviewer, targets)
            created += 1
    # Thanh Sơn's 2019 draft and Nam Sơn's returned report stay open (an extension), so the demo
    # officers can type into them.
    until = timezone.localdate() + dt.timedelta(days=60)
    for unit_code in OPEN_FOR_DEMO:
        submission = Submission.objects.filter(unit__code=unit_code, period__code="2019-H1").first()
        if (
            submission
            and submission.state != SubmissionState.APPROVED
            and (submission.extended_until or dt.date.min) < until
        ):
            services.submission_extend(
                unit=submission.unit, period=submission.period, by=reviewer, until=until,
                reason="Dữ liệu mẫu: để thử nhập, sửa báo cáo",
            )  # fmt: skip
    stdout.write(f"  {created} báo cáo mẫu")


def _make(unit, period, wanted, officer, reviewer, targets, values=None) -> None:
    rng = random.Random(f"when/{unit.code}/{period.code}")
    indicators = services.indicators_for(unit, period)
    if values is None:
        values = demo_values(unit, period, indicators, targets)
    narrative = {key: text.format(n=rng.randint(3, 12)) for key, text in NARRATIVE.items()}
    late = (unit.code, period.code) in LATE
    started = _aware(period.end - dt.timedelta(days=rng.randint(3, 10)), 8)
    submitted = _aware(period.due - dt.timedelta(days=rng.randint(0, 4)), 15)
    if late:
        services.submission_extend(
            unit=unit, period=period, by=reviewer, until=period.due + dt.timedelta(days=14),
            reason="Đơn vị xin gia hạn do mưa lũ", at=_aware(period.due + dt.timedelta(days=1)),
        )  # fmt: skip
        submitted = _aware(period.due + dt.timedelta(days=rng.randint(3, 9)), 15)
    if wanted == SubmissionState.DRAFT:
        partial = dict(list(values.items())[: len(values) // 2])
        services.submission_save_draft(unit=unit, period=period, by=officer, values=partial, at=started)
        return
    # A first draft with a typo in one denominator, corrected before sending: history shows both.
    first = dict(values)
    fraction = next((c for c, v in values.items() if v.denominator and v.numerator is not None), None)
    bases = {i.base: values[i.code].denominator for i in indicators if i.base and i.code in values}
    first_bases = dict(bases)
    if fraction:
        first[fraction] = ValueInput(values[fraction].numerator, values[fraction].denominator * 10)
        key = next((i.base for i in indicators if i.code == fraction), "")
        if key:
            first_bases[key] = values[fraction].denominator * 10
    services.submission_save_draft(
        unit=unit, period=period, by=officer, values=first, narrative=narrative, at=started, bases=first_bases
    )
    submission = services.submission_submit(
        unit=unit, period=period, by=officer, values=values, at=submitted, bases=bases
    )
    reviewed = submitted + dt.timedelta(days=rng.randint(1, 4))
    if wanted == SubmissionState.SUBMITTED:
        return
    if wanted == SubmissionState.RETURNED:
        code = next(iter(values))
        services.submission_return(
            submission=submission, by=reviewer, at=reviewed,
            reason="Số liệu chưa khớp với báo cáo phổ cập giáo dục; đề nghị kiểm tra lại.",
            comments={code: "Kiểm tra lại số liệu này với hồ sơ phổ cập."},
        )  # fmt: skip
        return
    services.submission_approve(submission=submission, by=reviewer, at=reviewed)
