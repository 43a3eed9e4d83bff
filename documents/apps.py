from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản báo cáo")

    def ready(self) -> None:
        from documents import views
        from documents.letterheads import plan_place
        from documents.services import report_document_for
        from reporting.hooks import register_report_document, register_submission_panel
        from xhht_portal.home import register_nav_items, register_place

        register_report_document(report_document_for)
        register_submission_panel(views.submission_panel)
        register_nav_items(views.nav_items)
        register_place(plan_place)
