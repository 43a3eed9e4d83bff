"""Load the plan, the Ba Chẽ units and the demo data; safe to run again."""

from importlib import import_module, util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Nạp chương trình, đơn vị hành chính Ba Chẽ, người dùng mẫu và dữ liệu mẫu (chạy lại không sao)."

    def handle(self, *args, **options):
        # Each app that has demo data ships a ``demo`` module with ``load_demo(stdout)``; they run
        # in INSTALLED_APPS order, so the plan comes before units and units before reports.
        with transaction.atomic():
            for config in apps.get_app_configs():
                name = f"{config.name}.demo"
                if util.find_spec(name) is None:
                    continue
                self.stdout.write(f"{config.verbose_name}:")
                import_module(name).load_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
