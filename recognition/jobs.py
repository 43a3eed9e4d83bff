"""The recognition app's background jobs: every certificate of a decision as one PDF (xhht_portal.jobs)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from recognition.certificates import write_certificates
from recognition.models import Decision
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
