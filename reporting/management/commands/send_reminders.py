"""Daily: e-mail officers whose reports are due soon or overdue (systemd timer or cron, docs/DEPLOY.md)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.reminders import build_messages, send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị có báo cáo sắp đến hạn hoặc đã quá hạn mà chưa gửi."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính hạn, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--soon-days", type=int, default=7, help="Nhắc khi còn từ chừng này ngày trở xuống.")
        parser.add_argument("--overdue-days", type=int, default=30, help="Ngừng nhắc sau chừng này ngày quá hạn.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in ra, không gửi thư.")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {options['date']} (cần YYYY-MM-DD)") from exc
        window = {"today": today, "soon_days": options["soon_days"], "overdue_days": options["overdue_days"]}
        if options["dry_run"]:
            for message in build_messages(**window):
                self.stdout.write(f"→ {', '.join(message.to)}: {message.subject}\n{message.body}\n")
        count = send_reminders(**window, dry_run=options["dry_run"])
        verb = "Sẽ gửi" if options["dry_run"] else "Đã gửi"
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} thư nhắc ({today:%d/%m/%Y})."))
