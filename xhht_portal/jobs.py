"""Long work in the background: one task runs every kind of job, with progress and a file.

An app registers a kind once::

    @register_job("report_xlsx", label=_("Bảng Excel báo cáo"), allowed=sees_all_units)
    def report_xlsx(run: JobRun) -> None:
        run.progress(0, 28)
        with run.output("bao-cao.xlsx", XLSX_CONTENT_TYPE) as stream:
            ... write to stream, calling run.progress(done) as it goes ...

and a view starts it with ``job_start(kind=..., owner=request.user, title=..., params={...})``,
then redirects to ``job.get_absolute_url()``: a page with a progress bar, a download once done,
and a message with a Retry button if it failed.

A kind whose input is a file the person uploaded passes it as ``job_start(upload=...)``: it is
stored under a random name in ``jobs/uploads/``, read with ``run.open_upload()``, and deleted when
the job ends however it ends (the sweep removes those of killed workers). Such a job cannot be run
again: its file is gone. A kind that makes no file says how it ended in ``run.set_outcome({...})``,
laid out by its ``outcome_template`` on the job page.

Files are written under a temporary name and moved into place only once complete, so a worker
killed mid-write leaves no half file under the job's name; the partial file is removed by the
next ``job_sweep`` (the progress page runs it, and so does ``manage.py cleanup_jobs``).

The kernel imports no app: kinds are looked up in the registry that apps fill when they load.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from xhht_portal.models import Job, JobState

logger = logging.getLogger(__name__)

# Progress is written to the database at most this often (plus at every end), so a job that
# reports each of 13,000 units does not write 13,000 rows.
PROGRESS_EVERY_SECONDS = 0.5
PARTIAL_DIR = "jobs/.partial"
UPLOAD_DIR = "jobs/uploads"

STALE_MESSAGE = _(
    "Việc này đã dừng giữa chừng (tiến trình xử lý nền bị tắt hoặc khởi động lại). Không có tệp nào được lưu. "
    "Bấm “Thử lại” để chạy lại."
)
FAILED_MESSAGE = _(
    "Có lỗi khi xử lý. Không có tệp nào được lưu. Bấm “Thử lại” để chạy lại; nếu vẫn lỗi, báo quản trị viên."
)
# A job that worked on an uploaded file has no Retry: the file is deleted once the job ends.
UPLOAD_STALE_MESSAGE = _(
    "Việc này đã dừng giữa chừng (tiến trình xử lý nền bị tắt hoặc khởi động lại). Không có gì được lưu. "
    "Tệp tải lên đã được xoá: hãy tải tệp lên lại."
)
UPLOAD_FAILED_MESSAGE = _(
    "Có lỗi khi xử lý. Không có gì được lưu. Hãy tải tệp lên lại; nếu vẫn lỗi, báo quản trị viên."
)


class JobError(Exception):
    """A failure whose message is safe to show to the person who started the job."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Callable[[JobRun], None]
    allowed: Callable  # allowed(user) -> bool, checked again when the job is seen or downloaded
    outcome_template: str | None = None  # lays out Job.outcome on the job page once finished


_kinds: dict[str, JobKind] = {}


def register_job(name: str, *, label, allowed: Callable, outcome_template: str | None = None) -> Callable:
    """Decorator: ``func(run: JobRun)`` does the work of jobs of kind ``name``."""

    def decorator(func: Callable) -> Callable:
        _kinds[name] = JobKind(name=name, label=label, run=func, allowed=allowed, outcome_template=outcome_template)
        return func

    return decorator


def job_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


# --------------------------------------------------------------------------- starting


def job_start(*, kind: str, owner, title: str, params: dict | None = None, upload: File | None = None) -> Job:
    """Record a job and queue it; an identical unfinished job of the same person is reused.

    ``upload`` (an uploaded file) is stored for the job under a random name, as ``params["upload"]``.
    """
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}")
    params = dict(params or {})
    if upload is not None:
        params["upload"] = _store_upload(upload)  # a new name each time: never an identical job
    existing = Job.objects.unfinished().filter(owner=owner, kind=kind, params=params).first()
    if existing is not None and not _is_stale(existing):
        return existing
    job = Job.objects.create(kind=kind, owner=owner, title=title, params=params)
    _enqueue(job)
    return job


def job_retryable(job: Job) -> bool:
    """Failed, or done with its file expired; never a job whose uploaded input was deleted after use."""
    if job.params.get("upload"):
        return False
    return job.state == JobState.FAILED or (job.state == JobState.DONE and not job.result)


def job_retry(*, job: Job, by) -> Job:
    """A failed (or expired) job run again as a new job with the same parameters."""
    if not job_retryable(job):
        raise JobError(_("Việc này không chạy lại được."))
    new = Job.objects.create(kind=job.kind, owner=by, title=job.title, params=job.params, retry_of=job)
    _enqueue(new)
    return new


def _store_upload(upload: File) -> str:
    """Save an uploaded file under jobs/uploads/ with a random name (the person's file name is never a path)."""
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    if hasattr(upload, "seek"):
        upload.seek(0)
    return default_storage.save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}{suffix}", upload)


def _delete_upload(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # already gone, or the storage is down: the sweep tries again
        logger.warning("Could not delete job upload %s", name)


def _enqueue(job: Job) -> None:
    # With the database backend the task row is written in the same database as the job, so a
    # worker never sees a task whose job does not exist yet; with the immediate backend it runs now.
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]
    job.refresh_from_db()


# --------------------------------------------------------------------------- running


class JobRun:
    """What a job's function gets: progress reporting and the one output file."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params
        self._last_write = 0.0
        self._partial: Path | None = None
        # Transactions open when the job began (a test's own); one the job opens is told apart.
        self._outer_atomic = len(connection.atomic_blocks)
        self._side = None

    def progress(self, done: int, total: int | None = None) -> None:
        """Steps done so far (of ``total``, if now known); also the heartbeat of a running job."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if now - self._last_write < PROGRESS_EVERY_SECONDS and done != self.job.total:
            return
        if len(connection.atomic_blocks) > self._outer_atomic:
            # Inside the job's own transaction (an all-or-nothing save) an update would stay unseen
            # until the commit and keep the job's row locked: PostgreSQL gets it through a second
            # connection; SQLite allows one writer, so the bar waits there until the save ends.
            if connection.vendor != "postgresql":
                return
            self._write_aside(now)
            return
        self._last_write = now
        Job.objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total, heartbeat_at=timezone.now())

    def _write_aside(self, now: float) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        self._last_write = now
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, heartbeat_at = %s WHERE id = %s",
                [self.job.done, self.job.total, timezone.now(), self.job.pk],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def set_outcome(self, outcome: dict) -> None:
        """How the job ended, as JSON for the kind's ``outcome_template`` (kept whether it succeeds or fails)."""
        self.job.outcome = outcome

    def open_upload(self):
        """The uploaded file the job was started with, opened for reading (binary)."""
        name = self.params.get("upload")
        try:
            if not name:
                raise FileNotFoundError
            return default_storage.open(name, "rb")
        except (FileNotFoundError, OSError) as error:
            raise JobError(_("Tệp tải lên không còn nữa; hãy tải tệp lên lại.")) from error

    @contextmanager
    def output(self, filename: str, content_type: str) -> Iterator:
        """A binary stream for the job's file, saved under its final name only when the block ends well."""
        partial = _partial_path()
        self._partial = partial
        try:
            with open(partial, "wb") as stream:
                yield stream
            name = _final_name(self.job, filename)
            self.job.result.name = _move_into_storage(partial, name)
            self.job.filename = filename
            self.job.content_type = content_type
        finally:
            partial.unlink(missing_ok=True)
            self._partial = None


def _partial_path() -> Path:
    """A new file in MEDIA_ROOT/jobs/.partial (same file system as the final place: rename is atomic)."""
    folder = Path(settings.MEDIA_ROOT) / PARTIAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(handle)
    return Path(path)


def _final_name(job: Job, filename: str) -> str:
    return f"jobs/{timezone.now():%Y/%m}/{job.pk}-{get_valid_filename(filename)}"


def _move_into_storage(partial: Path, name: str) -> str:
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        name = storage.get_available_name(name)
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)  # atomic: the final name only ever holds a whole file
        return name
    with open(partial, "rb") as stream:  # an object store writes an object whole or not at all
        return storage.save(name, File(stream))


@task
def run_job(job_id: int) -> str:
    """The one task: runs the job's registered function and records the outcome."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return "skipped"
    kind = job_kind(job.kind)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=now, heartbeat_at=now, message="")
    job.state, job.started_at, job.heartbeat_at = JobState.RUNNING, now, now
    run = JobRun(job)
    try:
        if kind is None:
            raise JobError(_("Loại việc này không còn được hỗ trợ."))
        kind.run(run)
    except BaseException as error:  # SystemExit from a second Ctrl-C too: never leave it "running"
        message = str(error) if isinstance(error, JobError) else str(_failure_message(job))
        if not isinstance(error, JobError):
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobState.FAILED, message)
        if isinstance(error, Exception):
            return "failed"
        raise
    finally:
        run.close()
        if job.params.get("upload"):
            _delete_upload(job.params["upload"])
    _finish(job, JobState.DONE, "")
    return "done"


def _failure_message(job: Job, *, stale: bool = False):
    if job.params.get("upload"):
        return UPLOAD_STALE_MESSAGE if stale else UPLOAD_FAILED_MESSAGE
    return STALE_MESSAGE if stale else FAILED_MESSAGE


def _finish(job: Job, state: str, message: str) -> None:
    now = timezone.now()
    job.state, job.message, job.finished_at, job.heartbeat_at = state, message, now, now
    if state == JobState.DONE:
        job.done = job.total = max(job.total, job.done, 1)
        job.expires_at = now + dt.timedelta(hours=settings.XHHT_JOB_FILE_HOURS)
    else:
        if job.result:
            job.result.delete(save=False)
        job.result = ""
    with transaction.atomic():
        job.save()


# --------------------------------------------------------------------------- housekeeping


def _is_stale(job: Job, now: dt.datetime | None = None) -> bool:
    if job.state != JobState.RUNNING:
        return False
    now = now or timezone.now()
    beat = job.heartbeat_at or job.started_at or job.created_at
    return beat < now - dt.timedelta(seconds=settings.XHHT_JOB_STALE_SECONDS)


def job_refresh(job: Job) -> Job:
    """Bring a job's state up to date when someone looks at it (a dead worker, a failed task)."""
    if _is_stale(job):
        _finish(job, JobState.FAILED, str(_failure_message(job, stale=True)))
    elif job.state == JobState.QUEUED and job.task_id:
        status = _task_status(job.task_id)
        if status == "FAILED":
            _finish(job, JobState.FAILED, str(_failure_message(job)))
    return job


def _task_status(task_id: str) -> str | None:
    try:
        return str(run_job.get_result(task_id).status)
    except Exception:  # the result is gone (pruned) or the backend keeps none: nothing to learn
        return None


def job_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark dead jobs failed, delete expired files, leftover partial files and uploads. Returns counts."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.XHHT_JOB_STALE_SECONDS)
    counts = {"stale": 0, "expired": 0, "partial": 0, "uploads": 0}
    for job in Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=stale_before):
        _finish(job, JobState.FAILED, str(_failure_message(job, stale=True)))
        counts["stale"] += 1
    for job in Job.objects.filter(state=JobState.DONE, expires_at__lt=now).exclude(result=""):
        job.result.delete(save=False)
        job.result = ""
        job.save(update_fields=["result"])
        counts["expired"] += 1
    folder = Path(settings.MEDIA_ROOT) / PARTIAL_DIR
    if folder.is_dir():
        # A partial file older than the stale limit belongs to no running job any more.
        for path in folder.glob("*.part"):
            if path.stat().st_mtime < stale_before.timestamp():
                path.unlink(missing_ok=True)
                counts["partial"] += 1
    counts["uploads"] = _sweep_uploads(now, stale_before)
    return counts


def _sweep_uploads(now: dt.datetime, stale_before: dt.datetime) -> int:
    """Delete uploads left by a killed worker: older than the stale limit and no waiting or running
    job's input, or older than the file lifetime whatever their job (it then fails saying so)."""
    storage = default_storage
    try:
        _folders, names = storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    in_use = {params.get("upload") for params in Job.objects.unfinished().values_list("params", flat=True)}
    too_old = now - dt.timedelta(hours=settings.XHHT_JOB_FILE_HOURS)
    deleted = 0
    for filename in names:
        name = f"{UPLOAD_DIR}/{filename}"
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue
        if modified < too_old or (modified < stale_before and name not in in_use):
            _delete_upload(name)
            deleted += 1
    return deleted
