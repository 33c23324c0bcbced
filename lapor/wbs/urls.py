from django.urls import path

from lapor.wbs import views, views_staff

app_name = "wbs"
urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.submit, name="submit"),
    path("ikuti/", views.follow, name="follow"),
    path("ikuti/laporan/", views.case, name="case"),
    path("ikuti/keluar/", views.leave, name="leave"),
    path("kantor/", views_staff.inbox, name="inbox"),
    path("kantor/kunci/", views_staff.key_setup, name="key_setup"),
    path("kantor/kunci/ganti/", views_staff.key_change, name="key_change"),
    path("kantor/kunci/pulihkan/", views_staff.key_recover, name="key_recover"),
    path("kantor/buka/", views_staff.unlock, name="unlock"),
    path("kantor/kunci-sesi/", views_staff.lock, name="lock"),
    path("kantor/kasus/<str:public_id>/", views_staff.case, name="staff_case"),
    path("kantor/kasus/<str:public_id>/pesan/", views_staff.message, name="staff_message"),
    path("kantor/kasus/<str:public_id>/tahap/", views_staff.stage, name="staff_stage"),
    path("kantor/kasus/<str:public_id>/bagikan/", views_staff.share, name="staff_share"),
    path(
        "kantor/kasus/<str:public_id>/berkas/<int:file_id>/",
        views_staff.evidence,
        name="staff_file",
    ),
]
