"""This process's hub, built from the settings with the real broker and renderer."""

from __future__ import annotations

from django.conf import settings

from staffroom.streaming import broker, render, stats
from staffroom.streaming.asgi import StreamingApp, is_streaming_path
from staffroom.streaming.auth import still_valid
from staffroom.streaming.hub import Hub, Limits

_hub: Hub | None = None


def process_hub() -> Hub:
    """The one hub of this process (made on the first streaming request)."""
    global _hub
    if _hub is None:
        _hub = Hub(
            listen=broker.listen,
            render=render.render_payloads,
            revalidate=still_valid,
            limits=Limits(
                per_account=settings.STAFFROOM_STREAMING_MAX_PER_ACCOUNT,
                per_address=settings.STAFFROOM_STREAMING_MAX_PER_ADDRESS,
            ),
            report=stats.stats_write,
        )
    return _hub


def streaming_application() -> StreamingApp:
    """The ASGI application `config/asgi.py` routes /api/v1/streaming to."""
    return StreamingApp(process_hub)


__all__ = ["StreamingApp", "is_streaming_path", "process_hub", "streaming_application"]
