from django.urls import path

from lapor.accounts import sms_reset_views, views

app_name = "accounts"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_sent, name="register_sent"),
    path("aktifkan/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("lupa-kata-sandi/", views.password_reset, name="password_reset"),
    path(
        "lupa-kata-sandi/kode/",
        sms_reset_views.password_reset_code,
        name="password_reset_code",
    ),
    path(
        "kata-sandi-baru/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("laporan-saya/", views.my_reports, name="my_reports"),
    path("verifikasi-kontak/", views.verify_contact, name="verify_contact"),
]
