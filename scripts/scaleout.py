#!/usr/bin/env python
"""Two app instances on loopback sharing PostgreSQL and Redis: sessions and approvals cross over.

    DATABASE_URL=postgres:///xhht_ops .venv/bin/python scripts/loadtest.py setup --users 50   # data
    (run a load test so that the LOAD units have submitted reports), then:
    DATABASE_URL=postgres:///xhht_ops REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python scripts/scaleout.py

Starts gunicorn on 127.0.0.1:8022 and :8023 (production settings, Redis cache and sessions),
logs the reviewer in through the first, carries on through the second, approves a submitted report
through the first and reads the second's completeness page straight after. Stops both servers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import BASE_DIR, Browser, Stats  # noqa: E402

PORTS = (8022, 8023)
REVIEWER, REVIEWER_PASSWORD = "phong.gddt", "xhht-demo-2026"


def start(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xhht_portal.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "scaleout-" + "k" * 60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "XHHT_BIND": f"127.0.0.1:{port}",
        "XHHT_WORKERS": "2",
        # collectstatic must have run into this directory (make serve does it).
        "DJANGO_STATIC_ROOT": os.environ.get("DJANGO_STATIC_ROOT", "/tmp/xhht_ops_static"),
    }
    return subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "xhht_portal.wsgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_healthy(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                body = json.load(response)
                assert body["checks"].get("cache") == "ok", f"instance {port} has no shared cache: {body}"
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"instance on {port} did not become healthy")


def approved_count(page: str) -> int:
    return page.count("Đã duyệt")


def main() -> int:
    assert os.environ.get("REDIS_URL"), "set REDIS_URL (redis://127.0.0.1:6379/5)"
    period = os.environ.get("XHHT_PERIOD", "2020-Y")
    servers = [start(port) for port in PORTS]
    result: dict = {}
    try:
        for port in PORTS:
            wait_healthy(port)
        a, b = Browser(f"http://127.0.0.1:{PORTS[0]}", Stats()), Browser(f"http://127.0.0.1:{PORTS[1]}", Stats())
        # 1. Log in through A; B gets the same cookies (as a load balancer would send them).
        import loadtest

        loadtest.PASSWORD = REVIEWER_PASSWORD
        assert a.login(REVIEWER), "login through A failed"
        b.cookies = dict(a.cookies)
        status, location, page = b.request("GET", "/")
        result["session_on_b_status"] = status
        result["session_carries_over"] = status == 200 and "Đăng xuất" in page  # logged in on B
        # 2. A submitted report; approve it through A, read B's dashboard at once.
        completeness = f"/dashboard/{period}/completeness/"
        status, _, before = b.request("GET", completeness)
        result["dashboard_on_b_status"] = status
        ids = subprocess.run(
            ["psql", "-X", "-At", "-d", os.environ["DATABASE_URL"].rsplit("/", 1)[1], "-c",
             "select s.id from reporting_submission s join reporting_period p on p.id=s.period_id "
             f"where p.code='{period}' and s.state='submitted' order by s.id limit 1"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        assert ids, "no submitted report to approve: run the load test first"
        _, _, detail = a.request("GET", f"/reports/view/{ids[0]}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', detail).group(1)
        started = time.monotonic()
        status, location, _ = a.request("POST", f"/reports/view/{ids[0]}/approve/", {"csrfmiddlewaretoken": token})
        result["approve_on_a_status"] = status
        _, _, after = b.request("GET", completeness)
        result["seconds_from_approval_to_b_page"] = round(time.monotonic() - started, 3)
        result["approved_on_b_before"] = approved_count(before)
        result["approved_on_b_after"] = approved_count(after)
        result["approval_visible_on_b"] = approved_count(after) == approved_count(before) + 1
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result.get("session_carries_over") and result.get("approval_visible_on_b") else 1


if __name__ == "__main__":
    sys.exit(main())
