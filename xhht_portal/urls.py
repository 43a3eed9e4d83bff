"""Root URLs. Each app owns its own urls module."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from xhht_portal import health, job_views, views
from xhht_portal.forms import SignInForm

admin.site.site_header = _("Cổng thông tin XHHT – Quản trị")
admin.site.site_title = "XHHT"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    *job_views.urlpatterns,
    path("plan/", include("targets.urls")),
    path("", include("reporting.urls")),
    path("recognition/", include("recognition.urls")),
    path("documents/", include("documents.urls")),
]

# A database outage gives a clean Vietnamese 503 page instead of the generic 500 (issue 7).
handler500 = "xhht_portal.errors.server_error"
