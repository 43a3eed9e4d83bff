"""Load criteria sets from JSON files (default: fixtures/criteria-*.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from recognition.criteria import load_criteria, load_default_criteria


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí danh hiệu học tập từ tệp JSON (mặc định: fixtures/criteria-*.json)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, **options):
        count = sum(load_criteria(p) for p in options["paths"]) if options["paths"] else load_default_criteria()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {count} bộ tiêu chí."))
