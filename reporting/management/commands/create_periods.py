import argparse

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Period
from reporting.periods import create_periods
from targets.models import Plan

# The years a programme of the learning society can have periods in (a typo such as 20255 or 0
# would otherwise fail deep inside date arithmetic, or create thousands of periods).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải là một năm (ví dụ 2026).") from None


class Command(BaseCommand):
    help = "Create the 6-month and annual periods of a range of years (Decree 09/2019 windows), plus the reviews."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code; default: the active plan.")
        parser.add_argument("--from", dest="first", type=year, required=True)
        parser.add_argument("--to", dest="last", type=year, required=True)
        parser.add_argument("--midterm", type=year, help="First year of the mid-term review school year, e.g. 2016.")
        parser.add_argument("--final", type=year, help="First year of the final review school year, e.g. 2019.")

    def handle(self, *args, **options):
        plans = Plan.objects.all()
        if options["plan"]:
            plan = plans.filter(code=options["plan"]).first()
        else:
            # Several plans run at once (a district's old one, a province's new one): never guess.
            active = list(plans.filter(is_active=True).order_by("code"))
            if len(active) > 1:
                raise CommandError(
                    "Có nhiều chương trình đang áp dụng; chọn một bằng --plan: " + ", ".join(p.code for p in active)
                )
            plan = active[0] if active else None
        if plan is None:
            raise CommandError("Không tìm thấy chương trình.")
        for name in ("first", "last", "midterm", "final"):
            year = options[name]
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                flag = {"first": "--from", "last": "--to"}.get(name, f"--{name}")
                raise CommandError(f"{flag} {year}: năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.")
        if options["last"] < options["first"]:
            raise CommandError("Năm kết thúc phải sau năm bắt đầu.")
        created = create_periods(
            plan=plan,
            first_year=options["first"],
            last_year=options["last"],
            midterm=options["midterm"],
            final=options["final"],
        )
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {len(created)} kỳ báo cáo."))
        # A period's code is unique across plans: a year already taken by another plan is left alone.
        taken = Period.objects.filter(
            code__in=[f"{year}-{half}" for year in range(options["first"], options["last"] + 1) for half in ("H1", "Y")]
        ).exclude(plan=plan)
        for period in taken.select_related("plan"):
            self.stderr.write(
                f"Kỳ {period.code} đã thuộc chương trình “{period.plan.code}”: giữ nguyên, không tạo lại."
            )
