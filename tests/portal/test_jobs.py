"""Background jobs: queued → running with % → done with a download, or failed with a Retry.

Tasks run on the database queue (django-tasks-db) as in production; ``run_tasks()`` plays the
worker in this process (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from reporting.rollup import expected_units
from tests.reporting.rollup_data import period
from xhht_portal.access import can_review
from xhht_portal.jobs import PARTIAL_DIR, JobError, job_start, job_sweep, register_job
from xhht_portal.models import Job, JobState

pytestmark = pytest.mark.django_db

ATTEMPTS: list[str] = []


@register_job("test_half_write", label="test", allowed=can_review)
def half_write(run):
    """Writes half a file, then fails: the first attempt with a message to show, then succeeds."""
    ATTEMPTS.append("x")
    run.progress(0, 2)
    with run.output("half.txt", "text/plain") as stream:
        stream.write(b"first half ")
        stream.flush()
        run.progress(1)
        if len(ATTEMPTS) == 1:
            raise JobError("Dữ liệu nguồn bị khoá, hãy thử lại.")
        if len(ATTEMPTS) == 2:
            raise RuntimeError("a bug")
        stream.write(b"second half")
    run.progress(2)


@pytest.fixture(autouse=True)
def _attempts():
    ATTEMPTS.clear()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _page(client, job) -> str:
    response = client.get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_large_report_is_made_by_the_worker_and_downloaded(run_tasks, login, rita, settings):
    settings.XHHT_EXPORT_TASK_UNITS = 5  # the Ba Chẽ fixture has 19 reporting units
    client = login(rita)
    dashboard = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'method="post" action="/dashboard/' in dashboard and "Tạo bảng Excel" in dashboard
    offer = client.get(reverse("reporting:dashboard_xlsx", args=["2018-Y"]))
    assert (
        offer["Content-Type"].startswith("text/html")
        and f"{expected_units(period('2018-Y')).count()} đơn vị báo cáo" in offer.content.decode()
    )

    response = client.post(reverse("reporting:dashboard_xlsx", args=["2018-Y"]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.state == JobState.QUEUED and job.params == {"period": "2018-Y"}
    assert DBTaskResult.objects.get().task_path == "xhht_portal.jobs.run_job"
    assert "Đang chờ" in _page(client, job)
    # Asking again while it waits gives the same job, not a second one.
    client.post(reverse("reporting:dashboard_xlsx", args=["2018-Y"]))
    assert Job.objects.count() == 1

    assert run_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.percent == 100
    html = _page(client, job)
    assert "Hoàn thành" in html and reverse("job_download", args=[job.pk]) in html
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert 'filename="bao-cao-xhht-2018-Y.xlsx"' in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Tổng hợp" in workbook.sheetnames
    assert _files(Path(settings.MEDIA_ROOT)) == [job.result.name]


def test_small_report_is_sent_at_once(login, rita):
    client = login(rita)
    assert "Tải bảng Excel" in client.get(reverse("reporting:dashboard")).content.decode()
    response = client.get(reverse("reporting:dashboard_pdf", args=["2018-Y"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert not Job.objects.exists()


def test_running_job_shows_its_percent_and_polls_without_inline_script(login, rita):
    job = Job.objects.create(kind="report_pdf", owner=rita, title="PDF", state=JobState.RUNNING, done=3, total=4)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    client = login(rita)
    html = _page(client, job)
    assert "Đang xử lý" in html and "75%" in html and 'value="75"' in html and "(3/4)" in html
    assert f'data-job-status-url="{reverse("job_status", args=[job.pk])}"' in html
    # Every script is a static file: the strict CSP allows no inline code.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "js/job-progress.js" in html
    data = client.get(reverse("job_status", args=[job.pk])).json()
    assert data == {
        "state": "running",
        "state_label": "Đang xử lý",
        "done": 3,
        "total": 4,
        "percent": 75,
        "finished": False,
        "message": "",
        "download_url": None,
    }


def test_failed_job_shows_its_message_and_retry_runs_it_again(run_tasks, login, rita, settings):
    job = job_start(kind="test_half_write", owner=rita, title="Half", params={"n": 1})
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "Dữ liệu nguồn bị khoá, hãy thử lại."
    client = login(rita)
    html = _page(client, job)
    assert "Dữ liệu nguồn bị khoá, hãy thử lại." in html and "Thử lại" in html
    assert reverse("job_download", args=[job.pk]) not in html
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404

    # A bug: a general message (never the traceback), and still a Retry.
    response = client.post(reverse("job_retry", args=[job.pk]))
    second = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("job_detail", args=[second.pk]) and second.retry_of == job
    run_tasks()
    second.refresh_from_db()
    assert second.state == JobState.FAILED and "a bug" not in second.message and "Thử lại" in second.message

    client.post(reverse("job_retry", args=[second.pk]))
    third = Job.objects.latest("pk")
    run_tasks()
    third.refresh_from_db()
    assert third.state == JobState.DONE and third.result.read() == b"first half second half"
    # Only the finished file exists: the two failed attempts left nothing.
    assert _files(Path(settings.MEDIA_ROOT)) == [third.result.name]


def test_a_job_that_dies_mid_write_leaves_no_file(run_tasks, rita, settings):
    job = job_start(kind="test_half_write", owner=rita, title="Half")
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.result
    assert _files(Path(settings.MEDIA_ROOT)) == []


def test_a_killed_worker_is_noticed_and_its_partial_file_removed(login, rita, settings, tmp_path):
    """A worker killed mid-task (kill -9) writes nothing more: the job stops beating, the next look
    marks it failed with a Retry, and the sweep deletes the partial file it left."""
    settings.MEDIA_ROOT = tmp_path
    partial = tmp_path / PARTIAL_DIR / "tmpabc.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"PK\x03\x04 half a workbook")
    long_ago = timezone.now() - dt.timedelta(seconds=settings.XHHT_JOB_STALE_SECONDS + 60)
    os.utime(partial, (long_ago.timestamp(), long_ago.timestamp()))
    job = Job.objects.create(kind="report_xlsx", owner=rita, title="Excel", state=JobState.RUNNING, done=5, total=28)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, started_at=long_ago)
    fresh = Job.objects.create(kind="report_pdf", owner=rita, title="PDF", state=JobState.RUNNING)
    Job.objects.filter(pk=fresh.pk).update(heartbeat_at=timezone.now())

    html = _page(login(rita), job)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "dừng giữa chừng" in html and "Thử lại" in html
    assert job_sweep() == {"stale": 0, "expired": 0, "partial": 1, "uploads": 0}
    assert not partial.exists()
    fresh.refresh_from_db()
    assert fresh.state == JobState.RUNNING  # still beating: left alone


def test_cleanup_deletes_expired_files_and_offers_to_make_them_again(run_tasks, login, rita, settings):
    job = job_start(kind="report_xlsx", owner=rita, title="Excel", params={"period": "2018-Y"})
    run_tasks()
    job.refresh_from_db()
    path = Path(job.result.path)
    assert path.is_file()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("cleanup_jobs", stdout=out)
    assert "expired=1" in out.getvalue() and not path.exists()
    client = login(rita)
    html = _page(client, job)
    assert "hết hạn" in html and "Tạo lại" in html
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    client.post(reverse("job_retry", args=[job.pk]))
    assert Job.objects.filter(retry_of=job, state=JobState.QUEUED).exists()


def test_a_deleted_period_fails_with_a_clear_message(run_tasks, rita):
    job = job_start(kind="report_pdf", owner=rita, title="PDF", params={"period": "1999-Y"})
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "Kỳ báo cáo này không còn tồn tại."
