"""The officer API's addresses (under ``/api/v1/officer/``): one per lifecycle action, so each
has its own request schema in the OpenAPI document."""

from django.urls import path

from lapor.api.officer import views

app_name = "officer"
urlpatterns = [
    path("token", views.Token.as_view(), name="token"),
    path("token/refresh", views.TokenRefresh.as_view(), name="token_refresh"),
    path("token/revoke", views.TokenRevoke.as_view(), name="token_revoke"),
    path("queues/<slug:slug>", views.Queue.as_view(), name="queue"),
    path("reports/<str:tracking_id>", views.ReportDetail.as_view(), name="report"),
    path("reports/<str:tracking_id>/contact", views.ReportContact.as_view(), name="contact"),
    *(
        path(f"reports/<str:tracking_id>/actions/{action}", view.as_view(), name=f"action_{action}")
        for action, view in views.ACTION_VIEWS.items()
    ),
]
