from django.urls import path

from lapor.attachments import views

app_name = "attachments"
urlpatterns = [
    # The reporter (account or guest secret in this session) and, for public files, anyone.
    path("lampiran/<int:pk>/", views.portal_attachment, name="portal"),
    path("lampiran/<int:pk>/kecil/", views.portal_thumbnail, name="portal_thumbnail"),
    # The officers whose agency subtree holds the report (two-factor back-office session).
    path("kantor/lampiran/<int:pk>/", views.officer_attachment, name="officer"),
]
