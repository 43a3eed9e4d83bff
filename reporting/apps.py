from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        # Registers the report pages' menu items and home panels (xhht_portal.home).
        from reporting import jobs, totals  # noqa: F401  (background job kinds; IndicatorTotal in step with approvals)
        from reporting.views import submissions  # noqa: F401
