"""ASGI entry point (uvicorn workers under `staffroom serve`)."""

import os
import warnings

from django.core.asgi import get_asgi_application

# WhiteNoise streams static files from a synchronous iterator; under ASGI Django warns on
# every file served. The files are small and cached, so the warning is only noise.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.base")

application = get_asgi_application()
