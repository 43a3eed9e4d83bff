from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Danh hiệu học tập")

    def ready(self) -> None:
        from recognition import home, jobs  # noqa: F401  (jobs: the certificates background job kind)
        from recognition.services import recognised_counter
        from reporting.hooks import register_recognition_counter
        from xhht_portal.home import register_home_context, register_nav_items

        register_recognition_counter(recognised_counter)
        register_nav_items(home.nav_items)
        register_home_context(home.home_context)
