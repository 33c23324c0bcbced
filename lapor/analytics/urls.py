from django.urls import path

from lapor.analytics import alert_views, report_views, views

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
    path("dasbor/peringatan/", alert_views.alerts, name="alerts"),
    path("dasbor/peringatan/<int:pk>/", alert_views.alert, name="alert"),
    path("data/", views.data_dictionary, name="data"),
    # The monthly policy report and the automation's accounts (report_views, ADR 0020).
    path("dasbor/laporan/", report_views.reports, name="reports"),
    path("dasbor/laporan/<str:month>/<str:region>.pdf", report_views.report_pdf, name="report_pdf"),
    path("dasbor/laporan/<str:month>/<str:region>/", report_views.report_html, name="report"),
    path("dasbor/otomasi/", report_views.automation, name="automation"),
    path(
        "dasbor/otomasi/provinsi/<str:code>/",
        report_views.automation,
        name="automation_province",
    ),
]
