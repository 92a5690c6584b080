from importlib import import_module

from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "staffroom.posts"
    label = "posts"
    verbose_name = "Posts and conversations"

    def ready(self) -> None:
        """Register the event subscribers once the models are loaded."""
        import_module(f"{self.name}.subscribers")
