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
        period = Period.objects.filter(code=options["period"]).first()
        if period is None:
            raise CommandError(f"Không có kỳ báo cáo mã {options['period']}.")
        # A code names a unit only with its dates: the one valid at the period's end.
        unit = Unit.objects.resolve(options["unit"], on=period.end)
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']} có hiệu lực ngày {period.end:%d/%m/%Y}.")
        if not unit_reports_in(unit, period):
            raise CommandError(f"{unit} không phải nộp báo cáo kỳ {period}.")
        output = Path(options["output"])
        output.write_bytes(build_template(unit=unit, period=period))
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {output}."))
