from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "staffroom.push"
    label = "push"
    verbose_name = "Web Push"

    def ready(self) -> None:
        """Register the event subscribers once the models are loaded (as Django loads an
        app's `models` module: by name)."""
        import_module(f"{self.name}.subscribers")
