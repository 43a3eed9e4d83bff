"""Demo data of this app: Ba Chẽ units and villages, periods, one login per role."""

from __future__ import annotations

from django.conf import settings

from reporting.periods import create_periods
from targets.models import Plan
from units.loader import load_units
from units.models import Unit, UnitKind
from xhht_portal.models import Role, User

DEMO_PASSWORD = "xhht-demo-2026"

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


def load_demo(stdout) -> None:
    count = load_units(settings.BASE_DIR / "fixtures" / "units-ba-che.json")
    for code, villages in DEMO_VILLAGES.items():
        commune = Unit.objects.get(code=code)
        for number in range(1, villages + 1):
            Unit.objects.update_or_create(
                code=f"{code}-T{number:02d}",
                defaults={
                    "name": f"Thôn {number}" if commune.kind == UnitKind.COMMUNE else f"Khu {number}",
                    "kind": UnitKind.VILLAGE,
                    "parent": commune,
                    "valid_to": commune.valid_to,
                    "order": number,
                },
            )
    stdout.write(f"  {count} đơn vị, {sum(DEMO_VILLAGES.values())} thôn, khu")
    plan = Plan.objects.get(code="ba-che-2016-2020")
    create_periods(plan=plan, first_year=2016, last_year=2020, midterm=2016, final=2019)
    for username, full_name, role, unit_code in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = first, last
        user.role = role
        user.unit = Unit.objects.get(code=unit_code) if unit_code else None
        user.is_staff = user.is_superuser = role == Role.ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
    stdout.write(f"  {len(DEMO_USERS)} tài khoản mẫu, mật khẩu {DEMO_PASSWORD}")
    from reporting.demo_submissions import load_demo_submissions

    load_demo_submissions(stdout)
