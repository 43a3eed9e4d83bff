"""Demo data of this app: the plans shipped in fixtures/."""

from __future__ import annotations

import json

from django.conf import settings

from targets.models import Plan
from targets.serialization import plan_from_dict
from units.loader import load_units

PLAN_FILES = [
    ("plan-ba-che-2016-2020.json", True),
    ("plan-quoc-gia-2021-2030.json", False),
]


def load_demo(stdout) -> None:
    # A plan names the unit that owns it (huyện Ba Chẽ): the units come first (idempotent).
    load_units(settings.BASE_DIR / "fixtures" / "units-ba-che.json")
    for filename, active in PLAN_FILES:
        path = settings.BASE_DIR / "fixtures" / filename
        if not path.exists():
            continue
        plan = plan_from_dict(json.loads(path.read_text(encoding="utf-8")), replace=True)
        Plan.objects.filter(pk=plan.pk).update(is_active=active)
        stdout.write(f"  {plan.name}: {plan.indicators.count()} chỉ số")
