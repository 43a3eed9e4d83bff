import json

from django.core.management.base import BaseCommand, CommandError

from targets.models import Plan
from targets.serialization import plan_to_dict


class Command(BaseCommand):
    help = "Print a plan (sections, indicators, targets) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("--plan", help="Plan code; default: the active plan.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        plans = Plan.objects.all()
        plan = (
            plans.filter(code=options["plan"]).first()
            if options["plan"]
            else (plans.filter(is_active=True).first() or plans.first())
        )
        if plan is None:
            raise CommandError(
                "Không có chương trình nào." if not options["plan"] else f"Không có chương trình “{options['plan']}”."
            )
        text = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
