"""Values every template can use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "instance_name": settings.STAFFROOM_NAME,
        "instance_domain": settings.STAFFROOM_DOMAIN,
        "stream_path": settings.STAFFROOM_WEB_STREAM_PATH,
    }
