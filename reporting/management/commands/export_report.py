"""export_report [--unit CODE] --period CODE --format pdf|xlsx|json [--output FILE]: a node's report of a period.

Without ``--unit``: the owner of the period's plan (the unit whose steering committee adopted
it), as before. With it: any unit whose own plan or an ancestor's covers the period; the code
names the unit valid at the end of the period (GSO codes are reused across reorganisations).
Without ``--output`` (or with ``--output -``) the report goes to standard output: JSON as text,
PDF and XLSX as bytes (for a pipe). ``--annex``: the PDF also lists every reporting unit. The
same ``write_report`` as the download and the background job, so ``benchmark`` times what people get.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.exports.report import write_report
from reporting.models import Period
from reporting.nodes import plan_periods, resolve_unit


class Command(BaseCommand):
    help = "Xuất báo cáo tổng hợp của một đơn vị trong một kỳ (PDF, Excel hoặc JSON) từ số liệu đã duyệt."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị ban hành chương trình của kỳ)")
        parser.add_argument("--period", required=True, help="Mã kỳ báo cáo, ví dụ 2018-Y")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "json"], dest="fmt")
        parser.add_argument(
            "--output", default="-", help="Tệp kết quả; bỏ trống hoặc '-' để ghi ra đầu ra chuẩn (stdout)"
        )
        parser.add_argument(
            "--annex", action="store_true", help="PDF: kèm phụ lục tình hình nộp báo cáo của từng đơn vị."
        )

    def handle(
        self, *args, period: str, fmt: str, output: str, unit: str | None = None, annex: bool = False, **options
    ):
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
        if output == "-":
            buffer = io.BytesIO()
            write_report(period=the_period, fmt=fmt, stream=buffer, node=node, annex=annex)
            content = buffer.getvalue()
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
        with open(output, "wb") as stream:
            write_report(period=the_period, fmt=fmt, stream=stream, node=node, annex=annex)
        self.stdout.write(f"Đã ghi {output} ({Path(output).stat().st_size:,} byte).")
