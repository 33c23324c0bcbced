"""What a browser asks of the site itself: ``/favicon.ico`` and the web app manifest, so a
phone can add LAPOR! to its home screen."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

DAY = 24 * 3600


@cache_control(public=True, max_age=7 * DAY)
def favicon(request: HttpRequest) -> FileResponse:
    path = finders.find("portal/icons/favicon.ico")
    if not path:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@cache_control(public=True, max_age=DAY)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("portal/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("portal/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("portal/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    home = reverse("portal:home")
    data = {
        "name": "LAPOR! — " + _("Layanan Aspirasi dan Pengaduan Online Rakyat"),
        "short_name": "LAPOR!",
        "description": _("Sampaikan pengaduan dan aspirasi kepada instansi pemerintah."),
        "lang": get_language() or "id",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#fafafa",
        "theme_color": "#7d1014",
        "icons": icons,
        "shortcuts": [
            {"name": _("Buat laporan"), "url": reverse("portal:submit")},
            {"name": _("Lacak"), "url": reverse("portal:track")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
