"""Reporting URLs: submissions (reports, review) and the dashboard each keep their own list."""

from reporting.views import dashboard, submissions

app_name = "reporting"
urlpatterns = [*submissions.urlpatterns, *dashboard.urlpatterns]
