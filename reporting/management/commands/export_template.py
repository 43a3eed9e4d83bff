from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.excel import build_template
from reporting.models import Period
from reporting.services import unit_reports_in
from units.models import Unit


class Command(BaseCommand):
    help = "Xuất mẫu Excel báo cáo của một đơn vị cho một kỳ (như nút “Tải mẫu Excel”)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 06973.")
        parser.add_argument("--period", required=True, help="Mã kỳ báo cáo, ví dụ 2018-H1.")
        parser.add_argument("--output", required=True, help="Tệp .xlsx để ghi.")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        period = Period.objects.filter(code=options["period"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        if period is None:
            raise CommandError(f"Không có kỳ báo cáo mã {options['period']}.")
        if not unit_reports_in(unit, period):
            raise CommandError(f"{unit} không phải nộp báo cáo kỳ {period}.")
        output = Path(options["output"])
        output.write_bytes(build_template(unit=unit, period=period))
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {output}."))
