"""export_report [--unit CODE] --period CODE --format pdf|xlsx|json [--output FILE]: a node's report of a period.

Without ``--unit``: the owner of the period's plan (the unit whose steering committee adopted
it), as before. With it: any unit whose own plan or an ancestor's covers the period; the code
names the unit valid at the end of the period (GSO codes are reused across reorganisations).
Without ``--output`` (or with ``--output -``) the report goes to standard output: JSON as text,
PDF and XLSX as bytes (for a pipe).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Period
from reporting.nodes import plan_periods, resolve_unit
from reporting.rollup import compute_rollup


class Command(BaseCommand):
    help = "Xuất báo cáo tổng hợp của một đơn vị trong một kỳ (PDF, Excel hoặc JSON) từ số liệu đã duyệt."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị ban hành chương trình của kỳ)")
        parser.add_argument("--period", required=True, help="Mã kỳ báo cáo, ví dụ 2018-Y")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "json"], dest="fmt")
        parser.add_argument(
            "--output", default="-", help="Tệp kết quả; bỏ trống hoặc '-' để ghi ra đầu ra chuẩn (stdout)"
        )

    def handle(self, *args, period: str, fmt: str, output: str, unit: str | None = None, **options):
        the_period = Period.objects.select_related("plan", "plan__owner").filter(code=period).first()
        if the_period is None:
            raise CommandError(f"Không có kỳ báo cáo mã “{period}”.")
        node = None
        if unit:
            node = resolve_unit(unit, on=the_period.end)
            if node is None:
                raise CommandError(f"Không có đơn vị mã “{unit}” còn hiệu lực vào ngày {the_period.end:%d/%m/%Y}.")
            if the_period.pk not in {p.pk for p in plan_periods(node)}:
                raise CommandError(
                    f"{node.name} không có chương trình nào áp dụng cho kỳ “{period}” "
                    "(chương trình của đơn vị hoặc của cấp trên)."
                )
        rollup = compute_rollup(period=the_period, units=True, node=node)
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
