"""Demo of the two-tier government: tỉnh Quảng Ninh's 2021–2030 plan and three of its new communes.

Runs after the Ba Chẽ demo and the Quảng Ninh units of 1 July 2025 (``reporting.demo``). The
province owns the plan (``fixtures/plan-quang-ninh-2021-2030.json``, derived from the national
programme, as its note says). Periods 2025-H1 (the old communes, before the reform: the new ones'
trends are mapped from them), 2025-Y and 2026-H1 (xã Ba Chẽ, Kỳ Thượng and Lương Minh, reports in
every state); Kỳ Thượng, a mountainous commune, is assigned a lower target with a note. Logins:
tinh.lanhdao, tinh.gddt, xa.bache, xa.bache.lanhdao. Running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

from django.conf import settings

from reporting import services
from reporting.demo_submissions import _make
from reporting.models import Period, Submission, SubmissionState
from reporting.periods import default_periods
from reporting.services import ValueInput
from targets.models import Entry, Target
from targets.serialization import plan_from_dict
from units.models import Unit, UnitKind
from xhht_portal.models import Role, User

PLAN_FILE = "plan-quang-ninh-2021-2030.json"
PROVINCE = "22"
REFORM = dt.date(2025, 7, 1)
BEFORE_REFORM = dt.date(2025, 6, 14)  # the last day of 2025-H1's data window
# The three new communes that cover former Ba Chẽ, and their people (sapnhap.bando, see
# ../shared/reference/quang-ninh-2025.md; Kỳ Thượng's published figure is doubtful, so rounded).
NEW_COMMUNES = {"06970": 17_504, "06979": 9_000, "06985": 5_608}
# The old units they were formed from, with their people, reporting for 2025-H1.
OLD_UNITS = {
    "06970": 5_900,  # Thị trấn Ba Chẽ
    "06973": 2_300,  # Thanh Sơn
    "06976": 2_800,  # Thanh Lâm
    "06979": 3_100,  # Đạp Thanh
    "06982": 4_300,  # Nam Sơn
    "06985": 3_700,  # Lương Minh (2024)
    "06988": 4_100,  # Đồn Đạc
    "07033": 860,  # Kỳ Thượng (Hạ Long)
    "07036": 3_086,  # Đồng Sơn (Hạ Long)
    "06886": 6_200,  # Hải Lạng (Tiên Yên), split three ways
}
STATES = {
    "2025-Y": {"06970": SubmissionState.APPROVED, "06979": SubmissionState.APPROVED, "06985": SubmissionState.APPROVED},
    "2026-H1": {"06970": SubmissionState.SUBMITTED, "06979": SubmissionState.RETURNED, "06985": SubmissionState.DRAFT},
}
PROGRESS = {"2025-H1": 0.90, "2025-Y": 0.96, "2026-H1": 1.0}
SO_GDDT = "22-SGDDT"
USERS = [
    # username, full name, role, unit code, day the code is resolved on
    ("tinh.lanhdao", "Nguyễn Văn Thắng", Role.LEADER, PROVINCE, REFORM),
    ("tinh.gddt", "Trần Thị Hạnh", Role.REVIEWER, SO_GDDT, REFORM),
    ("xa.bache", "Lý Văn Phúc", Role.COMMUNE_OFFICER, "06970", REFORM),
    ("xa.bache.lanhdao", "Hoàng Thị Sen", Role.LEADER, "06970", REFORM),
]


def load_demo_province(stdout, password: str) -> None:
    province = Unit.objects.resolve(PROVINCE, on=REFORM)
    if province is None:
        stdout.write("  chưa có đơn vị của tỉnh Quảng Ninh: bỏ qua kế hoạch của tỉnh")
        return
    Unit.objects.update_or_create(
        code=SO_GDDT,
        valid_from=None,
        defaults={
            "name": "Sở Giáo dục và Đào tạo Quảng Ninh",
            "kind": UnitKind.DEPARTMENT,
            "parent": province,
            "reporter_code": "",
            "order": 5,
        },
    )
    path = settings.BASE_DIR / "fixtures" / PLAN_FILE
    plan = plan_from_dict(json.loads(path.read_text(encoding="utf-8")), replace=True)
    periods = []
    for spec in default_periods(2025) + default_periods(2026):
        if spec["code"] in PROGRESS:
            code = spec.pop("code")
            period, _created = Period.objects.get_or_create(code=code, defaults={"plan": plan, **spec})
            if period.plan_id != plan.pk:
                # A database where an older README example gave these years to another plan: the
                # code is taken, so the province's demo reports for it are left out, and said so.
                stdout.write(f"  kỳ {code} đã thuộc chương trình “{period.plan.code}”: bỏ qua báo cáo mẫu của tỉnh")
                continue
            periods.append(period)
    users = {}
    for username, full_name, role, code, day in USERS:
        family, _sep, given = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name, user.role = family, given, role
        user.unit = Unit.objects.resolve(code, on=day)
        if created:
            user.set_password(password)
        user.save()
        users[username] = user
    targets = {(t.indicator.code, t.year): t.value_min for t in Target.objects.filter(indicator__plan=plan)}
    created = 0
    for period in periods:
        if period.code == "2025-H1":
            wanted = {code: SubmissionState.APPROVED for code in OLD_UNITS}
            people, day = OLD_UNITS, BEFORE_REFORM
        else:
            wanted, people, day = STATES[period.code], NEW_COMMUNES, REFORM
        for index, (code, state) in enumerate(wanted.items()):
            unit = Unit.objects.resolve(code, on=day)
            if unit is None or Submission.objects.filter(unit=unit, period=period).exists():
                continue
            officer = users["xa.bache"] if unit == users["xa.bache"].unit else _officer(unit, index)
            values = _values(unit, period, people[code], targets)
            _make(unit, period, state, officer, users["tinh.gddt"], targets, values=values)
            created += 1
    stdout.write(f"  {plan.name}: {len(periods)} kỳ, {created} báo cáo mẫu của các xã")


def _officer(unit: Unit, index: int) -> User:
    names = ["Đặng Thị Mơ", "Tằng A Phú", "Chìu Thị Nga", "Lục Văn Tiến"]
    user, created = User.objects.get_or_create(username=f"canbo.{unit.code}.{unit.valid_from or 'cu'}")
    if created:
        family, _sep, given = names[index % len(names)].rpartition(" ")
        user.last_name, user.first_name, user.role, user.unit = family, given, Role.COMMUNE_OFFICER, unit
        user.set_unusable_password()
        user.save()
    return user


def _values(unit: Unit, period: Period, people: int, targets) -> dict[str, ValueInput]:
    """Plausible figures near the 2025 targets; a mountainous commune a little behind."""
    rng = random.Random(f"{unit.code}/{unit.valid_from}/{period.code}")
    behind = 0.85 if unit.code == "06979" else 1.0
    values = {}
    for indicator in services.indicators_for(unit, period):
        if indicator.entry == Entry.YESNO:
            values[indicator.code] = ValueInput(flags=[rng.random() < 0.8 * behind + 0.15 for _ in indicator.answers])
            continue
        denominator = {
            "N05": 30,
            "N06": 30,
            "N07": round(people * 0.62),
            "N08": round(people * 0.62),
            "N09": round(people * 0.72),
            "N10": round(people * 0.72),
            "N13": people,
        }.get(indicator.code, 40)
        denominator = max(1, round(denominator * rng.uniform(0.97, 1.03)))
        goal = float(targets.get((indicator.code, 2025)) or targets.get((indicator.code, 2030)) or 50)
        share = min(1.0, goal / 100 * PROGRESS[period.code] * behind * rng.uniform(0.95, 1.05))
        values[indicator.code] = ValueInput(
            numerator=Decimal(min(denominator, round(denominator * share))), denominator=Decimal(denominator)
        )
    return values
