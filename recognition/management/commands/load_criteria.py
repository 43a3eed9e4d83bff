"""Load titles and criteria sets from JSON files (default: fixtures/criteria-*.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recognition.criteria import CriteriaFormatError, default_paths, load_criteria


class Command(BaseCommand):
    help = "Nạp danh hiệu và bộ tiêu chí từ tệp JSON (mặc định: fixtures/criteria-*.json); tất cả hoặc không gì."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, **options):
        paths = options["paths"] or default_paths()
        try:
            with transaction.atomic():
                count = sum(load_criteria(path) for path in paths)
        except CriteriaFormatError as exc:
            raise CommandError(f"Không nạp được bộ tiêu chí: {exc} Không có gì thay đổi.") from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {count} bộ tiêu chí."))
