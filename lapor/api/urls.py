"""The API's root, ``/api/v1/`` (outside ``i18n_patterns``: ``Accept-Language`` picks the
language of messages): each audience's ``urls.py``, the OpenAPI document and its documentation
page. A new audience adds one ``include`` here; a new endpoint one ``path`` in its audience's
``urls.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from lapor.api.docs import DocsView

app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include("lapor.api.public.urls")),
    path("", include("lapor.analytics.api_urls")),  # open data (lapor/analytics/api.py)
    path("citizen/", include("lapor.api.citizen.urls")),
    path("officer/", include("lapor.api.officer.urls")),
    path("", include("lapor.api.partner.urls")),
]
