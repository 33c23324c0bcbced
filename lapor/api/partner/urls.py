"""The partner API's addresses (under ``/api/v1/partner/``)."""

from django.urls import path

from lapor.api.partner import views

urlpatterns = [
    path("partner/token", views.Token.as_view(), name="partner_token"),
    path("partner/reports", views.Reports.as_view(), name="partner_reports"),
    path(
        "partner/reports/<str:tracking_id>",
        views.ReportDetail.as_view(),
        name="partner_report",
    ),
    path(
        "partner/reports/<str:tracking_id>/actions",
        views.ReportActions.as_view(),
        name="partner_report_actions",
    ),
    path("partner/changes", views.Changes.as_view(), name="partner_changes"),
]
