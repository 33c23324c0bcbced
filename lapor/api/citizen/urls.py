"""The citizen API's addresses (under ``/api/v1/citizen/``)."""

from django.urls import path

from lapor.api.citizen import views

app_name = "citizen"
urlpatterns = [
    path("register", views.Register.as_view(), name="register"),
    path("activate", views.Activate.as_view(), name="activate"),
    path("token", views.Token.as_view(), name="token"),
    path("token/refresh", views.TokenRefresh.as_view(), name="token_refresh"),
    path("token/revoke", views.TokenRevoke.as_view(), name="token_revoke"),
    path("me", views.Me.as_view(), name="me"),
    path("me/export", views.MyExport.as_view(), name="export"),
    path("reports", views.Reports.as_view(), name="reports"),
    path("reports/<str:tracking_id>", views.ReportDetail.as_view(), name="report"),
    path("reports/<str:tracking_id>/export", views.ReportExport.as_view(), name="report_export"),
    path("reports/<str:tracking_id>/reply", views.ReportReply.as_view(), name="report_reply"),
    path("reports/<str:tracking_id>/rate", views.ReportRate.as_view(), name="report_rate"),
    path("reports/<str:tracking_id>/reopen", views.ReportReopen.as_view(), name="report_reopen"),
    path("reports/<str:tracking_id>/support", views.ReportSupport.as_view(), name="report_support"),
    path("reports/<str:tracking_id>/consent", views.ReportConsent.as_view(), name="report_consent"),
]
