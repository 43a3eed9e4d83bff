"""The project's benchmark: dashboard, floor, exports, recognition import and approval, as JSON.

    python manage.py benchmark --scale district|province|national --json

Fills the database with ``generate_data`` at that scale if it has no synthetic data yet. Times
are server-side (the dashboard through Django's test client, so no network), medians over
repeated runs; the exports run in a child process so their peak memory is their own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reporting.models import Period, Submission, SubmissionState
from reporting.rollup import aggregate_approved_values
from reporting.synthetic import PREFIX
from units.models import Unit
from xhht_portal.models import Role, User


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Đo hiệu năng: bảng tiến độ, xuất Excel/PDF, nhập danh sách, duyệt báo cáo (in JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district", "province", "national"], default="district")
        parser.add_argument("--json", action="store_true", help="Chỉ in một đối tượng JSON.")
        parser.add_argument("--requests", type=int, default=20, help="Số lần tải bảng tiến độ.")
        parser.add_argument("--import-rows", type=int, default=5000)
        parser.add_argument(
            "--certificates",
            type=int,
            default=0,
            help="Đo thời gian tạo N giấy công nhận (PDF, theo từng lô như việc chạy nền); 0: không đo.",
        )
        parser.add_argument("--period", help="Mã kỳ; mặc định: kỳ gần nhất có số liệu đã duyệt.")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Xuất Excel và PDF trong tiến trình này (bộ nhớ đỉnh đo bằng tracemalloc); dùng trong kiểm thử.",
        )

    def say(self, text: str) -> None:
        if not self.quiet:
            self.stderr.write(text)

    def handle(self, *args, **options):
        self.quiet = options["json"]
        started = time.perf_counter()
        if not Unit.objects.filter(code__startswith=f"{PREFIX}C").exists():
            self.say(f"Tạo dữ liệu tổng hợp quy mô {options['scale']}…")
            call_command("generate_data", scale=options["scale"], stdout=io.StringIO())
        period = (
            Period.objects.get(code=options["period"])
            if options["period"]
            else Period.objects.filter(submissions__state=SubmissionState.APPROVED).order_by("-end").first()
        )
        result = {
            "scale": options["scale"],
            "database": connection.vendor,
            "period": period.code,
            "communes": Unit.objects.communes().count(),
            "approved_reports": Submission.objects.filter(state=SubmissionState.APPROVED).count(),
        }
        result.update(self.dashboard(period, options["requests"]))
        result["nodes"] = self.node_dashboards(period, options["requests"])
        result.update(self.over_http(period, options["requests"]))
        result["floor_ms"] = self.floor(period)
        for fmt in ("xlsx", "pdf"):
            if options["in_process"]:
                result.update(self.export_in_process(period, fmt))
            else:
                result.update(self.export_in_child(period, fmt))
        result["import_rows_per_s"] = self.recognition_import(options["import_rows"])
        result["approve_ms"] = self.approve(period)
        if options["certificates"]:
            result.update(self.certificates(options["certificates"]))
        result["total_s"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    # ------------------------------------------------------------------ measurements

    def dashboard(self, period: Period, requests: int) -> dict:
        leader, _ = User.objects.get_or_create(username="bench.lanhdao", defaults={"role": Role.LEADER})
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(leader)
        url = reverse("reporting:dashboard")
        for _ in range(2):  # warm the caches a real server has warm
            client.get(url, {"period": period.code})
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url, {"period": period.code})
        assert response.status_code == 200, response.status_code
        samples = []
        for _ in range(requests):
            tick = time.perf_counter()
            client.get(url, {"period": period.code})
            samples.append((time.perf_counter() - tick) * 1000)
        self.say(f"bảng tiến độ: p50 {statistics.median(samples):.0f} ms")
        return {
            "dashboard_ms_p50": round(statistics.median(samples), 1),
            "dashboard_ms_p95": round(_percentile(samples, 0.95), 1),
            "dashboard_queries": len(queries),
        }

    def _leader_client(self) -> Client:
        leader, _ = User.objects.get_or_create(username="bench.lanhdao", defaults={"role": Role.LEADER})
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(leader)
        return client

    def _nodes(self) -> dict[str, Unit]:
        """The synthetic nation, its first province and that province's first commune."""
        nation = Unit.objects.get(code=f"{PREFIX}N")
        province = Unit.objects.filter(parent=nation).order_by("code").first()
        commune = Unit.objects.filter(parent=province, kind="commune").order_by("code").first()
        return {"nation": nation, "province": province, "commune": commune}

    def node_dashboards(self, period: Period, requests: int) -> dict:
        """Each node's dashboard: served from the cache (the usual case) and computed (the first view
        after a change of the data), with the queries of each."""
        from django.core.cache import cache

        client = self._leader_client()
        result = {}
        for name, node in self._nodes().items():
            url = reverse("reporting:node_dashboard", args=[node.pk])
            client.get(url, {"period": period.code})
            queries = {"miss": 0, "hit": 0}

            def measure(kind: str, *, clear: bool, count: int, url=url, queries=queries) -> list[float]:
                samples = []
                for index in range(count):
                    if clear:
                        cache.clear()
                    seen: list[str] = []

                    def counter(execute, sql, params, many, context, seen=seen):
                        seen.append(sql)
                        return execute(sql, params, many, context)

                    tick = time.perf_counter()
                    with connection.execute_wrapper(counter):
                        response = client.get(url, {"period": period.code})
                    samples.append((time.perf_counter() - tick) * 1000)
                    assert response.status_code == 200, response.status_code
                    if index == 0:
                        queries[kind] = len(seen)
                return samples

            uncached = measure("miss", clear=True, count=max(3, requests // 4))
            client.get(url, {"period": period.code})  # fill the cache
            cached = measure("hit", clear=False, count=requests)
            result[name] = {
                "code": node.code,
                "ms_p50": round(statistics.median(cached), 1),
                "ms_p95": round(_percentile(cached, 0.95), 1),
                "queries": queries["hit"],
                "uncached_ms_p50": round(statistics.median(uncached), 1),
                "uncached_queries": queries["miss"],
            }
            self.say(
                f"bảng tiến độ {name}: p50 {result[name]['ms_p50']} ms (tính lại: {result[name]['uncached_ms_p50']} ms)"
            )
        return result

    def over_http(self, period: Period, requests: int) -> dict:
        """The nation's dashboard against the login page over a real socket (a threaded WSGI server
        in this process), medians of ``requests`` sequential requests each."""
        import threading
        import urllib.request
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        class Threaded(WSGIServer):
            daemon_threads = True

        server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        client = self._leader_client()
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        nation = self._nodes()["nation"]
        dashboard = base + reverse("reporting:node_dashboard", args=[nation.pk]) + f"?period={period.code}"
        login = base + reverse("login")

        def timed(url: str, headers: dict) -> list[float]:
            samples = []
            for _ in range(requests + 2):
                request = urllib.request.Request(url, headers=headers)
                tick = time.perf_counter()
                with urllib.request.urlopen(request) as response:
                    response.read()
                samples.append((time.perf_counter() - tick) * 1000)
            return samples[2:]  # the first two warm the process

        try:
            login_ms = statistics.median(timed(login, {}))
            dashboard_ms = statistics.median(timed(dashboard, {"Cookie": cookie}))
        finally:
            server.shutdown()
            server.server_close()
        self.say(f"qua HTTP: đăng nhập {login_ms:.1f} ms, bảng tiến độ toàn quốc {dashboard_ms:.1f} ms")
        return {
            "http_login_ms_p50": round(login_ms, 1),
            "http_dashboard_ms_p50": round(dashboard_ms, 1),
            "http_dashboard_to_login": round(dashboard_ms / login_ms, 2),
        }

    def floor(self, period: Period) -> float:
        """The plain SQL aggregate of the dashboard's figures (every period of the trend so far)."""
        period_ids = list(Period.objects.filter(plan=period.plan, end__lte=period.end).values_list("pk", flat=True))
        samples = []
        for _ in range(5):
            tick = time.perf_counter()
            aggregate_approved_values(period_ids)
            samples.append((time.perf_counter() - tick) * 1000)
        return round(statistics.median(samples), 1)

    def export_in_child(self, period: Period, fmt: str) -> dict:
        """The report file exactly as the download and the background job make it (``write_report``
        through ``export_report``), in a child process so its time and peak memory are its own."""
        with tempfile.TemporaryDirectory() as folder:
            output = os.path.join(folder, f"report.{fmt}")
            tick = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "export_report", "--period", period.code,
                 "--format", fmt, "--output", output],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy(),
            )  # fmt: skip
            _stderr = child.stderr.read()
            _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
            child.returncode = os.waitstatus_to_exitcode(status)
            elapsed = time.perf_counter() - tick
            if child.returncode:
                raise RuntimeError(f"export_report {fmt} failed: {_stderr.decode(errors='replace')[-2000:]}")
            size = os.path.getsize(output)
            result = {
                f"{fmt}_export_s": round(elapsed, 2),
                # The child's own CPU time: what the export costs when the machine is busy too.
                f"{fmt}_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                f"{fmt}_peak_mb": round(usage.ru_maxrss / 1024, 1),
                f"{fmt}_bytes": size,
            }
            if fmt == "pdf":
                from pypdf import PdfReader

                result["pdf_pages"] = len(PdfReader(output).pages)
        self.say(f"xuất {fmt}: {elapsed:.1f} s, {usage.ru_maxrss / 1024:.0f} MB, {size / 1e6:.1f} MB")
        return result

    def export_in_process(self, period: Period, fmt: str) -> dict:
        """The same ``write_report`` in this process (the test suite): peak memory by tracemalloc."""
        import tracemalloc

        from reporting.exports.report import write_report

        tracemalloc.start()
        tick = time.perf_counter()
        buffer = io.BytesIO()
        write_report(period=period, fmt=fmt, stream=buffer)
        elapsed = time.perf_counter() - tick
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {
            f"{fmt}_export_s": round(elapsed, 2),
            f"{fmt}_peak_mb": round(peak / 2**20, 1),
            f"{fmt}_bytes": len(buffer.getvalue()),
        }

    def recognition_import(self, count: int) -> float:
        """Rows per second through the real import path (read, check, save), rolled back after."""
        from openpyxl import Workbook

        from recognition.importer import read_workbook
        from recognition.services import nominations_import, register_open

        commune = Unit.objects.filter(code__startswith=f"{PREFIX}C").order_by("code").first()
        officer, _ = User.objects.get_or_create(
            username="bench.xa", defaults={"role": Role.COMMUNE_OFFICER, "unit": commune}
        )
        villages = list(commune.children.values_list("name", flat=True))
        book = Workbook()
        sheet = book.active
        sheet.append(["Họ và tên chủ hộ", "Thôn, bản, khu", "Ghi chú"])
        for n in range(count):
            sheet.append([f"Hộ gia đình số {n}", villages[n % len(villages)], ""])
        content = io.BytesIO()
        book.save(content)
        with transaction.atomic():
            register = register_open(commune=commune, title="family", year=2031, by=officer)
            tick = time.perf_counter()
            checked = read_workbook(io.BytesIO(content.getvalue()), register)
            assert checked.ok, checked.errors[:3]
            nominations_import(register=register, rows=checked.rows, by=officer)
            elapsed = time.perf_counter() - tick
            transaction.set_rollback(True)
        self.say(f"nhập {count} dòng: {elapsed:.2f} s")
        return round(count / elapsed)

    def certificates(self, count: int) -> dict:
        """Certificates per second as the background job makes them (batches, then one PDF)."""
        from recognition.certificates import write_certificates
        from recognition.models import Decision, Nomination
        from recognition.services import register_open

        commune = Unit.objects.filter(code__startswith=f"{PREFIX}C").order_by("code").first()
        officer, _ = User.objects.get_or_create(
            username="bench.xa", defaults={"role": Role.COMMUNE_OFFICER, "unit": commune}
        )
        villages = list(commune.children.all())
        with transaction.atomic():
            register = register_open(commune=commune, title="family", year=2032, by=officer)
            decision = Decision(
                register=register,
                number="1/QĐ-UBND",
                date=dt.date(2032, 12, 20),
                issuer=f"UBND {commune.name}",
                signer_title="Chủ tịch",
                signer_name="Nguyễn Văn An",
            )
            # Unsaved rows: the layout reads only their fields, and nothing is left behind.
            nominations = [
                Nomination(
                    register=register,
                    decision=decision,
                    name=f"Hộ gia đình số {n}",
                    village=villages[n % len(villages)],
                )
                for n in range(count)
            ]
            stream = io.BytesIO()
            tick = time.perf_counter()
            write_certificates(nominations=nominations, stream=stream)
            elapsed = time.perf_counter() - tick
            transaction.set_rollback(True)
        self.say(f"{count} giấy công nhận: {elapsed:.1f} s, {len(stream.getvalue()) // 1024} KB")
        return {
            "certificates": count,
            "certificates_s": round(elapsed, 1),
            "certificates_per_s": round(count / elapsed, 1),
        }

    def approve(self, period: Period) -> float:
        """Approving one submitted report, including keeping the dashboard's totals current."""
        from reporting.services import stored_inputs, submission_approve, submission_reopen, submission_submit

        reviewer, _ = User.objects.get_or_create(username="bench.gddt", defaults={"role": Role.REVIEWER})
        samples = []
        submissions = Submission.objects.filter(period=period, state=SubmissionState.APPROVED, unit__kind="commune")
        for submission in submissions.order_by("pk")[:5]:
            officer, _ = User.objects.get_or_create(
                username=f"bench.{submission.unit.code}",
                defaults={"role": Role.COMMUNE_OFFICER, "unit": submission.unit},
            )
            submission_reopen(submission=submission, by=reviewer, reason="Đo hiệu năng")
            on_time = timezone.make_aware(dt.datetime.combine(period.due, dt.time(8)))
            submission = submission_submit(unit=submission.unit, period=period, by=officer,
                                           values=stored_inputs(submission), at=on_time)  # fmt: skip
            tick = time.perf_counter()
            submission_approve(submission=submission, by=reviewer)
            samples.append((time.perf_counter() - tick) * 1000)
        return round(statistics.median(samples), 1)
