from django.urls import path

from lapor.backoffice.views import actions, auth, bulk, detail, queues

app_name = "backoffice"
urlpatterns = [
    path("", queues.home, name="home"),
    path("antrean/triase/disposisi/", bulk.bulk_dispose, name="bulk_dispose"),
    path("antrean/masuk/unit/", bulk.bulk_unit, name="bulk_unit"),
    path("antrean/<slug:slug>/", queues.queue, name="queue"),
    path("laporan/<str:tracking_id>/", detail.report_detail, name="report"),
    path("laporan/<str:tracking_id>/<slug:action>/", actions.act, name="act"),
    path("masuk/", auth.login_view, name="login"),
    path("keluar/", auth.logout_view, name="logout"),
    path("petugas/", auth.staff, name="staff"),
    path("petugas/<int:user_id>/autentikator/", auth.enrol, name="enrol"),
]
