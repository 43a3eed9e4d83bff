"""Report entry and review pages (issue: periodic reports)."""

urlpatterns: list = []
