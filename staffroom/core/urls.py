"""URLs served by core: uploaded media (included from staffroom/config/urls.py)."""

from __future__ import annotations

from django.urls import path

from staffroom.core.media import serve_media

app_name = "core"
urlpatterns = [path("media/<path:path>", serve_media, name="media")]
