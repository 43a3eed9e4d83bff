from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "xhht_portal"
    verbose_name = _("Người dùng và phân quyền")

    def ready(self) -> None:
        from xhht_portal.auth_backends import connect_signals
        from xhht_portal.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        connect_signals()
