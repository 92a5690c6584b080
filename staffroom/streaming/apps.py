from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "staffroom.streaming"
    label = "streaming"
    verbose_name = "Streaming"

    def ready(self) -> None:
        """Register the event subscribers once the models are loaded (as Django loads an
        app's `models` module: by name)."""
        import_module(f"{self.name}.subscribers")
