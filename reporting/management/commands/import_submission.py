from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.models import Period
from reporting.services import SubmissionError, submission_import_excel
from units.models import Unit
from xhht_portal.models import User


class Command(BaseCommand):
    help = "Nhập số liệu từ mẫu Excel đã điền vào bản nháp báo cáo (như nút “Tải lên và nhập”)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 06973.")
        parser.add_argument("--period", required=True, help="Mã kỳ báo cáo, ví dụ 2018-H1.")
        parser.add_argument("--user", help="Tên đăng nhập ghi vào lịch sử (mặc định: hệ thống).")
        parser.add_argument("file", help="Tệp .xlsx đã điền.")

    def handle(self, *args, **options):
        period = Period.objects.filter(code=options["period"]).first()
        if period is None:
            raise CommandError(f"Không có kỳ báo cáo mã {options['period']}.")
        # A code names a unit only with its dates: the one valid at the period's end.
        unit = Unit.objects.resolve(options["unit"], on=period.end)
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']} có hiệu lực ngày {period.end:%d/%m/%Y}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng {options['user']}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
            raise CommandError(f"Tệp quá lớn (giới hạn {settings.UPLOAD_MAX_BYTES} byte).")
        try:
            submission = submission_import_excel(
                unit=unit, period=period, by=user, data=path.read_bytes(), filename=path.name
            )
        except SubmissionError as exc:
            raise CommandError("\n".join([exc.message, *exc.errors])) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập vào báo cáo {submission} (phiên bản {submission.version})."))
