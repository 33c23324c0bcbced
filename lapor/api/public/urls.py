"""The public API's addresses (under ``/api/v1/``)."""

from django.urls import path

from lapor.api.public import views

urlpatterns = [
    path("categories/", views.CategoryList.as_view(), name="categories"),
    path("regions/", views.RegionList.as_view(), name="regions"),
    path("agencies/", views.AgencyList.as_view(), name="agencies"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/similar/", views.SimilarReports.as_view(), name="reports_similar"),
    path("reports/<str:tracking_id>/", views.ReportDetail.as_view(), name="report"),
    path("track/<str:tracking_id>/", views.Track.as_view(), name="track"),
]
