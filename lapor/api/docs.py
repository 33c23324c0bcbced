"""The API's documentation page (``/api/v1/docs/``): Swagger UI from the sidecar's static files
(never a CDN), its start-up script a separate URL (``?script``), so the site's CSP
(``script-src 'self'``, ``style-src 'self'``) holds unchanged: the page's own styles are a static
file (``api/docs.css``) instead of drf-spectacular's inline ``<style>``."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    authentication_classes: list[type] = []
