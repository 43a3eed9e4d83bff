"""Documents URLs: the consolidated report, unit report PDFs, signed copies."""

from documents.views import app_name, urlpatterns  # noqa: F401
