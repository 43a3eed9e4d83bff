"""The recognition app's background jobs (xhht_portal.jobs): every certificate of a decision as one
PDF, and a large nominee list checked and saved into a register."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recognition import importer
from recognition.certificates import write_certificates
from recognition.models import Decision, Register
from recognition.services import RecognitionError, nominations_import
from xhht_portal.access import can_edit_unit
from xhht_portal.jobs import JobError, JobRun, register_job


def certificates_filename(decision: Decision) -> str:
    return f"giay-cong-nhan-qd-{decision.pk}.pdf"


def certificates_in_background(count: int) -> bool:
    """Above ``XHHT_CERTIFICATE_TASK_COUNT`` certificates the PDF is made by the worker."""
    return count > settings.XHHT_CERTIFICATE_TASK_COUNT


def decision_nominations(decision: Decision) -> list:
    """The decision's recognised nominees in the one nominee order (village, then Vietnamese name)."""
    from recognition.views import nominee_order

    return list(
        decision.nominations.select_related("register__commune", "register__title", "village", "decision").order_by(
            *nominee_order()
        )
    )


def _signed_in(user) -> bool:
    # Whether the owner still sees the decision is checked when the job runs (Decision.visible_to).
    return user.is_authenticated


@register_job("decision_certificates", label=_("Giấy công nhận (PDF)"), allowed=_signed_in)
def decision_certificates(run: JobRun) -> None:
    decision = Decision.objects.visible_to(run.job.owner).filter(pk=run.params.get("decision")).first()
    if decision is None:
        raise JobError(_("Quyết định này không còn tồn tại."))
    nominations = decision_nominations(decision)
    with run.output(certificates_filename(decision), "application/pdf") as stream:
        write_certificates(nominations=nominations, stream=stream, progress=run.progress)


# ---- large nominee lists -----------------------------------------------------------------


def import_in_background(rows: int) -> bool:
    """Above ``XHHT_IMPORT_TASK_ROWS`` data rows a nominee list is checked and saved by the worker."""
    return rows > settings.XHHT_IMPORT_TASK_ROWS


def _row_errors(result: importer.ImportResult) -> dict:
    return {
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.shown_errors],
        "error_count": len(result.errors),
        "more": result.more_errors,
    }


@register_job(
    "nominations_import",
    label=_("Nhập danh sách từ Excel"),
    allowed=_signed_in,
    outcome_template="recognition/import_job_outcome.html",
)
def nominations_import_job(run: JobRun) -> None:
    """The import page's work on a stored upload: the same checks, the same all-or-nothing save."""
    # Row messages and the failure message are in the language of the person who uploaded the file.
    with translation.override(run.params.get("language") or settings.LANGUAGE_CODE):
        _import(run)


def _import(run: JobRun) -> None:
    register = (
        Register.objects.visible_to(run.job.owner)
        .select_related("commune", "title")
        .filter(pk=run.params.get("register"))
        .first()
    )
    # Rights may have changed while the job waited in the queue.
    if register is None or not can_edit_unit(run.job.owner, register.commune):
        raise JobError(gettext("Bạn không còn quyền sửa sổ đăng ký này; không có đề nghị nào được lưu."))
    rows = int(run.params.get("rows") or 0)
    run.progress(0, 2 * rows or None)
    with run.open_upload() as stream:
        result = importer.read_workbook(stream, register, progress=run.progress)
    if not result.ok:
        run.set_outcome(_row_errors(result))
        raise JobError(gettext("Tệp có lỗi; chưa lưu dòng nào. Sửa các lỗi dưới đây rồi nhập lại."))
    # Reading and saving weigh the same on the bar: the rows read, then the rows saved.
    run.progress(rows, rows + len(result.rows))
    try:
        count = nominations_import(
            register=register, rows=result.rows, by=run.job.owner, progress=lambda saved: run.progress(rows + saved)
        )
    except RecognitionError as error:
        raise JobError(str(error)) from error
    run.set_outcome({"count": count})
