"""Background jobs' housekeeping: dead jobs marked failed; expired files, partial files and stray uploads deleted."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xhht_portal.jobs import job_sweep


class Command(BaseCommand):
    help = (
        "Dọn việc chạy nền: đánh dấu thất bại việc đã dừng giữa chừng, xoá tệp hết hạn, tệp dở dang và tệp tải lên còn sót "
        "(chạy hằng ngày, ví dụ bằng deploy/systemd/xhht-cleanup.timer)."
    )

    def handle(self, *args, **options):
        counts = job_sweep()
        self.stdout.write(
            f"stale={counts['stale']} expired={counts['expired']} partial={counts['partial']} uploads={counts['uploads']}"
        )
