"""Synthetic recognition registers for the benchmark (run by ``generate_data`` after the reports).

District scale: every commune's registers for 2016–2020, with each household by name; province
scale: the milestone years 2018 and 2020 only (about 350,000 households); national scale: none.
Registers of 26 million households would take hours to write here and add nothing the province
run does not measure, so at national scale the recognition indicators show no recognitions.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from django.db import connection, transaction

from recognition.models import Decision, Nomination, NominationEvent, NominationState, Register, Title
from recognition.services import announce_recognitions, dedup_key
from reporting.synthetic import PREFIX
from units.models import Unit, UnitKind
from xhht_portal import vietnamese
from xhht_portal.models import Role, User

TITLES = ("family", "clan", "community", "unit")
YEARS = {"district": [2016, 2017, 2018, 2019, 2020], "province": [2018, 2020], "national": []}
FAMILY_SHARE = {2016: 0.50, 2017: 0.55, 2018: 0.62, 2019: 0.66, 2020: 0.69}


def delete_synthetic() -> None:
    registers = Register.objects.filter(commune__code__startswith=PREFIX)
    NominationEvent.objects.filter(nomination__register__in=registers)._raw_delete(connection.alias)
    Nomination.objects.filter(register__in=registers)._raw_delete(connection.alias)
    Decision.objects.filter(register__in=registers)._raw_delete(connection.alias)
    registers._raw_delete(connection.alias)


def generate(*, scale_name: str, seed: int = 2016, stdout=None) -> dict:
    years = YEARS[scale_name]
    rng = random.Random(seed + 1)
    communes = list(Unit.objects.filter(code__startswith=f"{PREFIX}C", kind=UnitKind.COMMUNE).order_by("code"))
    approver, _ = User.objects.get_or_create(username="bench.gddt", defaults={"role": Role.REVIEWER})
    count = 0
    titles = list(Title.objects.filter(code__in=TITLES))
    with transaction.atomic():
        villages = {}
        for village in Unit.objects.filter(parent__in=communes, kind=UnitKind.VILLAGE).order_by("order"):
            villages.setdefault(village.parent_id, []).append(village)
        for year in years:
            registers = Register.objects.bulk_create(
                [Register(commune=c, title=title, year=year) for c in communes for title in titles],
                batch_size=2000,
            )
            decisions = Decision.objects.bulk_create(
                [
                    Decision(register=r, number=f"{i + 1:02d}/QĐ-UBND", date=dt.date(year, 12, 20),
                             issuer=f"UBND {r.commune.name}", signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
                             created_by=approver)
                    for i, r in enumerate(registers)
                ],
                batch_size=2000,
            )  # fmt: skip
            rows = []
            for register, decision in zip(registers, decisions, strict=True):
                village_list = villages.get(register.commune_id, [])
                if register.title_id == "family":
                    households = rng.randint(300, 3200)
                    names = [f"Hộ {n}" for n in range(round(households * FAMILY_SHARE[year]))]
                elif register.title_id == "clan":
                    names = [f"Dòng họ {n}" for n in range(rng.randint(3, 20))]
                elif register.title_id == "community":
                    names = [v.name for v in village_list[: max(1, round(len(village_list) * 0.7))]]
                else:
                    names = [f"Đơn vị {n}" for n in range(rng.randint(3, 10))]
                for n, name in enumerate(names):
                    village = village_list[n % len(village_list)] if village_list else None
                    rows.append((register.pk, name, dedup_key(name, village.pk if village else None),
                                 village.pk if village else None, decision.pk))  # fmt: skip
            count += _insert_nominations(rows)
            for title in titles:
                announce_recognitions(title, year)
    summary = {"recognition_years": years, "nominations": count}
    if stdout:
        stdout.write(json.dumps(summary, ensure_ascii=False))
    return summary


def _insert_nominations(rows: list[tuple]) -> int:
    """COPY on PostgreSQL, bulk_create elsewhere: every nominee approved in its register's decision."""
    if connection.vendor == "postgresql":
        table = Nomination._meta.db_table
        columns = (
            "register_id, name, dedup_key, search_key, sort_key, village_id, decision_id, state, note, "
            "refusal_reason, created_at"
        )
        now = dt.datetime.now(dt.UTC)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for register_id, name, key, village_id, decision_id in rows:
                copy.write_row(
                    (register_id, name, key, vietnamese.fold(name), vietnamese.sort_key(name), village_id,
                     decision_id, NominationState.APPROVED, "", "", now)
                )  # fmt: skip
        return len(rows)
    Nomination.objects.bulk_create(
        [
            Nomination(register_id=r, name=name, village_id=v, decision_id=d,
                       state=NominationState.APPROVED).refresh_keys()
            for r, name, key, v, d in rows
        ],
        batch_size=5000,
    )  # fmt: skip
    return len(rows)
