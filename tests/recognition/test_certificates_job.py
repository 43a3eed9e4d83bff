"""Every certificate of a large decision made in the background, with progress, then downloaded."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from recognition import certificates
from tests.recognition import factories
from xhht_portal import jobs
from xhht_portal.models import Job, JobState

pytestmark = pytest.mark.django_db

# Hand-ordered in Vietnamese (a, â, b, d, đ, e … v); the factory adds them out of order.
ORDERED = ("Âu Thị Lan", "Bàn Văn Sáng", "Dương Văn Bình", "Đặng Thị Hòa", "Em Thị Út", "Vũ Văn Em")
ADDED = ("Vũ Văn Em", "Đặng Thị Hòa", "Em Thị Út", "Âu Thị Lan", "Dương Văn Bình", "Bàn Văn Sáng")


def url(name, **kwargs):
    return reverse(f"recognition:{name}", kwargs=kwargs)


@pytest.fixture
def large(settings, monkeypatch):
    """Six certificates above a threshold of three, laid out two at a time."""
    settings.XHHT_CERTIFICATE_TASK_COUNT = 3
    monkeypatch.setattr(certificates, "BATCH", 2)


def _pdf_names(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [next((n for n in ORDERED if n in page.extract_text()), "?") for page in reader.pages]


def test_large_decision_is_made_by_the_worker_with_progress_and_downloaded(
    large, run_tasks, login, alice, rita, monkeypatch
):
    _reg, _nominations, decision = factories.decided(alice, rita, names=ADDED)
    client = login(rita)
    page = client.get(url("decision", pk=decision.pk)).content.decode()
    # The decision page's button posts (CSRF) instead of linking to a 70-second request.
    assert f'method="post" action="{url("decision_certificates", pk=decision.pk)}"' in page
    assert "csrfmiddlewaretoken" in page
    offer = client.get(url("decision_certificates", pk=decision.pk))
    assert offer["Content-Type"].startswith("text/html") and "công nhận 6 đối tượng" in offer.content.decode()
    assert not Job.objects.exists()

    response = client.post(url("decision_certificates", pk=decision.pk))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.kind == "decision_certificates" and job.params == {"decision": decision.pk}
    waiting = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Đang chờ" in waiting and "Quyết định số 12/QĐ-UBND" in waiting and 'id="job-progress"' in waiting

    seen: list[tuple[int, int | None]] = []
    progress = jobs.JobRun.progress

    def spy(self, done, total=None):
        seen.append((done, total))
        progress(self, done, total)

    monkeypatch.setattr(jobs.JobRun, "progress", spy)
    assert run_tasks() == 1
    # Progress after each batch of two, "all done" only once the file is written.
    assert seen == [(0, 6), (2, 6), (4, 6), (5, 6), (6, 6)]
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.percent == 100
    done = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Hoàn thành" in done and reverse("job_download", args=[job.pk]) in done
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert f'filename="giay-cong-nhan-qd-{decision.pk}.pdf"' in download["Content-Disposition"]
    # One page per certificate, in Vietnamese name order.
    assert _pdf_names(b"".join(download.streaming_content)) == list(ORDERED)


def test_small_decision_is_sent_at_once_in_vietnamese_order(login, alice, rita, settings):
    settings.XHHT_CERTIFICATE_TASK_COUNT = 6
    _reg, _nominations, decision = factories.decided(alice, rita, names=ADDED)
    client = login(alice)
    page = client.get(url("decision", pk=decision.pk)).content.decode()
    assert f'<a class="btn btn-success mb-3" href="{url("decision_certificates", pk=decision.pk)}"' in page
    response = client.get(url("decision_certificates", pk=decision.pk))
    assert response["Content-Type"] == "application/pdf"
    assert _pdf_names(response.content) == list(ORDERED)
    assert not Job.objects.exists()


def test_running_certificates_job_shows_its_bar(login, rita):
    job = Job.objects.create(
        kind="decision_certificates", owner=rita, title="Giấy công nhận", state=JobState.RUNNING, done=250, total=835
    )
    html = login(rita).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Đang xử lý" in html and "29%" in html and 'value="29"' in html and "(250/835)" in html
    assert all("src=" in attributes for attributes in re.findall(r"<script([^>]*)>", html))


def test_outsider_cannot_start_certificates_of_another_commune(large, login, alice, bob, rita):
    _reg, _nominations, decision = factories.decided(alice, rita, names=ADDED)
    assert login(bob).post(url("decision_certificates", pk=decision.pk)).status_code == 404
    assert not Job.objects.exists()


def test_job_for_a_decision_its_owner_no_longer_sees_fails_with_a_message(run_tasks, login, alice, bob, rita):
    _reg, _nominations, decision = factories.decided(alice, rita, names=ADDED[:2])
    job = jobs.job_start(kind="decision_certificates", owner=bob, title="x", params={"decision": decision.pk})
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "Quyết định này không còn tồn tại." and not job.result
