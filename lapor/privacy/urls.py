from django.urls import path

from lapor.privacy import views

app_name = "privacy"
urlpatterns = [
    path("kebijakan-privasi/", views.notice, name="notice"),
    path("syarat-dan-ketentuan/", views.terms, name="terms"),
    path("akun/data-saya/", views.my_data, name="my_data"),
    path("akun/data-saya/unduh/", views.my_data_download, name="my_data_download"),
    path("akun/data-saya/hapus/", views.my_data_erase, name="my_data_erase"),
    path("lacak/<str:tracking_id>/data-saya/", views.report_download, name="report_download"),
    path("lacak/<str:tracking_id>/hapus-identitas/", views.report_erase, name="report_erase"),
]
