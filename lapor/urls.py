from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from lapor.core import health, metrics

# The error pages, in the visitor's language with what to do next (lapor/core/views.py).
handler400 = "lapor.core.views.bad_request"
handler403 = "lapor.core.views.permission_denied"
handler404 = "lapor.core.views.page_not_found"
handler500 = "lapor.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The JSON API: one address in every language (Accept-Language picks the messages').
    path("api/v1/", include("lapor.api.urls")),
    # Open311 GeoReport v2 (lapor/api/open311): the spec's addresses, one in every language.
    path("open311/v2/", include("lapor.api.open311.urls")),
    # Inbound channels' webhooks (lapor/channels): providers call them, in no language.
    path("kanal/", include("lapor.channels.urls")),
    # Attachments only through their access check; MEDIA_URL is served by nothing.
    path("", include("lapor.attachments.urls")),
    # Liveness and readiness for the load balancer and monitoring (lapor/core/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("kantor/", include("lapor.backoffice.urls")),
    # Whistleblowing (lapor/wbs/, docs/wbs.md): no address, browser or referrer kept.
    path("wbs/", include("lapor.wbs.urls")),
    path("", include("lapor.analytics.urls")),
    path("", include("lapor.portal.urls")),
    prefix_default_language=False,
)
