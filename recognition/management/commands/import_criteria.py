from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recognition.criteria import CriteriaFormatError, load_file


class Command(BaseCommand):
    help = "Load titles and criteria sets from JSON files in the shape export_criteria prints; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, **options):
        titles = sets = 0
        try:
            with transaction.atomic():
                for path in options["files"]:
                    loaded_titles, loaded_sets = load_file(path)
                    titles += loaded_titles
                    sets += loaded_sets
        except CriteriaFormatError as exc:
            raise CommandError(f"Không nạp được bộ tiêu chí: {exc} Không có gì thay đổi.") from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {titles} danh hiệu, {sets} bộ tiêu chí."))
