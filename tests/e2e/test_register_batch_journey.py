"""A reviewer decides a whole village at once, refuses one with a reason, then the decision's
certificates are made in the background with a progress bar and downloaded; the village list PDF."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from recognition import certificates
from recognition.models import Decision, Nomination, NominationState
from recognition.services import register_submit
from tests.e2e.browser import log_in
from tests.recognition import factories
from xhht_portal import jobs
from xhht_portal.models import Job, JobState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_VILLAGE = ("Triệu Văn An", "Bàn Thị Mai", "Lý Văn Sáng", "Đặng Thị Hòa", "Dương Văn Bình", "Âu Thị Lan")
SECOND_VILLAGE = ("Hoàng Văn Khác", "Vũ Thị Lan")


def pdftoppm(path, stem):
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(stem)], check=True)


def test_reviewer_decides_a_village_in_bulk_and_gets_certificates_in_the_background(
    page, live_server, alice, rita, artifacts_dir, settings, monkeypatch, run_tasks
):
    settings.XHHT_CERTIFICATE_TASK_COUNT = 3  # five certificates: made in the background
    monkeypatch.setattr(certificates, "BATCH", 2)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    factories.criteria()
    register = factories.register(alice)
    for name in FIRST_VILLAGE:
        factories.scored(alice, register, name, number=1)
    for name in SECOND_VILLAGE:
        factories.scored(alice, register, name, number=2)
    register_submit(register=register, by=alice)
    village = factories.village(alice.unit, 1)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "rita")
    page.goto(live_server.url + reverse("recognition:register_review", args=[register.pk]))
    page.get_by_label("Thôn, bản, khu").select_option(str(village.pk))
    page.get_by_role("button", name="Lọc").click()
    table = page.locator("#review-table")
    expect(table.locator("tbody tr")).to_have_count(len(FIRST_VILLAGE))
    expect(table).not_to_contain_text("Hoàng Văn Khác")
    page.locator("#bulk-approve").check()
    expect(page.get_by_label("Công nhận tất cả 6 đề nghị theo bộ lọc", exact=True)).to_be_checked()
    refused = Nomination.objects.get(name="Lý Văn Sáng")
    page.locator(f"#refuse_{refused.pk}").check()
    page.get_by_label("Lý do không công nhận Lý Văn Sáng").fill("Gia đình chưa đạt tiêu chí 2")
    page.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("20/12/2018")
    page.get_by_label("Họ và tên người ký").fill("Triệu Văn Long")
    page.screenshot(path=artifacts_dir / "registers-review-bulk.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "registers-review-bulk-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Ghi kết quả xét duyệt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quyết định số 15/QĐ-UBND")

    # Saved: one decision with the five others of the village; the refused one keeps its reason;
    # the second village is still waiting.
    decision = Decision.objects.get()
    assert sorted(decision.nominations.values_list("name", flat=True)) == sorted(set(FIRST_VILLAGE) - {"Lý Văn Sáng"})
    refused.refresh_from_db()
    assert refused.state == NominationState.REFUSED and refused.refusal_reason == "Gia đình chưa đạt tiêu chí 2"
    assert set(Nomination.objects.filter(state=NominationState.SUBMITTED).values_list("name", flat=True)) == set(
        SECOND_VILLAGE
    )

    # Certificates: the button posts, the progress page shows the bar moving.
    page.get_by_role("button", name="In tất cả giấy công nhận (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Giấy công nhận · Quyết định số 15/QĐ-UBND")
    expect(page.locator("[data-job-state]")).to_have_text("Đang chờ")
    job = Job.objects.get()
    seen = {}
    report = jobs.JobRun.progress

    def progress_then_look(run, done, total=None):
        report(run, done, total)
        if done == 2 and not seen:  # after the first batch: the page's bar follows the worker
            expect(page.locator("[data-job-steps]")).to_have_text("(2/5)", timeout=15000)
            seen["value"] = page.locator("#job-progress").evaluate("bar => bar.value")
            # The hint under the bar follows the state the page polled, not the one it loaded with.
            expect(page.locator('[data-job-hint="running"]')).to_be_visible()
            expect(page.locator('[data-job-hint="queued"]')).to_be_hidden()
            page.screenshot(path=artifacts_dir / "registers-certificates-progress.png", full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=artifacts_dir / "registers-certificates-progress-phone.png", full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})

    monkeypatch.setattr(jobs.JobRun, "progress", progress_then_look)
    assert run_tasks() == 1
    assert seen["value"] == 40
    # Finished: the page reloads itself and offers the file.
    download_link = page.get_by_role("link", name=f"Tải về giay-cong-nhan-qd-{decision.pk}.pdf")
    expect(download_link).to_be_visible(timeout=15000)
    page.screenshot(path=artifacts_dir / "registers-certificates-done.png", full_page=True)
    with page.expect_download() as info:
        download_link.click()
    path = artifacts_dir / "registers-certificates.pdf"
    info.value.save_as(path)
    reader = PdfReader(path)
    assert len(reader.pages) == 5
    texts = [p.extract_text() for p in reader.pages]
    # Vietnamese order: Âu, Bàn, Dương, Đặng, Triệu.
    order = ["Âu Thị Lan", "Bàn Thị Mai", "Dương Văn Bình", "Đặng Thị Hòa", "Triệu Văn An"]
    assert [next(n for n in order if n in text) for text in texts] == order
    job.refresh_from_db()
    assert job.state == JobState.DONE

    # The village list for the meeting, fetched by the page's own session.
    response = page.request.get(
        live_server.url + reverse("recognition:village_list_pdf", args=[register.pk, village.pk])
    )
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert village.name in text and "TRƯỞNG THÔN" in text and "Lý Văn Sáng" in text
    pdf = artifacts_dir / "registers-village-list.pdf"
    pdf.write_bytes(response.body())
    pdftoppm(pdf, artifacts_dir / "registers-village-list")
