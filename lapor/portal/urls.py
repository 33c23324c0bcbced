from django.urls import include, path

from lapor.portal.feeds import PublicReportsFeed
from lapor.portal.views import app, browse, guide, home, receipt, submit, track
from lapor.portal.views import map as maps

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", app.favicon, name="favicon"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("lapor/", maps.with_tiles(submit.submit), name="submit"),  # the map pick's tiles
    path("lapor/terkirim/sw.js", receipt.receipt_worker, name="receipt_worker"),
    path("lapor/terkirim/<str:token>/", submit.submitted, name="submitted"),
    path("lapor/terkirim/<str:token>/bukti.pdf", receipt.receipt_pdf, name="receipt_pdf"),
    path("lapor/terkirim/<str:token>/simpan/", receipt.receipt_copy, name="receipt_copy"),
    path("lacak/", track.track, name="track"),
    path("lacak/<str:tracking_id>/", track.track_report, name="track_report"),
    path("laporan/", browse.reports, name="reports"),
    path("laporan/umpan/", PublicReportsFeed(), name="reports_feed"),
    path("laporan/peta/", maps.reports_map, name="reports_map"),
    path("laporan/peta/data/", maps.reports_map_data, name="reports_map_data"),
    path("laporan/<str:tracking_id>/", browse.report, name="report"),
    path(
        "laporan/<str:tracking_id>/dukung/<str:token>/",
        browse.support_confirm,
        name="support_confirm",
    ),
    path("instansi/", browse.agencies, name="agencies"),
    path("instansi/<slug:code>/", browse.agency, name="agency"),
    path("bantuan/", guide.page, name="help"),
    path("bantuan/status/", guide.page, {"name": "status"}, name="help_status"),
    path("bantuan/anonim-dan-rahasia/", guide.page, {"name": "privacy"}, name="help_privacy"),
    path("bantuan/tanya-jawab/", guide.page, {"name": "faq"}, name="help_faq"),
    path("bantuan/tentang/", guide.page, {"name": "about"}, name="help_about"),
    path("bantuan/kontak/", guide.page, {"name": "contact"}, name="help_contact"),
    path("akun/", include("lapor.accounts.urls")),
    path("", include("lapor.privacy.urls")),
]
