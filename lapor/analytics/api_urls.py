"""The open data's addresses (under ``/api/v1/data/``)."""

from django.urls import path

from lapor.analytics import api
from lapor.analytics.automation_api import AutomationData

urlpatterns = [
    path("data/nasional/", api.NationalData.as_view(), name="data_national"),
    path("data/provinsi/<str:code>/", api.ProvinceData.as_view(), name="data_province"),
    path("data/wilayah/<str:code>/", api.KabkotaData.as_view(), name="data_kabkota"),
    path("data/instansi/<str:code>/", api.AgencyData.as_view(), name="data_agency"),
    path("data/otomasi/", AutomationData.as_view(), name="data_automation"),
]
