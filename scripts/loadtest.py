#!/usr/bin/env python
"""Bounded load and fault tests against a running portal on loopback (docs/DEPLOY.md, "Measured").

    # once: 50 officers, each with its own commune and an open report (extension until +30 days)
    DATABASE_URL=postgres:///xhht_ops .venv/bin/python scripts/loadtest.py setup --users 50
    # 50 users typing, saving and finally submitting their reports for 60 s against gunicorn
    .venv/bin/python scripts/loadtest.py run --base http://127.0.0.1:8021 --users 50 --seconds 60 --out /tmp/load.json
    # every acknowledged save is in the database
    DATABASE_URL=postgres:///xhht_ops .venv/bin/python scripts/loadtest.py verify --log /tmp/load.json

``run --restart-postgres-at 20`` restarts PostgreSQL 20 s into the run and measures, from /health/,
how long the portal took to answer again. The client is the standard library only (threads and
http.client), so it runs anywhere the portal does. Every run stops by itself after --seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "xhht-load-2026-mat-khau"
USER_PREFIX = "load."


# --------------------------------------------------------------------------- setup / verify (Django)


def django_setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht_portal.settings.development")
    import django

    django.setup()


def setup(args) -> None:
    """Plan, units, periods; N officers each with its own commune and an extended (open) report."""
    django_setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from reporting import services
    from reporting.models import Period, Submission
    from targets.models import Plan
    from units.models import Reporter, Unit, UnitKind
    from xhht_portal.models import Role, User

    call_command("migrate", "--noinput", verbosity=0)
    if not Plan.objects.exists():
        from reporting import demo as reporting_demo
        from targets import demo as targets_demo

        targets_demo.load_demo(sys.stdout)
        reporting_demo.load_demo(sys.stdout)
    period = Period.objects.filter(kind="annual").order_by("-end").first()
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).first()
    reviewer = User.objects.filter(role=Role.REVIEWER).first()
    until = timezone.localdate() + dt.timedelta(days=30)
    with transaction.atomic():
        for number in range(1, args.users + 1):
            unit, _ = Unit.objects.get_or_create(
                code=f"LOAD{number:03}",
                defaults={
                    "name": f"Xã Tải Thử {number:03}",
                    "kind": UnitKind.COMMUNE,
                    "parent": district,
                    "reporter_code": Reporter.COMMUNE,
                    "order": 1000 + number,
                },
            )
            user, _ = User.objects.get_or_create(
                username=f"{USER_PREFIX}{number:03}", defaults={"role": Role.COMMUNE_OFFICER, "unit": unit}
            )
            user.set_password(PASSWORD)
            user.save()
            Submission.objects.filter(unit=unit, period=period).delete()
            services.submission_extend(unit=unit, period=period, by=reviewer, until=until, reason="load test")
    print(json.dumps({"period": period.code, "users": args.users, "open_until": until.isoformat()}))


def verify(args) -> int:
    """Compare the last acknowledged save of every user with what the database holds."""
    django_setup()
    from reporting.models import Submission

    log = json.loads(Path(args.log).read_text(encoding="utf-8"))
    problems = []
    for username, last in log["acknowledged"].items():
        submission = Submission.objects.get(unit__members__username=username, period__code=log["period"])
        stored = {
            f"{v.indicator.code}-{part}": str(int(getattr(v, field)))
            for v in submission.values.select_related("indicator")
            for part, field in (("num", "numerator"), ("den", "denominator"))
            if getattr(v, field) is not None
        }
        for name, value in last["values"].items():
            if stored.get(name) != value:
                problems.append(f"{username}: {name} acknowledged {value}, stored {stored.get(name)}")
        if last["submitted"] and submission.state != "submitted":
            problems.append(f"{username}: submit acknowledged, state is {submission.state}")
    # No partial report: a submitted report has every figure its form asks for, and its history
    # ends with the submission (the state change and its event were written together or not at all).
    from reporting.models import SubmissionEvent
    from reporting.services import indicators_for

    for submission in Submission.objects.filter(
        period__code=log["period"], unit__code__startswith="LOAD", state="submitted"
    ):
        stored = {v.indicator_id: v for v in submission.values.all()}
        for indicator in indicators_for(submission.unit, submission.period):
            value = stored.get(indicator.pk)
            if value is None or (value.numerator is None and value.denominator is None and not value.flags):
                problems.append(f"{submission.unit.code}: submitted without {indicator.code}")
        last = submission.events.order_by("-at", "-pk").first()
        if last is None or last.action != SubmissionEvent.Action.SUBMITTED or last.version != submission.version:
            problems.append(f"{submission.unit.code}: submitted, but the last event is {last and last.action}")
    checked = len(log["acknowledged"])
    print(json.dumps({"users_checked": checked, "problems": len(problems)}, ensure_ascii=False))
    for line in problems[:20]:
        print(line)
    return 1 if problems else 0


# --------------------------------------------------------------------------- the HTTP client


class FormParser(HTMLParser):
    """The fields of the report form (the one with a ``version`` field)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": {}, "selects": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1]["selects"][a["name"]] = []
        elif tag == "option" and self._select:
            self.forms[-1]["selects"][self._select].append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def report_form(self) -> dict | None:
        return next((f for f in self.forms if "version" in f["fields"]), None)


class Browser:
    """One officer: a cookie jar and a keep-alive connection."""

    def __init__(self, base: str, stats: Stats):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.cookies: dict[str, str] = {}
        self.stats = stats
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn = None
            self.stats.record(method, path, 0, time.monotonic() - started, error=type(exc).__name__)
            return 0, "", ""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        self.stats.record(method, path, response.status, time.monotonic() - started, body=text)
        return response.status, response.getheader("Location") or "", text

    def login(self, username: str) -> bool:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            return False
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        )
        return status == 302


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.unclean: list[str] = []
        self.latencies: list[float] = []
        self.timeline: list[tuple[float, int]] = []
        self.started = time.monotonic()

    def record(self, method, path, status, seconds, error=None, body=""):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            self.timeline.append((round(time.monotonic() - self.started, 2), status))
            if error:
                self.errors[error] += 1
            # A clean failure is the portal's own Vietnamese page, never a traceback or gunicorn's.
            if status >= 500 and "Hệ thống" not in body:
                self.unclean.append(f"{method} {path} {status}")


def officer(number: int, args, stats: Stats, deadline: float, acknowledged: dict, rng: random.Random) -> None:
    username = f"{USER_PREFIX}{number:03}"
    browser = Browser(args.base, stats)
    while not browser.login(username):
        if time.monotonic() > deadline:
            return
        time.sleep(0.5)
    path = f"/reports/period/{args.period}/"
    submitted = False
    while time.monotonic() < deadline and not submitted:
        status, _, page = browser.request("GET", path)
        if status != 200:
            time.sleep(0.5)
            continue
        parser = FormParser()
        parser.feed(page)
        form = parser.report_form()
        if form is None:
            print(f"{username}: no report form on {path}", file=sys.stderr)
            return
        data = dict(form["fields"])
        values = {}
        for name in list(data):
            if name.endswith("-den"):
                stem = name[: -len("-den")]
                denominator = rng.randint(50, 5000)
                values[name] = str(denominator)
                if f"{stem}-num" in data:  # a "total" indicator has only the denominator
                    values[f"{stem}-num"] = str(rng.randint(0, denominator))
            elif name.endswith("-num") and name[: -len("-num")] + "-den" not in data:
                values[name] = str(rng.randint(0, 40))
            elif name in ("task_1", "next_steps"):
                data[name] = f"Tuyên truyền học tập suốt đời tại thôn, lượt {rng.randint(1, 999)}."
        data.update(values)
        for name, options in form["selects"].items():
            choices = [o for o in options if o]
            if choices:
                data[name] = rng.choice(choices)
        # Most people save a few drafts, then submit once the time is nearly up.
        submit = time.monotonic() > deadline - args.submit_window
        data["action"] = "submit" if submit else "save"
        status, location, _ = browser.request("POST", path, data)
        if status == 302 and location.endswith(path):
            acknowledged[username] = {"values": values, "submitted": submit}
            submitted = submit
        time.sleep(rng.uniform(0.0, args.think))


def health_watch(args, deadline: float, out: dict) -> None:
    """Poll /health/ every 0.1 s; note when it failed and when it answered again."""
    failing_since = None
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", urllib.parse.urlsplit(args.base).port, timeout=5)
            conn.request("GET", "/health/")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            status = 0
        now = time.monotonic()
        if status != 200 and failing_since is None:
            failing_since = now
        elif status == 200 and failing_since is not None:
            out.setdefault("outages", []).append(round(now - failing_since, 2))
            failing_since = None
        time.sleep(0.1)


def restart_postgres(at: float, started: float, out: dict) -> None:
    time.sleep(max(0.0, started + at - time.monotonic()))
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    t0 = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    out["postgres_restart_command_seconds"] = round(time.monotonic() - t0, 2)
    out["postgres_restarted_at"] = round(t0 - started, 2)


def kill_workers(master_pid: int, every: float, deadline: float, out: dict) -> None:
    """SIGKILL a random gunicorn worker every N seconds: requests die mid-transaction."""
    rng = random.Random(master_pid)
    killed = 0
    while time.monotonic() + every < deadline:
        time.sleep(every)
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        if children:
            os.kill(int(rng.choice(children)), 9)
            killed += 1
    out["workers_killed"] = killed


def run(args) -> int:
    stats = Stats()
    acknowledged: dict = {}
    started = stats.started
    deadline = started + args.seconds
    fault: dict = {}
    threads = [
        threading.Thread(target=officer, args=(n, args, stats, deadline, acknowledged, random.Random(n)), daemon=True)
        for n in range(1, args.users + 1)
    ]
    threads.append(threading.Thread(target=health_watch, args=(args, deadline + 5, fault), daemon=True))
    if args.restart_postgres_at is not None:
        threads.append(
            threading.Thread(target=restart_postgres, args=(args.restart_postgres_at, started, fault), daemon=True)
        )
    if args.kill_worker_every:
        threads.append(
            threading.Thread(
                target=kill_workers, args=(args.gunicorn_pid, args.kill_worker_every, deadline, fault), daemon=True
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    elapsed = time.monotonic() - started
    total = sum(stats.statuses.values())
    latencies = sorted(stats.latencies) or [0.0]
    summary = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "server_errors": sum(v for k, v in stats.statuses.items() if k >= 500),
        "unclean_server_errors": len(stats.unclean),
        "connection_errors": dict(stats.errors),
        "latency_ms_p50": round(latencies[len(latencies) // 2] * 1000),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000),
        "acknowledged_users": len(acknowledged),
        "acknowledged_submits": sum(1 for a in acknowledged.values() if a["submitted"]),
        **fault,
    }
    print(json.dumps(summary, ensure_ascii=False))
    if args.out:
        Path(args.out).write_text(
            json.dumps({"period": args.period, "summary": summary, "acknowledged": acknowledged}, ensure_ascii=False),
            encoding="utf-8",
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--users", type=int, default=50)
    p = sub.add_parser("run")
    p.add_argument("--base", default="http://127.0.0.1:8021")
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--period", required=True, help="period code printed by setup")
    p.add_argument("--think", type=float, default=1.0, help="max pause between a person's actions (s)")
    p.add_argument("--submit-window", type=float, default=10, help="submit during the last N seconds")
    p.add_argument("--restart-postgres-at", type=float, default=None)
    p.add_argument("--kill-worker-every", type=float, default=None, help="SIGKILL a gunicorn worker every N s")
    p.add_argument("--gunicorn-pid", type=int, help="the gunicorn master, for --kill-worker-every")
    p.add_argument("--out")
    p = sub.add_parser("verify")
    p.add_argument("--log", required=True)
    args = parser.parse_args()
    return {"setup": setup, "run": run, "verify": verify}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
