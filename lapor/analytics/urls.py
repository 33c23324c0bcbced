from django.urls import path

from lapor.analytics import views

app_name = "analytics"
urlpatterns = [
    path("dasbor/", views.dashboard, name="national"),
    path("dasbor/<slug:table>.csv", views.table_csv, name="national_csv"),
    path("dasbor/provinsi/<str:code>/", views.dashboard, {"kind": "provinsi"}, name="province"),
    path(
        "dasbor/provinsi/<str:code>/<slug:table>.csv",
        views.table_csv,
        {"kind": "provinsi"},
        name="province_csv",
    ),
    path("dasbor/wilayah/<str:code>/", views.dashboard, {"kind": "kabkota"}, name="kabkota"),
    path(
        "dasbor/wilayah/<str:code>/<slug:table>.csv",
        views.table_csv,
        {"kind": "kabkota"},
        name="kabkota_csv",
    ),
    path("dasbor/instansi/<slug:code>/", views.dashboard, {"kind": "instansi"}, name="agency"),
    path(
        "dasbor/instansi/<slug:code>/<slug:table>.csv",
        views.table_csv,
        {"kind": "instansi"},
        name="agency_csv",
    ),
    path("dasbor/peringkat/", views.ranking, name="ranking"),
    path("dasbor/peringatan/", views.alerts, name="alerts"),
    path("data/", views.data_dictionary, name="data"),
]
