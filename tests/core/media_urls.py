"""A URLconf holding only the media view, for tests/core/test_media.py."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("", include("staffroom.core.urls"))]
