from django.urls import include, path

from lapor.portal.views import browse, home, submit, track

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("lapor/", submit.submit, name="submit"),
    path("lapor/terkirim/<str:token>/", submit.submitted, name="submitted"),
    path("lacak/", track.track, name="track"),
    path("lacak/<str:tracking_id>/", track.track_report, name="track_report"),
    path("laporan/", browse.reports, name="reports"),
    path("laporan/<str:tracking_id>/", browse.report, name="report"),
    path(
        "laporan/<str:tracking_id>/dukung/<str:token>/",
        browse.support_confirm,
        name="support_confirm",
    ),
    path("instansi/<slug:code>/", browse.agency, name="agency"),
    path("akun/", include("lapor.accounts.urls")),
    path("", include("lapor.privacy.urls")),
]
