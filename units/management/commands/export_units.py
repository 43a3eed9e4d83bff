import json

from django.core.management.base import BaseCommand

from units.serialization import units_to_dict


class Command(BaseCommand):
    help = "In cây đơn vị và các lần sắp xếp đơn vị ra JSON (đọc lại được bằng import_units)."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("--output", help="Ghi ra tệp này thay vì ra màn hình.")

    def handle(self, *args, **options):
        text = json.dumps(units_to_dict(), ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
