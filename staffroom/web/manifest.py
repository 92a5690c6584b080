"""The web app manifest: what a phone or a desktop browser needs to install the site as an
app (its name, the page it opens on, standalone display, the brand colour and the icons made
by scripts/make_icons.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

MANIFEST_CONTENT_TYPE = "application/manifest+json"
THEME_COLOUR = "#0b5c8c"  # --brand in staffroom.css
BACKGROUND_COLOUR = "#ffffff"  # --paper
# A launcher label has room for about 12 characters; a longer name is cut, not squeezed.
SHORT_NAME_CHARS = 12


def manifest_data() -> dict[str, Any]:
    name = str(settings.STAFFROOM_NAME)
    return {
        "name": name,
        "short_name": name[:SHORT_NAME_CHARS].rstrip(),
        "description": "A professional learning network for teachers.",
        "id": reverse("web:home"),
        # Home sends a signed-out teacher to the sign-in page and back.
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("web/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


@require_GET
@cache_control(public=True, max_age=60 * 60 * 24)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """`/manifest.webmanifest`, open to anyone (browsers fetch it without cookies)."""
    return JsonResponse(manifest_data(), content_type=MANIFEST_CONTENT_TYPE)
