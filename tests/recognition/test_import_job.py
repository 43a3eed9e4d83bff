"""A nominee list longer than XHHT_IMPORT_TASK_ROWS is checked and saved by the worker: a progress
page, then the outcome (the count, or the row errors with nothing saved); the upload never outlives
the job. Tasks run on the database queue as in production (``run_tasks``, tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recognition import importer, services
from recognition.models import Nomination, NominationEvent
from recognition.services import nomination_add
from tests.portal import bad_uploads
from tests.recognition import factories
from xhht_portal import jobs
from xhht_portal.jobs import UPLOAD_DIR, job_sweep
from xhht_portal.models import Job, JobState, Role

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = ("Triệu Văn An", "Bàn Thị Mai", "Lý Văn Sáng", "Đặng Thị Hằng", "Vũ Văn Em", "Âu Thị Lan")


@pytest.fixture
def reg(alice):
    return factories.register(alice, year=2018)


@pytest.fixture
def large(settings, run_tasks):
    """Six rows above a threshold of three; files under the run's own MEDIA_ROOT."""
    settings.XHHT_IMPORT_TASK_ROWS = 3
    return run_tasks


def rows(names=NAMES):
    return [(name, f"Thôn {1 + n % 2}", "") for n, name in enumerate(names)]


def upload(client, reg, content: bytes, name="danh-sach-xa-thanh-son.xlsx"):
    return client.post(
        reverse("recognition:register_import", kwargs={"pk": reg.pk}),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
    )


def media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def job_page(client, job) -> str:
    response = client.get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_large_list_is_checked_and_saved_by_the_worker_with_progress(large, login, alice, reg, settings, monkeypatch):
    client = login(alice)
    response = upload(client, reg, factories.workbook_bytes(rows()))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.kind == "nominations_import" and job.state == JobState.QUEUED
    assert job.params["register"] == reg.pk and job.params["rows"] == 6
    # Stored under a random name, never the person's file name.
    stored = job.params["upload"]
    assert re.fullmatch(rf"{UPLOAD_DIR}/[0-9a-f]{{32}}\.xlsx", stored) and "danh-sach" not in stored
    assert media_files(settings) == [stored]
    waiting = job_page(client, job)
    assert "Đang chờ" in waiting and 'id="job-progress"' in waiting and "6 dòng" in waiting
    assert not reg.nominations.exists()

    seen: list[tuple[int, int | None]] = []
    progress = jobs.JobRun.progress

    def spy(self, done, total=None):
        seen.append((done, total))
        progress(self, done, total)

    monkeypatch.setattr(jobs.JobRun, "progress", spy)
    monkeypatch.setattr(importer, "PROGRESS_ROWS", 3)
    monkeypatch.setattr(services, "IMPORT_BATCH", 4)
    assert large() == 1
    # Rows read (every third line of the sheet), then rows saved (after each batch of four).
    assert seen == [(0, 12), (2, None), (5, None), (6, 12), (10, None), (12, None)]
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.outcome == {"count": 6}
    assert sorted(reg.nominations.values_list("name", flat=True)) == sorted(NAMES)
    assert NominationEvent.objects.filter(nomination__register=reg, action="imported", by=alice).count() == 6
    done = job_page(client, job)
    assert "Đã nhập 6 đề nghị vào sổ đăng ký." in done
    assert f'href="{reverse("recognition:register", args=[reg.pk])}"' in done
    assert "Thử lại" not in done and "Tạo lại" not in done and "hết hạn" not in done
    assert media_files(settings) == []  # the upload is gone once used


def test_short_list_is_still_saved_at_once(login, alice, reg, settings, run_tasks):
    settings.XHHT_IMPORT_TASK_ROWS = 6
    response = upload(login(alice), reg, factories.workbook_bytes(rows()))
    assert response.status_code == 302 and response["Location"] == reverse("recognition:register", args=[reg.pk])
    assert reg.nominations.count() == 6
    assert not Job.objects.exists() and media_files(settings) == []


def test_row_errors_are_listed_on_the_job_page_and_nothing_is_saved(large, login, alice, reg, settings):
    nomination_add(register=reg, name="Bàn Thị Mai", village=factories.village(alice.unit, 2), by=alice)
    bad = rows()
    bad[3] = ("Đặng Thị Hằng", "Thôn 9", "")
    client = login(alice)
    upload(client, reg, factories.workbook_bytes(bad))
    job = Job.objects.get()
    large()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "Tệp có lỗi; chưa lưu dòng nào. Sửa các lỗi dưới đây rồi nhập lại."
    assert job.outcome["errors"] == [
        {"row": 3, "column": "Họ và tên chủ hộ", "message": "“Bàn Thị Mai” đã có trong sổ đăng ký năm 2018 (trùng)."},
        {"row": 5, "column": "Thôn, bản, khu", "message": "Không có thôn, bản, khu “Thôn 9” trong Xã Thanh Sơn."},
    ]
    html = job_page(client, job)
    assert 'id="import-error-table"' in html and "2 lỗi trong tệp" in html
    assert "<td>5</td><td>Thôn, bản, khu</td><td>Không có thôn, bản, khu “Thôn 9” trong Xã Thanh Sơn.</td>" in html
    assert "chưa lưu dòng nào" in html
    assert f'href="{reverse("recognition:register_import", args=[reg.pk])}"' in html
    assert "Thử lại" not in html  # the upload is gone: nothing to run again
    assert reg.nominations.count() == 1  # only the one added by hand
    assert media_files(settings) == []


def test_many_row_errors_are_capped_and_the_rest_counted(large, login, alice, reg, monkeypatch):
    monkeypatch.setattr(importer, "ERRORS_SHOWN", 2)
    client = login(alice)
    upload(client, reg, factories.workbook_bytes([(name, "Thôn 9", "") for name in NAMES]))
    large()
    job = Job.objects.get()
    assert len(job.outcome["errors"]) == 2 and job.outcome["error_count"] == 6 and job.outcome["more"] == 4
    html = job_page(client, job)
    assert "6 lỗi trong tệp" in html and "Chỉ hiện 2 lỗi đầu tiên; còn 4 lỗi nữa không hiện ở đây." in html
    assert html.count("“Thôn 9”") == 2


@pytest.mark.parametrize(
    "content, name, message",
    [
        (bad_uploads.csv(), "danh-sach.csv", "không phải bảng tính Excel .xlsx"),
        (bad_uploads.html(), "danh-sach.xlsx", "không phải bảng tính Excel .xlsx hợp lệ"),
        (b"", "danh-sach.xlsx", "rỗng"),
        (bad_uploads.truncated(factories.workbook_bytes(rows())), "danh-sach.xlsx", "không phải bảng tính Excel"),
    ],
    ids=["wrong-type", "script-renamed-xlsx", "empty", "truncated"],
)
def test_what_is_not_a_workbook_is_refused_before_any_job(large, login, alice, reg, settings, content, name, message):
    response = upload(login(alice), reg, content, name=name)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not Job.objects.exists() and not Nomination.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda data: bad_uploads.rezip(data, replace={"xl/workbook.xml": b"<workbook"}),
            "Tệp không đọc được: cần một bảng tính Excel (.xlsx) còn nguyên vẹn.",
        ),
        (
            lambda data: bad_uploads.rezip(
                data, replace={bad_uploads.SHEET1: bad_uploads.member(data, bad_uploads.SHEET1)[:-400]}
            ),
            "Tệp bị hỏng, không đọc hết được; xin lưu lại tệp rồi thử lại.",
        ),
    ],
    ids=["workbook-part-broken", "sheet-cut-short"],
)
def test_a_damaged_workbook_fails_in_the_job_with_a_clear_message(large, login, alice, reg, settings, damage, message):
    client = login(alice)
    content = factories.workbook_bytes([(f"Hộ số {n}", "Thôn 1", "") for n in range(40)])
    response = upload(client, reg, damage(content))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    large()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.outcome["errors"] == [{"row": None, "column": "", "message": message}]
    assert message in job_page(client, job)
    assert not Nomination.objects.exists() and media_files(settings) == []


def test_an_officer_who_lost_edit_rights_gets_a_clear_failure(large, login, alice, reg, settings):
    client = login(alice)
    upload(client, reg, factories.workbook_bytes(rows()))
    alice.role = Role.LEADER  # read-only while the job waited in the queue
    alice.save()
    large()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "Bạn không còn quyền sửa sổ đăng ký này; không có đề nghị nào được lưu."
    assert job.message in job_page(client, job)
    assert not Nomination.objects.exists() and media_files(settings) == []


def test_a_failure_while_saving_saves_nothing_and_removes_the_upload(large, login, alice, reg, settings, monkeypatch):
    """The second batch fails after the first was written: the one transaction keeps the first out too."""
    monkeypatch.setattr(services, "IMPORT_BATCH", 4)
    create = NominationEvent.objects.bulk_create
    calls = []

    def second_batch_fails(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return create(objs, *args, **kwargs)

    monkeypatch.setattr(NominationEvent.objects, "bulk_create", second_batch_fails)
    client = login(alice)
    upload(client, reg, factories.workbook_bytes(rows()))
    large()
    job = Job.objects.get()
    assert calls == [4, 2] and job.state == JobState.FAILED
    assert "disk full" not in job.message and "tải tệp lên lại" in job.message
    html = job_page(client, job)
    assert job.message in html and "Thử lại" not in html
    assert not Nomination.objects.exists() and not NominationEvent.objects.exists()
    assert media_files(settings) == []


def test_another_user_cannot_see_the_job(large, login, alice, bob, reg):
    upload(login(alice), reg, factories.workbook_bytes(rows()))
    job = Job.objects.get()
    other = login(bob)
    assert other.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("job_status", args=[job.pk])).status_code == 404
    assert other.post(reverse("job_retry", args=[job.pk])).status_code == 404


def test_retry_of_an_import_says_to_upload_again(large, login, alice, reg):
    client = login(alice)
    upload(client, reg, factories.workbook_bytes([(name, "Thôn 9", "") for name in NAMES]))
    large()
    job = Job.objects.get()
    response = client.post(reverse("job_retry", args=[job.pk]), follow=True)
    assert response.redirect_chain == [(reverse("job_detail", args=[job.pk]), 302)]
    assert "tệp đã được xoá sau khi xử lý: hãy tải tệp lên lại" in response.content.decode()
    assert Job.objects.count() == 1


def test_a_killed_worker_leaves_nothing_saved_and_the_sweep_removes_its_upload(large, login, alice, reg, settings):
    """kill -9 mid-save: the transaction never commits, the job stops beating and the upload stays;
    the sweep marks the job failed (no Retry) and deletes the upload. A waiting job's upload stays."""
    client = login(alice)
    upload(client, reg, factories.workbook_bytes(rows()))
    upload(client, reg, factories.workbook_bytes(rows(NAMES[:4] + ("Hà Văn Tư",))))
    killed, waiting = Job.objects.order_by("pk")
    long_ago = timezone.now() - dt.timedelta(seconds=settings.XHHT_JOB_STALE_SECONDS + 60)
    Job.objects.filter(pk=killed.pk).update(state=JobState.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    stray = default_storage.save(f"{UPLOAD_DIR}/0123456789abcdef0123456789abcdef.xlsx", ContentFile(b"PK"))
    for name in (killed.params["upload"], waiting.params["upload"], stray):
        os.utime(default_storage.path(name), (long_ago.timestamp(), long_ago.timestamp()))

    assert job_sweep() == {"stale": 1, "expired": 0, "partial": 0, "uploads": 2}
    assert media_files(settings) == [waiting.params["upload"]]
    killed.refresh_from_db()
    assert killed.state == JobState.FAILED and "Tệp tải lên đã được xoá: hãy tải tệp lên lại." in killed.message
    html = job_page(client, killed)
    assert "dừng giữa chừng" in html and "Thử lại" not in html
    assert f'href="{reverse("recognition:register_import", args=[reg.pk])}"' in html
    assert not Nomination.objects.exists()


def test_a_job_whose_upload_vanished_says_so(large, login, alice, reg):
    upload(login(alice), reg, factories.workbook_bytes(rows()))
    job = Job.objects.get()
    default_storage.delete(job.params["upload"])
    large()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "Tệp tải lên không còn nữa; hãy tải tệp lên lại."


def test_job_page_with_many_errors_makes_few_queries(large, login, alice, reg, django_assert_max_num_queries):
    client = login(alice)
    upload(client, reg, factories.workbook_bytes([(f"Hộ số {n}", "Thôn 9", "") for n in range(600)]))
    large()
    job = Job.objects.get()
    assert len(job.outcome["errors"]) == 500
    with django_assert_max_num_queries(8):
        html = job_page(client, job)
    assert "600 lỗi trong tệp" in html and "còn 100 lỗi nữa" in html


def test_rows_are_counted_without_parsing_the_workbook(alice, reg, login):
    template = login(alice).get(reverse("recognition:import_template", kwargs={"pk": reg.pk})).content
    # The longest sheet less its header: here the hidden sheet naming the register (4 lines).
    assert importer.count_data_rows(io.BytesIO(template)) == 3
    assert importer.count_data_rows(io.BytesIO(factories.workbook_bytes(rows() * 1000))) == 6000
    assert importer.count_data_rows(io.BytesIO(b"not a zip")) == 0


@pytest.mark.django_db(transaction=True)
def test_progress_while_saving_is_seen_outside_the_import_transaction_on_postgresql(
    large, login, alice, reg, monkeypatch
):
    """The save is one transaction; its progress goes through a second connection, so the page sees it move."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the bar waits while the rows are saved")
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    seen: list[tuple[int, int]] = []
    progress = jobs.JobRun.progress

    def spy(self, done, total=None):
        progress(self, done, total)
        if connection.in_atomic_block:  # read committed: sees what the other connection committed
            seen.append((done, Job.objects.values_list("done", flat=True).get(pk=self.job.pk)))

    monkeypatch.setattr(jobs.JobRun, "progress", spy)
    upload(login(alice), reg, factories.workbook_bytes(rows()))
    large()
    assert seen == [(8, 8), (10, 10), (12, 12)]
    assert Job.objects.get().state == JobState.DONE and reg.nominations.count() == 6
