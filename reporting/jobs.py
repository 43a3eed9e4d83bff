"""The reporting app's background jobs: the period report as PDF or Excel (xhht_portal.jobs)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reporting.exports.report import FORMATS, report_filename, write_report
from reporting.models import Period
from units.models import Unit
from xhht_portal.access import may_use_dashboard
from xhht_portal.jobs import JobError, JobRun, register_job


def _report(run: JobRun, fmt: str) -> None:
    period = Period.objects.select_related("plan").filter(code=run.params.get("period")).first()
    if period is None:
        raise JobError(_("Kỳ báo cáo này không còn tồn tại."))
    node = Unit.objects.filter(pk=run.params["node"]).first() if run.params.get("node") else None
    if run.params.get("node") and node is None:
        raise JobError(_("Đơn vị này không còn tồn tại."))
    with run.output(report_filename(period, fmt, node), FORMATS[fmt]) as stream:
        annex = bool(run.params.get("annex"))
        write_report(period=period, fmt=fmt, stream=stream, progress=run.progress, node=node, annex=annex)


@register_job("report_pdf", label=_("Báo cáo PDF"), allowed=may_use_dashboard)
def report_pdf(run: JobRun) -> None:
    _report(run, "pdf")


@register_job("report_xlsx", label=_("Bảng Excel báo cáo"), allowed=may_use_dashboard)
def report_xlsx(run: JobRun) -> None:
    _report(run, "xlsx")
