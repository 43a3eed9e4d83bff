"""Demo data of this app: Ba Chẽ units and villages, periods, one login per role."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from reporting.periods import create_periods
from targets.models import Plan
from units.loader import load_units
from units.models import Unit, UnitKind, move_children
from xhht_portal.models import Role, User

DEMO_PASSWORD = "xhht-demo-2026"
# The Ba Chẽ demo is the 2016–2020 district: its unit codes are those valid then.
DEMO_DAY = dt.date(2020, 12, 14)

# Villages per commune for the demo (thôn/bản/khu); the real lists come from the communes.
DEMO_VILLAGES = {"06970": 6, "06973": 5, "06976": 4, "06979": 5, "06982": 7, "06985": 5, "06988": 6, "06991": 4}

DEMO_USERS = [
    # username, full name, role, unit code
    ("xa.thanhson", "Nguyễn Thị Hoa", Role.COMMUNE_OFFICER, "06973"),
    ("xa.namson", "Trần Văn Bình", Role.COMMUNE_OFFICER, "06982"),
    ("xa.thitran", "Lý Thị Mai", Role.COMMUNE_OFFICER, "06970"),
    ("phong.noivu", "Hoàng Văn Nam", Role.DEPARTMENT_OFFICER, "PNV"),
    ("phong.gddt", "Phạm Thị Lan", Role.REVIEWER, "PGDDT"),
    ("lanhdao", "Đặng Văn Hùng", Role.LEADER, "BACHE"),
    ("quantri", "Vũ Minh Quân", Role.ADMIN, None),
]


def _move_demo_villages() -> int:
    """The demo villages of Ba Chẽ's old communes continue under the new commune from 01/07/2025."""
    effective = dt.date(2025, 7, 1)
    moved = 0
    for code in DEMO_VILLAGES:
        old = Unit.objects.resolve(code, on=effective - dt.timedelta(days=1))
        if old is None:  # Lương Mông and Minh Cầm: their villages went to Lương Minh in 2024, not modelled
            continue
        link = old.successor_links.filter(reorganisation__effective=effective, share=1).first()
        if link is not None:
            moved += len(move_children(old, link.successor, effective=effective, legal_act="NQ 1679/NQ-UBTVQH15"))
    return moved


def load_demo(stdout) -> None:
    count = load_units(settings.BASE_DIR / "fixtures" / "units-ba-che.json")
    for code, villages in DEMO_VILLAGES.items():
        commune = Unit.objects.resolve(code, on=DEMO_DAY)
        for number in range(1, villages + 1):
            Unit.objects.update_or_create(
                code=f"{code}-T{number:02d}",
                valid_from=None,
                defaults={
                    "name": f"Thôn {number}" if commune.kind == UnitKind.COMMUNE else f"Khu {number}",
                    "kind": UnitKind.VILLAGE,
                    "parent": commune,
                    "valid_to": commune.valid_to,
                    "order": number,
                },
            )
    stdout.write(f"  {count} đơn vị, {sum(DEMO_VILLAGES.values())} thôn, khu")
    count = load_units(settings.BASE_DIR / "fixtures" / "units-quang-ninh-2025.json")
    moved = _move_demo_villages()
    stdout.write(f"  Quảng Ninh từ 01/07/2025: {count} đơn vị cũ và mới, {moved} thôn, khu chuyển sang xã mới")
    plan = Plan.objects.get(code="ba-che-2016-2020")
    create_periods(plan=plan, first_year=2016, last_year=2020, midterm=2016, final=2019)
    for username, full_name, role, unit_code in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = first, last
        user.role = role
        user.unit = Unit.objects.resolve(unit_code, on=DEMO_DAY) if unit_code else None
        user.is_staff = user.is_superuser = role == Role.ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
    stdout.write(f"  {len(DEMO_USERS)} tài khoản mẫu, mật khẩu {DEMO_PASSWORD}")
    from reporting.demo_submissions import load_demo_submissions

    load_demo_submissions(stdout)
    from reporting.demo_province import load_demo_province

    load_demo_province(stdout, DEMO_PASSWORD)
