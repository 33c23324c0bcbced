from django.urls import path

from lapor.accounts import views

app_name = "accounts"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("laporan-saya/", views.my_reports, name="my_reports"),
]
