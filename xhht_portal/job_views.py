"""The pages of a background job: progress (HTML and JSON), download, retry.

The progress page works without JavaScript (reload it); static/js/job-progress.js polls the JSON
endpoint and moves the bar, then reloads the page once the job has finished (CSP stays strict).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xhht_portal.access import job_for_user
from xhht_portal.jobs import job_kind, job_refresh, job_retry, job_retryable
from xhht_portal.models import JobState


@require_GET
@login_required
@never_cache
def job_detail(request, pk: int):
    job = job_refresh(job_for_user(request.user, pk))
    kind = job_kind(job.kind)
    retryable = job_retryable(job)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "kind_label": kind.label,
            "outcome_template": kind.outcome_template if job.is_finished else None,
            "retryable": retryable,
            "expired": retryable and job.state == JobState.DONE,
        },
    )


@require_GET
@login_required
@never_cache
def job_status(request, pk: int):
    job = job_refresh(job_for_user(request.user, pk))
    return JsonResponse(
        {
            "state": job.state,
            "state_label": str(job.get_state_display()),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished,
            "message": job.message,
            "download_url": reverse("job_download", args=[job.pk]) if job.file_available else None,
        }
    )


@require_GET
@login_required
def job_download(request, pk: int):
    job = job_for_user(request.user, pk)
    if not job.file_available:
        raise Http404
    try:
        stream = job.result.open("rb")
    except FileNotFoundError as error:  # deleted behind the portal's back
        raise Http404 from error
    return FileResponse(stream, as_attachment=True, filename=job.filename, content_type=job.content_type)


@require_POST
@login_required
def job_retry_view(request, pk: int):
    job = job_refresh(job_for_user(request.user, pk))
    if job.params.get("upload"):
        messages.error(
            request, _("Việc này xử lý một tệp tải lên, tệp đã được xoá sau khi xử lý: hãy tải tệp lên lại.")
        )
        return redirect(job)
    if not job_retryable(job):
        return redirect(job)
    new = job_retry(job=job, by=request.user)
    messages.info(request, _("Đã đưa việc vào hàng đợi để chạy lại."))
    return redirect(new)


urlpatterns = [
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/status.json", job_status, name="job_status"),
    path("jobs/<int:pk>/download", job_download, name="job_download"),
    path("jobs/<int:pk>/retry", job_retry_view, name="job_retry"),
]
