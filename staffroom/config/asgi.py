"""ASGI entry point (uvicorn workers under `staffroom serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.base")

application = get_asgi_application()
