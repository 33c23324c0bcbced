from django.urls import path

from lapor.backoffice.views import actions, auth, bulk, detail, partners, queues, walkin, webhooks
from lapor.backoffice.views import performance as performance_views

app_name = "backoffice"
urlpatterns = [
    path("", queues.home, name="home"),
    path("loket/", walkin.walkin, name="walkin"),
    path("kinerja/", performance_views.own, name="performance_own"),
    path("kinerja/<slug:code>/", performance_views.detail, name="performance"),
    path("antrean/triase/disposisi/", bulk.bulk_dispose, name="bulk_dispose"),
    path("antrean/masuk/unit/", bulk.bulk_unit, name="bulk_unit"),
    path("antrean/<slug:slug>/", queues.queue, name="queue"),
    path("laporan/<str:tracking_id>/", detail.report_detail, name="report"),
    path("laporan/<str:tracking_id>/<slug:action>/", actions.act, name="act"),
    path("masuk/", auth.login_view, name="login"),
    path("keluar/", auth.logout_view, name="logout"),
    path("petugas/", auth.staff, name="staff"),
    path("petugas/<int:user_id>/autentikator/", auth.enrol, name="enrol"),
    path("mitra/", partners.partner_list, name="partners"),
    path("mitra/<slug:code>/", partners.partner_detail, name="partner"),
    path("mitra/<slug:code>/kunci/", partners.partner_key_issue, name="partner_key_issue"),
    path("mitra/<slug:code>/instansi/", partners.partner_agencies, name="partner_agencies"),
    path(
        "mitra/<slug:code>/kunci/<str:key_id>/cabut/",
        partners.partner_key_revoke,
        name="partner_key_revoke",
    ),
    path(
        "mitra/<slug:code>/nonaktifkan/",
        partners.partner_deactivate_view,
        name="partner_deactivate",
    ),
    path("mitra/<slug:partner>/webhook/", webhooks.endpoints, name="webhooks"),
    path(
        "mitra/<slug:partner>/webhook/<int:endpoint_id>/", webhooks.endpoint_log, name="webhook_log"
    ),
    path(
        "mitra/<slug:partner>/webhook/<int:endpoint_id>/rahasia/",
        webhooks.rotate,
        name="webhook_rotate",
    ),
    path(
        "mitra/<slug:partner>/webhook/<int:endpoint_id>/aktifkan/",
        webhooks.enable,
        name="webhook_enable",
    ),
    path(
        "mitra/<slug:partner>/webhook/<int:endpoint_id>/kirim-ulang/<int:delivery_id>/",
        webhooks.redeliver,
        name="webhook_redeliver",
    ),
]
