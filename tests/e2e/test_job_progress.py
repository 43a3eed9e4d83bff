"""A large report made in the background: the progress page moves by itself (static JS, strict CSP),
then offers the download; a failed job shows its message and a Retry button. Desktop and phone width."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_violations, log_in
from xhht_portal.jobs import JobError, job_start, register_job
from xhht_portal.models import Job, JobState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@register_job("test_always_fails", label="Báo cáo thử", allowed=lambda user: True)
def always_fails(run):
    run.progress(1, 4)
    raise JobError("Kỳ báo cáo đang được khoá sổ; hãy thử lại sau ít phút.")


def test_progress_page_updates_then_offers_the_download(
    page, live_server, personas, run_tasks, settings, artifacts_dir
):
    settings.XHHT_EXPORT_TASK_UNITS = 5
    csp_errors = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/dashboard/?period=2018-Y")
    page.get_by_role("button", name="Tạo bảng Excel").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng Excel · Năm 2018")
    expect(page.get_by_text("Đang chờ", exact=True)).to_be_visible()
    expect(page.locator("progress#job-progress")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=artifacts_dir / "job-queued.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "job-queued-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A running job's percentage, as the page shows it on reload.
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=14, total=30)
    page.reload()
    expect(page.locator("[data-job-percent]")).to_have_text("46%")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "46")
    page.screenshot(path=artifacts_dir / "job-running.png", full_page=True)
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, done=0, total=0)

    assert run_tasks() == 1
    # No reload by the test: the page's script sees the job finish and reloads itself.
    download_button = page.get_by_role("link", name="Tải về bao-cao-xhht-2018-Y.xlsx")
    expect(download_button).to_be_visible(timeout=15000)
    expect(page.get_by_text("Hoàn thành", exact=True)).to_be_visible()
    page.screenshot(path=artifacts_dir / "job-done.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "job-done-phone.png", full_page=True)
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "bao-cao-xhht-2018-Y.xlsx"
    assert csp_errors == []


def test_failed_job_shows_its_message_and_retries(page, live_server, personas, run_tasks, artifacts_dir):
    job = job_start(kind="test_always_fails", owner=personas["rita"], title="Báo cáo thử · Năm 2018")
    run_tasks()
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("Kỳ báo cáo đang được khoá sổ")
    assert axe_violations(page) == []
    page.screenshot(path=artifacts_dir / "job-failed.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "job-failed-phone.png", full_page=True)
    page.get_by_role("button", name="Thử lại").click()
    expect(page.get_by_text("Đã đưa việc vào hàng đợi để chạy lại.")).to_be_visible()
    expect(page.get_by_text("Đang chờ", exact=True)).to_be_visible()
    assert Job.objects.filter(retry_of=job).count() == 1
