"""Dashboard and district report downloads (issue: dashboard)."""

urlpatterns: list = []
