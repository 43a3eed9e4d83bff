"""Synthetic but plausible data from district to national size, for the benchmark.

Units: one synthetic nation → provinces → communes (with villages), the two-tier tree of 2025, and
four bodies per province (GD, NV, LĐ, the vocational centre), in a tree of their own (codes "S…")
under a root that owns the synthetic plan, so every node (nation, province, commune) has a dashboard.
The demo database is left alone unless asked (``--into-demo``). Every reporting unit has an approved report for every period
of the plan with every indicator it is responsible for. Figures are seeded, so two runs at the
same scale give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from reporting.models import IndicatorTotal, Period, Submission, SubmissionEvent, SubmissionState, SubmissionValue
from reporting.periods import create_periods
from reporting.totals import rebuild_totals
from targets.models import Entry, Indicator, Plan
from targets.serialization import plan_from_dict
from units.models import Reporter, Unit, UnitKind

PREFIX = "S"  # every synthetic unit code starts with it, so they never clash with real ones


@dataclass(frozen=True)
class Scale:
    provinces: int
    communes: int
    villages_per_commune: int


SCALES = {
    "district": Scale(provinces=1, communes=8, villages_per_commune=6),
    "province": Scale(provinces=1, communes=177, villages_per_commune=6),
    "national": Scale(provinces=63, communes=10_600, villages_per_commune=7),
}
NATION_KIND = getattr(UnitKind, "NATION", "nation")

DEPARTMENTS = [
    (Reporter.EDUCATION, "Phòng GD&ĐT"),
    (Reporter.HOME_AFFAIRS, "Phòng Nội vụ"),
    (Reporter.LABOUR, "Phòng LĐ-TB&XH"),
    (Reporter.CENTRE, "Trung tâm GDNN-GDTX"),
]


class SyntheticDataExists(Exception):
    pass


class DemoDatabase(SyntheticDataExists):
    """Real (demo) units are there: synthetic data goes into its own database unless asked."""


def real_units_exist() -> bool:
    return Unit.objects.exclude(code__startswith=PREFIX).exists()


def ensure_plan(owner: Unit | None = None) -> Plan:
    """The 2016–2020 plan: the one already there (``--into-demo``), or the fixture's, owned by the synthetic root."""
    plan = Plan.objects.filter(code="ba-che-2016-2020").first()
    if plan is None:
        path = Path(settings.BASE_DIR) / "fixtures" / "plan-ba-che-2016-2020.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["plan"].pop("owner", None)  # huyện Ba Chẽ is not in a synthetic database
        data["plan"].pop("owner_valid_from", None)
        plan = plan_from_dict(data)
        Plan.objects.filter(pk=plan.pk).update(owner=owner)
        plan.owner = owner
    elif plan.owner_id is None and owner is not None:
        # After --reset: the synthetic root that owned it was deleted; the new one owns it.
        Plan.objects.filter(pk=plan.pk).update(owner=owner)
        plan.owner = owner
    return plan


def delete_synthetic() -> None:
    """Remove synthetic units and their reports with set-based SQL (a cascade through the ORM
    would load millions of rows)."""
    units = Unit.objects.filter(code__startswith=PREFIX)
    Plan.objects.filter(owner__in=units).update(owner=None)
    IndicatorTotal.objects.filter(unit__in=units)._raw_delete(connection.alias)
    submissions = Submission.objects.filter(unit__in=units)
    SubmissionValue.objects.filter(submission__in=submissions)._raw_delete(connection.alias)
    SubmissionEvent.objects.filter(submission__in=submissions)._raw_delete(connection.alias)
    submissions._raw_delete(connection.alias)
    for kind in (
        UnitKind.VILLAGE,
        UnitKind.COMMUNE,
        UnitKind.DEPARTMENT,
        UnitKind.CENTRE,
        UnitKind.DISTRICT,
        UnitKind.PROVINCE,
        NATION_KIND,
    ):
        units.filter(kind=kind)._raw_delete(connection.alias)


def _build_units(scale: Scale, rng: random.Random) -> tuple[Unit, list[Unit], dict[int, int]]:
    """Create the tree; returns its root, the reporting units and each commune's population."""
    day = dt.date(2015, 1, 1)
    root = Unit.objects.create(code=f"{PREFIX}N", name="Toàn quốc (dữ liệu mẫu)", kind=NATION_KIND, valid_from=day)
    provinces = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{PREFIX}P{p:02d}",
                name=f"Tỉnh mẫu {p}",
                kind=UnitKind.PROVINCE,
                parent=root,
                valid_from=day,
                order=p,
            )
            for p in range(1, scale.provinces + 1)
        ]
    )
    communes = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{PREFIX}C{c:05d}",
                name=f"Xã mẫu {c}",
                kind=UnitKind.COMMUNE,
                reporter_code=Reporter.COMMUNE,
                parent=provinces[(c - 1) % len(provinces)],
                valid_from=day,
                order=c,
            )
            for c in range(1, scale.communes + 1)
        ],
        batch_size=2000,
    )
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"{commune.code}-V{v:02d}",
                name=f"Thôn {v}",
                kind=UnitKind.VILLAGE,
                parent=commune,
                valid_from=day,
                order=v,
            )
            for commune in communes
            for v in range(1, scale.villages_per_commune + 1)
        ],
        batch_size=5000,
    )
    departments = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{province.code}-{code}",
                name=f"{label} {province.name.lower()}",
                kind=UnitKind.CENTRE if code == Reporter.CENTRE else UnitKind.DEPARTMENT,
                reporter_code=code,
                parent=province,
                valid_from=day,
                order=100_000 + i,
            )
            for province in provinces
            for i, (code, label) in enumerate(DEPARTMENTS)
        ],
        batch_size=2000,
    )
    Unit.objects.rebuild_paths()  # bulk inserts skip save(): number the tree in a few UPDATEs
    population = {commune.pk: rng.randint(1_500, 15_000) for commune in communes}
    return root, communes + departments, population


# Starting share in 2016 and yearly gain, by indicator: plausible progress, some targets met,
# some behind. Indicators not listed start at 60% and gain 4 points a year.
PROGRESS = {
    "I03": (0.62, 0.07),
    "I04": (0.90, 0.012),
    "I05": (0.55, 0.04),
    "I09": (0.70, 0.07),
    "I10": (0.25, 0.05),
    "I11": (0.10, 0.04),
    "I14": (0.85, 0.02),
    "I15": (0.45, 0.05),
    "I21": (0.65, 0.03),
    "I23": (0.33, 0.07),
    "I25": (0.05, 0.006),
    "I26": (0.02, 0.012),
    "I27": (0.022, 0.002),
    "I17": (0.35, 0.06),
    "I20": (0.20, 0.02),
    "I22": (0.22, 0.02),
}


def _value(
    indicator: Indicator, unit: Unit, population: int, period: Period, rng: random.Random, bases: dict | None = None
) -> dict:
    """One plausible approved value; ``bases`` (one dict per report) keeps one figure per base key,
    as a report types each base figure once (I09–I11 share the staff count)."""
    value = _raw_value(indicator, unit, population, period, rng)
    if bases is not None and indicator.base and "denominator" in value:
        denominator = bases.setdefault(indicator.base, value["denominator"])
        if "numerator" in value and value["numerator"] > denominator:
            value["numerator"] = denominator
        value["denominator"] = denominator
    return value


def _raw_value(indicator: Indicator, unit: Unit, population: int, period: Period, rng: random.Random) -> dict:
    years = period.year - 2016 + (0.5 if period.end.month <= 6 else 1.0)
    start, gain = PROGRESS.get(indicator.code, (0.60, 0.04))
    share = max(0.0, min(1.0, start + gain * years + rng.uniform(-0.04, 0.04)))
    if indicator.entry == Entry.YESNO:
        return {"flags": [rng.random() < min(1.0, 0.7 + 0.08 * years) for _ in indicator.answers]}
    if indicator.entry == Entry.TOTAL:
        base = {"family": population / 4.6, "clan": population / 180, "community": 6, "unit": population / 600}
        return {"denominator": Decimal(max(1, round(base.get(indicator.title_code, 10))))}
    if indicator.entry == Entry.NUMBER:
        return {"numerator": Decimal(rng.randint(0, 5))}
    if unit.kind == UnitKind.COMMUNE:
        denominator = max(10, round(population * rng.uniform(0.05, 0.6)))
    else:
        denominator = rng.randint(20, 400)
    if indicator.code == "I27":  # students per 10,000 people: the denominator is the population
        denominator = population
    return {"numerator": Decimal(round(denominator * share)), "denominator": Decimal(denominator)}


def generate(*, scale_name: str, seed: int = 2016, stdout=None, into_demo: bool = False) -> dict:
    """Fill the database at a scale; refuses if synthetic data is already there, and (unless
    ``into_demo``) if real units are: synthetic data belongs in a database of its own."""
    if Unit.objects.filter(code__startswith=PREFIX).exists():
        raise SyntheticDataExists("Đã có dữ liệu tổng hợp; dùng --reset để tạo lại.")
    if real_units_exist() and not into_demo:
        raise DemoDatabase(
            "Cơ sở dữ liệu này đã có đơn vị thật (dữ liệu mẫu): hãy tạo dữ liệu tổng hợp trong một cơ sở dữ liệu "
            "riêng (DATABASE_URL), hoặc thêm --into-demo nếu thật sự muốn ghi vào đây."
        )
    scale, rng = SCALES[scale_name], random.Random(seed)
    with transaction.atomic():
        root, units, population = _build_units(scale, rng)
        plan = ensure_plan(owner=root)
        create_periods(plan=plan, first_year=2016, last_year=2020, midterm=2016, final=2019)
        periods = list(Period.objects.filter(plan=plan))
        indicators = list(Indicator.objects.filter(plan=plan))
        by_reporter = {
            code: [i for i in indicators if code in i.reporters or Reporter.ALL in i.reporters]
            for code in {u.reporter_code for u in units}
        }
        now = timezone.now()
        submissions = Submission.objects.bulk_create(
            [
                Submission(unit=unit, period=period, state=SubmissionState.APPROVED, submitted_at=now, approved_at=now)
                for period in periods
                for unit in units
            ],
            batch_size=5000,
        )
        rows = (
            (
                submission.pk,
                indicator.pk,
                _value(
                    indicator, submission.unit, population.get(submission.unit_id, 0), submission.period, rng, bases
                ),
            )
            for submission in submissions
            for bases in ({},)  # a fresh dict per report: its base figures
            for indicator in by_reporter[submission.unit.reporter_code]
        )
        count = _insert_values(rows)
        # Written straight to the tables, bypassing the approval service: compute the totals once.
        rebuild_totals(periods)
    _analyze()
    summary = {
        "scale": scale_name,
        "communes": scale.communes,
        "reporting_units": len(units),
        "periods": len(periods),
        "submissions": len(submissions),
        "values": count,
    }
    if stdout:
        stdout.write(json.dumps(summary, ensure_ascii=False))
    return summary


def _analyze() -> None:
    """Fresh statistics after millions of rows, so the planner picks the indexes at once (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the same statement on PostgreSQL and SQLite


def _insert_values(rows) -> int:
    """COPY on PostgreSQL (millions of rows in seconds), bulk_create elsewhere."""
    table = SubmissionValue._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            sql = (
                f"COPY {table} (submission_id, indicator_id, numerator, denominator, flags, reviewer_comment) "
                "FROM STDIN"
            )
            with raw.copy(sql) as copy:
                for submission_id, indicator_id, value in rows:
                    copy.write_row(
                        (
                            submission_id,
                            indicator_id,
                            value.get("numerator"),
                            value.get("denominator"),
                            json.dumps(value.get("flags", [])),
                            "",
                        )
                    )
                    count += 1
        return count
    batch: list[SubmissionValue] = []
    for submission_id, indicator_id, value in rows:
        batch.append(SubmissionValue(submission_id=submission_id, indicator_id=indicator_id, **value))
        count += 1
        if len(batch) >= 5000:
            SubmissionValue.objects.bulk_create(batch)
            batch = []
    SubmissionValue.objects.bulk_create(batch)
    return count
