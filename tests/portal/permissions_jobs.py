"""Permission cases for background jobs: only the owner sees a job, while their role allows its kind."""

from tests.matrix import Case, everyone


def cases(world) -> list[Case]:
    from xhht_portal.models import Job, JobState

    rita = world["rita"]
    queued = Job.objects.create(kind="report_pdf", owner=rita, title="PDF", params={"period": "2018-Y"})
    failed = Job.objects.create(
        kind="report_xlsx", owner=rita, title="Excel", params={"period": "2018-Y"}, state=JobState.FAILED
    )
    # A job of a kind its owner's role does not allow (a department officer has no progress report).
    foreign = Job.objects.create(kind="report_pdf", owner=world["dora"], title="PDF", state=JobState.FAILED)
    owner_only = everyone(404, anonymous=302, rita=200)
    return [
        Case("job_detail", {"pk": queued.pk}, expect=owner_only),
        Case("job_detail", {"pk": foreign.pk}, expect=everyone(404, anonymous=302, dora=403)),
        Case("job_detail", {"pk": queued.pk}, method="post", expect=everyone(405)),
        Case("job_status", {"pk": queued.pk}, expect=owner_only),
        Case("job_status", {"pk": queued.pk}, method="post", expect=everyone(405)),
        # No file yet: 404 for the owner too (the download itself is tested in test_jobs.py).
        Case("job_download", {"pk": queued.pk}, expect=everyone(404, anonymous=302)),
        Case("job_download", {"pk": queued.pk}, method="post", expect=everyone(405)),
        Case("job_retry", {"pk": failed.pk}, method="post", expect=everyone(404, anonymous=302, rita=302)),
        Case("job_retry", {"pk": foreign.pk}, method="post", expect=everyone(404, anonymous=302, dora=403)),
        Case("job_retry", {"pk": failed.pk}, expect=everyone(405)),
    ]
