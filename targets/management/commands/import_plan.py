import json

from django.core.management.base import BaseCommand, CommandError

from targets.serialization import PlanFormatError, plan_from_dict


class Command(BaseCommand):
    help = "Load a plan from a JSON file in the shape export_plan prints; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Update a plan with the same code in place.")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc.strerror}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Tệp không phải JSON hợp lệ: {exc}.") from exc
        try:
            plan = plan_from_dict(data, replace=options["replace"])
        except PlanFormatError as exc:
            raise CommandError(f"Không nạp được chương trình: {exc} Không có gì thay đổi.") from exc
        count = sum(1 for _ in plan.indicators.values("targets"))
        self.stdout.write(
            self.style.SUCCESS(f"Đã nạp “{plan.name}”: {plan.indicators.count()} chỉ số, {count} chỉ tiêu.")
        )
