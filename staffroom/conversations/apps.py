from importlib import import_module

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "staffroom.conversations"
    label = "conversations"
    verbose_name = "Direct conversations"

    def ready(self) -> None:
        """Register the event subscribers once the models are loaded (as Django loads an
        app's `models` module: by name)."""
        import_module(f"{self.name}.subscribers")
