import json

from django.core.management.base import BaseCommand, CommandError

from recognition.criteria import criteria_to_dict
from recognition.models import Title


class Command(BaseCommand):
    help = "Print the learning titles and their criteria sets as JSON (the shape import_criteria reads)."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("--title", action="append", help="Only this title code (repeatable); default: all.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        titles = Title.objects.all()
        if options["title"]:
            titles = titles.filter(code__in=options["title"])
            missing = set(options["title"]) - set(titles.values_list("code", flat=True))
            if missing:
                raise CommandError(f"Không có danh hiệu mã: {', '.join(sorted(missing))}.")
        text = json.dumps(criteria_to_dict(titles), ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
