"""export_report --period 2018-Y --format pdf|xlsx|json [--output FILE]: the district report of a period.

Without ``--output`` (or with ``--output -``) the report goes to standard output: JSON as text,
PDF and XLSX as bytes (for a pipe).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Period
from reporting.rollup import compute_rollup


class Command(BaseCommand):
    help = "Xuất báo cáo tổng hợp của một kỳ (PDF, Excel hoặc JSON) từ số liệu đã duyệt."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Mã kỳ báo cáo, ví dụ 2018-Y")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "json"], dest="fmt")
        parser.add_argument(
            "--output", default="-", help="Tệp kết quả; bỏ trống hoặc '-' để ghi ra đầu ra chuẩn (stdout)"
        )

    def handle(self, *args, period: str, fmt: str, output: str, **options):
        the_period = Period.objects.select_related("plan").filter(code=period).first()
        if the_period is None:
            raise CommandError(f"Không có kỳ báo cáo mã “{period}”.")
        rollup = compute_rollup(period=the_period, units=True)
        if fmt == "pdf":
            from reporting.exports.pdf import render_pdf

            content = render_pdf(rollup)
        elif fmt == "xlsx":
            from reporting.exports.xlsx import render_xlsx

            content = render_xlsx(rollup)
        else:
            from reporting.exports.json import render_json

            content = render_json(rollup)
        if output == "-":
            if fmt == "json":
                self.stdout.write(content.decode("utf-8"))
            else:
                self.stdout.flush()
                stream = getattr(self.stdout._out, "buffer", None)
                if stream is None:
                    raise CommandError("Đầu ra chuẩn không nhận dữ liệu nhị phân: hãy dùng --output TỆP.")
                stream.write(content)
                stream.flush()
            return
        Path(output).write_bytes(content)
        self.stdout.write(f"Đã ghi {output} ({len(content):,} byte).")
