from django.urls import path

from lapor.channels import views

app_name = "channels"
urlpatterns = [
    path("sms/<slug:provider>/", views.sms_webhook, name="sms_webhook"),
    path("surel/<slug:esp>/", views.email_webhook, name="email_webhook"),
    path("whatsapp/", views.whatsapp_webhook, name="whatsapp_webhook"),
]
