from django.core.management.base import BaseCommand

from reporting.models import Period
from reporting.totals import compute_totals, rebuild_totals, stored_totals


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp số liệu đã duyệt từ đầu (sau khi nâng cấp hoặc nhập dữ liệu trực tiếp)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Chỉ so sánh, không ghi; mã lỗi 1 nếu lệch.")

    def handle(self, *args, **options):
        periods = list(Period.objects.all())
        if options["check"]:
            stored, fresh = stored_totals(periods), compute_totals(periods)
            differing = sorted(
                set(stored) ^ set(fresh) | {k for k in stored.keys() & fresh.keys() if stored[k] != fresh[k]}
            )
            if differing:
                self.stderr.write(f"{len(differing)} dòng tổng hợp lệch, ví dụ (kỳ, chỉ số): {differing[:5]}")
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS(f"{len(fresh)} dòng tổng hợp khớp với số liệu gốc."))
            return
        count = rebuild_totals(periods)
        self.stdout.write(self.style.SUCCESS(f"Đã tính lại {count} dòng tổng hợp."))
