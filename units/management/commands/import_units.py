import json

from django.core.management.base import BaseCommand, CommandError

from units.serialization import UnitFormatError, units_from_dict


class Command(BaseCommand):
    help = "Nạp đơn vị và các lần sắp xếp đơn vị từ tệp JSON như export_units in ra; tất cả hoặc không gì cả."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc.strerror}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Tệp không phải JSON hợp lệ: {exc}.") from exc
        try:
            units, reorganisations = units_from_dict(data)
        except UnitFormatError as exc:
            raise CommandError(f"Không nạp được đơn vị: {exc} Không có gì thay đổi.") from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {units} đơn vị, {reorganisations} lần sắp xếp đơn vị."))
