from django.urls import path

from targets import views

app_name = "targets"
urlpatterns = [
    path("", views.plan_detail, name="plan"),
    path("<slug:code>/", views.plan_detail, name="plan_by_code"),
]
