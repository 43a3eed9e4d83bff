"""Learning titles: criteria sets, nominations, decisions, certificates."""

from django.urls import path

from recognition import views, village_views

app_name = "recognition"
urlpatterns = [
    path("", views.registers, name="registers"),
    path("registers/open/", views.register_open_view, name="register_open"),
    path("registers/<int:pk>/", views.register_detail, name="register"),
    path("registers/<int:pk>/add/", views.nomination_add_view, name="nomination_add"),
    path("registers/<int:pk>/import/", views.register_import, name="register_import"),
    path("registers/<int:pk>/template.xlsx", views.import_template, name="import_template"),
    path("registers/<int:pk>/submit/", views.register_submit_view, name="register_submit"),
    path(
        "registers/<int:pk>/villages/<int:village_pk>/list.pdf",
        village_views.village_list_pdf_view,
        name="village_list_pdf",
    ),
    path(
        "registers/<int:pk>/villages/<int:village_pk>/list.xlsx",
        village_views.village_list_xlsx_view,
        name="village_list_xlsx",
    ),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/score/", views.nomination_score_view, name="nomination_score"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw_view, name="nomination_withdraw"),
    path("nominations/<int:pk>/certificate.pdf", views.nomination_certificate, name="nomination_certificate"),
    path("review/", views.queue, name="queue"),
    path("review/<int:pk>/", views.register_review, name="register_review"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/certificates.pdf", views.decision_certificates, name="decision_certificates"),
    path("titles/", views.titles, name="titles"),
    path("recognised/", views.recognised, name="recognised"),
    path("recognised/export.xlsx", views.recognised_export, name="recognised_export"),
]
